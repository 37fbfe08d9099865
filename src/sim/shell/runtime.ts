/**
 * What one exec shares across the shell and its subshells: the process context, the world,
 * the ordered terminal, and the budget (commands, loop iterations, nesting, virtual deadline).
 */
import type { ProcContext, WorldServices } from "../userland/types.js";
import type { Terminal } from "./io.js";
import { LimitAbort } from "./signals.js";

/** Per-exec limits and counters. */
export interface Budget {
  commands: number;
  iterations: number;
  depth: number;
  readonly maxCommands: number;
  readonly maxIterations: number;
  readonly maxDepth: number;
  /** Clock time at which the exec times out (exit 124); `timeout` lowers it for its command. */
  deadline: number;
  /**
   * Background processes started by the exec and, transitively, by its background jobs: one
   * object shared by all of them, like a cgroup's pids.max. Past `max` it trips, and every job
   * of the exec stops at its next command, so a fork bomb ends in the exec that started it.
   */
  procs?: ProcessBudget;
}

/** The shared process count of one exec and its background descendants. */
export interface ProcessBudget {
  started: number;
  readonly max: number;
  tripped: boolean;
}

/** The message an exec ends with when its processes tripped the limit (exit 124). */
export function processLimitMessage(max: number): string {
  return `lab: stopped after ${max} background processes (the simulator's limit per exec; a real fork bomb would still be running)\n`;
}

/** Counts one background process (`cmd &`) against the exec's shared process budget. */
export function chargeProcess(rt: Runtime): void {
  const p = rt.budget.procs;
  if (!p) return;
  if (p.tripped || ++p.started > p.max) {
    p.tripped = true;
    throw new LimitAbort("processes", 124);
  }
}

/** The shared runtime of one exec. */
/** A newline before the last line that has text: the script spans several lines (no copy of it made). */
export function isMultiline(text: string): boolean {
  return /\n[^\n]/.test(text);
}

export interface Runtime {
  ctx: ProcContext;
  world: WorldServices;
  flavor: "bash" | "ash";
  terminal: Terminal;
  budget: Budget;
  /** The submitted script spans several lines. */
  multiline: boolean;
  /** A background process: programs wait for virtual time instead of advancing it. */
  background?: boolean;
}

/** Counts one command against the budget and checks the deadline. */
export function chargeCommand(rt: Runtime): void {
  const b = rt.budget;
  if (b.procs?.tripped) throw new LimitAbort("processes", 124);
  if (++b.commands > b.maxCommands) {
    throw new LimitAbort("commands", 124, `lab: stopped after ${b.maxCommands} commands (the simulator's limit per exec; a real shell would still be running)\n`);
  }
  checkDeadline(rt);
}

/** Counts one loop iteration against the budget. */
export function chargeIteration(rt: Runtime): void {
  const b = rt.budget;
  if (++b.iterations > b.maxIterations) {
    throw new LimitAbort("loop", 124, `lab: stopped after ${b.maxIterations} loop iterations (the simulator's limit per exec; a real shell would still be running)\n`);
  }
}

/** Ends the exec with 124 once virtual time has reached the deadline. */
export function checkDeadline(rt: Runtime): void {
  if (rt.world.clock.now() >= rt.budget.deadline) throw new LimitAbort("timeout", 124);
}
