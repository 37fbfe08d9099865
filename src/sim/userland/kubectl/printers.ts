/**
 * Table columns of `kubectl get`, per kind, from the server-side printers
 * (k8s.io/kubernetes pkg/printers/internalversion/printers.go, 1.2x): column names, `-o wide`
 * (priority 1) columns, and how each cell is computed.
 */
import type { KObject } from "../../k8s/api.js";
import { age } from "./age.js";

/** Header and cells of one kind; `wide` adds the priority-1 columns. */
export interface Printer {
  header: string[];
  wideHeader: string[];
  row(o: KObject, nowMs: number): string[];
  wideRow(o: KObject, nowMs: number): string[];
  /** `-o wide` columns that are not the normal ones plus extras (events interleave theirs). */
  wide?: { header: string[]; row(o: KObject, nowMs: number): string[] };
}

/** printEvent's time cells: LAST SEEN, FIRST SEEN and COUNT (eventTime/series fallbacks). */
function eventTimes(e: KObject, now: number): { last: string; first: string; count: number } {
  const since = (t: string | null | undefined) => (t ? age(t, now) : "<unknown>");
  const first = e.firstTimestamp ? since(e.firstTimestamp) : since(e.eventTime);
  let last = e.lastTimestamp ? since(e.lastTimestamp) : first;
  let count = e.count ?? 0;
  if (e.series) {
    last = since(e.series.lastObservedTime);
    count = e.series.count;
  } else if (count === 0) count = 1;
  return { last, first, count };
}

/** formatEventSource: component (or reporting controller), ", host" (or instance) when set. */
function eventSource(e: KObject): string {
  const component = e.source?.component || e.reportingComponent || "";
  const instance = e.source?.host || e.reportingInstance || "";
  return instance ? `${component}, ${instance}` : component;
}

const eventTarget = (e: KObject) => (e.involvedObject?.name ? `${String(e.involvedObject.kind).toLowerCase()}/${e.involvedObject.name}` : String(e.involvedObject?.kind ?? "").toLowerCase());

/** labels.FormatLabels / selector String: sorted `k=v` joined by commas, `<none>` when empty. */
export function formatLabels(m: Record<string, string> | undefined, none = "<none>"): string {
  const keys = Object.keys(m ?? {}).sort();
  return keys.length ? keys.map((k) => `${k}=${m![k]}`).join(",") : none;
}

function selectorString(sel: any): string {
  if (!sel) return "<none>";
  const parts = Object.keys(sel.matchLabels ?? {}).sort().map((k) => `${k}=${sel.matchLabels[k]}`);
  for (const e of sel.matchExpressions ?? []) {
    if (e.operator === "In") parts.push(`${e.key} in (${(e.values ?? []).join(",")})`);
    else if (e.operator === "NotIn") parts.push(`${e.key} notin (${(e.values ?? []).join(",")})`);
    else if (e.operator === "Exists") parts.push(e.key);
    else if (e.operator === "DoesNotExist") parts.push(`!${e.key}`);
  }
  return parts.length ? parts.join(",") : "<none>";
}

/** A container status's reason cell: waiting reason, terminated reason, else Signal:N / ExitCode:N. */
function stateReason(st: any): string | undefined {
  if (st?.waiting?.reason) return st.waiting.reason;
  const t = st?.terminated;
  if (!t) return undefined;
  return t.reason || (t.signal ? `Signal:${t.signal}` : `ExitCode:${t.exitCode}`);
}

/**
 * READY, STATUS and RESTARTS of a pod, as printPod computes them (1.28): the first init container
 * not completed gives `Init:N/M` (running or waiting to start), `Init:<reason>` (failed, or
 * waiting with a reason other than PodInitializing); once initialized, the main containers'
 * reasons, read from the last one back. RESTARTS counts the init containers up to the current
 * one while initializing, the main containers after, with `(X ago)` since the last termination.
 */
export function podStatus(p: KObject, nowMs: number): { ready: string; status: string; restarts: string } {
  const s = p.status ?? {};
  let reason: string = s.reason || s.phase || "Pending";
  let ready = 0;
  let restarts = 0;
  let lastRestart = "";
  const count = (cs: any) => {
    restarts += cs.restartCount ?? 0;
    const at = cs.lastState?.terminated?.finishedAt;
    if (at && (!lastRestart || Date.parse(at) > Date.parse(lastRestart))) lastRestart = at;
  };
  let initializing = false;
  const inits: any[] = s.initContainerStatuses ?? [];
  for (let i = 0; i < inits.length; i++) {
    const cs = inits[i];
    count(cs);
    if (cs.state?.terminated?.exitCode === 0) continue;
    initializing = true;
    const waiting = cs.state?.waiting?.reason;
    if (cs.state?.terminated) reason = `Init:${stateReason(cs.state)}`;
    else if (waiting && waiting !== "PodInitializing") reason = `Init:${waiting}`;
    else reason = `Init:${i}/${(p.spec.initContainers ?? []).length}`;
    break;
  }
  const initialized = (s.conditions ?? []).some((c: any) => c.type === "Initialized" && c.status === "True");
  if (!initializing || initialized) {
    restarts = 0;
    lastRestart = "";
    let hasRunning = false;
    const statuses: any[] = s.containerStatuses ?? [];
    for (const cs of [...statuses].reverse()) {
      count(cs);
      const r = stateReason(cs.state);
      if (r) reason = r;
      else if (cs.ready && cs.state?.running) {
        hasRunning = true;
        ready++;
      }
    }
    if (reason === "Completed" && hasRunning) reason = (s.conditions ?? []).some((c: any) => c.type === "Ready" && c.status === "True") ? "Running" : "NotReady";
  }
  // A deleted pod on a lost node is "Unknown" (node.NodeUnreachablePodReason), else Terminating.
  if (p.metadata.deletionTimestamp) reason = s.reason === "NodeLost" ? "Unknown" : "Terminating";
  const restartsCell = restarts !== 0 && lastRestart ? `${restarts} (${age(lastRestart, nowMs)} ago)` : String(restarts);
  return { ready: `${ready}/${p.spec.containers.length}`, status: reason, restarts: restartsCell };
}

function servicePorts(s: KObject): string {
  const ports: any[] = s.spec.ports ?? [];
  if (!ports.length) return "<none>";
  return ports.map((p) => (p.nodePort ? `${p.port}:${p.nodePort}/${p.protocol}` : `${p.port}/${p.protocol}`)).join(",");
}

function formatEndpoints(e: KObject): string {
  const list: string[] = [];
  let count = 0;
  for (const ss of e.subsets ?? []) {
    for (const port of ss.ports?.length ? ss.ports : [undefined]) {
      for (const a of ss.addresses ?? []) {
        count++;
        if (list.length < 3) list.push(port ? `${a.ip}:${port.port}` : a.ip);
      }
    }
  }
  if (!list.length) return "<none>";
  const more = count - list.length;
  return list.join(",") + (more > 0 ? ` + ${more} more...` : "");
}

const containersOf = (tmpl: any) => (tmpl?.spec?.containers ?? []) as any[];

const PRINTERS: Record<string, Printer> = {
  // pkg/printers/internalversion/printers.go printEvent.
  Event: {
    header: ["LAST SEEN", "TYPE", "REASON", "OBJECT", "MESSAGE"],
    wideHeader: [],
    row: (e, now) => [eventTimes(e, now).last, e.type ?? "", e.reason ?? "", eventTarget(e), String(e.message ?? "").trim()],
    wideRow: () => [],
    wide: {
      header: ["LAST SEEN", "TYPE", "REASON", "OBJECT", "SUBOBJECT", "SOURCE", "MESSAGE", "FIRST SEEN", "COUNT", "NAME"],
      row: (e, now) => {
        const t = eventTimes(e, now);
        return [t.last, e.type ?? "", e.reason ?? "", eventTarget(e), e.involvedObject?.fieldPath ?? "", eventSource(e), String(e.message ?? "").trim(), t.first, String(t.count), e.metadata.name];
      },
    },
  },
  Pod: {
    header: ["NAME", "READY", "STATUS", "RESTARTS", "AGE"],
    wideHeader: ["IP", "NODE", "NOMINATED NODE", "READINESS GATES"],
    row(p, now) {
      const s = podStatus(p, now);
      return [p.metadata.name, s.ready, s.status, s.restarts, age(p.metadata.creationTimestamp, now)];
    },
    wideRow: (p) => [p.status?.podIP ?? "<none>", p.spec.nodeName ?? "<none>", "<none>", "<none>"],
  },
  Service: {
    header: ["NAME", "TYPE", "CLUSTER-IP", "EXTERNAL-IP", "PORT(S)", "AGE"],
    wideHeader: ["SELECTOR"],
    row: (s, now) => [
      s.metadata.name,
      s.spec.type,
      s.spec.clusterIPs?.[0] ?? s.spec.clusterIP ?? "<none>",
      s.spec.type === "ExternalName" ? s.spec.externalName : s.spec.externalIPs?.length ? s.spec.externalIPs.join(",") : s.spec.type === "LoadBalancer" ? "<pending>" : "<none>",
      servicePorts(s),
      age(s.metadata.creationTimestamp, now),
    ],
    wideRow: (s) => [formatLabels(s.spec.selector)],
  },
  Endpoints: {
    header: ["NAME", "ENDPOINTS", "AGE"],
    wideHeader: [],
    row: (e, now) => [e.metadata.name, formatEndpoints(e), age(e.metadata.creationTimestamp, now)],
    wideRow: () => [],
  },
  EndpointSlice: {
    header: ["NAME", "ADDRESSTYPE", "PORTS", "ENDPOINTS", "AGE"],
    wideHeader: [],
    row: (e, now) => {
      const addrs = (e.endpoints ?? []).flatMap((x: any) => x.addresses);
      const ports = (e.ports ?? []).map((p: any) => String(p.port));
      return [e.metadata.name, e.addressType, ports.length ? ports.join(",") : "<unset>", addrs.length ? addrs.slice(0, 3).join(",") + (addrs.length > 3 ? ` + ${addrs.length - 3} more...` : "") : "<unset>", age(e.metadata.creationTimestamp, now)];
    },
    wideRow: () => [],
  },
  Deployment: {
    header: ["NAME", "READY", "UP-TO-DATE", "AVAILABLE", "AGE"],
    wideHeader: ["CONTAINERS", "IMAGES", "SELECTOR"],
    row: (d, now) => [d.metadata.name, `${d.status?.readyReplicas ?? 0}/${d.spec.replicas}`, String(d.status?.updatedReplicas ?? 0), String(d.status?.availableReplicas ?? 0), age(d.metadata.creationTimestamp, now)],
    wideRow: (d) => [containersOf(d.spec.template).map((c) => c.name).join(","), containersOf(d.spec.template).map((c) => c.image).join(","), selectorString(d.spec.selector)],
  },
  ReplicaSet: {
    header: ["NAME", "DESIRED", "CURRENT", "READY", "AGE"],
    wideHeader: ["CONTAINERS", "IMAGES", "SELECTOR"],
    row: (r, now) => [r.metadata.name, String(r.spec.replicas), String(r.status?.replicas ?? 0), String(r.status?.readyReplicas ?? 0), age(r.metadata.creationTimestamp, now)],
    wideRow: (r) => [containersOf(r.spec.template).map((c) => c.name).join(","), containersOf(r.spec.template).map((c) => c.image).join(","), selectorString(r.spec.selector)],
  },
  Node: {
    header: ["NAME", "STATUS", "ROLES", "AGE", "VERSION"],
    wideHeader: ["INTERNAL-IP", "EXTERNAL-IP", "OS-IMAGE", "KERNEL-VERSION", "CONTAINER-RUNTIME"],
    row: (n, now) => {
      const ready = (n.status?.conditions ?? []).find((c: any) => c.type === "Ready")?.status === "True";
      const roles = Object.keys(n.metadata.labels ?? {}).filter((l) => l.startsWith("node-role.kubernetes.io/")).map((l) => l.slice("node-role.kubernetes.io/".length)).sort();
      return [n.metadata.name, ready ? "Ready" : "NotReady", roles.length ? roles.join(",") : "<none>", age(n.metadata.creationTimestamp, now), n.status?.nodeInfo?.kubeletVersion ?? ""];
    },
    wideRow: (n) => {
      const a = (t: string) => (n.status?.addresses ?? []).find((x: any) => x.type === t)?.address ?? "<none>";
      const i = n.status?.nodeInfo ?? {};
      return [a("InternalIP"), a("ExternalIP"), i.osImage ?? "<unknown>", i.kernelVersion ?? "<unknown>", i.containerRuntimeVersion ?? "<unknown>"];
    },
  },
  Namespace: {
    header: ["NAME", "STATUS", "AGE"],
    wideHeader: [],
    row: (n, now) => [n.metadata.name, n.status?.phase ?? "Active", age(n.metadata.creationTimestamp, now)],
    wideRow: () => [],
  },
  Ingress: {
    header: ["NAME", "CLASS", "HOSTS", "ADDRESS", "PORTS", "AGE"],
    wideHeader: [],
    row: (i, now) => {
      const hosts = (i.spec.rules ?? []).map((r: any) => r.host).filter((h: any) => h);
      const hostStr = hosts.length ? hosts.slice(0, 3).join(",") + (hosts.length > 3 ? ` + ${hosts.length - 3} more...` : "") : "*";
      const addrs = (i.status?.loadBalancer?.ingress ?? []).map((x: any) => x.ip ?? x.hostname).join(",");
      return [i.metadata.name, i.spec.ingressClassName ?? "<none>", hostStr, addrs.length > 16 ? addrs.slice(0, 13) + "..." : addrs, i.spec.tls?.length ? "80, 443" : "80", age(i.metadata.creationTimestamp, now)];
    },
    wideRow: () => [],
  },
  ConfigMap: {
    header: ["NAME", "DATA", "AGE"],
    wideHeader: [],
    row: (c, now) => [c.metadata.name, String(Object.keys(c.data ?? {}).length + Object.keys(c.binaryData ?? {}).length), age(c.metadata.creationTimestamp, now)],
    wideRow: () => [],
  },
};

/** The default printer: NAME and AGE (the server's default table for other kinds). */
const GENERIC: Printer = {
  header: ["NAME", "AGE"],
  wideHeader: [],
  row: (o, now) => [o.metadata.name, age(o.metadata.creationTimestamp, now)],
  wideRow: () => [],
};

/** The printer of a kind. */
export function printerFor(kind: string): Printer {
  return PRINTERS[kind] ?? GENERIC;
}
