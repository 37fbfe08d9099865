/**
 * The arithmetic of the deployment controller (kubernetes pkg/controller/deployment/util/
 * deployment_util.go, k8s.io/apimachinery intstr, pkg/api/v1/pod IsPodAvailable): surge and
 * unavailability budgets, how far the new replica set may grow, proportional scaling, revisions
 * and what counts as an available pod. Pure functions of API objects.
 */
import type { KObject } from "./objects.js";

export const REVISION = "deployment.kubernetes.io/revision";
export const REVISION_HISTORY = "deployment.kubernetes.io/revision-history";
export const DESIRED_REPLICAS = "deployment.kubernetes.io/desired-replicas";
export const MAX_REPLICAS = "deployment.kubernetes.io/max-replicas";
/** maxRevHistoryLengthInReplicaSetAnnotation (sync.go). */
const MAX_REV_HISTORY_LENGTH = 2000;

/**
 * intstr.GetScaledValueFromIntOrPercent: an int as is, "N%" of `total` rounded up or down.
 * Anything else is refused by validation before it gets here; it counts as 0.
 */
export function scaledValue(v: unknown, total: number, roundUp: boolean): number {
  if (typeof v === "number") return v;
  const m = typeof v === "string" ? /^(\d+)%$/.exec(v) : null;
  if (!m) return 0;
  const x = (Number(m[1]) * total) / 100;
  return roundUp ? Math.ceil(x) : Math.floor(x);
}

/** True for `strategy.type: RollingUpdate` (the default). */
export function isRollingUpdate(d: KObject): boolean {
  return (d.spec.strategy?.type ?? "RollingUpdate") === "RollingUpdate";
}

/**
 * ResolveFenceposts: maxSurge rounds up, maxUnavailable down; when both come to 0 (say 10% of 3
 * and 0), maxUnavailable becomes 1 "on the theory that surge might not work due to quota".
 */
export function resolveFenceposts(maxSurge: unknown, maxUnavailable: unknown, desired: number): { surge: number; unavailable: number } {
  const surge = scaledValue(maxSurge ?? 0, desired, true);
  let unavailable = scaledValue(maxUnavailable ?? 0, desired, false);
  if (surge === 0 && unavailable === 0) unavailable = 1;
  return { surge, unavailable };
}

const replicasOf = (o: KObject | undefined): number => o?.spec.replicas ?? 1;

/** MaxSurge: how many pods above `replicas` a rolling update may run (0 for Recreate). */
export function maxSurge(d: KObject): number {
  if (!isRollingUpdate(d)) return 0;
  const ru = d.spec.strategy?.rollingUpdate ?? {};
  return resolveFenceposts(ru.maxSurge, ru.maxUnavailable, replicasOf(d)).surge;
}

/** MaxUnavailable: how many of `replicas` may be unavailable, at most `replicas` (0 for Recreate). */
export function maxUnavailable(d: KObject): number {
  const replicas = replicasOf(d);
  if (!isRollingUpdate(d) || replicas === 0) return 0;
  const ru = d.spec.strategy?.rollingUpdate ?? {};
  return Math.min(resolveFenceposts(ru.maxSurge, ru.maxUnavailable, replicas).unavailable, replicas);
}

/** GetReplicaCountForReplicaSets: the sum of spec.replicas. */
export const specReplicas = (rss: KObject[]): number => rss.reduce((n, r) => n + replicasOf(r), 0);
/** GetActualReplicaCountForReplicaSets: the sum of status.replicas. */
export const actualReplicas = (rss: KObject[]): number => rss.reduce((n, r) => n + (r.status?.replicas ?? 0), 0);
/** GetAvailableReplicaCountForReplicaSets: the sum of status.availableReplicas. */
export const availableReplicas = (rss: KObject[]): number => rss.reduce((n, r) => n + (r.status?.availableReplicas ?? 0), 0);
/** GetReadyReplicaCountForReplicaSets: the sum of status.readyReplicas. */
export const readyReplicas = (rss: KObject[]): number => rss.reduce((n, r) => n + (r.status?.readyReplicas ?? 0), 0);
/** FilterActiveReplicaSets: those with spec.replicas > 0. */
export const activeReplicaSets = (rss: KObject[]): KObject[] => rss.filter((r) => replicasOf(r) > 0);

/** NewRSNewReplicas: the size the new replica set may have now, given every replica set's size. */
export function newRSNewReplicas(d: KObject, allRSs: KObject[], newRS: KObject): number {
  const replicas = replicasOf(d);
  if (!isRollingUpdate(d)) return replicas;
  const surge = scaledValue(d.spec.strategy?.rollingUpdate?.maxSurge ?? 0, replicas, true);
  const current = specReplicas(allRSs);
  const maxTotal = replicas + surge;
  if (current >= maxTotal) return replicasOf(newRS);
  return replicasOf(newRS) + Math.min(maxTotal - current, replicas - replicasOf(newRS));
}

/** ReplicaSetsByCreationTimestamp: oldest first, the name breaking ties. */
export function byCreation(a: KObject, b: KObject): number {
  const ta = a.metadata.creationTimestamp ?? "";
  const tb = b.metadata.creationTimestamp ?? "";
  if (ta !== tb) return ta < tb ? -1 : 1;
  return a.metadata.name < b.metadata.name ? -1 : a.metadata.name > b.metadata.name ? 1 : 0;
}

/** The revision annotation as a number (0 when absent), as deploymentutil.Revision reads it. */
export function revisionOf(o: KObject): number {
  const n = Number(o.metadata.annotations?.[REVISION] ?? 0);
  return Number.isFinite(n) ? n : 0;
}

/**
 * SetNewReplicaSetAnnotations, for the annotations the simulator keeps: the revision goes up to
 * `newRevision` (a replica set brought back by a rollback keeps its old revisions in
 * revision-history); a replica set about to be created also gets the replica annotations.
 * Copies the deployment's own annotations except kubectl's and the controller's. Returns whether
 * anything changed.
 */
export function setNewReplicaSetAnnotations(d: KObject, rs: KObject, newRevision: number, exists: boolean): boolean {
  const a = (rs.metadata.annotations ??= {});
  let changed = false;
  const skip = new Set(["kubectl.kubernetes.io/last-applied-configuration", REVISION, REVISION_HISTORY, DESIRED_REPLICAS, MAX_REPLICAS, "deprecated.deployment.rollback.to"]);
  for (const [k, v] of Object.entries(d.metadata.annotations ?? {})) {
    if (skip.has(k) || a[k] === v) continue;
    a[k] = v;
    changed = true;
  }
  const old = a[REVISION];
  const oldN = old === undefined ? 0 : Number(old);
  if (oldN < newRevision) {
    a[REVISION] = String(newRevision);
    changed = true;
    if (old !== undefined) {
      const history = a[REVISION_HISTORY] ?? "";
      const parts = history ? history.split(",") : [];
      let total = history.length + old.length + 1;
      let start = 0;
      while (history && total > MAX_REV_HISTORY_LENGTH && start < parts.length) total -= parts[start++]!.length + 1;
      if (!history) a[REVISION_HISTORY] = old;
      else if (total <= MAX_REV_HISTORY_LENGTH) a[REVISION_HISTORY] = [...parts.slice(start), old].join(",");
    }
  }
  if (!exists && setReplicasAnnotations(rs, replicasOf(d), replicasOf(d) + maxSurge(d))) changed = true;
  return changed;
}

/** SetReplicasAnnotations: desired-replicas and max-replicas; true when either changed. */
export function setReplicasAnnotations(rs: KObject, desired: number, max: number): boolean {
  const a = (rs.metadata.annotations ??= {});
  if (a[DESIRED_REPLICAS] === String(desired) && a[MAX_REPLICAS] === String(max)) return false;
  a[DESIRED_REPLICAS] = String(desired);
  a[MAX_REPLICAS] = String(max);
  return true;
}

/**
 * GetReplicaSetProportion: the share of `toAdd` (negative: to remove) replica set `rs` takes in
 * a proportional scale, from its max-replicas annotation (the deployment size it was sized for).
 */
export function replicaSetProportion(rs: KObject, d: KObject, toAdd: number, added: number): number {
  if (replicasOf(rs) === 0 || toAdd === 0 || toAdd === added) return 0;
  let fraction: number;
  if (replicasOf(d) === 0) fraction = -replicasOf(rs);
  else {
    const deploymentReplicas = replicasOf(d) + maxSurge(d);
    const ann = rs.metadata.annotations?.[MAX_REPLICAS];
    const annotated = ann !== undefined && /^\d+$/.test(ann) ? Number(ann) : d.status?.replicas ?? 0;
    // integer.RoundToInt32 (math.Round; the size is never negative). Never scaled from 0.
    fraction = annotated ? Math.round((replicasOf(rs) * deploymentReplicas) / annotated) - replicasOf(rs) : 0;
  }
  const allowed = toAdd - added;
  return toAdd > 0 ? Math.min(fraction, allowed) : Math.max(fraction, allowed);
}

/**
 * podutil.IsPodAvailable: Ready, and Ready for longer than minReadySeconds (the condition's
 * lastTransitionTime has whole seconds, the comparison is strict).
 */
export function podAvailable(p: KObject, minReadySeconds: number, nowMs: number): boolean {
  const c = (p.status?.conditions ?? []).find((x: any) => x.type === "Ready");
  if (!c || c.status !== "True") return false;
  if (!minReadySeconds) return true;
  const since = Date.parse(c.lastTransitionTime ?? "");
  return Number.isFinite(since) && since + minReadySeconds * 1000 < nowMs;
}

/** When (calendar ms) a ready pod becomes available, for the controller's requeue; undefined if never. */
export function availableAt(p: KObject, minReadySeconds: number): number | undefined {
  const c = (p.status?.conditions ?? []).find((x: any) => x.type === "Ready");
  if (!c || c.status !== "True" || !minReadySeconds) return undefined;
  const since = Date.parse(c.lastTransitionTime ?? "");
  return Number.isFinite(since) ? since + minReadySeconds * 1000 + 1 : undefined;
}
