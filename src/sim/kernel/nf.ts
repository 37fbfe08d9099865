/**
 * Where the IP path meets netfilter. The hooks, in the kernel's order:
 *
 *   wire ─► PREROUTING ─► routing ─┬─► INPUT ─► local socket
 *                                  └─► FORWARD ─┐
 *   local socket ─► OUTPUT ─► (re-route) ──────┴─► POSTROUTING ─► neighbour ─► wire
 *
 * Each call asks the namespace's NetfilterEngine for a verdict and records it in the trace,
 * naming the hook, chain and rule the engine reports; a namespace without an engine accepts.
 */
import type { TraceEvent } from "./api.js";
import type { Hook, HookContext, HookVerdict, Packet } from "./packet.js";
import type { Netns } from "./netns.js";
import { formatIp } from "./wire/ipv4.js";
import { describe } from "./frame.js";

/** Device and bridge context of one hook call. */
export interface HookWhere {
  inDev?: string;
  outDev?: string;
  physIn?: string;
  physOut?: string;
  bridged?: boolean;
}

/** Runs one hook for `pkt` in `ns`; returns the verdict after tracing it. */
export function runHook(ns: Netns, hook: Hook, pkt: Packet, where: HookWhere): HookVerdict {
  const nf = ns.nf;
  if (!nf) return { verdict: "accept", pkt };
  const ctx: HookContext = {
    hook,
    ...where,
    addrType: (addr, dev) => ns.addrType(addr, dev),
    primaryAddr: (dev, towards) => {
      const d = ns.devByName(dev);
      const t = ns.ipNum(towards);
      const a = d && t !== undefined ? ns.addrs.select(d, t) : undefined;
      return a === undefined ? undefined : formatIp(a);
    },
    now: ns.engine.clock.now(),
  };
  const v = nf.runHook(pkt, ctx);
  const lines = nf.takeTrace();
  const emit = (step: TraceEvent["step"], text: string, detail?: Record<string, unknown>) =>
    ns.engine.tracer.emit({ at: ns.engine.clock.now(), packetId: pkt.id, host: ns.hostName, netns: ns.label, step, text, ...(where.inDev ?? where.outDev ? { dev: where.inDev ?? where.outDev } : {}), ...(detail ? { detail } : {}) });
  if (ns.engine.tracer.enabled) {
    for (const l of lines) emit(/DNAT|SNAT|MASQUERADE|nat/.test(l.text) ? "nat" : "netfilter", `${hook}${where.bridged ? " (bridged)" : ""}: ${l.text}`, l.detail);
  }
  if (v.verdict === "drop") emit("drop", `${hook}: ${v.reason}`, { hook, packet: describe(pkt) });
  if (v.verdict === "reject") emit("drop", `${hook}: ${v.reason} (rejected with ${v.with})`, { hook, packet: describe(pkt) });
  return v;
}
