/**
 * `kubectl describe deployment|replicaset` (describe.go describeDeployment, describeReplicaSet):
 *
 *   Replicas:  1 desired | 1 updated | 1 total | 1 available | 0 unavailable     (deployment)
 *   Replicas:  1 current / 1 desired  +  Pods Status: 1 Running / 0 Waiting / …  (replica set)
 *   Pod Template, Conditions (Type Status Reason), OldReplicaSets / NewReplicaSet, Events.
 *
 * The new replica set is the one whose template equals the deployment's but for the
 * pod-template-hash label (deploymentutil.FindNewReplicaSet); every other owned one is old.
 */
import type { KObject, KubeClusterApi } from "../../k8s/api.js";
import { annotations, multiline, podTemplate, rfc1123z, W, withEvents } from "./describe-writer.js";

const owned = (o: KObject, owner: KObject) => o.metadata.ownerReferences?.some((r) => r.uid === owner.metadata.uid && r.controller) ?? false;

/** labels.Selector's String of a LabelSelector: sorted `k=v`, then expressions. */
function selectorText(sel: any): string {
  const parts = Object.keys(sel?.matchLabels ?? {}).sort().map((k) => `${k}=${sel.matchLabels[k]}`);
  for (const e of sel?.matchExpressions ?? []) {
    if (e.operator === "In") parts.push(`${e.key} in (${[...(e.values ?? [])].sort().join(",")})`);
    else if (e.operator === "NotIn") parts.push(`${e.key} notin (${[...(e.values ?? [])].sort().join(",")})`);
    else if (e.operator === "Exists") parts.push(e.key);
    else if (e.operator === "DoesNotExist") parts.push(`!${e.key}`);
  }
  return parts.join(",");
}

function conditions(w: W, list: any[] | undefined): void {
  if (!list?.length) return;
  w.write(0, "Conditions:\n  Type\tStatus\tReason\n");
  w.write(1, "----\t------\t------\n");
  for (const c of list) w.write(1, `${c.type} \t${c.status}\t${c.reason ?? ""}\n`);
}

const withoutHash = (t: any) => {
  const c = structuredClone(t ?? {});
  if (c.metadata?.labels) delete c.metadata.labels["pod-template-hash"];
  return JSON.stringify(c);
};

const rsList = (list: KObject[]) => (list.length ? list.map((r) => `${r.metadata.name} (${r.status?.replicas ?? 0}/${r.spec.replicas} replicas created)`).join(", ") : "<none>");

/** describeDeployment. */
export function describeDeployment(cluster: KubeClusterApi, d: KObject, events: KObject[], nowMs: number): string {
  const rsKind = cluster.discovery().find((k) => k.kind === "ReplicaSet")!;
  const rss = cluster.list(rsKind, d.metadata.namespace).filter((r) => owned(r, d));
  const tmpl = withoutHash(d.spec.template);
  const newRS = rss.filter((r) => withoutHash(r.spec.template) === tmpl).sort((a, b) => (a.metadata.creationTimestamp! < b.metadata.creationTimestamp! ? -1 : 1))[0];
  const oldRSs = rss.filter((r) => r !== newRS);
  const st = d.status ?? {};
  const w = new W();
  w.write(0, `Name:\t${d.metadata.name}\n`);
  w.write(0, `Namespace:\t${d.metadata.namespace}\n`);
  w.write(0, `CreationTimestamp:\t${rfc1123z(d.metadata.creationTimestamp!)}\n`);
  multiline(w, "Labels", d.metadata.labels);
  annotations(w, "Annotations", d.metadata.annotations);
  w.write(0, `Selector:\t${selectorText(d.spec.selector)}\n`);
  w.write(0, `Replicas:\t${d.spec.replicas} desired | ${st.updatedReplicas ?? 0} updated | ${st.replicas ?? 0} total | ${st.availableReplicas ?? 0} available | ${st.unavailableReplicas ?? 0} unavailable\n`);
  w.write(0, `StrategyType:\t${d.spec.strategy?.type ?? ""}\n`);
  w.write(0, `MinReadySeconds:\t${d.spec.minReadySeconds ?? 0}\n`);
  const ru = d.spec.strategy?.rollingUpdate;
  if (ru) w.write(0, `RollingUpdateStrategy:\t${ru.maxUnavailable} max unavailable, ${ru.maxSurge} max surge\n`);
  podTemplate(w, d.spec.template);
  conditions(w, st.conditions);
  if (rss.length) {
    w.write(0, `OldReplicaSets:\t${rsList(oldRSs)}\n`);
    w.write(0, `NewReplicaSet:\t${rsList(newRS ? [newRS] : [])}\n`);
  }
  return withEvents(w, events, nowMs);
}

/** describeReplicaSet, with its pods counted by phase (getPodStatusForController). */
export function describeReplicaSet(cluster: KubeClusterApi, rs: KObject, events: KObject[], nowMs: number): string {
  const podKind = cluster.discovery().find((k) => k.kind === "Pod")!;
  const pods = cluster.list(podKind, rs.metadata.namespace).filter((p) => owned(p, rs));
  const count = (phase: string) => pods.filter((p) => (p.status?.phase ?? "Pending") === phase).length;
  const w = new W();
  w.write(0, `Name:\t${rs.metadata.name}\n`);
  w.write(0, `Namespace:\t${rs.metadata.namespace}\n`);
  w.write(0, `Selector:\t${selectorText(rs.spec.selector)}\n`);
  multiline(w, "Labels", rs.metadata.labels);
  annotations(w, "Annotations", rs.metadata.annotations);
  const owner = rs.metadata.ownerReferences?.find((o) => o.controller);
  if (owner) w.write(0, `Controlled By:\t${owner.kind}/${owner.name}\n`);
  w.write(0, `Replicas:\t${rs.status?.replicas ?? 0} current / ${rs.spec.replicas} desired\n`);
  w.write(0, `Pods Status:\t${count("Running")} Running / ${count("Pending")} Waiting / ${count("Succeeded")} Succeeded / ${count("Failed")} Failed\n`);
  podTemplate(w, rs.spec.template);
  conditions(w, rs.status?.conditions);
  return withEvents(w, events, nowMs);
}
