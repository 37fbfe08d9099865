/**
 * The simulator's public face: build a world, open a context, run shell command lines in it.
 * Nothing here knows about lessons, runners or reports; `lab shell`, tests and the sim target
 * all use it.
 */
import type { ExecResult } from "../core/exec-result.js";
import type { TraceEvent } from "./kernel/api.js";
import type { Topology } from "./topology/types.js";

export type { Topology } from "./topology/types.js";

export type WorldKind = "bare" | "docker" | "kubernetes";

export interface WorldOptions {
  kind: WorldKind;
  /** Seed for every random choice (MACs, ports, statistic matches, pod names). Default 1. */
  seed?: number;
  /** kubernetes: worker node names (default ["node1", "node2"]); the control plane is `control-plane`. */
  nodes?: string[];
  /** kubernetes: "iptables" (default) or "ipvs". */
  kubeProxyMode?: "iptables" | "ipvs";
  /** kubernetes: kube-proxy version, e.g. "1.28" (rule layout changed at 1.22 and 1.24). */
  kubeProxyVersion?: string;
  /**
   * Record the packet trace from the start (default false: nobody reads it, and recording costs
   * every hop a formatted line). Readers of a part of it turn it on around that part: `tracing`.
   */
  trace?: boolean;
}

export interface ExecOptions {
  /** Virtual-time limit in ms; a command still running at the limit ends with exit 124. */
  timeoutMs?: number;
  stdin?: string;
  /** Output cap in bytes (default 1 MiB); the rest is cut and `truncated` set. */
  maxOutputBytes?: number;
}

/** A shell session in one context; cd, exports and variables persist across exec calls. */
export interface SimSession {
  readonly context: string;
  exec(command: string, opts?: ExecOptions): Promise<ExecResult>;
  /** Whether `name` is a shell function in this session (then `name ARGS` runs it, not the program). Optional: fakes may omit it. */
  isFunction?(name: string): boolean;
}

export interface SimWorld {
  readonly kind: WorldKind;
  /** Names of the contexts that exist now (host, containers, pods, nodes). */
  contexts(): string[];
  /**
   * Opens (or returns the already open) shell session of a context. Throws UnknownContextError
   * naming the contexts that do exist.
   */
  session(context: string): SimSession;
  /** Packet trace events since the last call, across all hosts (recorded only while tracing is on). */
  traceTake(): TraceEvent[];
  /** Turns the packet trace on or off; returns whether it was on, to restore. Optional: fakes may omit it. */
  tracing?(on: boolean): boolean;
  /** Virtual milliseconds since the world was built. */
  now(): number;
  /** The network topology now (hosts, namespaces, interfaces, links, services), for diagrams. Optional: fakes may omit it. */
  topology?(): Topology;
}

/** A context name that names nothing in the world. */
export class UnknownContextError extends Error {
  constructor(readonly context: string, readonly known: string[]) {
    super(`unknown context "${context}"; this world has: ${known.join(", ") || "(none)"}`);
    this.name = "UnknownContextError";
  }
}
