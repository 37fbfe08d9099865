/**
 * Building and copying packets as the stack does: every hop that rewrites a header works on
 * its own copy, so a flooded frame's copies stay independent.
 *
 * Only the IP header is ever written in place (TTL, fragments, a chosen source). The link and
 * L4 headers are replaced whole, never written into (neighbour output sets a new `l2`; NAT and
 * IPVS build new `tcp`/`udp` objects), so copies share them.
 */
import type { ArpMessage, Packet } from "./packet.js";

/** A copy whose top-level fields and IP header fields can be rewritten (l2 and l4 headers are shared: replace, never write, them). */
export function clonePacket(p: Packet): Packet {
  return withIp(p, copyIp(p.ip));
}

/**
 * `p` with `ip` as its IP header, everything else shared. Copies are built field by field into one
 * object shape (absent fields present as undefined, which every reader treats alike), so the path
 * reading them stays monomorphic where spreading packets of many shapes would not.
 */
export function withIp(p: Packet, ip: Packet["ip"]): Packet {
  // `satisfies Whole<...>`: a field added to Packet and not copied here is a compile error.
  return { id: p.id, replyTo: p.replyTo, l2: p.l2, ip, icmp: p.icmp, tcp: p.tcp, udp: p.udp, payload: p.payload, encap: p.encap, mark: p.mark, arp: p.arp } satisfies Whole<Packet>;
}

/** Every key of T present (optional ones as possibly undefined): field-by-field copies list them all. */
export type Whole<T> = { [K in keyof Required<T>]: T[K] };

/** A copy of an IP header, maybe with new addresses (one object shape, as withIp). */
export function copyIp(ip: Packet["ip"], src = ip.src, dst = ip.dst): Packet["ip"] {
  return { src, dst, ttl: ip.ttl, proto: ip.proto, len: ip.len, df: ip.df, frags: ip.frags } satisfies Whole<Packet["ip"]>;
}

/** An ARP frame; its `ip` mirrors spa→tpa for traces only. */
export function arpFrame(id: number, l2: { src: string; dst: string }, arp: ArpMessage): Packet {
  return { id, l2, arp, ip: { src: arp.spa, dst: arp.tpa, ttl: 0, proto: "icmp", len: 28 }, mark: 0 };
}

/** One-line summary of a packet for trace text: `icmp 10.0.0.1 → 10.0.0.2 echo-request id 7 seq 1`. */
export function describe(p: Packet): string {
  if (p.arp) return p.arp.op === "request" ? `arp who-has ${p.arp.tpa} tell ${p.arp.spa}` : `arp ${p.arp.spa} is-at ${p.arp.sha}`;
  const { src, dst } = p.ip;
  if (p.tcp) return `tcp ${src}:${p.tcp.sport} → ${dst}:${p.tcp.dport} [${p.tcp.flags.join(",")}]`;
  if (p.udp) return `udp ${src}:${p.udp.sport} → ${dst}:${p.udp.dport}${p.encap ? ` vxlan vni ${p.encap.vni}` : ""}`;
  const t = p.icmp?.type;
  const name = t === 8 ? "echo-request" : t === 0 ? "echo-reply" : t === 3 ? `unreachable code ${p.icmp!.code}` : t === 11 ? "time-exceeded" : `type ${t}`;
  return `icmp ${src} → ${dst} ${name}${p.icmp?.id !== undefined && (t === 8 || t === 0) ? ` id ${p.icmp.id} seq ${p.icmp.seq}` : ""}`;
}
