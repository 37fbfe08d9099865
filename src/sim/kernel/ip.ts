/**
 * The IPv4 path of a namespace (net/ipv4/ip_input.c, ip_forward.c, ip_output.c):
 *
 *   ip_rcv:      PREROUTING ─► route input ─┬─ local ─► INPUT ─► deliver (icmp/tcp/udp)
 *                                            └─ else  ─► forwarding? TTL ─► FORWARD ─► ip_output
 *   ip_local_out: route output (src selection) ─► OUTPUT ─► re-route if DNAT changed dst ─► ip_output
 *   ip_output:   POSTROUTING ─► lo | neighbour resolution (ARP) ─► device
 *
 * Drops are traced with the reason (hook and rule, missing route or neighbour), never thrown.
 * Trace text is built only while the trace records (`on`), in place: no closure, no string per packet otherwise.
 * A received frame may be shared (a bridge floods one object to every port), so the path never
 * writes into it: only forwarding (TTL, link header, fragments) works on a copy of its own.
 */
import type { ErrnoName } from "./api.js";
import type { Packet } from "./packet.js";
import type { Device, RxMeta } from "./links/device.js";
import type { Netns } from "./netns.js";
import { gatewayOf, type Route } from "./route.js";
import { runHook, type HookWhere } from "./nf.js";
import { clonePacket, describe } from "./frame.js";
import { icmpEchoReply, icmpSend } from "./icmp.js";
import { formatIp, parseIp } from "./wire/ipv4.js";
import { BROADCAST_MAC, ZERO_MAC } from "./wire/mac.js";
import { Vxlan } from "./links/vxlan.js";

/** Outcome of sending a locally generated packet: queued on its way, or an errno for the caller. */
export type OutResult = { ok: true } | { ok: false; errno: ErrnoName; reason: string };

const SENT: OutResult = Object.freeze({ ok: true });

/** The conf keys of `dev` the path reads, made again only when the device is renamed (no string per packet). */
function confKeys(dev: Device): NonNullable<Device["confKeys"]> {
  let k = dev.confKeys;
  if (k?.name !== dev.name) {
    const c = `net.ipv4.conf.${dev.name}.`;
    k = dev.confKeys = { name: dev.name, forwarding: `${c}forwarding`, rpFilter: `${c}rp_filter`, acceptLocal: `${c}accept_local` };
  }
  return k;
}

/** Whether the trace records (then, and only then, trace text is formatted). */
function on(ns: Netns): boolean {
  return ns.engine.tracer.enabled;
}

/** ip_rcv: an IPv4 packet arrived on `dev`. */
export function ipRcv(ns: Netns, dev: Device, frame: Packet, meta: RxMeta): void {
  let pkt = frame;
  if (on(ns)) ns.trace("recv", `${dev.name}: ${describe(pkt)}`, pkt, dev.name);
  if (!meta.skipPrerouting) {
    const v = runHook(ns, "PREROUTING", pkt, { inDev: dev.name, physIn: meta.physIn });
    if (v.verdict !== "accept") {
      if (v.verdict === "reject") reject(ns, pkt, v.with);
      return;
    }
    pkt = v.pkt;
  }
  const dst = parseIp(pkt.ip.dst) ?? 0;
  const src = parseIp(pkt.ip.src) ?? 0;
  if (dev.kind !== "loopback" && src !== 0 && ns.addrs.isLocal(src) && ns.sysctl(confKeys(dev).acceptLocal) !== "1") {
    if (on(ns)) ns.traceDrop(pkt, `martian source ${pkt.ip.src} on ${dev.name}: it is a local address`, dev.name);
    return;
  }
  const r = ns.fib.lookup(dst);
  if (dst === 0xffffffff || (r?.table === "local" && r.type === "broadcast")) {
    if (pkt.icmp?.type === 8 && ns.sysctl("net.ipv4.icmp_echo_ignore_broadcasts") === "1") {
      if (on(ns)) ns.traceDrop(pkt, `echo request to broadcast ${pkt.ip.dst} ignored (net.ipv4.icmp_echo_ignore_broadcasts=1)`, dev.name);
      return;
    }
    localIn(ns, dev, pkt, meta);
    return;
  }
  if (r?.table === "local" && r.type === "local") {
    if (!rpCheck(ns, dev, pkt, src)) return;
    localIn(ns, dev, pkt, meta);
    return;
  }
  if (dst >>> 28 === 0xe) return;
  // Not for us: forward.
  if (ns.sysctl(confKeys(dev).forwarding) !== "1") {
    if (on(ns)) ns.traceDrop(pkt, `not for this host and net.ipv4.conf.${dev.name}.forwarding=0 (ip_forward off): dropped`, dev.name);
    return;
  }
  if (!rpCheck(ns, dev, pkt, src)) return;
  if (!r || r.type === "unreachable") {
    if (on(ns)) ns.traceDrop(pkt, `no route to ${pkt.ip.dst}: icmp net unreachable`, dev.name);
    icmpSend(ns, pkt, 3, r ? 1 : 0);
    return;
  }
  if (r.type === "blackhole") {
    if (on(ns)) ns.traceDrop(pkt, `blackhole route ${formatIp(r.addr)}/${r.plen}`, dev.name);
    return;
  }
  ipForward(ns, dev, pkt, r, meta);
}

/** rp_filter (fib_validate_source): strict mode wants the reverse route out of the ingress device. */
function rpCheck(ns: Netns, dev: Device, pkt: Packet, src: number): boolean {
  if (dev.kind === "loopback") return true;
  const mode = Math.max(Number(ns.sysctl("net.ipv4.conf.all.rp_filter")), Number(ns.sysctl(confKeys(dev).rpFilter)));
  if (mode === 0) return true;
  const back = ns.fib.lookup(src);
  if (!back || (mode === 1 && back.dev !== dev)) {
    if (on(ns)) ns.traceDrop(pkt, `rp_filter=${mode}: reverse route to ${pkt.ip.src} ${back ? `leaves via ${back.dev?.name}, not ${dev.name}` : "missing"}`, dev.name);
    return false;
  }
  return true;
}

function localIn(ns: Netns, dev: Device, pkt: Packet, meta: RxMeta): void {
  const v = runHook(ns, "INPUT", pkt, { inDev: dev.name, physIn: meta.physIn });
  if (v.verdict !== "accept") {
    if (v.verdict === "reject") reject(ns, pkt, v.with);
    // IPVS forwards it: out on a copy of its own (the frame it came in may be shared).
    if (v.verdict === "xmit") ipvsXmit(ns, clonePacket(v.pkt), v.nextHop, true);
    return;
  }
  localDeliver(ns, dev, v.pkt);
}

/** ip_local_deliver_finish: hands the packet to ICMP, UDP (VXLAN sockets first) or TCP. */
function localDeliver(ns: Netns, dev: Device, pkt: Packet): void {
  if (on(ns)) ns.trace("deliver", `local delivery: ${describe(pkt)}`, pkt, dev.name);
  if (pkt.ip.proto === "icmp") {
    if (pkt.icmp?.type === 8) {
      if (ns.sysctl("net.ipv4.icmp_echo_ignore_all") === "1") return;
      icmpEchoReply(ns, pkt, dev);
      return;
    }
    ns.sockets.icmpIn(pkt);
    return;
  }
  if (pkt.ip.proto === "udp" && pkt.udp) {
    if (pkt.encap) {
      const vx = ns.devices.find((d): d is Vxlan => d instanceof Vxlan && d.underlay === ns && d.params.dstport === pkt.udp!.dport && d.params.vni === pkt.encap!.vni && d.adminUp);
      if (vx) {
        vx.decap(pkt);
        return;
      }
      if (findTunnel(ns, pkt)) return;
    }
    if (!ns.sockets.udpIn(pkt)) {
      if (on(ns)) ns.trace("reply", `udp port ${pkt.udp.dport} closed: icmp port unreachable`, pkt, dev.name);
      icmpSend(ns, pkt, 3, 3);
    }
    return;
  }
  if (pkt.ip.proto === "tcp" && pkt.tcp) ns.sockets.tcpIn(pkt);
}

/** A VXLAN device created in this namespace but moved elsewhere still owns its UDP socket here. */
function findTunnel(ns: Netns, pkt: Packet): boolean {
  for (const other of ns.movedTunnels) {
    if (other.underlay === ns && other.adminUp && other.params.dstport === pkt.udp!.dport && other.params.vni === pkt.encap!.vni) {
      other.decap(pkt);
      return true;
    }
  }
  return false;
}

/** ip_forward: TTL, FORWARD hook, then out. */
function ipForward(ns: Netns, inDev: Device, pkt: Packet, r: Route, meta: RxMeta): void {
  if (pkt.ip.ttl <= 1) {
    if (on(ns)) ns.traceDrop(pkt, `ttl expired forwarding to ${pkt.ip.dst}: icmp time exceeded`, inDev.name);
    icmpSend(ns, pkt, 11, 0);
    return;
  }
  const outDev = r.dev!;
  if (on(ns)) {
    const gw = gatewayOf(r);
    ns.trace("route", `forward ${pkt.ip.dst} via ${gw !== undefined ? formatIp(gw) : "direct"} dev ${outDev.name} (route ${formatIp(r.addr)}/${r.plen})`, pkt, inDev.name);
  }
  const v = runHook(ns, "FORWARD", pkt, { inDev: inDev.name, outDev: outDev.name, physIn: meta.physIn });
  if (v.verdict !== "accept") {
    if (v.verdict === "reject") reject(ns, pkt, v.with);
    return;
  }
  // The forwarded packet is ours to rewrite from here (TTL, link header, fragments).
  const out = clonePacket(v.pkt);
  out.ip.ttl -= 1;
  ipOutput(ns, out, r, outDev, true);
}

/** ip_local_out for a packet made here (sockets, ICMP, VXLAN): route, pick a source, OUTPUT, out. */
export function ipLocalOut(ns: Netns, pkt: Packet, oif?: Device): OutResult {
  const dst = parseIp(pkt.ip.dst);
  if (dst === undefined) return { ok: false, errno: "EINVAL", reason: `bad destination ${pkt.ip.dst}` };
  let r = ns.fib.lookup(dst, "global", oif);
  if (!r || r.type === "unreachable" || r.type === "blackhole") {
    const errno: ErrnoName = r?.type === "blackhole" ? "EINVAL" : r ? "EHOSTUNREACH" : "ENETUNREACH";
    if (on(ns)) ns.traceDrop(pkt, `no route to ${pkt.ip.dst}${r ? ` (${r.type} route)` : ""}: ${errno}`);
    return { ok: false, errno, reason: `no route to ${pkt.ip.dst}` };
  }
  if (!pkt.ip.src) pkt.ip.src = formatIp(sourceFor(ns, r, dst));
  let outDev = outDevOf(ns, r);
  if (on(ns)) {
    const gw = gatewayOf(r);
    ns.trace("route", `output to ${pkt.ip.dst}: ${r.type === "local" ? "local" : `${gw !== undefined ? `via ${formatIp(gw)} ` : ""}dev ${outDev.name}`} src ${pkt.ip.src}`, pkt, outDev.name);
  }
  const v = runHook(ns, "OUTPUT", pkt, { outDev: outDev.name });
  if (v.verdict !== "accept") {
    if (v.verdict === "xmit") return ipvsXmit(ns, v.pkt, v.nextHop, false);
    if (v.verdict === "reject") reject(ns, pkt, v.with);
    return { ok: false, errno: "EPERM", reason: v.reason };
  }
  const out = v.pkt;
  if (out.ip.dst !== pkt.ip.dst) {
    const nd = parseIp(out.ip.dst)!;
    const nr = ns.fib.lookup(nd);
    if (!nr) {
      if (on(ns)) ns.traceDrop(out, `no route to ${out.ip.dst} after DNAT`);
      return { ok: false, errno: "ENETUNREACH", reason: `no route to ${out.ip.dst}` };
    }
    r = nr;
    outDev = outDevOf(ns, r);
    if (on(ns)) ns.trace("route", `re-routed after DNAT to ${out.ip.dst}: dev ${outDev.name}`, out, outDev.name);
  }
  ipOutput(ns, out, r, outDev, false);
  return SENT;
}

/**
 * ip_vs_nat_xmit / ip_vs_dr_xmit, then ip_vs_send_or_cont: IPVS routes the packet it rewrote
 * towards the real server (`nextHop` for direct routing, where the destination stays the VIP)
 * and sends it through LOCAL_OUT, its own hooks skipped (skb->ipvs_property), and POSTROUTING.
 */
function ipvsXmit(ns: Netns, pkt: Packet, nextHop: string | undefined, forwarded: boolean): OutResult {
  const to = parseIp(nextHop ?? pkt.ip.dst);
  const r = to === undefined ? undefined : ns.fib.lookup(to);
  if (to === undefined || !r || r.type === "unreachable" || r.type === "blackhole") {
    if (on(ns)) ns.traceDrop(pkt, `ipvs: no route to real server ${nextHop ?? pkt.ip.dst}`);
    return { ok: false, errno: "EHOSTUNREACH", reason: `no route to ${nextHop ?? pkt.ip.dst}` };
  }
  const outDev = outDevOf(ns, r);
  if (on(ns)) ns.trace("route", `ipvs: to real server ${nextHop ?? pkt.ip.dst} dev ${outDev.name}`, pkt, outDev.name);
  const v = runHook(ns, "OUTPUT", pkt, { outDev: outDev.name, ipvsDone: true });
  if (v.verdict !== "accept") {
    if (v.verdict === "reject") reject(ns, pkt, v.with);
    return { ok: false, errno: "EPERM", reason: v.verdict === "xmit" ? "ipvs" : v.reason };
  }
  ipOutput(ns, v.pkt, r, outDev, forwarded, nextHop !== undefined ? to : undefined);
  return SENT;
}

function outDevOf(ns: Netns, r: Route): Device {
  if (r.type === "local" || !r.dev) return ns.devByName("lo")!;
  return r.dev;
}

/** fib_result_prefsrc / inet_select_addr: the source address for a route. */
export function sourceFor(ns: Netns, r: Route, dst: number): number {
  if (r.src !== undefined) return r.src;
  if (r.type === "local") return dst;
  const gw = gatewayOf(r);
  return ns.addrs.select(r.dev, gw ?? dst, gw !== undefined ? "global" : r.scope === "host" ? "host" : "global") ?? 0;
}

/** ip_output / ip_finish_output2: POSTROUTING, then MTU (fragment or "fragmentation needed"), loopback or neighbour output. */
function ipOutput(ns: Netns, pkt: Packet, r: Route, dev: Device, forwarded: boolean, viaOverride?: number): void {
  const v = runHook(ns, "POSTROUTING", pkt, { outDev: dev.name });
  if (v.verdict !== "accept") {
    if (v.verdict === "reject") reject(ns, pkt, v.with);
    return;
  }
  const out = v.pkt;
  if (!fitMtu(ns, out, dev, forwarded)) return;
  if (r.type === "local" || dev.kind === "loopback") {
    out.l2 = { src: ZERO_MAC, dst: ZERO_MAC };
    dev.transmit(out);
    return;
  }
  if (dev.kind === "dummy") {
    dev.transmit(out);
    return;
  }
  const dst = parseIp(out.ip.dst)!;
  if (r.type === "broadcast" || dst === 0xffffffff) {
    out.l2 = { src: dev.mac, dst: BROADCAST_MAC };
    dev.transmit(out);
    return;
  }
  const nexthop = gatewayOf(r) ?? viaOverride ?? dst;
  ns.neigh.send(dev, nexthop, out);
}

/**
 * ip_fragment / ip_forward's MTU check: a datagram larger than the path MTU is refused with
 * ICMP "fragmentation needed" (3/4, carrying the MTU) when forwarded with DF set; otherwise it
 * travels as fragments (`frags`), DF cleared, to be reassembled at its destination.
 */
function fitMtu(ns: Netns, pkt: Packet, dev: Device, forwarded: boolean): boolean {
  if (dev.kind === "loopback") return true;
  let mtu = dev.mtu;
  if (!forwarded) {
    const pm = ns.pmtuGet(pkt.ip.dst);
    if (pm !== undefined && pm < mtu) mtu = pm;
  }
  if (pkt.ip.len <= mtu) return true;
  if (forwarded && pkt.ip.df) {
    if (on(ns)) ns.traceDrop(pkt, `${pkt.ip.len} bytes > mtu ${mtu} of ${dev.name} with DF set: icmp fragmentation needed`, dev.name);
    icmpSend(ns, pkt, 3, 4, mtu);
    return false;
  }
  const per = Math.floor((mtu - 20) / 8) * 8;
  const n = Math.ceil((pkt.ip.len - 20) / per);
  pkt.ip.frags = Math.max(n, pkt.ip.frags ?? 1);
  pkt.ip.df = false;
  if (on(ns)) ns.trace("send", `${pkt.ip.len} bytes > mtu ${mtu} of ${dev.name}: sent as ${pkt.ip.frags} fragments`, pkt, dev.name);
  return true;
}

/** Neighbour resolved: fill in the Ethernet header and transmit. */
export function neighOutput(ns: Netns, dev: Device, pkt: Packet, mac: string): void {
  pkt.l2 = { src: dev.mac, dst: mac };
  if (on(ns)) ns.trace("send", `${dev.name}: ${describe(pkt)} to ${mac}`, pkt, dev.name);
  dev.transmit(pkt);
}

/** VXLAN's outer packet through the underlay namespace's output path. */
export function tunnelOutput(ns: Netns, pkt: Packet): void {
  const res = ipLocalOut(ns, pkt);
  if (!res.ok && on(ns)) ns.traceDrop(pkt, `vxlan outer packet to ${pkt.ip.dst} not sent: ${res.reason}`);
}

/** br_netfilter: an IPv4 hook for a bridged frame. */
export function bridgeHook(ns: Netns, frame: Packet, hook: "PREROUTING" | "FORWARD" | "POSTROUTING", br: string, physIn?: string, physOut?: string): Packet | undefined {
  // The frame is copied where the bridge path begins; FORWARD/POSTROUTING get the bridge's own copy (see Bridge.flood).
  const pkt = hook === "PREROUTING" ? clonePacket(frame) : frame;
  const where: HookWhere = { inDev: hook === "POSTROUTING" ? undefined : br, outDev: hook === "PREROUTING" ? undefined : br, physIn, physOut, bridged: true };
  const v = runHook(ns, hook, pkt, where);
  if (v.verdict === "accept") return v.pkt;
  if (v.verdict === "reject") reject(ns, pkt, v.with);
  return undefined;
}

/** REJECT: a TCP reset for `tcp-reset`, else the ICMP error it names. */
function reject(ns: Netns, pkt: Packet, withWhat: string): void {
  if (withWhat === "tcp-reset" && pkt.tcp) {
    ns.sockets.sendRst(pkt);
    return;
  }
  const codes: Record<string, number> = {
    "icmp-net-unreachable": 0, "icmp-host-unreachable": 1, "icmp-proto-unreachable": 2, "icmp-port-unreachable": 3,
    "icmp-net-prohibited": 9, "icmp-host-prohibited": 10, "icmp-admin-prohibited": 13,
  };
  icmpSend(ns, pkt, 3, codes[withWhat] ?? 3);
}
