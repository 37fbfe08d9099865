/**
 * From the kernel's raw TraceEvents to explained steps: which events belong to the probe and
 * which to its reply, each event read into a typed step, a hook's rule lines folded into one
 * netfilter step per table (chains entered, matched rules, rules evaluated, verdict), and one
 * final disposition.
 *
 *   events of one exchange ──► probe packet (+ its VXLAN outer packets, + ARP in between)
 *                          └─► first other packet after it (the reply, same treatment)
 *
 * Pure: no world, no clock; the same events always explain the same way.
 */
import type { TraceEvent } from "../kernel/api.js";
import type { Disposition, ExplainedTrace, StepWhere, TraceStep } from "./types.js";

/** Explains the events of one probe exchange (everything `traceTake()` returned for it). */
export function explain(events: readonly TraceEvent[]): ExplainedTrace {
  const { probeEvents, replyEvents } = partition(events);
  const probe = steps(probeEvents);
  const reply = steps(replyEvents);
  return { probe, reply, disposition: dispose(probe, reply) };
}

/** The events of the probe packet and of its reply, each with the ARP that belongs to it. */
export function partition(events: readonly TraceEvent[]): { probeEvents: TraceEvent[]; replyEvents: TraceEvent[] } {
  const arp = new Set<number>();
  for (const e of events) if (e.text.startsWith("arp:")) arp.add(e.packetId);
  const probeIds = packetFamily(events, firstPacket(events, arp, new Set()), arp);
  const probeFirst = events.findIndex((e) => probeIds.has(e.packetId));
  // A retransmission of the probe (same endpoints, same direction) is not its reply.
  const keys = new Map<number, string>();
  for (const e of events) if (!keys.has(e.packetId)) { const k = flowKey(e.text); if (k) keys.set(e.packetId, k); }
  const probeKey = [...probeIds].map((id) => keys.get(id)).find((k) => k !== undefined);
  const taken = new Set(probeIds);
  for (const [id, k] of keys) if (k === probeKey) taken.add(id);
  const replyFirstId = firstPacket(events.slice(Math.max(probeFirst, 0)), arp, taken);
  const replyIds = packetFamily(events, replyFirstId, arp);
  const replyFirst = events.findIndex((e) => replyIds.has(e.packetId));
  let replyLast = -1;
  events.forEach((e, i) => void (replyIds.has(e.packetId) && (replyLast = i)));
  // ARP belongs to the probe until the reply starts (a probe stuck in neighbour resolution keeps
  // probing after its own last event), then to the reply until its last event.
  const probeEvents = pick(events, probeIds, arp, probeFirst, replyFirst < 0 ? events.length - 1 : replyFirst - 1);
  const replyEvents = replyFirst < 0 ? [] : pick(events, replyIds, arp, replyFirst, replyLast);
  return { probeEvents, replyEvents };
}

/** `tcp 10.0.0.1:40000 → 10.0.0.2:22` out of an event text that describes a packet. */
function flowKey(text: string): string | undefined {
  const m = /\b(tcp|udp|icmp) (\d+\.\d+\.\d+\.\d+(?::\d+)?) → (\d+\.\d+\.\d+\.\d+(?::\d+)?)/.exec(text);
  return m ? `${m[1]} ${m[2]} → ${m[3]}` : undefined;
}

/** The first packet id that is neither ARP nor already taken. */
function firstPacket(events: readonly TraceEvent[], arp: Set<number>, taken: Set<number>): number | undefined {
  for (const e of events) if (!arp.has(e.packetId) && !taken.has(e.packetId)) return e.packetId;
  return undefined;
}

/** A packet and, transitively, the VXLAN outer packets that carried it. */
function packetFamily(events: readonly TraceEvent[], id: number | undefined, arp: Set<number>): Set<number> {
  const ids = new Set<number>();
  if (id === undefined) return ids;
  ids.add(id);
  for (const e of events) {
    if (ids.has(e.packetId) && e.step === "vxlan-encap" && typeof e.detail?.outer === "number" && !arp.has(e.detail.outer)) ids.add(e.detail.outer);
  }
  return ids;
}

/** The events of `ids`, with the ARP packets' neighbour and bridge steps in [from, to]. */
function pick(events: readonly TraceEvent[], ids: Set<number>, arp: Set<number>, from: number, to: number): TraceEvent[] {
  if (from < 0) return [];
  return events.filter((e, i) => ids.has(e.packetId) || (i >= from && i <= to && arp.has(e.packetId) && (e.step === "neigh" || e.step === "bridge" || e.step === "drop")));
}

const NF_LINE = /^(PREROUTING|INPUT|FORWARD|OUTPUT|POSTROUTING)( \(bridged\))?: (.*)$/s;

/** Turns events into steps, folding one table's rule lines at one hook into a netfilter step. */
export function steps(events: readonly TraceEvent[]): TraceStep[] {
  const out: TraceStep[] = [];
  let open: Extract<TraceStep, { kind: "netfilter" }> | undefined;
  for (const e of events) {
    const where: StepWhere = { host: e.host, netns: e.netns, ...(e.dev ? { dev: e.dev } : {}) };
    if (e.step === "netfilter" || e.step === "nat") {
      const m = NF_LINE.exec(e.text);
      if (m) {
        const [, hook, bridged, rest] = m as unknown as [string, string, string | undefined, string];
        const rule = ruleLine(rest);
        if (rule) {
          if (!open || open.hook !== hook || open.table !== rule.table || open.host !== e.host || open.netns !== e.netns || open.verdict !== "") {
            open = { ...where, kind: "netfilter", hook, table: rule.table, bridged: bridged !== undefined, chains: [], matched: [], evaluated: 0, verdict: "", text: "" };
            out.push(open);
          }
          applyRule(open, rule, e.detail);
          continue;
        }
        open = undefined;
        out.push(otherNf(where, hook, rest));
        continue;
      }
    }
    open = undefined;
    out.push(readEvent(where, e));
  }
  let ctDir: string | undefined;
  for (const s of out) {
    if (s.kind === "netfilter") finishNf(s);
    if (s.kind === "conntrack") ctDir = `${s.host}/${s.netns}/${s.direction ?? ""}`;
    // NAT on a reply-direction packet is conntrack undoing the connection's translation.
    if (s.kind === "nat" && ctDir === `${s.host}/${s.netns}/reply`) s.text += " (reverse translation of the connection's NAT)";
  }
  return out;
}

type RuleLine =
  | { table: string; kind: "rule"; chain: string; text: string; matched: boolean }
  | { table: string; kind: "policy"; policy: string }
  | { table: string; kind: "skipped"; chain: string; count: number };

/** `TABLE HOOK: -A CHAIN ... [(no match)]`, `TABLE HOOK: policy X`, `TABLE HOOK: N rules of C did not match`. */
function ruleLine(rest: string): RuleLine | undefined {
  const m = /^(filter|nat|mangle|raw) (?:PREROUTING|INPUT|FORWARD|OUTPUT|POSTROUTING): (.*)$/s.exec(rest);
  if (!m) return undefined;
  const table = m[1]!;
  const body = m[2]!;
  let r: RegExpExecArray | null;
  if ((r = /^policy (\S+)$/.exec(body))) return { table, kind: "policy", policy: r[1]! };
  if ((r = /^(\d+) rules of (\S+) did not match$/.exec(body))) return { table, kind: "skipped", chain: r[2]!, count: Number(r[1]) };
  if ((r = /^-A (\S+) (.*?)( \(no match\))?$/s.exec(body)) || (r = /^-A (\S+)()( \(no match\))?$/.exec(body))) {
    return { table, kind: "rule", chain: r[1]!, text: `-A ${r[1]}${r[2] ? " " + r[2] : ""}`, matched: r[3] === undefined };
  }
  return undefined;
}

function applyRule(s: Extract<TraceStep, { kind: "netfilter" }>, r: RuleLine, detail: Record<string, unknown> | undefined): void {
  const chain = r.kind === "policy" ? s.hook : r.chain;
  if (s.chains.at(-1) !== chain && !(r.kind === "policy" && s.chains.length > 0)) s.chains.push(chain);
  if (r.kind === "skipped") s.evaluated += r.count;
  else if (r.kind === "rule") {
    s.evaluated++;
    if (r.matched) s.matched.push(r.text);
  } else s.verdict = `policy ${r.policy}`;
  void detail;
}

/** Sets the verdict from the last matched rule when no policy ended the table, and the text. */
function finishNf(s: Extract<TraceStep, { kind: "netfilter" }>): void {
  if (s.verdict === "") {
    const last = s.matched.at(-1);
    const t = last ? / -j (\S+)/.exec(last)?.[1] : undefined;
    s.verdict = t ?? "ACCEPT";
  }
  const rules = `${s.evaluated} rule${s.evaluated === 1 ? "" : "s"} evaluated`;
  s.text = `${s.table} ${s.hook}${s.bridged ? " (bridged)" : ""}: ${s.chains.join(" → ")}: ${rules}, verdict ${s.verdict}`;
}

/** Conntrack and NAT lines of a hook. */
function otherNf(where: StepWhere, hook: string, rest: string): TraceStep {
  let m: RegExpExecArray | null;
  if ((m = /^conntrack: (NEW|ESTABLISHED|RELATED|INVALID|UNTRACKED)(?: \((original|reply) direction\))? ?(.*)$/.exec(rest))) {
    return { ...where, kind: "conntrack", hook, state: m[1]!, ...(m[2] ? { direction: m[2] as "original" | "reply" } : {}), flow: m[3]!, text: `${hook}: conntrack ${m[1]}${m[2] ? ` (${m[2]} direction)` : ""} ${m[3]}` };
  }
  if ((m = /^nat \S+: (source|destination) (\S+) → (\S+) → (\S+) → (\S+)$/.exec(rest))) {
    const before = `${m[2]} → ${m[3]}`;
    const after = `${m[4]} → ${m[5]}`;
    return { ...where, kind: "nat", hook, manip: m[1] as "source" | "destination", before, after, text: `${hook}: ${m[1]} rewritten (${m[1] === "source" ? "SNAT" : "DNAT"}) ${before} becomes ${after}` };
  }
  return { ...where, kind: "note", text: `${hook}: ${rest}` };
}

/** A deliver event's text: the packet as the local socket got it. */
export const DELIVERY = /^local delivery: (.*)$/;

/** One event outside netfilter, read by its kind. */
function readEvent(where: StepWhere, e: TraceEvent): TraceStep {
  const t = e.text;
  let m: RegExpExecArray | null;
  switch (e.step) {
    case "send":
      if ((m = /^(\S+): (.*) to ([0-9a-f:]{17})$/.exec(t))) return { ...where, kind: "send", packet: m[2]!, lladdr: m[3]!, text: `${m[1]}: sends ${m[2]} to ${m[3]}` };
      if ((m = /^(\S+) → segment (\S+)$/.exec(t))) return { ...where, kind: "note", text: `${m[1]}: onto the wire ${m[2]}` };
      return { ...where, kind: "send", packet: t, text: t };
    case "recv":
      if ((m = /^(\S+): (.*)$/.exec(t))) return { ...where, kind: "recv", packet: m[2]!, text: `${m[1]}: receives ${m[2]}` };
      break;
    case "veth":
      if ((m = /^(\S+) → (\S+) \((.*)\)$/.exec(t))) return { ...where, kind: "veth", from: m[1]!, to: m[2]!, peerNetns: m[3]!, text: `veth ${m[1]} → ${m[2]} in ${m[3]}` };
      break;
    case "bridge": {
      if ((m = /^(\S+): (\S+) learned on (\S+): forward$/.exec(t))) return { ...where, kind: "bridge", bridge: m[1]!, mac: m[2]!, action: "forward", port: m[3]!, text: `bridge ${m[1]}: fdb hit, ${m[2]} is on port ${m[3]}: forwarded there` };
      if ((m = /^(\S+): (\S+) unknown: flood$/.exec(t))) return { ...where, kind: "bridge", bridge: m[1]!, mac: m[2]!, action: "flood", text: `bridge ${m[1]}: ${m[2]} not in the fdb: flooded to every port` };
      if ((m = /^(\S+): (\S+) from (\S+): flood and deliver locally$/.exec(t))) return { ...where, kind: "bridge", bridge: m[1]!, mac: m[2]!, action: "flood-local", port: m[3]!, text: `bridge ${m[1]}: ${m[2]} from ${m[3]}: flooded and delivered to the bridge itself` };
      if ((m = /^(\S+): (\S+) is local: up to the stack$/.exec(t))) return { ...where, kind: "bridge", bridge: m[1]!, mac: m[2]!, action: "local", text: `bridge ${m[1]}: ${m[2]} is the bridge's own address: up to the IP stack` };
      if ((m = /^(\S+): DNAT to (\S+): handed to the IP stack$/.exec(t))) return { ...where, kind: "bridge", bridge: m[1]!, mac: "", action: "dnat", text: `bridge ${m[1]}: DNAT to ${m[2]}: handed to the IP stack` };
      break;
    }
    case "route":
      if ((m = /^forward (\S+) via (\S+) dev (\S+) \(route (\S+)\)$/.exec(t))) {
        const via = m[2] === "direct" ? undefined : m[2]!;
        return { ...where, kind: "route", dst: m[1]!, decision: "forward", ...(via ? { via } : {}), outDev: m[3]!, route: m[4]!, text: `route: forward ${m[1]} by route ${m[4]}, ${via ? `next hop ${via}` : "directly connected"}, out ${m[3]}` };
      }
      if ((m = /^output to (\S+): local src (\S+)$/.exec(t))) return { ...where, kind: "route", dst: m[1]!, decision: "local", src: m[2]!, text: `route: ${m[1]} is a local address (src ${m[2]})` };
      if ((m = /^output to (\S+): (?:via (\S+) )?dev (\S+) src (\S+)$/.exec(t))) {
        return { ...where, kind: "route", dst: m[1]!, decision: "output", ...(m[2] ? { via: m[2] } : {}), outDev: m[3]!, src: m[4]!, text: `route: ${m[1]} ${m[2] ? `via next hop ${m[2]}` : "directly connected"}, out ${m[3]}, src ${m[4]}` };
      }
      if ((m = /^re-routed after DNAT to (\S+): dev (\S+)$/.exec(t))) return { ...where, kind: "route", dst: m[1]!, decision: "reroute", outDev: m[2]!, text: `route: re-routed after DNAT to ${m[1]}, out ${m[2]}` };
      break;
    case "neigh":
      if ((m = /^arp: who-has (\S+) tell (\S+) on (\S+)$/.exec(t))) return { ...where, kind: "arp", op: "request", ip: m[1]!, text: `arp: who has ${m[1]}? tell ${m[2]} (on ${m[3]})` };
      if ((m = /^arp: (\S+) is ours: reply to (\S+) \((\S+)\)$/.exec(t))) return { ...where, kind: "arp", op: "answer", ip: m[1]!, text: `arp: ${m[1]} is ours: answers ${m[2]}` };
      if ((m = /^arp: (\S+) is-at (\S+)$/.exec(t))) return { ...where, kind: "arp", op: "reply", ip: m[1]!, mac: m[2]!, text: `arp: ${m[1]} is at ${m[2]}` };
      break;
    case "vxlan-encap":
      if ((m = /^(\S+): vni (\d+) .*→ udp (\S+):(\d+) \(outer packet \d+\)$/.exec(t))) {
        return { ...where, kind: "vxlan-encap", dev: m[1]!, vni: Number(m[2]), remote: m[3]!, port: Number(m[4]), text: `vxlan ${m[1]}: encapsulated, vni ${m[2]}, outer udp to ${m[3]}:${m[4]}` };
      }
      break;
    case "vxlan-decap":
      if ((m = /^(\S+): vni (\d+) from (\S+): (.*)$/.exec(t))) return { ...where, kind: "vxlan-decap", dev: m[1]!, vni: Number(m[2]), outerSrc: m[3]!, text: `vxlan ${m[1]}: decapsulated, vni ${m[2]}, outer source ${m[3]}, ${m[4]}` };
      break;
    case "deliver":
      if ((m = DELIVERY.exec(t))) return { ...where, kind: "deliver", packet: m[1]!, text: `delivered locally: ${m[1]}` };
      break;
    case "reply":
      return { ...where, kind: "reply", text: t };
    case "drop":
      return { ...where, kind: "drop", reason: t, text: `dropped: ${t}` };
  }
  return { ...where, kind: "note", text: t };
}

/** The disposition: read from how the probe's path ends and whether a reply came back. */
export function dispose(probe: readonly TraceStep[], reply: readonly TraceStep[]): Disposition {
  const drop = probe.find((s): s is Extract<TraceStep, { kind: "drop" }> => s.kind === "drop");
  if (drop) {
    const r = drop.reason;
    if (/no route to|blackhole route/.test(r)) return { kind: "no-route", reason: r };
    if (/unresolved after \d+ ARP probes/.test(r)) return { kind: "neighbour-unreachable", reason: r };
    if (/ -j (DROP|REJECT)\b/.test(r)) return { kind: "dropped", reason: `by the rule ${r.replace(/^\S+: /, "")}` };
    if (/policy DROP/.test(r)) return { kind: "dropped", reason: `by the policy of ${r.replace(/^(\S+): (\S+) (\S+): policy DROP$/, "$2 $3")}` };
    return { kind: "dropped", reason: r };
  }
  const closed = probe.find((s) => s.kind === "reply" && /closed/.test(s.text));
  if (closed) {
    if (/RST/.test(closed.text)) return { kind: "reset", reason: `${closed.text} (${closed.netns})` };
    return { kind: "port-unreachable", reason: `${closed.text} (${closed.netns})` };
  }
  const delivered = [...probe].reverse().find((s): s is Extract<TraceStep, { kind: "deliver" }> => s.kind === "deliver");
  if (delivered) {
    const to = `delivered to ${delivered.netns} (${delivered.host}) on ${delivered.dev ?? "?"}`;
    if (reply.some((s) => s.kind === "deliver")) return { kind: "delivered", reason: `${to}, and the reply came back` };
    // The request arrived but the exchange failed on the way back: the reply's fate decides.
    const back = reply.length > 0 ? dispose(reply, []) : undefined;
    if (back && back.kind !== "lost") return { kind: back.kind, reason: `${to}, but the reply was lost: ${back.reason}` };
    return { kind: "lost", reason: `${to}, but no reply came back` };
  }
  return { kind: "lost", reason: probe.length === 0 ? "no packet was sent" : "the packet left the traced hosts and no reply came back" };
}
