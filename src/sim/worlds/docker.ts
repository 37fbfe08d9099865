/**
 * The docker world: one Debian-like machine `host` (eth0 192.168.56.10/24 on an underlay, as in
 * the bare world) running the simulated dockerd 20.10, which has created docker0 and its iptables
 * chains at start-up. Every running container is also a context of the same name, so a lesson's
 * `on=web` block runs in web's namespace and file system, as `docker exec -i web sh` does.
 */
import { createDockerd, type DockerDaemonApi } from "../docker/api.js";
import type { ProcContext } from "../userland/types.js";
import type { WorldBuilder } from "./types.js";

/** The underlay address of `host` in the docker world. */
export const DOCKER_HOST_ADDRESS = "192.168.56.10/24";

export const dockerWorld: WorldBuilder = {
  kind: "docker",
  build(env) {
    const m = env.addMachine({ name: "host", address: DOCKER_HOST_ADDRESS });
    let docker: DockerDaemonApi | undefined;
    const resolve = (name: string) => (): ProcContext | undefined => {
      try {
        const ctx = docker!.contextOf(name);
        return { ...ctx, shell: "ash" };
      } catch {
        return undefined;
      }
    };
    docker = createDockerd({
      host: m.kernel,
      clock: env.clock,
      rng: env.rng,
      spawn: env.services.spawn,
      makeFs: (files, dirs, netns) => env.newFs(netns, files, dirs).fs,
      hostResolvConf: m.fs.readFile("/etc/resolv.conf") ?? "",
      onStarted: (name) => env.addContext(name, resolve(name)),
      ...(env.services.settle ? { settle: () => env.services.settle!() } : {}),
    });
    env.services.daemons.docker = docker;
    env.addProcesses((host, pid) => (host === m.kernel ? docker!.contextOfPid(pid) : undefined));
  },
};
