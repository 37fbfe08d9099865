/**
 * NAT as nf_nat does it: the nat table is walked only by a flow's first packet; a DNAT/SNAT/
 * MASQUERADE/REDIRECT target there rewrites the flow's reply tuple (DNAT → reply.src, SNAT →
 * reply.dst), and every packet of the flow, both ways, is then rewritten from the two tuples:
 *
 *   orig  dir, dst manip (PREROUTING/OUTPUT):  dst ← reply.src   dport ← reply.sport
 *   orig  dir, src manip (POSTROUTING/INPUT):  src ← reply.dst   sport ← reply.dport
 *   reply dir, dst manip:                      dst ← orig.src    dport ← orig.sport   (un-SNAT)
 *   reply dir, src manip:                      src ← orig.dst    sport ← orig.dport   (un-DNAT)
 */
import type { ConntrackTuple, NfTarget } from "../api.js";
import type { HookContext, Packet } from "../packet.js";
import { ipToU32 } from "./addr.js";
import type { CtDir, CtFlow } from "./conntrack.js";
import { copyIp, withIp, type Whole } from "../frame.js";

export type Manip = "src" | "dst";

/** Rewrites the flow's reply tuple for a NAT target on its first packet; returns a reason when it must drop. */
export function bindNat(
  flow: CtFlow,
  t: NfTarget,
  ctx: HookContext,
  isTaken: (reply: ConntrackTuple) => boolean,
): string | undefined {
  const r = flow.reply;
  const hasPorts = flow.proto !== "icmp";
  switch (t.kind) {
    case "DNAT":
      if (t.toAddr) r.src = t.toAddr;
      if (t.toPort !== undefined && hasPorts) r.sport = t.toPort;
      return undefined;
    case "REDIRECT": {
      // nf_nat_redirect: the first address of the incoming device, or 127.0.0.1 for locally generated packets.
      const addr = ctx.hook === "OUTPUT" ? "127.0.0.1" : ctx.inDev ? ctx.primaryAddr(ctx.inDev, flow.orig.src) : undefined;
      if (!addr) return "REDIRECT: no address on the input device";
      r.src = addr;
      if (t.toPort !== undefined && hasPorts) r.sport = t.toPort;
      return undefined;
    }
    case "SNAT":
    case "MASQUERADE": {
      let addr: string | undefined;
      if (t.kind === "SNAT") addr = t.toAddr;
      else {
        addr = ctx.outDev ? ctx.primaryAddr(ctx.outDev, flow.orig.dst) : undefined;
        if (!addr) return `MASQUERADE: no address on ${ctx.outDev ?? "the output device"}`;
      }
      // nf_nat_setup_info without NF_NAT_RANGE_MAP_IPS (`--to-source :PORT`): the address stays.
      if (addr !== undefined) r.dst = addr;
      if (hasPorts) {
        const from = t.toPort;
        const to = t.toPortEnd ?? t.toPort;
        if (from !== undefined && to !== undefined) r.dport = from;
        // nf_nat_l4proto_unique_tuple: keep the port if the reply tuple is free, else search the range.
        if (isTaken(r)) {
          const lo = from ?? 1024;
          const hi = to ?? 65535;
          for (let p = lo; p <= hi; p++) {
            r.dport = p;
            if (!isTaken(r)) break;
          }
        }
      }
      return undefined;
    }
    default:
      return undefined;
  }
}

/** True when `a` lies in the inclusive range [from, to] of dotted addresses. */
export function addrInRange(a: string, from: string, to: string): boolean {
  const n = ipToU32(a);
  return n >= ipToU32(from) && n <= ipToU32(to);
}

function withL4(p: Packet, sport: number | undefined, dport: number | undefined): Packet {
  if (p.tcp && sport !== undefined && dport !== undefined) return { ...p, tcp: { ...p.tcp, sport, dport } };
  if (p.udp && sport !== undefined && dport !== undefined) return { ...p, udp: { ...p.udp, sport, dport } };
  return p;
}

/** The packet as the flow's NAT bindings make it at this manip; the same object when nothing changes. */
export function applyNat(p: Packet, flow: CtFlow, dir: CtDir, manip: Manip): Packet {
  // nf_nat_packet: only a flow with that NAT (IPS_SRC_NAT / IPS_DST_NAT) rewrites the packet; a flow
  // without leaves it as it comes, even when a hook rewrote it (IPVS giving a reply the VIP as source).
  if (!((manip === "src") === (dir === "orig") ? hasSrcNat(flow) : hasDstNat(flow))) return p;
  const { orig, reply } = flow;
  const l4 = p.tcp ?? p.udp;
  let src = p.ip.src;
  let dst = p.ip.dst;
  let sport = l4?.sport;
  let dport = l4?.dport;
  if (dir === "orig" && manip === "dst") {
    dst = reply.src;
    if (l4) dport = reply.sport;
  } else if (dir === "orig" && manip === "src") {
    src = reply.dst;
    if (l4) sport = reply.dport;
  } else if (dir === "reply" && manip === "dst") {
    dst = orig.src;
    if (l4) dport = orig.sport;
  } else {
    src = orig.dst;
    if (l4) sport = orig.dport;
  }
  if (src === p.ip.src && dst === p.ip.dst && sport === l4?.sport && dport === l4?.dport) return p;
  // One copy with its new headers (withL4's result, without the intermediate packet).
  const out = withIp(p, copyIp(p.ip, src, dst));
  if (p.tcp && sport !== undefined && dport !== undefined) out.tcp = { sport, dport, flags: p.tcp.flags } satisfies Whole<NonNullable<Packet["tcp"]>>;
  else if (p.udp && sport !== undefined && dport !== undefined) out.udp = { sport, dport } satisfies Whole<NonNullable<Packet["udp"]>>;
  return out;
}

/** The flow has a source NAT (its reply goes to another address or port than the original source). */
export function hasSrcNat(f: CtFlow): boolean {
  return f.reply.dst !== f.orig.src || (f.proto !== "icmp" && f.reply.dport !== f.orig.sport);
}

/** The flow has a destination NAT. */
export function hasDstNat(f: CtFlow): boolean {
  if (f.ipvs) return false;
  return f.reply.src !== f.orig.dst || (f.proto !== "icmp" && f.reply.sport !== f.orig.dport);
}

/**
 * An ICMP error about a tracked flow (RELATED), travelling in direction `dir`: when the flow has
 * the NAT this manip undoes, the quoted packet is rewritten as a packet of the other direction
 * and the outer header like a packet of this one (nf_nat_icmp_reply_translation).
 */
export function applyNatIcmpError(p: Packet, flow: CtFlow, dir: CtDir, manip: Manip): Packet {
  const needed = (manip === "src") === (dir === "orig") ? hasSrcNat(flow) : hasDstNat(flow);
  if (!needed) return p;
  const out = applyNat(p, flow, dir, manip);
  const inner = p.icmp?.inner;
  if (!inner || !out.icmp) return out;
  // The quoted packet gets the other manip type, set from the other direction's tuple.
  const t = dir === "orig" ? flow.reply : flow.orig;
  const l4 = inner.tcp ?? inner.udp;
  let ni: Packet;
  if (manip === "src") {
    ni = withL4({ ...inner, ip: { ...inner.ip, dst: t.dst } }, l4?.sport, l4 ? t.dport : undefined);
  } else {
    ni = withL4({ ...inner, ip: { ...inner.ip, src: t.src } }, l4 ? t.sport : undefined, l4?.dport);
  }
  return { ...out, icmp: { ...out.icmp, inner: ni } };
}
