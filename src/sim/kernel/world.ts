/**
 * A kernel world: hosts sharing one virtual clock, one seeded random generator, one packet
 * engine and trace, and L2 segments wiring their physical NICs together (the underlay).
 *
 *   host A: eth0 ──┐
 *                  ├── segment "underlay" (a learning switch)
 *   host B: eth0 ──┘
 */
import type { Clock } from "../../core/clock.js";
import type { Rng } from "../../core/random.js";
import { KernelError, type HostKernelApi, type TraceEvent } from "./api.js";
import type { NetfilterFactory } from "./packet.js";
import { Engine } from "./engine.js";
import { Host } from "./host.js";
import { Segment } from "./segment.js";
import { Ether } from "./links/ether.js";
import { parseMac, randomMac } from "./wire/mac.js";

export interface KernelWorldOptions {
  clock: Clock;
  rng: Rng;
  /** The netfilter engine of every namespace; without one, every hook accepts. */
  netfilter?: NetfilterFactory;
}

/** A world of hosts and segments. */
export interface KernelWorld {
  /** Adds a machine with its initial namespace (lo only). */
  addHost(name: string): HostKernelApi;
  /** A host by name. */
  host(name: string): HostKernelApi | undefined;
  hosts(): HostKernelApi[];
  /** Adds an L2 segment (a switch) that NICs can be attached to. */
  addSegment(name: string): void;
  /** Gives `host` a physical NIC `ifname` in its initial namespace, wired to `segment`. */
  attach(host: string, ifname: string, segment: string, opts?: { mac?: string; mtu?: number }): void;
  /** Trace events since the last take, across all hosts. */
  traceTake(): TraceEvent[];
  /** Turns tracing off or on; returns whether it was on (see trace.ts: who turns it on). */
  setTracing(on: boolean): boolean;
  /** Frames moved (device hops) and packets made since the world began, for benchmarks. */
  counters(): { frames: number; packets: number };
}

/** Creates an empty world. */
export function createKernelWorld(opts: KernelWorldOptions): KernelWorld {
  const engine = new Engine(opts.clock, opts.rng, opts.netfilter);
  const hosts = new Map<string, Host>();
  const segments = new Map<string, Segment>();
  let nsId = 0;
  const nextNsId = () => ++nsId;
  return {
    addHost(name) {
      if (hosts.has(name)) throw new KernelError("EEXIST");
      const h = new Host(name, engine, nextNsId);
      hosts.set(name, h);
      return h;
    },
    host: (name) => hosts.get(name),
    hosts: () => [...hosts.values()],
    addSegment(name) {
      if (segments.has(name)) throw new KernelError("EEXIST");
      segments.set(name, new Segment(name, engine));
    },
    attach(hostName, ifname, segName, o = {}) {
      const h = hosts.get(hostName);
      const seg = segments.get(segName);
      if (!h || !seg) throw new KernelError("ENOENT");
      const ns = h.initNs;
      if (ns.devByName(ifname)) throw new KernelError("EEXIST");
      const mac = o.mac !== undefined ? parseMac(o.mac) : randomMac(engine.rng);
      if (!mac) throw new KernelError("EINVAL");
      const nic = new Ether(ns, 0, ifname, mac, seg);
      if (o.mtu) nic.mtu = o.mtu;
      ns.register(nic);
      seg.attach(nic);
    },
    traceTake: () => engine.tracer.take(),
    setTracing: (on) => engine.tracer.set(on),
    counters: () => ({ frames: engine.hops, packets: engine.packetId() - 1 }),
  };
}
