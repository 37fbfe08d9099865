/**
 * The simulated dockerd's API: what the `docker` CLI (and kubelet) may ask of the daemon, shaped
 * like the Engine API 1.41 of Docker 20.10 (create/start/stop/remove containers, exec, networks,
 * images). Clients find it at `proc.world.daemons.docker`; they never reach its internals.
 *
 * A refusal is a DockerError whose `message` is the daemon's own text (what the real CLI prints
 * after `Error response from daemon: `) and whose `kind` says how the CLI words it.
 */
export * from "./types.js";
export { createDockerd } from "./daemon.js";
export type { DockerdDeps } from "./daemon.js";
export { humanDuration } from "./duration.js";
/** Image data for other runtimes of the world (the kubelet's container runtime uses the same images). */
export { defaultImages, normalizeRef, programsOf, NGINX_WELCOME, type Image, type ImageConfig } from "./images.js";
