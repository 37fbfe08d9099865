/**
 * The one interface the runner drives. A target opens a session for a lesson; the session
 * runs commands in named contexts (`host`, a container, `pod/NAME[:C]`, a node), each keeping
 * one persistent shell, and returns results as data. The runner never knows which target it is.
 */
import type { ExecResult } from "../core/exec-result.js";

export type TargetName = "sim" | "host";

/** What a lesson asks of a target (from its front matter). */
export interface SessionSpec {
  /** Lesson file, for messages. */
  file: string;
  world: "bare" | "docker" | "kubernetes";
  requires: readonly ("docker" | "kubernetes" | "root")[];
  sim?: { seed?: number; nodes?: string[]; kubeProxyMode?: "iptables" | "ipvs"; kubeProxyVersion?: string };
}

export interface ExecOptions {
  timeoutMs: number;
  /** Output cap in bytes; the rest is dropped and `truncated` set. */
  maxOutputBytes?: number;
}

export interface TargetSession {
  /**
   * Runs one command line in `context`. Failures of the command are results; a context that
   * cannot be opened throws a TargetError naming what is wrong.
   */
  exec(context: string, command: string, opts: ExecOptions): Promise<ExecResult>;
  /**
   * Runs one `lab trace ...` line of a lesson's trace block in `context`'s world and returns the
   * explained path as output (exit 0 delivered, 1 not, 2 usage). Only the sim target has it.
   */
  trace?(context: string, line: string, opts: ExecOptions): Promise<ExecResult>;
  /** Ends the running command now (Ctrl-C); its exec resolves with exit 130. */
  interrupt(): void;
  /** Ends every context of the session. */
  close(): Promise<void>;
}

/** Opening a session either works, or the lesson is skipped with a reason (unmet `requires`). */
export type OpenResult = { session: TargetSession } | { skip: string };

export interface Target {
  readonly name: TargetName;
  open(spec: SessionSpec): Promise<OpenResult>;
}

/** A problem of the target itself (missing simulator, unknown context): reported, never a crash. */
export class TargetError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "TargetError";
  }
}
