/**
 * The deployment controller (kubernetes pkg/controller/deployment): one sync of a Deployment per
 * controller pass, as syncDeployment runs it.
 *
 *   desired-replicas annotation ≠ spec.replicas ──► sync/scale (one active RS: resize it;
 *                                                   several: proportional scaling)
 *   RollingUpdate ──► rolloutRolling: scale the new RS up by what maxSurge allows, else scale old
 *                     RSs down by what the available pods allow (replicas − maxUnavailable kept)
 *   Recreate      ──► rolloutRecreate: old RSs to 0, wait until their pods are gone, new RS up
 *
 * Each sync does one step (rolling.go returns after a scale-up or a scale-down); the controller
 * manager runs passes until nothing changes, and pods becoming available trigger the next ones,
 * so a rollout advances in virtual time as the new pods start. The status (calculateStatus,
 * syncRolloutStatus) is written once per pass by `syncStatus`.
 */
import type { ApiServer } from "./apiserver.js";
import { rfc3339 } from "./apiserver.js";
import { recordEvent } from "./events.js";
import type { KObject } from "./objects.js";
import { findKind } from "./schema.js";
import {
  actualReplicas, activeReplicaSets, availableReplicas, byCreation, DESIRED_REPLICAS, isRollingUpdate, maxSurge, maxUnavailable,
  newRSNewReplicas, readyReplicas, replicaSetProportion, REVISION, revisionOf, setNewReplicaSetAnnotations, setReplicasAnnotations, specReplicas,
} from "./deployment-util.js";

const RS = findKind("apps/v1", "ReplicaSet")!;
const POD = findKind("v1", "Pod")!;
const DEPLOY_CTRL = { component: "deployment-controller" };

const replicasOf = (o: KObject): number => o.spec.replicas ?? 1;
const ownedBy = (o: KObject, owner: KObject) => o.metadata.ownerReferences?.some((r) => r.uid === owner.metadata.uid) ?? false;
const ownerRef = (o: KObject) => ({ apiVersion: o.apiVersion, kind: o.kind, name: o.metadata.name, uid: o.metadata.uid!, controller: true, blockOwnerDeletion: true });

/** Drives Deployments through their ReplicaSets; `hash` is the pod-template-hash of a template. */
export class DeploymentController {
  /** Deployments whose new replica set was just created: their Progressing condition says so. */
  private readonly created = new Map<string, string>();

  /**
   * `hash` gives a template's pod-template-hash; `requeueAt(calendarMs)` asks for a controller
   * pass then (the work queue's AddAfter, for the progress deadline).
   */
  constructor(
    private readonly api: ApiServer,
    private readonly hash: (template: unknown) => string,
    private readonly requeueAt: (calendarMs: number) => void = () => {},
  ) {}

  private replicaSets(d: KObject): KObject[] {
    return this.api.list(RS, d.metadata.namespace).filter((r) => ownedBy(r, d));
  }

  /** syncDeployment: a scaling event, or one step of the deployment's strategy. */
  sync(d: KObject): void {
    const rss = this.replicaSets(d);
    if (this.isScalingEvent(d, rss)) return this.scale(d, rss);
    if (isRollingUpdate(d)) this.rolloutRolling(d, rss);
    else this.rolloutRecreate(d, rss);
  }

  /** FindNewReplicaSet (the oldest with the template) and the others, the new one's revision synced. */
  private getAll(d: KObject, rss: KObject[], create: boolean): { newRS?: KObject; oldRSs: KObject[] } {
    const hash = this.hash(d.spec.template);
    const existing = rss.filter((r) => r.metadata.labels?.["pod-template-hash"] === hash).sort(byCreation)[0];
    const oldRSs = rss.filter((r) => r !== existing);
    const newRevision = Math.max(0, ...oldRSs.map(revisionOf)) + 1;
    if (existing) {
      const next = structuredClone(existing);
      const annotated = setNewReplicaSetAnnotations(d, next, newRevision, true);
      const minReady = d.spec.minReadySeconds ?? 0;
      if (!annotated && (existing.spec.minReadySeconds ?? 0) === minReady) return { newRS: existing, oldRSs };
      if (minReady) next.spec.minReadySeconds = minReady;
      else delete next.spec.minReadySeconds;
      const r = this.api.update(next);
      return { newRS: r.ok ? r.obj : existing, oldRSs };
    }
    if (!create) return { oldRSs };
    const tmpl = d.spec.template;
    const labels = { ...(tmpl.metadata?.labels ?? {}), "pod-template-hash": hash };
    const rs: KObject = {
      apiVersion: "apps/v1",
      kind: "ReplicaSet",
      metadata: { name: `${d.metadata.name}-${hash}`, namespace: d.metadata.namespace, labels, annotations: {}, ownerReferences: [ownerRef(d)] },
      spec: {
        replicas: 0,
        ...(d.spec.minReadySeconds ? { minReadySeconds: d.spec.minReadySeconds } : {}),
        selector: { matchLabels: { ...(d.spec.selector.matchLabels ?? {}), "pod-template-hash": hash }, ...(d.spec.selector.matchExpressions ? { matchExpressions: d.spec.selector.matchExpressions } : {}) },
        template: { metadata: { ...(tmpl.metadata ?? {}), labels }, spec: tmpl.spec },
      },
    };
    rs.spec.replicas = newRSNewReplicas(d, [...oldRSs, rs], rs);
    setNewReplicaSetAnnotations(d, rs, newRevision, false);
    const r = this.api.create(rs, d.metadata.namespace!);
    if (!r.ok) return { oldRSs };
    // getNewReplicaSet: "Scaled up replica set %s to %d" (pkg/controller/deployment/sync.go).
    if (rs.spec.replicas > 0) recordEvent(this.api, d, { type: "Normal", reason: "ScalingReplicaSet", message: `Scaled up replica set ${r.obj.metadata.name} to ${rs.spec.replicas}`, source: DEPLOY_CTRL });
    this.created.set(d.metadata.uid!, r.obj.metadata.name);
    return { newRS: r.obj, oldRSs };
  }

  /** isScalingEvent: an active replica set was sized for another spec.replicas. */
  private isScalingEvent(d: KObject, rss: KObject[]): boolean {
    const { newRS, oldRSs } = this.getAll(d, rss, false);
    return activeReplicaSets(newRS ? [...oldRSs, newRS] : oldRSs).some((r) => {
      const want = r.metadata.annotations?.[DESIRED_REPLICAS];
      return want !== undefined && Number(want) !== replicasOf(d);
    });
  }

  /** scaleReplicaSetAndRecordEvent: resizes `rs` when its size differs; true if it did. */
  private scaleTo(rs: KObject, to: number, d: KObject): { scaled: boolean; rs: KObject } {
    if (replicasOf(rs) === to) return { scaled: false, rs };
    return this.scaleReplicaSet(rs, to, d, replicasOf(rs) < to ? "up" : "down");
  }

  /** scaleReplicaSet: the new size and the replica annotations; the event when the size changed. */
  private scaleReplicaSet(rs: KObject, to: number, d: KObject, op: "up" | "down"): { scaled: boolean; rs: KObject } {
    const from = replicasOf(rs);
    const next = structuredClone(rs);
    next.spec.replicas = to;
    const annotated = setReplicasAnnotations(next, replicasOf(d), replicasOf(d) + maxSurge(d));
    if (from === to && !annotated) return { scaled: false, rs };
    const r = this.api.update(next);
    if (!r.ok) return { scaled: false, rs };
    if (from !== to) recordEvent(this.api, d, { type: "Normal", reason: "ScalingReplicaSet", message: `Scaled ${op} replica set ${rs.metadata.name} to ${to} from ${from}`, source: DEPLOY_CTRL });
    return { scaled: from !== to, rs: r.obj };
  }

  /** sync.go scale: the whole deployment to a new size, proportionally during a rollout. */
  private scale(d: KObject, rss: KObject[]): void {
    const { newRS, oldRSs } = this.getAll(d, rss, false);
    const replicas = replicasOf(d);
    // FindActiveOrLatest: one active replica set (or none: the newest) takes the whole size.
    const newestFirst = [...oldRSs].sort((a, b) => byCreation(b, a));
    const active = activeReplicaSets(newRS ? [...newestFirst, newRS] : newestFirst);
    const only = active.length === 1 ? active[0] : active.length === 0 ? newRS ?? newestFirst[0] : undefined;
    if (only) {
      if (replicasOf(only) !== replicas) this.scaleTo(only, replicas, d);
      return;
    }
    // IsSaturated: the new replica set has everything; old ones go to 0.
    const desired = newRS?.metadata.annotations?.[DESIRED_REPLICAS];
    if (newRS && replicasOf(newRS) === replicas && Number(desired) === replicas && (newRS.status?.availableReplicas ?? 0) === replicas) {
      for (const old of activeReplicaSets(oldRSs)) this.scaleTo(old, 0, d);
      return;
    }
    if (!isRollingUpdate(d)) return;
    const all = activeReplicaSets(newRS ? [...oldRSs, newRS] : oldRSs);
    const allowed = replicas > 0 ? replicas + maxSurge(d) : 0;
    const toAdd = allowed - specReplicas(all);
    // ReplicaSetsBySizeNewer (scaling up) / BySizeOlder (down): larger first, then newer / older.
    if (toAdd > 0) all.sort((a, b) => replicasOf(b) - replicasOf(a) || byCreation(b, a));
    else if (toAdd < 0) all.sort((a, b) => replicasOf(b) - replicasOf(a) || byCreation(a, b));
    let added = 0;
    const size = new Map<KObject, number>();
    for (const rs of all) {
      const share = toAdd !== 0 ? replicaSetProportion(rs, d, toAdd, added) : 0;
      size.set(rs, replicasOf(rs) + share);
      added += share;
    }
    all.forEach((rs, i) => {
      // Leftovers go to the largest replica set.
      if (i === 0 && toAdd !== 0) size.set(rs, Math.max(0, size.get(rs)! + toAdd - added));
      this.scaleReplicaSet(rs, size.get(rs)!, d, toAdd > 0 ? "up" : "down");
    });
  }

  /** rolling.go rolloutRolling: scale up if we can, else scale down if we can, else clean up. */
  private rolloutRolling(d: KObject, rss: KObject[]): void {
    const { newRS, oldRSs } = this.getAll(d, rss, true);
    if (!newRS) return;
    const all = [...oldRSs, newRS];
    if (this.reconcileNewReplicaSet(all, newRS, d)) return;
    if (this.reconcileOldReplicaSets(all, activeReplicaSets(oldRSs), newRS, d)) return;
    if (this.complete(d, d.status ?? {})) this.cleanup(oldRSs, d);
  }

  private reconcileNewReplicaSet(all: KObject[], newRS: KObject, d: KObject): boolean {
    const replicas = replicasOf(d);
    if (replicasOf(newRS) === replicas) return false;
    if (replicasOf(newRS) > replicas) return this.scaleTo(newRS, replicas, d).scaled;
    return this.scaleTo(newRS, newRSNewReplicas(d, all, newRS), d).scaled;
  }

  private reconcileOldReplicaSets(all: KObject[], oldRSs: KObject[], newRS: KObject, d: KObject): boolean {
    if (specReplicas(oldRSs) === 0) return false;
    const minAvailable = replicasOf(d) - maxUnavailable(d);
    const newUnavailable = replicasOf(newRS) - (newRS.status?.availableReplicas ?? 0);
    const maxScaledDown = specReplicas(all) - minAvailable - newUnavailable;
    if (maxScaledDown <= 0) return false;
    // cleanupUnhealthyReplicas: unavailable pods of old replica sets go first, oldest set first.
    const olds = [...oldRSs].sort(byCreation);
    let cleaned = 0;
    for (let i = 0; i < olds.length && cleaned < maxScaledDown; i++) {
      const rs = olds[i]!;
      const unhealthy = replicasOf(rs) - (rs.status?.availableReplicas ?? 0);
      if (replicasOf(rs) === 0 || unhealthy <= 0) continue;
      const n = Math.min(maxScaledDown - cleaned, unhealthy);
      const r = this.scaleTo(rs, replicasOf(rs) - n, d);
      olds[i] = r.rs;
      cleaned += n;
    }
    // scaleDownOldReplicaSetsForRollingUpdate: as far as the available pods allow.
    const available = availableReplicas([...olds, newRS]);
    let scaledDown = 0;
    if (available > minAvailable) {
      const total = available - minAvailable;
      for (const rs of olds) {
        if (scaledDown >= total) break;
        if (replicasOf(rs) === 0) continue;
        const n = Math.min(replicasOf(rs), total - scaledDown);
        this.scaleTo(rs, replicasOf(rs) - n, d);
        scaledDown += n;
      }
    }
    return cleaned + scaledDown > 0;
  }

  /** recreate.go rolloutRecreate: old replica sets to 0, their pods gone, then the new one. */
  private rolloutRecreate(d: KObject, rss: KObject[]): void {
    let { newRS, oldRSs } = this.getAll(d, rss, false);
    let scaled = false;
    for (const rs of activeReplicaSets(oldRSs)) if (this.scaleTo(rs, 0, d).scaled) scaled = true;
    if (scaled) return;
    // oldPodsRunning: old replica sets still report pods, or pods of theirs are not finished.
    if (actualReplicas(oldRSs) > 0) return;
    const pods = this.api.list(POD, d.metadata.namespace);
    const oldPod = pods.some((p) => oldRSs.some((r) => ownedBy(p, r)) && p.status?.phase !== "Failed" && p.status?.phase !== "Succeeded");
    if (oldPod) return;
    if (!newRS) ({ newRS, oldRSs } = this.getAll(d, this.replicaSets(d), true));
    if (!newRS) return;
    this.scaleTo(newRS, replicasOf(d), d);
    if (this.complete(d, d.status ?? {})) this.cleanup(oldRSs, d);
  }

  /** DeploymentComplete: every replica updated and available, no old one left. */
  private complete(d: KObject, s: any): boolean {
    const replicas = replicasOf(d);
    return (s.updatedReplicas ?? 0) === replicas && (s.replicas ?? 0) === replicas && (s.availableReplicas ?? 0) === replicas && (s.observedGeneration ?? 0) >= (d.metadata.generation ?? 0);
  }

  /** cleanupDeployment: keeps the newest revisionHistoryLimit old replica sets that are empty. */
  private cleanup(oldRSs: KObject[], d: KObject): void {
    const limit = d.spec.revisionHistoryLimit;
    if (typeof limit !== "number") return;
    const alive = oldRSs.filter((r) => !r.metadata.deletionTimestamp).sort((a, b) => revisionOf(a) - revisionOf(b) || byCreation(a, b));
    for (const rs of alive.slice(0, Math.max(0, alive.length - limit))) {
      if ((rs.status?.replicas ?? 0) !== 0 || replicasOf(rs) !== 0 || (rs.metadata.generation ?? 0) > (rs.status?.observedGeneration ?? 0)) continue;
      this.api.delete(RS, rs.metadata.namespace, rs.metadata.name);
    }
  }

  /** calculateStatus + syncRolloutStatus: the status from the replica sets, and the revision annotation. */
  syncStatus(d: KObject): void {
    const rss = this.replicaSets(d);
    const hash = this.hash(d.spec.template);
    const newRS = rss.filter((r) => r.metadata.labels?.["pod-template-hash"] === hash).sort(byCreation)[0];
    const available = availableReplicas(rss);
    const status: any = {
      observedGeneration: d.metadata.generation,
      replicas: actualReplicas(rss),
      updatedReplicas: newRS ? actualReplicas([newRS]) : 0,
      readyReplicas: readyReplicas(rss),
      availableReplicas: available,
      unavailableReplicas: Math.max(0, specReplicas(rss) - available),
    };
    for (const k of ["readyReplicas", "availableReplicas", "unavailableReplicas", "updatedReplicas", "replicas"]) if (!status[k]) delete status[k];
    status.conditions = this.conditions(d, status, newRS);
    const revision = newRS?.metadata.annotations?.[REVISION];
    const annotate = revision !== undefined && d.metadata.annotations?.[REVISION] !== revision;
    if (annotate || JSON.stringify(status) !== JSON.stringify(d.status ?? {})) {
      const next = structuredClone(d);
      next.status = status;
      if (annotate) next.metadata.annotations = { ...(next.metadata.annotations ?? {}), [REVISION]: revision };
      this.api.update(next);
    }
  }

  /**
   * The Available and Progressing conditions (progress.go; util.SetDeploymentCondition: a changed
   * condition is removed and appended, so a finished rollout lists Available, then Progressing).
   */
  private conditions(d: KObject, status: any, newRS: KObject | undefined): any[] {
    const prev = d.status ?? {};
    const conds: any[] = structuredClone(prev.conditions ?? []);
    const now = rfc3339(this.api.clock);
    const set = (type: string, st: "True" | "False", reason: string, message: string, keepTransition = false): void => {
      const i = conds.findIndex((c) => c.type === type);
      const old = conds[i];
      if (old && old.status === st && old.reason === reason && !keepTransition) return;
      const c = { lastTransitionTime: old && old.status === st ? old.lastTransitionTime : now, lastUpdateTime: now, message, reason, status: st, type };
      if (i >= 0) conds.splice(i, 1);
      conds.push(c);
    };
    const replicas = replicasOf(d);
    const created = this.created.get(d.metadata.uid!);
    this.created.delete(d.metadata.uid!);
    // getNewReplicaSet: "Created new replica set", or "Found new replica set" when none was recorded.
    if (created) set("Progressing", "True", "NewReplicaSetCreated", `Created new replica set "${created}"`);
    else if (newRS && !conds.some((c) => c.type === "Progressing")) set("Progressing", "True", "FoundNewReplicaSet", `Found new replica set "${newRS.metadata.name}"`);
    const available = status.availableReplicas ?? 0;
    if (available >= replicas - maxUnavailable(d)) set("Available", "True", "MinimumReplicasAvailable", "Deployment has minimum availability.");
    else set("Available", "False", "MinimumReplicasUnavailable", "Deployment does not have minimum availability.");
    const current = conds.find((c) => c.type === "Progressing");
    const done = (status.replicas ?? 0) === (status.updatedReplicas ?? 0) && current?.reason === "NewReplicaSetAvailable";
    if (done || !newRS) return conds;
    const oldOld = (prev.replicas ?? 0) - (prev.updatedReplicas ?? 0);
    const newOld = (status.replicas ?? 0) - (status.updatedReplicas ?? 0);
    const moved = (status.updatedReplicas ?? 0) > (prev.updatedReplicas ?? 0) || newOld < oldOld || (status.readyReplicas ?? 0) > (prev.readyReplicas ?? 0) || available > (prev.availableReplicas ?? 0);
    if (this.complete(d, status)) set("Progressing", "True", "NewReplicaSetAvailable", `ReplicaSet "${newRS.metadata.name}" has successfully progressed.`);
    else if (moved) set("Progressing", "True", "ReplicaSetUpdated", `ReplicaSet "${newRS.metadata.name}" is progressing.`, true);
    else if (this.timedOut(d, conds)) set("Progressing", "False", "ProgressDeadlineExceeded", `ReplicaSet "${newRS.metadata.name}" has timed out progressing.`);
    this.requeueStuck(d, status, conds);
    return conds;
  }

  /** DeploymentTimedOut: no progress recorded for longer than progressDeadlineSeconds. */
  private timedOut(d: KObject, conds: any[]): boolean {
    const deadline = d.spec.progressDeadlineSeconds;
    const c = conds.find((x) => x.type === "Progressing");
    if (typeof deadline !== "number" || !c || c.reason === "NewReplicaSetAvailable") return false;
    if (c.reason === "ProgressDeadlineExceeded") return true;
    return Date.parse(c.lastUpdateTime) + deadline * 1000 < this.api.clock.epochMs + this.api.clock.now();
  }

  /** requeueStuckDeployment: look again a second after the deadline of a rollout that is not done. */
  private requeueStuck(d: KObject, status: any, conds: any[]): void {
    const deadline = d.spec.progressDeadlineSeconds;
    const c = conds.find((x) => x.type === "Progressing");
    if (typeof deadline !== "number" || !c || c.reason === "ProgressDeadlineExceeded" || this.complete(d, status)) return;
    this.requeueAt(Date.parse(c.lastUpdateTime) + deadline * 1000 + 1000);
  }
}
