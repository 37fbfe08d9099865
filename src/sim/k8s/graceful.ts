/**
 * Graceful deletion as kube-apiserver decides it for a DELETE (staging/src/k8s.io/apiserver/pkg/
 * registry/rest/delete.go BeforeDelete, pkg/registry/core/pod/strategy.go CheckGracefulDelete):
 *
 *   pod, not yet terminating ──► period = ?gracePeriodSeconds ?? spec.terminationGracePeriodSeconds
 *                                (0 when unscheduled or already Succeeded/Failed)
 *                                period 0: removed at once; else deletionTimestamp = now + period,
 *                                deletionGracePeriodSeconds = period, the object stays (Terminating)
 *   pod, already terminating ──► a shorter period moves deletionTimestamp earlier; anything else
 *                                leaves it as it is ("graceful deletion is pending")
 *   anything else            ──► removed at once
 *
 * The kubelet removes a terminating pod (a DELETE with period 0) once its containers stopped.
 */
import type { KObject } from "./objects.js";

/** What a DELETE does to the stored object: remove it, leave it, or store this terminating copy. */
export type DeleteAction = { action: "remove" } | { action: "pending" } | { action: "update"; obj: KObject };

/**
 * BeforeDelete for `obj` with the request's gracePeriodSeconds (undefined: none given), at
 * virtual time `nowMs`; `stamp(ms)` writes a virtual time as RFC 3339.
 */
export function beforeDelete(obj: KObject, gracePeriodSeconds: number | undefined, nowMs: number, stamp: (ms: number) => string): DeleteAction {
  if (obj.kind !== "Pod") return { action: "remove" };
  // Negative values are treated as 1 s on the delete path.
  const asked = gracePeriodSeconds !== undefined && gracePeriodSeconds < 0 ? 1 : gracePeriodSeconds;
  const m = obj.metadata;
  if (m.deletionTimestamp) {
    const current = m.deletionGracePeriodSeconds;
    if (!current) return { action: "remove" };
    // Only a shorter grace period may be given once deletion is under way.
    if (asked === undefined || asked >= current) return { action: "pending" };
    if (asked === 0) return { action: "remove" };
    const next = structuredClone(obj);
    const at = Date.parse(m.deletionTimestamp) - current * 1000 + asked * 1000;
    next.metadata.deletionTimestamp = new Date(at).toISOString().replace(/\.\d{3}Z$/, "Z");
    next.metadata.deletionGracePeriodSeconds = asked;
    return { action: "update", obj: next };
  }
  let period = asked ?? obj.spec?.terminationGracePeriodSeconds ?? 0;
  // CheckGracefulDelete: an unscheduled pod or one that already ended goes at once.
  if (!obj.spec?.nodeName) period = 0;
  if (obj.status?.phase === "Failed" || obj.status?.phase === "Succeeded") period = 0;
  if (period === 0) return { action: "remove" };
  const next = structuredClone(obj);
  next.metadata.deletionTimestamp = stamp(nowMs + period * 1000);
  next.metadata.deletionGracePeriodSeconds = period;
  return { action: "update", obj: next };
}

/** True while a pod is Terminating: deleted, waiting for its kubelet to report the containers stopped. */
export function isTerminating(p: KObject): boolean {
  return !!p.metadata.deletionTimestamp;
}

/** IsPodTerminal: the pod's phase is Succeeded or Failed. */
export function isPodTerminal(p: KObject): boolean {
  return p.status?.phase === "Succeeded" || p.status?.phase === "Failed";
}

/** controller.IsPodActive (FilterActivePods): not terminal and not being deleted. */
export function isPodActive(p: KObject): boolean {
  return !isPodTerminal(p) && !isTerminating(p);
}
