/**
 * `kubectl describe pod|service|…`, written line by line as kubectl/pkg/describe/describe.go
 * (describePod, describeContainers, describeService, printLabelsMultiline) writes them, through
 * the same tabwriter (minwidth 0, padding 2), so alignment breaks where real output breaks it.
 * Events (DescribeEvents): the object's core/v1 Events by involvedObject uid, sorted by their last
 * time (stable for equal times), in a table of their own: the writer is flushed before
 * "Events:" so that table's columns do not align with the fields above it.
 * Known divergence: pods carry no kube-api-access projected volume.
 */
import type { KindInfo, KObject, KubeClusterApi } from "../../k8s/api.js";
import type { Proc } from "../types.js";
import { apiErrorText, plainError } from "./errors.js";
import type { ParsedFlags } from "./flags.js";
import { formatLabels } from "./printers.js";
import { age } from "./age.js";
import { resourceArgs } from "./get.js";
import { annotations, containers, multiline, rfc1123z, tolerations, W, withEvents } from "./describe-writer.js";
import { describeDeployment, describeReplicaSet } from "./describe-workloads.js";

function describePod(pod: KObject, events: KObject[], nowMs: number): string {
  const w = new W();
  w.write(0, `Name:\t${pod.metadata.name}\n`);
  w.write(0, `Namespace:\t${pod.metadata.namespace}\n`);
  if (pod.spec.priority !== undefined) w.write(0, `Priority:\t${pod.spec.priority}\n`);
  if (pod.spec.priorityClassName) w.write(0, `Priority Class Name:\t${pod.spec.priorityClassName}\n`);
  w.write(0, `Service Account:\t${pod.spec.serviceAccountName ?? "default"}\n`);
  w.write(0, pod.spec.nodeName ? `Node:\t${pod.spec.nodeName}/${pod.status?.hostIP ?? ""}\n` : "Node:\t<none>\n");
  if (pod.status?.startTime) w.write(0, `Start Time:\t${rfc1123z(pod.status.startTime)}\n`);
  multiline(w, "Labels", pod.metadata.labels);
  annotations(w, "Annotations", pod.metadata.annotations);
  const phase = pod.status?.phase ?? "Pending";
  // translateTimestampSince of a deletionTimestamp still ahead: "<invalid>" (HumanDuration < -1 s).
  if (pod.metadata.deletionTimestamp && phase !== "Failed" && phase !== "Succeeded") {
    w.write(0, `Status:\tTerminating (lasts ${age(pod.metadata.deletionTimestamp, nowMs)})\n`);
    w.write(0, `Termination Grace Period:\t${pod.metadata.deletionGracePeriodSeconds ?? 0}s\n`);
  } else w.write(0, `Status:\t${phase}\n`);
  w.write(0, `IP:\t${pod.status?.podIP ?? ""}\n`);
  if (pod.status?.podIPs?.length) {
    w.write(0, "IPs:\n");
    for (const ip of pod.status.podIPs) w.write(1, `IP:\t${ip.ip}\n`);
  } else w.write(0, "IPs:\t<none>\n");
  const owner = pod.metadata.ownerReferences?.find((o) => o.controller);
  if (owner) w.write(0, `Controlled By:\t${owner.kind}/${owner.name}\n`);
  if (pod.spec.initContainers?.length) containers(w, "Init Containers", pod.spec.initContainers, pod.status?.initContainerStatuses ?? [], "");
  containers(w, "Containers", pod.spec.containers, pod.status?.containerStatuses ?? [], "");
  if (pod.status?.conditions?.length) {
    w.write(0, "Conditions:\n  Type\tStatus\n");
    for (const c of pod.status.conditions) w.write(1, `${c.type} \t${c.status} \n`);
  }
  w.write(0, "Volumes:\t<none>\n");
  w.write(0, `QoS Class:\t${pod.status?.qosClass ?? "BestEffort"}\n`);
  multiline(w, "Node-Selectors", pod.spec.nodeSelector);
  tolerations(w, "Tolerations", pod.spec.tolerations);
  return withEvents(w, events, nowMs);
}

function endpointsFor(ep: KObject | undefined, portName: string | undefined): string {
  const list: string[] = [];
  for (const ss of ep?.subsets ?? []) {
    for (const port of ss.ports ?? []) {
      if ((port.name ?? "") !== (portName ?? "")) continue;
      for (const a of ss.addresses ?? []) list.push(`${a.ip}:${port.port}`);
    }
  }
  if (!list.length) return "<none>";
  return list.slice(0, 3).join(",") + (list.length > 3 ? ` + ${list.length - 3} more...` : "");
}

function describeService(svc: KObject, ep: KObject | undefined, events: KObject[], nowMs: number): string {
  const w = new W();
  w.write(0, `Name:\t${svc.metadata.name}\n`);
  w.write(0, `Namespace:\t${svc.metadata.namespace}\n`);
  multiline(w, "Labels", svc.metadata.labels);
  annotations(w, "Annotations", svc.metadata.annotations);
  w.write(0, `Selector:\t${formatLabels(svc.spec.selector)}\n`);
  w.write(0, `Type:\t${svc.spec.type}\n`);
  if (svc.spec.ipFamilyPolicy) w.write(0, `IP Family Policy:\t${svc.spec.ipFamilyPolicy}\n`);
  w.write(0, `IP Families:\t${(svc.spec.ipFamilies ?? []).join(",") || "<none>"}\n`);
  w.write(0, `IP:\t${svc.spec.clusterIP ?? ""}\n`);
  w.write(0, `IPs:\t${(svc.spec.clusterIPs ?? []).join(",") || "<none>"}\n`);
  if (svc.spec.externalIPs?.length) w.write(0, `External IPs:\t${svc.spec.externalIPs.join(",")}\n`);
  if (svc.spec.externalName) w.write(0, `External Name:\t${svc.spec.externalName}\n`);
  const lb = (svc.status?.loadBalancer?.ingress ?? []).map((i: any) => i.ip || i.hostname);
  if (lb.length) w.write(0, `LoadBalancer Ingress:\t${lb.join(", ")}\n`);
  for (const sp of svc.spec.ports ?? []) {
    const name = sp.name || "<unset>";
    w.write(0, `Port:\t${name}\t${sp.port}/${sp.protocol}\n`);
    w.write(0, `TargetPort:\t${sp.targetPort}/${sp.protocol}\n`);
    if (sp.nodePort) w.write(0, `NodePort:\t${name}\t${sp.nodePort}/${sp.protocol}\n`);
    w.write(0, `Endpoints:\t${endpointsFor(ep, sp.name)}\n`);
  }
  w.write(0, `Session Affinity:\t${svc.spec.sessionAffinity}\n`);
  if (svc.spec.externalTrafficPolicy) w.write(0, `External Traffic Policy:\t${svc.spec.externalTrafficPolicy}\n`);
  if (svc.spec.healthCheckNodePort) w.write(0, `HealthCheck NodePort:\t${svc.spec.healthCheckNodePort}\n`);
  return withEvents(w, events, nowMs);
}

function describeGeneric(o: KObject, events: KObject[], nowMs: number): string {
  const w = new W();
  w.write(0, `Name:\t${o.metadata.name}\n`);
  if (o.metadata.namespace) w.write(0, `Namespace:\t${o.metadata.namespace}\n`);
  multiline(w, "Labels", o.metadata.labels);
  annotations(w, "Annotations", o.metadata.annotations);
  return withEvents(w, events, nowMs);
}

/** `kubectl describe TYPE [NAME…]`. */
export function describe(p: Proc, cluster: KubeClusterApi, f: ParsedFlags, ns: string): number {
  if (!f.args.length) {
    p.err(plainError(`You must specify the type of resource to describe. Use "kubectl api-resources" for a complete list of supported resources.`));
    return 1;
  }
  const r = resourceArgs(cluster, f.args);
  if (!r.ok) {
    p.err(plainError(r.error));
    return 1;
  }
  const blocks: string[] = [];
  let rc = 0;
  const epKind = cluster.discovery().find((k) => k.kind === "Endpoints")!;
  const evKind = cluster.discovery().find((k) => k.kind === "Event" && k.group === "");
  for (const req of r.reqs) {
    const nsArg = req.kind.namespaced ? ns : undefined;
    const objs = req.names.length ? req.names.map((n) => ({ n, o: cluster.get(req.kind, nsArg ?? ns, n) })) : cluster.list(req.kind, nsArg).map((o) => ({ n: o.metadata.name, o }));
    for (const { n, o } of objs) {
      if (!o) {
        p.err(apiErrorText({ code: 404, reason: "NotFound", message: `${req.kind.group ? `${req.kind.resource}.${req.kind.group}` : req.kind.resource} "${n}" not found` }));
        rc = 1;
        continue;
      }
      const events = evKind ? cluster.list(evKind, o.metadata.namespace ?? "default").filter((e) => e.involvedObject?.uid === o.metadata.uid) : [];
      blocks.push(render(cluster, req.kind, o, cluster.get(epKind, o.metadata.namespace, o.metadata.name), events, cluster.nowMs()));
    }
  }
  p.out(blocks.join("\n\n"));
  if (!blocks.length && !rc) p.err(`No resources found in ${ns} namespace.\n`);
  return rc;
}

function render(cluster: KubeClusterApi, k: KindInfo, o: KObject, ep: KObject | undefined, events: KObject[], nowMs: number): string {
  if (k.kind === "Pod") return describePod(o, events, nowMs);
  if (k.kind === "Deployment") return describeDeployment(cluster, o, events, nowMs);
  if (k.kind === "ReplicaSet") return describeReplicaSet(cluster, o, events, nowMs);
  if (k.kind === "Service") return describeService(o, ep, events, nowMs);
  return describeGeneric(o, events, nowMs);
}
