/**
 * A server process in the foreground (`httpd -f`, `nc -l`): on a real machine it blocks its
 * shell until it is killed. The simulated shell awaits a program before it runs the next
 * command, so nothing can reach a foreground server while it blocks: it runs in virtual time
 * until the shell's deadline (the exec's timeout) and ends with 124, as `timeout` would end it.
 * Started without a deadline (a container's main process, spawned by a daemon) it never ends
 * on its own, and `stop` decides when its promise settles.
 */
import type { Proc } from "../types.js";

/** Blocks until the shell's deadline in virtual time (then runs `onKill` and yields 124), or forever without one. */
export function runInForeground(p: Proc, onKill: () => void): Promise<number> {
  const deadline = (p as Proc & { deadline?: number }).deadline;
  if (deadline === undefined || !Number.isFinite(deadline)) return new Promise<number>(() => {});
  const clock = p.world.clock;
  if (deadline > clock.now()) clock.advance(deadline - clock.now());
  onKill();
  return Promise.resolve(124);
}
