/**
 * The kubelet's crash back-off (kuberuntime_manager.go doBackOff over flowcontrol.Backoff, 1.28),
 * shared by init and main containers.
 *
 *   exit ─► next sync: no entry ─► Next: 10 s, restart at once
 *           next sync: now − finishedAt < back-off ─► CrashLoopBackOff, BackOff event, retry later
 *                                       otherwise ─► Next: back-off × 2 (≤ 300 s), restart
 *
 * An entry not updated for 2 × 300 s is forgotten (hasExpired): the next crash starts at 10 s.
 */
import { goDuration } from "./images.js";
import type { KObject } from "./objects.js";

const BACKOFF_INITIAL_MS = 10_000;
const BACKOFF_MAX_MS = 300_000;

/** flowcontrol.Backoff entries of one pod, by container name. */
export type CrashBackoff = Map<string, { backoff: number; lastUpdate: number }>;

/** What a restart refused by the back-off shows: the waiting state's message and the BackOff event's. */
export interface BackOffRefusal {
  waiting: { reason: "CrashLoopBackOff"; message: string };
  event: string;
}

/**
 * doBackOff for container `name` of `pod` that last finished at `finishedAt` (virtual ms): the
 * refusal while in back-off, else undefined after growing the back-off (the restart goes ahead).
 */
export function doBackOff(b: CrashBackoff, pod: KObject, name: string, finishedAt: number, now: number): BackOffRefusal | undefined {
  const e = b.get(name);
  const expired = !e || finishedAt - e.lastUpdate > 2 * BACKOFF_MAX_MS;
  if (e && !expired && now - finishedAt < e.backoff) {
    const who = `${pod.metadata.name}_${pod.metadata.namespace}(${pod.metadata.uid})`;
    return {
      waiting: { reason: "CrashLoopBackOff", message: `back-off ${goDuration(e.backoff)} restarting failed container=${name} pod=${who}` },
      event: `Back-off restarting failed container ${name} in pod ${who}`,
    };
  }
  b.set(name, { backoff: expired ? BACKOFF_INITIAL_MS : Math.min(e!.backoff * 2, BACKOFF_MAX_MS), lastUpdate: now });
  return undefined;
}
