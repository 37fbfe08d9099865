/**
 * The ARP neighbour table of one namespace, with the NUD states of net/core/neighbour.c in
 * virtual time:
 *
 *   (none) ─send─► INCOMPLETE ─reply─► REACHABLE ─30 s─► STALE ─use─► DELAY ─5 s─► PROBE ─reply─► REACHABLE
 *                      └── 3 probes, 1 s apart, unanswered ──► FAILED (queued packets: host unreachable)
 *
 * PERMANENT and NOARP entries never change; a device with IFF_NOARP (`ip link set DEV arp off`)
 * gets NOARP entries holding its own address instead of resolving. Packets wait in a small
 * queue while resolving.
 */
import type { NeighInfo, NeighState } from "./api.js";
import type { Packet } from "./packet.js";
import type { Device } from "./links/device.js";
import type { Clock } from "../../core/clock.js";
import { formatIp } from "./wire/ipv4.js";

/** What the table needs from its namespace. */
export interface NeighOwner {
  clock: Clock;
  /** Sends an ARP request for `ip` out of `dev` (broadcast, or unicast to `mac` when probing). */
  solicit(dev: Device, ip: number, mac?: string): void;
  /** Resolution finished: send a queued packet to `mac`. */
  output(dev: Device, pkt: Packet, mac: string): void;
  /** Resolution failed: a queued packet is dropped (ICMP host unreachable to its source). */
  failed(dev: Device, pkt: Packet, ip: number): void;
  /** A reachable time, randomized as the kernel does (base 30 s, ×[0.5, 1.5)). */
  reachableMs(): number;
}

/** One entry. */
export interface Neigh {
  dev: Device;
  ip: number;
  mac?: string;
  state: NeighState;
  router: boolean;
  confirmedAt: number;
  reachableMs: number;
  queue: Packet[];
  probes: number;
  timer?: number;
}

const RETRANS_MS = 1000;
const MAX_PROBES = 3;
const DELAY_MS = 5000;
const QUEUE_LEN = 101;

/** ARP cache of a namespace. */
export class NeighTable {
  /** By (ifindex, address) as one number: ifindex × 2³² + the unsigned address (no string per packet). */
  private entries = new Map<number, Neigh>();

  constructor(private owner: NeighOwner) {}

  private key(dev: Device, ip: number): number {
    return dev.ifindex * 4294967296 + ip;
  }

  /** The entry for (dev, ip), with time-driven REACHABLE→STALE applied. */
  get(dev: Device, ip: number): Neigh | undefined {
    const n = this.entries.get(this.key(dev, ip));
    if (n) this.age(n);
    return n;
  }

  private age(n: Neigh): void {
    if (n.state === "REACHABLE" && this.owner.clock.now() - n.confirmedAt >= n.reachableMs) n.state = "STALE";
  }

  private create(dev: Device, ip: number, state: NeighState, mac?: string): Neigh {
    const n: Neigh = { dev, ip, state, router: false, confirmedAt: this.owner.clock.now(), reachableMs: this.owner.reachableMs(), queue: [], probes: 0, ...(mac ? { mac } : {}) };
    this.entries.set(this.key(dev, ip), n);
    return n;
  }

  /** neigh_resolve_output: sends `pkt` to the neighbour `ip` on `dev`, resolving it first if needed. */
  send(dev: Device, ip: number, pkt: Packet): void {
    let n = this.get(dev, ip);
    if ((!n || n.state === "FAILED") && dev.hasFlag("NOARP")) {
      // arp_constructor: on a NOARP device the entry is NOARP at once, with the device's own address.
      this.create(dev, ip, "NOARP", dev.mac);
      this.owner.output(dev, pkt, dev.mac);
      return;
    }
    if (!n || n.state === "FAILED") {
      n ??= this.create(dev, ip, "INCOMPLETE");
      n.state = "INCOMPLETE";
      n.probes = 0;
      n.queue.push(pkt);
      this.probe(n);
      return;
    }
    if (n.state === "INCOMPLETE") {
      if (n.queue.length >= QUEUE_LEN) n.queue.shift();
      n.queue.push(pkt);
      return;
    }
    if (n.state === "STALE") {
      n.state = "DELAY";
      this.arm(n, DELAY_MS, () => {
        n!.state = "PROBE";
        n!.probes = 0;
        this.probe(n!);
      });
    }
    this.owner.output(dev, pkt, n.mac!);
  }

  private arm(n: Neigh, ms: number, fn: () => void): void {
    if (n.timer !== undefined) this.owner.clock.cancel(n.timer);
    n.timer = this.owner.clock.schedule(this.owner.clock.now() + ms, () => {
      n.timer = undefined;
      fn();
    });
  }

  private probe(n: Neigh): void {
    if (n.probes >= MAX_PROBES) {
      n.state = "FAILED";
      const q = n.queue;
      n.queue = [];
      for (const p of q) this.owner.failed(n.dev, p, n.ip);
      return;
    }
    n.probes++;
    this.arm(n, RETRANS_MS, () => this.probe(n));
    this.owner.solicit(n.dev, n.ip, n.state === "PROBE" ? n.mac : undefined);
  }

  /**
   * arp_process's update: a reply confirms (REACHABLE); a request to us from `ip` creates or
   * refreshes a STALE entry; anything else only updates an existing entry.
   */
  learn(dev: Device, ip: number, mac: string, how: "reply" | "request-to-us" | "other"): void {
    let n = this.get(dev, ip);
    if (n && (n.state === "PERMANENT" || n.state === "NOARP")) return;
    if (!n) {
      if (how === "other") return;
      n = this.create(dev, ip, "STALE", mac);
    }
    const changed = n.mac !== mac;
    n.mac = mac;
    if (how === "reply") {
      n.state = "REACHABLE";
      n.confirmedAt = this.owner.clock.now();
      n.probes = 0;
      if (n.timer !== undefined) this.owner.clock.cancel(n.timer);
      n.timer = undefined;
    } else if (n.state === "INCOMPLETE" || n.state === "FAILED" || changed) {
      n.state = "STALE";
      if (n.timer !== undefined) this.owner.clock.cancel(n.timer);
      n.timer = undefined;
    }
    const q = n.queue;
    n.queue = [];
    for (const p of q) this.owner.output(dev, p, mac);
  }

  /** `ip neigh add/replace`: a static entry. */
  set(dev: Device, ip: number, mac: string | undefined, state: NeighState): void {
    const old = this.entries.get(this.key(dev, ip));
    if (old?.timer !== undefined) this.owner.clock.cancel(old.timer);
    const n = this.create(dev, ip, state, mac);
    if (old) {
      for (const p of old.queue) if (mac) this.owner.output(dev, p, mac);
    }
    void n;
  }

  /** Deletes an entry; false if absent. */
  delete(dev: Device, ip: number): boolean {
    const k = this.key(dev, ip);
    const n = this.entries.get(k);
    if (!n) return false;
    if (n.timer !== undefined) this.owner.clock.cancel(n.timer);
    this.entries.delete(k);
    return true;
  }

  /**
   * Forgets every entry of a device but the permanent ones (link down, device gone), as
   * neigh_ifdown() does; `withPermanent` also those, as neigh_changeaddr() does.
   */
  flushDev(dev: Device, withPermanent = false): void {
    for (const [k, n] of this.entries) {
      if (n.dev !== dev || (n.state === "PERMANENT" && !withPermanent)) continue;
      if (n.timer !== undefined) this.owner.clock.cancel(n.timer);
      this.entries.delete(k);
    }
  }

  /** Entries as RTM_GETNEIGH dumps them (newest first, as the hash walk tends to show). */
  list(): NeighInfo[] {
    const out: NeighInfo[] = [];
    for (const n of this.entries.values()) {
      this.age(n);
      out.push({ dst: formatIp(n.ip), dev: n.dev.name, ...(n.mac && n.state !== "INCOMPLETE" && n.state !== "FAILED" ? { lladdr: n.mac } : {}), state: n.state, ...(n.router ? { router: true } : {}) });
    }
    return out.reverse();
  }

  /** True if an entry exists (any state). */
  has(dev: Device, ip: number): boolean {
    return this.entries.has(this.key(dev, ip));
  }
}
