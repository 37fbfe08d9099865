/**
 * How worlds are assembled. `createWorld` (src/sim/index.ts) makes the kernel world, the
 * clock, the random generator and the services, then hands a WorldEnv to the builder
 * registered for the kind (builders.ts: bare here, docker.ts and kubernetes.ts by their
 * owners). A builder adds machines (kernel host + file tree + a context of the same name),
 * starts its daemons (put into `services.daemons`), and registers further contexts
 * (containers, pods) whose ProcContext it resolves on demand, so a removed container
 * disappears from `contexts()`.
 *
 *   createWorld(opts) ─► WorldEnv ─► builder.build(env)
 *                                     ├─ env.addMachine({ name: "host", address: "192.168.56.10/24" })
 *                                     ├─ env.services.daemons.dockerd = ...
 *                                     └─ env.addContext("web", () => ctxOfContainer("web"))
 */
import type { Clock } from "../../core/clock.js";
import type { Rng } from "../../core/random.js";
import type { WorldKind, WorldOptions } from "../api.js";
import type { KernelWorld } from "../kernel/index.js";
import type { HostKernelApi, NetnsApi } from "../kernel/api.js";
import type { ProcContext, SimFs, WorldServices } from "../userland/types.js";

/** A machine to add: a kernel host with eth0 on an underlay segment and its own file tree. */
export interface MachineSpec {
  /** Context name and host name (`host`, `node1`, `control-plane`). */
  name: string;
  /** eth0's address with prefix on the underlay; omit for a machine with only `lo`. */
  address?: string;
  /** Default route via this underlay address (omit: no default route). */
  gateway?: string;
  /** Underlay segment (default "underlay"; created on first use). */
  segment?: string;
  /** Extra files (absolute path → content) on top of the standard ones. */
  files?: Record<string, string>;
  /** Environment of its shells (default HOME=/root, PATH, USER=root, ...). */
  env?: Record<string, string>;
}

/** A machine in the world. */
export interface Machine {
  name: string;
  kernel: HostKernelApi;
  /** The machine's root file system (host processes' view, in the initial namespace). */
  fs: SimFs;
  /** The context of a root shell on the machine. */
  ctx: ProcContext;
  /** A file system view of this machine's tree for processes in `netns` (its /sys shows that namespace). */
  fsFor(netns: NetnsApi): SimFs;
}

/** What a builder gets to assemble a world. */
export interface WorldEnv {
  readonly opts: Readonly<WorldOptions>;
  readonly clock: Clock;
  readonly rng: Rng;
  readonly kernel: KernelWorld;
  /** The services programs see (spawn, clock, rng, daemons); builders add their daemons here. */
  readonly services: WorldServices;
  /** Adds a machine and registers its context under `spec.name`. */
  addMachine(spec: MachineSpec): Machine;
  /** A machine added earlier. */
  machine(name: string): Machine | undefined;
  /**
   * Registers a context whose ProcContext is resolved on each use; `resolve` returning
   * undefined means the context is gone (a removed container). Re-registering replaces.
   */
  addContext(name: string, resolve: () => ProcContext | undefined): void;
  /** Forgets a context (its open session too). */
  removeContext(name: string): void;
  /** Adds a source of processes for WorldServices.processOf (a daemon's containers by main pid). */
  addProcesses(lookup: (host: HostKernelApi, pid: number) => ProcContext | undefined): void;
  /** A fresh file tree (a container's root file system) seen from `netns`. */
  newFs(netns: NetnsApi, files?: Record<string, string>, dirs?: string[]): { fs: SimFs; fsFor(netns: NetnsApi): SimFs };
}

/** A world kind's assembler. `build` is synchronous: createWorld returns a ready world. */
export interface WorldBuilder {
  kind: WorldKind;
  build(env: WorldEnv): void;
}
