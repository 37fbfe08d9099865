/**
 * The pieces kubectl/pkg/describe/describe.go builds every description from, written through
 * the same tabwriter (minwidth 0, padding 2): the prefix writer (two spaces a level), label and
 * annotation lists, containers (describeContainers, describeStatus), pod templates
 * (DescribePodTemplate) and the Events table (DescribeEvents: flushed first, so it aligns on its own).
 */
import type { KObject } from "../../k8s/api.js";
import { eventInterval, eventTime } from "./age.js";
import { tabwrite } from "./table.js";

const DAYS = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
const p2 = (n: number) => String(n).padStart(2, "0");

/** time.RFC1123Z in UTC: `Thu, 01 Jan 2026 00:00:05 +0000`. */
export function rfc1123z(iso: string): string {
  const d = new Date(iso);
  return `${DAYS[d.getUTCDay()]}, ${p2(d.getUTCDate())} ${MONTHS[d.getUTCMonth()]} ${d.getUTCFullYear()} ${p2(d.getUTCHours())}:${p2(d.getUTCMinutes())}:${p2(d.getUTCSeconds())} +0000`;
}

/** Ends a description with its Events: `<none>` in the same table, or a table of their own. */
export function withEvents(w: W, events: KObject[], nowMs: number): string {
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

/** describe.go's PrefixWriter: each level indents two spaces. */
export class W {
  text = "";
  write(level: number, s: string): void {
    this.text += "  ".repeat(level) + s;
  }
}

/** printLabelsMultiline: `Title:\tk=v`, then `\tk=v` lines, sorted; `<none>` when empty. */
export function multiline(w: W, title: string, m: Record<string, string> | undefined): void {
  const keys = Object.keys(m ?? {}).sort();
  if (!keys.length) return w.write(0, `${title}:\t<none>\n`);
  keys.forEach((k, i) => w.write(0, i === 0 ? `${title}:\t${k}=${m![k]}\n` : `\t${k}=${m![k]}\n`));
}

const MAX_ANNOTATION = 200;

/**
 * printAnnotationsMultiline: `key: value` (not `=`), sorted, the last-applied annotation skipped; a
 * value with newlines or longer than 200 characters goes on indented lines of its own, shortened.
 */
export function annotations(w: W, title: string, m: Record<string, string> | undefined): void {
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
export function containerState(w: W, name: string, st: any): void {
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
export function containers(w: W, label: string, list: any[], statusList: any[], space: string): void {
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


/** DescribePodTemplate: labels, annotations, containers and volumes of a workload's template. */
export function podTemplate(w: W, t: any): void {
  w.write(0, "Pod Template:\n");
  multiline(w, "  Labels", t?.metadata?.labels);
  if (Object.keys(t?.metadata?.annotations ?? {}).length) annotations(w, "  Annotations", t.metadata.annotations);
  if (t?.spec?.serviceAccountName) w.write(1, `Service Account:\t${t.spec.serviceAccountName}\n`);
  if (t?.spec?.initContainers?.length) containers(w, "Init Containers", t.spec.initContainers, [], "  ");
  containers(w, "Containers", t?.spec?.containers ?? [], [], "  ");
  w.write(0, "  Volumes:\t<none>\n");
  if (t?.spec?.priorityClassName) w.write(1, `Priority Class Name:\t${t.spec.priorityClassName}\n`);
}


/** printPodTolerationsMultiline: `key[=value][:effect][ op=Exists][ for Ns]`, sorted by key. */
export function tolerations(w: W, title: string, list: any[] | undefined): void {
  w.write(0, `${title}:\t`);
  if (!list?.length) return w.write(0, "<none>\n");
  const sorted = list.map((t, i) => ({ t, i })).sort((a, b) => ((a.t.key ?? "") < (b.t.key ?? "") ? -1 : (a.t.key ?? "") > (b.t.key ?? "") ? 1 : a.i - b.i)).map((x) => x.t);
  sorted.forEach((t, i) => {
    let line = (i !== 0 ? "\t" : "") + (t.key ?? "");
    if (t.value) line += `=${t.value}`;
    if (t.effect) line += `:${t.effect}`;
    if (t.operator === "Exists" && !t.value) line += t.key || t.effect ? " op=Exists" : "op=Exists";
    if (t.tolerationSeconds !== undefined && t.tolerationSeconds !== null) line += ` for ${t.tolerationSeconds}s`;
    w.write(0, line + "\n");
  });
}
