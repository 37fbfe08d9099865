/**
 * What a simulated program sees when it runs: its arguments, standard streams (written in
 * order, so stdout and stderr interleave as on a terminal), its environment, and the system
 * around it: the kernel API of the namespace it runs in, the file system of its container or
 * host, virtual time, and the daemons it may talk to (as `docker` talks to dockerd).
 *
 * A program returns its exit status; it never throws for bad input. A thrown error is a bug
 * in the simulator, and the shell turns it into exit 70 with `lab: internal error`.
 */
import type { Clock } from "../../core/clock.js";
import type { Rng } from "../../core/random.js";
import type { HostKernelApi, NetnsApi } from "../kernel/api.js";

/** A minimal synchronous file system view (the shell's VFS implements it). Paths are absolute. */
export interface SimFs {
  readFile(path: string): string | undefined;
  writeFile(path: string, content: string, opts?: { append?: boolean }): void;
  exists(path: string): boolean;
  isDir(path: string): boolean;
  readdir(path: string): string[] | undefined;
  mkdir(path: string): void;
  remove(path: string): boolean;
}

/** Where a process runs: which host, which namespace, which file system and identity. */
export interface ProcContext {
  /** Context name as lessons write it: `host`, `node1`, a container name, `pod/web:nginx`. */
  name: string;
  host: HostKernelApi;
  netns: NetnsApi;
  fs: SimFs;
  hostname: string;
  /** Extra programs available only here (a container's image decides what exists: `nginx` in nginx). */
  available?: (command: string) => boolean;
  /** Environment a new shell in this context starts with. */
  env: Record<string, string>;
  /**
   * Which shell a session here imitates, for the shell's own messages: "bash" (hosts, nodes:
   * `bash: foo: command not found`) or "ash" (busybox containers: `sh: foo: not found`). Default "bash".
   */
  shell?: "bash" | "ash";
}

/** Services of the world reachable by programs (clients talk to daemons through these). */
export interface WorldServices {
  clock: Clock;
  rng: Rng;
  /**
   * Runs `argv` (or a shell script with `script`) in another context, streaming into `io`.
   * `background: true` for a process nobody waits on (a container's main process, a daemon):
   * its `sleep` waits for virtual time to pass instead of advancing the clock, and it has no
   * deadline. A foreground process (docker exec, ip netns exec) advances time as it sleeps, and
   * ends at `deadline` (clock ms; the caller's own, so `timeout 2 ip netns exec ...` holds inside;
   * default: the shell's default limit from now).
   */
  spawn(ctx: ProcContext, spec: { argv?: string[]; script?: string; stdin?: string | (() => string); env?: Record<string, string>; background?: boolean; deadline?: number }, io: Stdio): Promise<number>;
  /** Daemon APIs, present when the world has them; typed by their own modules. */
  daemons: Record<string, unknown>;
  /**
   * A background process waits on `p` (a clock wake-up, or forever for a server): it stops
   * counting as runnable, so foreground commands need not wait for it (see shell/jobs.ts).
   */
  blockOn?<T>(p: Promise<T>): Promise<T>;
  /** Runs `job` as a background job of the world (counted as runnable until it waits or ends). */
  runJob?<T>(job: () => Promise<T>): Promise<T>;
  /** Lets every runnable background process reach its next wait (called before a foreground command looks). */
  settle?(): Promise<void>;
  /**
   * The context (namespaces, root file system, hostname) of process `pid` on machine `host`, as
   * /proc/PID/ns/* shows it to nsenter: pid 1 is the machine's own, a container's main process
   * its container's. Undefined: no such process.
   */
  processOf?(host: HostKernelApi, pid: number): ProcContext | undefined;
}

/** Ordered output sink: fd 1 and fd 2 written in the order the program wrote them. */
export interface Stdio {
  write(fd: 1 | 2, text: string): void;
}

export interface Proc {
  argv: string[];
  stdin: string;
  env: Record<string, string>;
  cwd: string;
  out(text: string): void;
  err(text: string): void;
  ctx: ProcContext;
  world: WorldServices;
  /**
   * Virtual time (clock ms) at which the shell ends this command (the exec's timeout). A program
   * that waits in virtual time (sleep, ping without -c) waits at most until then. Undefined: no limit.
   */
  deadline?: number;
  /** Runs in the background (see WorldServices.spawn): wait for virtual time, never advance it. */
  background?: boolean;
}

/** A simulated program. */
export type Program = (p: Proc) => number | Promise<number>;

/** The registry entry of a program. */
export interface ProgramSpec {
  name: string;
  /** One-line description for `lab: X: not available in the simulator` lists and help. */
  summary: string;
  run: Program;
  /**
   * Exists only inside the images that ship it (nginx): a context without an `available` filter
   * (a host, a node) does not have it, as a real host has no nginx binary.
   */
  imageOnly?: boolean;
}
