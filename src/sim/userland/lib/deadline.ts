/**
 * A process's deadline (the exec's time limit, or the one `timeout` set) in the calls that
 * block in virtual time. The real process is killed by a signal when its time is up, wherever
 * it is waiting; a simulated one waits at most until its deadline, and once it has passed, the
 * program returns without a word of its own (no "connection timed out": it never got that far)
 * and the shell ends it with 124, as `timeout` reports a command it had to kill.
 *
 *   wget ──tcpRequest(timeoutMs: waitMs(p, 900 s))──► returns at the deadline
 *        └─ pastDeadline(p)? ──► return 124 (silently) ──► shell: LimitAbort("timeout") ──► 124
 */
import { stepClock } from "../../../core/clock.js";
import type { Proc } from "../types.js";

type Timed = Pick<Proc, "deadline" | "world">;


/** How long a blocking call of `p` may wait: its own timeout `ms`, cut at p's deadline. */
export function waitMs(p: Timed, ms: number): number {
  if (p.deadline === undefined || p.deadline === Infinity) return ms;
  return Math.max(0, Math.min(ms, p.deadline - p.world.clock.now()));
}

/** Whether p's deadline has passed: the process is being killed and prints nothing more. */
export function pastDeadline(p: Timed): boolean {
  return p.deadline !== undefined && p.world.clock.now() >= p.deadline;
}

/** The spawn option that gives a child process p's deadline (none for a process without one). */
export function deadlineOf(p: Pick<Proc, "deadline">): { deadline?: number } {
  return p.deadline === undefined ? {} : { deadline: p.deadline };
}

/**
 * A foreground wait: steps virtual time event by event (letting background processes run) until
 * `test` answers, `ms` pass or p's deadline comes; undefined for the latter two.
 */
export function stepUntil<T>(p: Proc, ms: number, test: () => T | undefined): Promise<T | undefined> {
  const { clock, settle } = p.world;
  return stepClock(clock, settle && (() => settle.call(p.world)), Math.min(clock.now() + ms, p.deadline ?? Infinity), test);
}

/**
 * Waits on `wait` (a server's life, a peer that may never come) as p would: a background process
 * blocks without holding up the world; a foreground one drives virtual time until `wait`
 * settles, or until its deadline kills it (124, silently: the shell reports the timeout). A
 * foreground `nginx` or `nc -l` nobody talks to thus ends at the exec's time limit instead of
 * never.
 */
export async function waitOrDie(p: Proc, wait: Promise<number>): Promise<number> {
  if (p.background) return p.world.blockOn ? p.world.blockOn(wait) : wait;
  let code: number | undefined;
  wait.then(
    (c) => void (code = c),
    () => void (code = 1),
  );
  return (await stepUntil(p, Infinity, () => code)) ?? 124;
}
