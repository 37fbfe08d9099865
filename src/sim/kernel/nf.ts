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
import { ipsetIfAny } from "./ipset/store.js";
import { ipvsIfAny } from "./ipvs/index.js";

/** Device and bridge context of one hook call. */
export interface HookWhere {
  inDev?: string;
  outDev?: string;
  physIn?: string;
  physOut?: string;
  bridged?: boolean;
  /** The packet was sent by IPVS itself (skb->ipvs_property): IPVS's own hooks let it pass. */
  ipvsDone?: boolean;
}

/** The namespace-bound helpers every HookContext carries (made once per namespace). */
const helpers = new WeakMap<Netns, Pick<HookContext, "addrType" | "primaryAddr">>();

function helpersOf(ns: Netns): Pick<HookContext, "addrType" | "primaryAddr"> {
  let h = helpers.get(ns);
  if (!h) {
    h = {
      addrType: (addr, dev) => ns.addrType(addr, dev),
      primaryAddr: (dev, towards) => {
        const d = ns.devByName(dev);
        const t = ns.ipNum(towards);
        const a = d && t !== undefined ? ns.addrs.select(d, t) : undefined;
        return a === undefined ? undefined : formatIp(a);
      },
    };
    helpers.set(ns, h);
  }
  return h;
}

/** Runs one hook for `pkt` in `ns`; returns the verdict after tracing it. */
export function runHook(ns: Netns, hook: Hook, pkt: Packet, where: HookWhere): HookVerdict {
  const nf = ns.nf;
  if (!nf) return { verdict: "accept", pkt };
  const h = helpersOf(ns);
  const ctx: HookContext = {
    hook,
    inDev: where.inDev,
    outDev: where.outDev,
    physIn: where.physIn,
    physOut: where.physOut,
    bridged: where.bridged,
    addrType: h.addrType,
    primaryAddr: h.primaryAddr,
    now: ns.engine.clock.now(),
    tracing: ns.engine.tracer.enabled,
  };
  const sets = ipsetIfAny(ns);
  if (sets) ctx.ipsetMatch = (name, flags, p, update) => sets.matchPacket(name, flags, p, update);
  if (where.ipvsDone) ctx.ipvsSent = true;
  const ipvs = where.ipvsDone ? undefined : ipvsIfAny(ns);
  if (ipvs) ctx.ipvs = (stage, p, c) => ipvs.hook(stage, p, c);
  const v = nf.runHook(pkt, ctx);
  const tracer = ns.engine.tracer;
  if (!tracer.enabled) return v; // told so by ctx.tracing, the engine recorded no lines
  const lines = nf.takeTrace();
  const dev = where.inDev ?? where.outDev;
  const emit = (step: TraceEvent["step"], text: string, detail?: Record<string, unknown>) =>
    tracer.emit({ at: ns.engine.clock.now(), packetId: pkt.id, host: ns.hostName, netns: ns.label, step, text, ...(dev ? { dev } : {}), ...(detail ? { detail } : {}) });
  for (const l of lines) emit(/DNAT|SNAT|MASQUERADE|nat/.test(l.text) ? "nat" : "netfilter", `${hook}${where.bridged ? " (bridged)" : ""}: ${l.text}`, l.detail);
  if (v.verdict === "drop") emit("drop", `${hook}: ${v.reason}`, { hook, packet: describe(pkt) });
  if (v.verdict === "reject") emit("drop", `${hook}: ${v.reason} (rejected with ${v.with})`, { hook, packet: describe(pkt) });
  return v;
}
