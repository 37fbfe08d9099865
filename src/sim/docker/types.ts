/**
 * Types and errors of the daemon's API (see api.ts, which re-exports them with the daemon itself).
 * Kept apart so the daemon can use them without importing api.ts (no import cycle).
 */
import type { ProcContext, Stdio } from "../userland/types.js";


/** How the daemon refused: the CLI picks its wording and exit code from this. */
export type DockerErrorKind =
  | "notFound" // 404: no such container / network / image
  | "conflict" // 409: name in use, running container removal, active endpoints
  | "invalid" // 400: bad parameter
  | "notRunning" // 409 for exec into a stopped container
  | "runtime" // 500 from the OCI runtime or a driver (exit 125/126/127 on `run`)
  | "pull"; // image not present and no registry reachable

/** A refusal from the daemon. `exitCode` is set for runtime failures that decide `docker run`'s code (126/127). */
export class DockerError extends Error {
  constructor(readonly kind: DockerErrorKind, message: string, readonly exitCode?: number, readonly object?: "container" | "network" | "image" | "object") {
    super(message);
    this.name = "DockerError";
  }
}

export type Proto = "tcp" | "udp";

/** One `-p` request: `[hostIp:][hostPort:]containerPort[/proto]`. hostPort "" means an ephemeral port. */
export interface PortBindingReq {
  hostIp: string;
  hostPort: string;
  containerPort: number;
  proto: Proto;
}

/** What `docker create` sends (the parts of Config and HostConfig the simulator honours). */
export interface CreateRequest {
  image: string;
  name?: string;
  /** Command; empty means the image's CMD. */
  cmd: string[];
  entrypoint?: string[];
  env: string[];
  hostname?: string;
  /** "default" | "bridge" | "host" | "none" | "container:NAME" | a user network's name or id. */
  networkMode: string;
  portBindings: PortBindingReq[];
  publishAll: boolean;
  openStdin: boolean;
  tty: boolean;
  autoRemove: boolean;
  attachStdout: boolean;
}

export interface PortMapping {
  containerPort: number;
  proto: Proto;
  hostIp: string;
  hostPort: number;
}

export interface ContainerSummary {
  id: string;
  names: string[];
  image: string;
  /** Command as `docker ps` quotes it (Go's strings joined by spaces). */
  command: string;
  created: number;
  /** "created" | "running" | "exited". */
  state: string;
  /** `Up 5 seconds`, `Exited (0) 2 minutes ago`, `Created`. */
  status: string;
  ports: PortMapping[];
  networks: string[];
}

export interface NetworkSummary {
  id: string;
  name: string;
  driver: "bridge" | "host" | "null";
  scope: "local";
  created: number;
}

export interface ImageSummary {
  repository: string;
  tag: string;
  id: string;
  created: number;
  size: number;
}

export interface ExecRequest {
  cmd: string[];
  env: string[];
  interactive: boolean;
  tty: boolean;
  stdin?: string;
}

/** The daemon, as its clients see it. Container and network references are names, ids or unique id prefixes. */
export interface DockerDaemonApi {
  /** `POST /containers/create`: returns the new id (the name is generated if not given). */
  containerCreate(req: CreateRequest): string;
  /**
   * `POST /containers/{id}/start`, attaching `attach` (when given) to the main process's output.
   * Resolves once the container runs (or fails to start).
   */
  containerStart(ref: string, attach?: Stdio, stdin?: string): void;
  /** Resolves with the exit code when the container's main process ends. */
  containerWait(ref: string): Promise<number>;
  /** SIGTERM, then SIGKILL after `timeoutSec` of virtual time unless the main process ends first. */
  containerStop(ref: string, timeoutSec?: number): Promise<void>;
  containerKill(ref: string): void;
  containerRestart(ref: string, timeoutSec?: number): Promise<void>;
  containerRemove(ref: string, opts?: { force?: boolean }): void;
  containerList(opts: { all: boolean }): ContainerSummary[];
  /** `GET /containers/{id}/json`: the inspect object, as Docker's JSON. */
  containerInspect(ref: string): Record<string, unknown>;
  containerLogs(ref: string): string;
  containerPorts(ref: string): PortMapping[];
  /** Resolves a reference to the full id, or throws notFound. */
  containerId(ref: string): string;
  /** `exec create` + `exec start`, streaming into `io`; resolves with the process's exit code. */
  exec(ref: string, req: ExecRequest, io: Stdio): Promise<number>;

  networkCreate(name: string, opts?: { driver?: string; subnet?: string; gateway?: string }): string;
  networkList(): NetworkSummary[];
  networkInspect(ref: string): Record<string, unknown>;
  networkRemove(ref: string): void;
  networkConnect(net: string, container: string): void;
  networkDisconnect(net: string, container: string, force?: boolean): void;

  imageList(): ImageSummary[];
  imageInspect(ref: string): Record<string, unknown>;
  /** True when the image reference names a local image. */
  imageExists(ref: string): boolean;

  /** Names of the running containers, for the world's contexts (`on=web`). */
  runningNames(): string[];
  /** The process context of a running container (for `on=NAME` sessions and `docker exec`). */
  contextOf(ref: string): ProcContext;
  /** The context of the running container whose main process is `pid` on the daemon's host (`/proc/PID/ns/*`). */
  contextOfPid(pid: number): ProcContext | undefined;
}
