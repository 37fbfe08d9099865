/**
 * ICMP errors and echo (net/ipv4/icmp.c): echo replies from the pinged address, and errors
 * (destination unreachable, time exceeded) about an offending packet, never about another
 * ICMP error. An error's source is the offending packet's destination when that was local,
 * else the address routing picks towards the offender.
 */
import type { Packet } from "./packet.js";
import type { Netns } from "./netns.js";
import { clonePacket } from "./frame.js";
import { formatIp, parseIp } from "./wire/ipv4.js";
import type { Device } from "./links/device.js";

/** Text iputils/busybox print for an ICMP error. */
export function icmpErrorText(type: number, code: number): string {
  if (type === 11) return "Time to live exceeded";
  if (type === 3 && code === 4) return "Frag needed and DF set";
  if (type === 3) {
    return (
      ["Destination Net Unreachable", "Destination Host Unreachable", "Destination Protocol Unreachable", "Destination Port Unreachable", "Frag needed", "Source Route Failed", "Destination Net Unknown", "Destination Host Unknown", "Source Host Isolated", "Destination Net Prohibited", "Destination Host Prohibited", "Destination Net Unreachable for Type of Service", "Destination Host Unreachable for Type of Service", "Packet filtered", "Precedence Violation", "Precedence Cutoff"][code] ??
      `Dest Unreachable, Bad Code: ${code}`
    );
  }
  return `type ${type} code ${code}`;
}

/** True for ICMP error messages (which never get an error in return). */
function isIcmpError(p: Packet): boolean {
  return p.ip.proto === "icmp" && p.icmp !== undefined && p.icmp.type !== 8 && p.icmp.type !== 0;
}

/** icmp_send: reports `type/code` about `offender` to its source. */
export function icmpSend(ns: Netns, offender: Packet, type: number, code: number, mtu?: number): void {
  if (isIcmpError(offender) || offender.arp) return;
  const dst = parseIp(offender.ip.dst);
  const localDst = dst !== undefined && ns.addrs.isLocal(dst);
  const err: Packet = {
    id: ns.engine.packetId(),
    replyTo: offender.id,
    ip: { src: localDst ? offender.ip.dst : "", dst: offender.ip.src, ttl: 64, proto: "icmp", len: 20 + 8 + 28 },
    icmp: { type, code, inner: clonePacket(offender), ...(mtu !== undefined ? { mtu } : {}) },
    mark: 0,
  };
  ns.trace("reply", () => `icmp ${icmpErrorText(type, code)} → ${offender.ip.src}`, err);
  const src = parseIp(offender.ip.src);
  if (src !== undefined && ns.addrs.isLocal(src)) {
    // Our own packet failed here: the error reaches the sending socket's error queue directly.
    if (!err.ip.src) err.ip.src = offender.ip.src;
    ns.sockets.icmpIn(err);
    return;
  }
  ns.localOut(err);
}

/** Answers an echo request addressed to us. */
export function icmpEchoReply(ns: Netns, req: Packet, dev: Device): void {
  // fib_compute_spec_dst: a request to a broadcast address is answered from the receiving device's address.
  const dst = parseIp(req.ip.dst);
  const local = dst !== undefined && ns.addrs.isLocal(dst);
  const towards = parseIp(req.ip.src) ?? 0;
  const src = local ? req.ip.dst : formatIp(ns.addrs.select(dev, towards, "link") ?? 0);
  const rep: Packet = {
    id: ns.engine.packetId(),
    replyTo: req.id,
    ip: { src, dst: req.ip.src, ttl: 64, proto: "icmp", len: req.ip.len },
    icmp: { type: 0, code: 0, ...(req.icmp?.id !== undefined ? { id: req.icmp.id } : {}), ...(req.icmp?.seq !== undefined ? { seq: req.icmp.seq } : {}) },
    ...(req.payload ? { payload: req.payload } : {}),
    mark: 0,
  };
  ns.trace("reply", () => `echo reply ${rep.ip.src} → ${rep.ip.dst}`, rep);
  ns.localOut(rep);
}
