/**
 * ARP (net/ipv4/arp.c): answering requests for local addresses (arp_ignore=0: any address
 * of the namespace, on any device), learning from what arrives, and soliciting.
 */
import type { Packet } from "./packet.js";
import type { Device } from "./links/device.js";
import type { Netns } from "./netns.js";
import { arpFrame } from "./frame.js";
import { BROADCAST_MAC, ZERO_MAC } from "./wire/mac.js";
import { formatIp, parseIp } from "./wire/ipv4.js";

/** An ARP frame arrived on `dev`. */
export function arpRcv(ns: Netns, dev: Device, frame: Packet): void {
  const a = frame.arp!;
  const spa = parseIp(a.spa) ?? 0;
  const tpa = parseIp(a.tpa) ?? 0;
  // arp_rcv: a NOARP device (dummy, or `arp off`) ignores ARP altogether: no reply, nothing learnt.
  if (dev.kind === "loopback" || dev.hasFlag("NOARP")) return;
  if (a.op === "request") {
    const r = ns.fib.lookup(tpa);
    const forUs = r?.table === "local" && r.type === "local";
    if (forUs && spa !== 0) {
      ns.neigh.learn(dev, spa, a.sha, "request-to-us");
      ns.trace("neigh", () => `arp: ${a.tpa} is ours: reply to ${a.spa} (${a.sha})`, frame, dev.name);
      const reply = arpFrame(ns.engine.packetId(), { src: dev.mac, dst: a.sha }, { op: "reply", sha: dev.mac, spa: a.tpa, tha: a.sha, tpa: a.spa });
      reply.replyTo = frame.id;
      dev.transmit(reply);
    } else if (spa !== 0) {
      ns.neigh.learn(dev, spa, a.sha, "other");
    }
    return;
  }
  if (ns.neigh.has(dev, spa)) {
    ns.trace("neigh", () => `arp: ${a.spa} is-at ${a.sha}`, frame, dev.name);
    ns.neigh.learn(dev, spa, a.sha, a.tha === dev.mac ? "reply" : "other");
  }
}

/** Sends a who-has for `ip` out of `dev`: broadcast, or unicast to `mac` when re-probing. */
export function arpSolicit(ns: Netns, dev: Device, ip: number, mac?: string): void {
  const sip = ns.addrs.select(dev, ip, "link") ?? 0;
  const frame = arpFrame(ns.engine.packetId(), { src: dev.mac, dst: mac ?? BROADCAST_MAC }, { op: "request", sha: dev.mac, spa: formatIp(sip), tha: ZERO_MAC, tpa: formatIp(ip) });
  ns.trace("neigh", () => `arp: who-has ${formatIp(ip)} tell ${formatIp(sip)} on ${dev.name}`, frame, dev.name);
  dev.transmit(frame);
}
