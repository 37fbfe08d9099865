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
import { humanDuration } from "./age.js";
import { formatLabels } from "./printers.js";
import { resourceArgs } from "./get.js";
import { tabwrite } from "./table.js";

const DAYS = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
const p2 = (n: number) => String(n).padStart(2, "0");

/** time.RFC1123Z in UTC: `Thu, 01 Jan 2026 00:00:05 +0000`. */
export function rfc1123z(iso: string): string {
  const d = new Date(iso);
  return `${DAYS[d.getUTCDay()]}, ${p2(d.getUTCDate())} ${MONTHS[d.getUTCMonth()]} ${d.getUTCFullYear()} ${p2(d.getUTCHours())}:${p2(d.getUTCMinutes())}:${p2(d.getUTCSeconds())} +0000`;
}

/** When an event last happened: series, lastTimestamp, else eventTime (describe.go eventTime). */
function eventTime(e: KObject): number {
  return Date.parse(e.series?.lastObservedTime ?? e.lastTimestamp ?? e.eventTime ?? 0);
}

/** The AGE cell: "5s", or "3s (x4 over 40s)" for a repeated event. */
function eventInterval(e: KObject, nowMs: number): string {
  const since = (t: string | null | undefined) => (t ? humanDuration(nowMs - Date.parse(t)) : "<unknown>");
  const first = e.eventTime ? since(e.eventTime) : since(e.firstTimestamp);
  if (e.series) return `${since(e.series.lastObservedTime)} (x${e.series.count} over ${first})`;
  if ((e.count ?? 0) > 1) return `${since(e.lastTimestamp)} (x${e.count} over ${first})`;
  return first;
}

/** Ends a description with its Events: `<none>` in the same table, or a table of their own. */
function withEvents(w: W, events: KObject[], nowMs: number): string {
  if (!events.length) {
    w.write(0, "Events:\t<none>\n");
    return tabwrite(w.text, { minwidth: 0, padding: 2 });
  }
  const head = tabwrite(w.text, { minwidth: 0, padding: 2 });
  const ev = new W();
  ev.write(0, "Events:\n  Type\tReason\tAge\tFrom\tMessage\n");
  ev.write(1, "----\t------\t----\t----\t-------\n");
  const sorted = events.map((e, i) => ({ e, i })).sort((a, b) => eventTime(a.e) - eventTime(b.e) || a.i - b.i).map((x) => x.e);
  for (const e of sorted) {
    const source = e.source?.component || e.reportingComponent || "";
    ev.write(1, `${e.type}\t${e.reason}\t${eventInterval(e, nowMs)}\t${source}\t${String(e.message ?? "").trim()}\n`);
  }
  return head + tabwrite(ev.text, { minwidth: 0, padding: 2 });
}

class W {
  text = "";
  write(level: number, s: string): void {
    this.text += "  ".repeat(level) + s;
  }
}

/** printLabelsMultiline: `Title:\tk=v`, then `\tk=v` lines, sorted; `<none>` when empty. */
function multiline(w: W, title: string, m: Record<string, string> | undefined): void {
  const keys = Object.keys(m ?? {}).sort();
  if (!keys.length) return w.write(0, `${title}:\t<none>\n`);
  keys.forEach((k, i) => w.write(0, i === 0 ? `${title}:\t${k}=${m![k]}\n` : `\t${k}=${m![k]}\n`));
}

const MAX_ANNOTATION = 200;

/**
 * printAnnotationsMultiline: `key: value` (not `=`), sorted, the last-applied annotation skipped; a
 * value with newlines or longer than 200 characters goes on indented lines of its own, shortened.
 */
function annotations(w: W, title: string, m: Record<string, string> | undefined): void {
  const keys = Object.keys(m ?? {}).filter((k) => k !== "kubectl.kubernetes.io/last-applied-configuration").sort();
  w.write(0, `${title}:\t`);
  if (!keys.length) return w.write(0, "<none>\n");
  keys.forEach((k, i) => {
    if (i !== 0) w.write(0, "\t");
    const value = m![k]!.replace(/\n$/, "");
    if (value.length + k.length + 2 > MAX_ANNOTATION || value.includes("\n")) {
      w.write(0, `${k}:\n`);
      for (const line of value.split("\n")) w.write(0, `\t  ${line.length > MAX_ANNOTATION - 2 ? line.slice(0, MAX_ANNOTATION - 2) + "..." : line}\n`);
    } else w.write(0, `${k}: ${value}\n`);
  });
}

/** describeStatus: a container state (Running, Waiting, Terminated) under `name`. */
function containerState(w: W, name: string, st: any): void {
  if (st?.running) {
    w.write(2, `${name}:\tRunning\n`);
    w.write(3, `Started:\t${rfc1123z(st.running.startedAt)}\n`);
  } else if (st?.terminated) {
    const t = st.terminated;
    w.write(2, `${name}:\tTerminated\n`);
    if (t.reason) w.write(3, `Reason:\t${t.reason}\n`);
    if (t.message) w.write(3, `Message:\t${t.message}\n`);
    w.write(3, `Exit Code:\t${t.exitCode}\n`);
    if (t.startedAt) w.write(3, `Started:\t${rfc1123z(t.startedAt)}\n`);
    if (t.finishedAt) w.write(3, `Finished:\t${rfc1123z(t.finishedAt)}\n`);
  } else {
    w.write(2, `${name}:\tWaiting\n`);
    if (st?.waiting?.reason) w.write(3, `Reason:\t${st.waiting.reason}\n`);
  }
}

/** describeContainers: `label:` then each container; `space` indents a pod template's ("  "). */
function containers(w: W, label: string, list: any[], statusList: any[], space: string): void {
  w.write(0, `${space}${label}:${list.length ? "" : " <none>"}\n`);
  const statuses = new Map<string, any>(statusList.map((s: any) => [s.name, s]));
  for (const c of list) {
    const st = statuses.get(c.name);
    w.write(1, `${space ? " " : ""}${c.name}:\n`);
    if (st) w.write(2, `Container ID:\t${st.containerID ?? ""}\n`);
    w.write(2, `Image:\t${c.image}\n`);
    if (st) w.write(2, `Image ID:\t${st.imageID ?? ""}\n`);
    const ports = (c.ports ?? []).map((p: any) => `${p.containerPort}/${p.protocol}`).join(", ");
    const hostPorts = (c.ports ?? []).map((p: any) => `${p.hostPort ?? 0}/${p.protocol}`).join(", ");
    w.write(2, ports.includes(",") ? `Ports:\t${ports}\n` : `Port:\t${ports || "<none>"}\n`);
    w.write(2, hostPorts.includes(",") ? `Host Ports:\t${hostPorts}\n` : `Host Port:\t${hostPorts || "<none>"}\n`);
    if (c.command?.length) {
      w.write(2, "Command:\n");
      for (const x of c.command) for (const s of String(x).split("\n")) w.write(3, `${s}\n`);
    }
    if (c.args?.length) {
      w.write(2, "Args:\n");
      for (const x of c.args) for (const s of String(x).split("\n")) w.write(3, `${s}\n`);
    }
    if (st) {
      containerState(w, "State", st.state);
      if (st.lastState?.terminated) containerState(w, "Last State", st.lastState);
      w.write(2, `Ready:\t${st.ready ? "True" : "False"}\n`);
      w.write(2, `Restart Count:\t${st.restartCount ?? 0}\n`);
    }
    if (!c.env?.length) w.write(2, "Environment:\t<none>\n");
    else {
      w.write(2, "Environment:\n");
      for (const e of c.env) String(e.value ?? "").split("\n").forEach((v, i) => w.write(3, i === 0 ? `${e.name}:\t${v}\n` : `\t${v}\n`));
    }
    w.write(2, "Mounts:\t<none>\n");
  }
}

function describePod(pod: KObject, events: KObject[], nowMs: number): string {
  const w = new W();
  w.write(0, `Name:\t${pod.metadata.name}\n`);
  w.write(0, `Namespace:\t${pod.metadata.namespace}\n`);
  w.write(0, `Priority:\t0\n`);
  w.write(0, `Service Account:\t${pod.spec.serviceAccountName ?? "default"}\n`);
  w.write(0, pod.spec.nodeName ? `Node:\t${pod.spec.nodeName}/${pod.status?.hostIP ?? ""}\n` : "Node:\t<none>\n");
  if (pod.status?.startTime) w.write(0, `Start Time:\t${rfc1123z(pod.status.startTime)}\n`);
  multiline(w, "Labels", pod.metadata.labels);
  annotations(w, "Annotations", pod.metadata.annotations);
  w.write(0, `Status:\t${pod.metadata.deletionTimestamp ? "Terminating" : pod.status?.phase ?? "Pending"}\n`);
  w.write(0, `IP:\t${pod.status?.podIP ?? ""}\n`);
  if (pod.status?.podIPs?.length) {
    w.write(0, "IPs:\n");
    for (const ip of pod.status.podIPs) w.write(1, `IP:\t${ip.ip}\n`);
  } else w.write(0, "IPs:\t<none>\n");
  const owner = pod.metadata.ownerReferences?.find((o) => o.controller);
  if (owner) w.write(0, `Controlled By:\t${owner.kind}/${owner.name}\n`);
  containers(w, "Containers", pod.spec.containers, pod.status?.containerStatuses ?? [], "");
  if (pod.status?.conditions?.length) {
    w.write(0, "Conditions:\n  Type\tStatus\n");
    for (const c of pod.status.conditions) w.write(1, `${c.type} \t${c.status} \n`);
  }
  w.write(0, "Volumes:\t<none>\n");
  w.write(0, `QoS Class:\t${pod.status?.qosClass ?? "BestEffort"}\n`);
  multiline(w, "Node-Selectors", pod.spec.nodeSelector);
  w.write(0, "Tolerations:\tnode.kubernetes.io/not-ready:NoExecute op=Exists for 300s\n");
  w.write(0, "\tnode.kubernetes.io/unreachable:NoExecute op=Exists for 300s\n");
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
  w.write(0, `Selector:\t${formatLabels(svc.spec.selector, "")}\n`);
  w.write(0, `Type:\t${svc.spec.type}\n`);
  if (svc.spec.ipFamilyPolicy) w.write(0, `IP Family Policy:\t${svc.spec.ipFamilyPolicy}\n`);
  w.write(0, `IP Families:\t${(svc.spec.ipFamilies ?? []).join(",") || "<none>"}\n`);
  w.write(0, `IP:\t${svc.spec.clusterIP ?? ""}\n`);
  w.write(0, `IPs:\t${(svc.spec.clusterIPs ?? []).join(",") || "<none>"}\n`);
  for (const sp of svc.spec.ports ?? []) {
    const name = sp.name || "<unset>";
    w.write(0, `Port:\t${name}\t${sp.port}/${sp.protocol}\n`);
    w.write(0, `TargetPort:\t${sp.targetPort}/${sp.protocol}\n`);
    if (sp.nodePort) w.write(0, `NodePort:\t${name}\t${sp.nodePort}/${sp.protocol}\n`);
    w.write(0, `Endpoints:\t${endpointsFor(ep, sp.name)}\n`);
  }
  w.write(0, `Session Affinity:\t${svc.spec.sessionAffinity}\n`);
  if (svc.spec.externalTrafficPolicy) w.write(0, `External Traffic Policy:\t${svc.spec.externalTrafficPolicy}\n`);
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
      blocks.push(render(req.kind, o, cluster.get(epKind, o.metadata.namespace, o.metadata.name), events, cluster.nowMs()));
    }
  }
  p.out(blocks.join("\n\n"));
  if (!blocks.length && !rc) p.err(`No resources found in ${ns} namespace.\n`);
  return rc;
}

function render(k: KindInfo, o: KObject, ep: KObject | undefined, events: KObject[], nowMs: number): string {
  if (k.kind === "Pod") return describePod(o, events, nowMs);
  if (k.kind === "Service") return describeService(o, ep, events, nowMs);
  return describeGeneric(o, events, nowMs);
}
