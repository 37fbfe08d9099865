/**
 * The one-line cause of a failed probe, read from its explained packet trace (src/trace):
 *
 *   dropped  → "dropped in filter FORWARD by -A DOCKER-ISOLATION-STAGE-2 -o docker0 -j DROP"
 *   refused  → "DNAT 172.17.0.1:1234 → 172.17.0.2:8080 (by -A DOCKER ... --to-destination 172.17.0.2:8080), but nothing listens on 172.17.0.2:8080"
 *   others   → the disposition's own reason ("no route to 10.9.9.9", "unresolved after 3 ARP probes")
 */
import type { TraceEvent } from "../../kernel/api.js";
// Type-only and pure: the trace explainer reads kernel TraceEvents; it imports nothing of the runner.
import { DELIVERY, explain, partition } from "../../trace/explain.js";
import type { TraceStep } from "../../trace/types.js";

/** Why the probe whose events are `events` did not get its answer (undefined when nothing was traced). */
export function causeOf(events: readonly TraceEvent[]): string | undefined {
  if (events.length === 0) return undefined;
  const t = explain(events);
  const steps = [...t.probe, ...t.reply];
  const d = t.disposition;
  if (d.kind === "dropped") {
    const nf = steps.find((s): s is Extract<TraceStep, { kind: "netfilter" }> => s.kind === "netfilter" && /DROP|REJECT/.test(s.verdict));
    if (nf) {
      const rule = nf.matched.at(-1);
      return `dropped in ${nf.table} ${nf.hook} by ${rule && / -j (DROP|REJECT)\b/.test(rule) ? rule : nf.verdict}`;
    }
    return `dropped ${d.reason}`;
  }
  if (d.kind === "reset" || d.kind === "port-unreachable") {
    const nat = t.probe.find((s): s is Extract<TraceStep, { kind: "nat" }> => s.kind === "nat" && s.manip === "destination");
    const dnatRule = t.probe
      .flatMap((s) => (s.kind === "netfilter" ? s.matched : []))
      .find((r) => / -j DNAT\b/.test(r));
    if (nat) {
      const to = nat.after.split(" → ").at(-1) ?? nat.after;
      return `DNAT ${nat.before.split(" → ").at(-1) ?? nat.before} → ${to}${dnatRule ? ` (by ${dnatRule})` : ""}, but nothing listens on ${to}: ${d.kind === "reset" ? "connection refused" : "port unreachable"}`;
    }
    return `nothing listens there: ${d.reason}`;
  }
  if (d.kind === "delivered") return undefined;
  return `${d.kind}: ${d.reason}`;
}

/** The source address the destination saw on the probe's first delivered packet (after any NAT). */
export function seenSource(events: readonly TraceEvent[]): string | undefined {
  // The probe's first deliver step, without explaining every other event (explain's steps()
  // reads a deliver event into exactly this packet text).
  for (const e of partition(events).probeEvents) {
    const d = e.step === "deliver" ? DELIVERY.exec(e.text) : null;
    if (!d) continue;
    const m = /^\w+ ([\d.]+):?\d* → /.exec(d[1]!);
    return m ? m[1] : undefined;
  }
  return undefined;
}
