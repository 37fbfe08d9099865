/**
 * One network namespace: its devices (with a per-namespace ifindex counter, as
 * net->ifindex), addresses, routes, neighbours, sysctls, netfilter engine and sockets.
 * This file keeps the state and the device registry; `ip link add/set` live in link-ops.ts,
 * the packet path in ip.ts, arp.ts, icmp.ts and sockets.ts, the address/route/neighbour/FDB
 * calls in config.ts.
 */
import { KernelError, type LinkAddRequest, type LinkInfo, type LinkSetRequest } from "./api.js";
import type { NetfilterEngine, Packet } from "./packet.js";
import type { Engine } from "./engine.js";
import { AddrTable } from "./addr.js";
import { Fib, type Route } from "./route.js";
import { NeighTable } from "./neigh.js";
import { Sysctls } from "./sysctl.js";
import { Device, type DeviceNs, type RxMeta } from "./links/device.js";
import { Loopback } from "./links/loopback.js";
import { Veth } from "./links/veth.js";
import { Bridge } from "./links/bridge.js";
import { Vxlan } from "./links/vxlan.js";
import { Ether } from "./links/ether.js";
import { parseIp, formatIp, broadcastOf } from "./wire/ipv4.js";
import { Sockets } from "./sockets.js";
import { arpRcv, arpSolicit } from "./arp.js";
import { ipLocalOut, ipRcv, neighOutput, tunnelOutput, bridgeHook } from "./ip.js";
import { icmpSend } from "./icmp.js";
import { linkAdd, linkSet, reservedName } from "./link-ops.js";

/** What a namespace needs from its host. */
export interface NsHost {
  readonly hostname: string;
  /** Resolves a NetnsRef for moves and veth peers. */
  resolve(ref: import("./api.js").NetnsRef): Netns;
  /** Called when a namespace's device set changes (hosts drop dead namespaces' nsids). */
  readonly engine: Engine;
}

const IFNAMSIZ = 16;

/** A network namespace. */
export class Netns implements DeviceNs {
  readonly devices: Device[] = [];
  readonly addrs = new AddrTable();
  readonly fib = new Fib();
  readonly neigh: NeighTable;
  readonly sysctls: Sysctls;
  readonly sockets: Sockets;
  readonly nf: NetfilterEngine | undefined;
  private nextIfindex = 1;
  private nsids = new Map<Netns, number>();
  alive = true;
  /** Path-MTU exceptions learned from ICMP "fragmentation needed": destination → MTU and expiry (virtual ms). */
  private pmtu = new Map<string, { mtu: number; expiresAt: number }>();
  /** VXLAN devices created here and moved to another namespace: their UDP socket stays here. */
  readonly movedTunnels: Vxlan[] = [];

  constructor(
    readonly id: number,
    public label: string,
    readonly host: NsHost,
    initSysctls: Sysctls | undefined,
  ) {
    this.sysctls = new Sysctls(initSysctls);
    const engine = host.engine;
    this.nf = engine.netfilter?.({ rng: engine.rng, nsLabel: label });
    this.neigh = new NeighTable({
      clock: engine.clock,
      solicit: (dev, ip, mac) => arpSolicit(this, dev, ip, mac),
      output: (dev, pkt, mac) => neighOutput(this, dev, pkt, mac),
      failed: (dev, pkt, ip) => {
        this.traceDrop(pkt, () => `neighbour ${formatIp(ip)} on ${dev.name} unresolved after 3 ARP probes (FAILED)`, dev.name);
        icmpSend(this, pkt, 3, 1);
      },
      reachableMs: () => Math.floor(30000 * (0.5 + engine.rng.next())),
    });
    this.sockets = new Sockets(this);
    const lo = new Loopback(this);
    this.register(lo, 1);
  }

  get engine(): Engine {
    return this.host.engine;
  }

  get hostName(): string {
    return this.host.hostname;
  }

  // ---- DeviceNs

  netifReceive(dev: Device, frame: Packet, meta?: RxMeta): void {
    if (frame.arp) arpRcv(this, dev, frame);
    else ipRcv(this, dev, frame, meta ?? {});
  }

  deviceByIndex(ifindex: number): Device | undefined {
    const devs = this.devices;
    for (let i = 0; i < devs.length; i++) if (devs[i]!.ifindex === ifindex) return devs[i];
    return undefined;
  }

  sysctl(key: string): string {
    return this.sysctls.peek(key) ?? "0";
  }

  bridgeHook(frame: Packet, hook: "PREROUTING" | "FORWARD" | "POSTROUTING", br: string, physIn?: string, physOut?: string): Packet | undefined {
    return bridgeHook(this, frame, hook, br, physIn, physOut);
  }

  tunnelOutput(pkt: Packet): void {
    tunnelOutput(this, pkt);
  }

  nsidFor(other: DeviceNs): number {
    const o = other as Netns;
    let id = this.nsids.get(o);
    if (id === undefined) {
      id = 0;
      const used = new Set(this.nsids.values());
      while (used.has(id)) id++;
      this.nsids.set(o, id);
    }
    return id;
  }

  /** The nsid this namespace assigned to `other`, if any (`ip netns list-id`). */
  nsidOf(other: Netns): number | undefined {
    return this.nsids.get(other);
  }

  /** Forgets the nsid of a namespace that died. */
  forgetNsid(other: Netns): void {
    this.nsids.delete(other);
  }

  linkChanged(_dev: Device): void {
    // Carrier is computed on demand; nothing cached to refresh.
  }

  /** ip_local_out for packets the kernel itself makes (ICMP), without an import cycle with ip.ts. */
  localOut(pkt: Packet): void {
    ipLocalOut(this, pkt);
  }

  // ---- path MTU (net.ipv4.route.mtu_expires = 600 s)

  /** Records a smaller path MTU towards `dst`. */
  pmtuLearn(dst: string, mtu: number): void {
    const min = 552;
    this.pmtu.set(dst, { mtu: Math.max(mtu, min), expiresAt: this.engine.clock.now() + 600_000 });
  }

  /** The learned path MTU towards `dst`, if not expired. */
  pmtuGet(dst: string): number | undefined {
    const e = this.pmtu.get(dst);
    if (!e) return undefined;
    if (e.expiresAt <= this.engine.clock.now()) {
      this.pmtu.delete(dst);
      return undefined;
    }
    return e.mtu;
  }

  /** The exception as `ip route get` shows it. */
  pmtuInfo(dst: string): { mtu: number; expiresSec: number } | undefined {
    const mtu = this.pmtuGet(dst);
    if (mtu === undefined) return undefined;
    return { mtu, expiresSec: Math.floor((this.pmtu.get(dst)!.expiresAt - this.engine.clock.now()) / 1000) };
  }

  // ---- helpers for the packet path

  /** Device by name. */
  devByName(name: string): Device | undefined {
    const devs = this.devices;
    for (let i = 0; i < devs.length; i++) if (devs[i]!.name === name) return devs[i];
    return undefined;
  }

  /** Device by name, or ENODEV. */
  dev(name: string): Device {
    const d = this.devByName(name);
    if (!d) throw new KernelError("ENODEV");
    return d;
  }

  /** Dotted text to number (undefined if malformed). */
  ipNum(text: string): number | undefined {
    return parseIp(text);
  }

  /** addrtype as `-m addrtype` sees it: LOCAL, BROADCAST, MULTICAST or UNICAST. */
  addrType(addr: string, _dev?: string): string[] {
    const n = parseIp(addr);
    if (n === undefined) return ["UNSPEC"];
    if (n === 0) return ["UNSPEC"];
    if (n === 0xffffffff) return ["BROADCAST"];
    if (n >>> 28 === 0xe) return ["MULTICAST"];
    const r = this.fib.lookup(n);
    if (r?.table === "local" && r.type === "local") return ["LOCAL"];
    if (r?.table === "local" && r.type === "broadcast") return ["BROADCAST"];
    if (r?.type === "blackhole") return ["BLACKHOLE"];
    if (r?.type === "unreachable") return ["UNREACHABLE"];
    return ["UNICAST"];
  }

  /** Records a drop with its reason. */
  traceDrop(pkt: Packet, reason: string | (() => string), dev?: string): void {
    this.trace("drop", reason, pkt, dev);
  }

  /** Records an event; `text` may be a function so that nothing is formatted while tracing is off. */
  trace(step: import("./api.js").TraceEvent["step"], text: string | (() => string), pkt: Packet, dev?: string, detail?: Record<string, unknown>): void {
    const t = this.engine.tracer;
    if (!t.enabled) return;
    t.emit({ at: this.engine.clock.now(), packetId: pkt.id, host: this.hostName, netns: this.label, step, text: typeof text === "function" ? text() : text, ...(dev ? { dev } : {}), ...(detail ? { detail } : {}) });
  }

  // ---- links

  private allocIfindex(want?: number): number {
    if (want !== undefined && !this.deviceByIndex(want)) return want;
    while (this.deviceByIndex(this.nextIfindex)) this.nextIfindex++;
    return this.nextIfindex++;
  }

  /** Takes the next index as a registration that fails after allocating it does (the kernel's cyclic allocation moves on). */
  burnIfindex(): void {
    this.allocIfindex();
  }

  /**
   * Registers a device under an index (kept when free, as dev_change_net_namespace does). A
   * reserved name (`reservedName`) fails with EINVAL after the index is taken: its conf sysctl
   * directory cannot be registered.
   */
  register(dev: Device, want?: number): void {
    const index = this.allocIfindex(want);
    if (reservedName(dev.name)) throw new KernelError("EINVAL");
    dev.ifindex = index;
    if (want === undefined && dev.ifindex >= this.nextIfindex) this.nextIfindex = dev.ifindex + 1;
    dev.ns = this;
    // Kept in ifindex order: insert after the last device with a smaller index (usually at the end).
    let at = this.devices.length;
    while (at > 0 && this.devices[at - 1]!.ifindex > dev.ifindex) at--;
    this.devices.splice(at, 0, dev);
    this.sysctls.addDevice(dev.name);
  }

  /** EINVAL for a name the kernel refuses, EEXIST for one in use here (a reserved name fails later: register, rename). */
  checkName(name: string): void {
    if (!name || name.length >= IFNAMSIZ || /[\s/:]/.test(name) || name === "." || name === "..") throw new KernelError("EINVAL");
    if (this.devByName(name)) throw new KernelError("EEXIST");
  }

  /** `ip link add` (link-ops.ts). */
  linkAdd(req: LinkAddRequest): void {
    linkAdd(this, req);
  }

  /** `ip link del`: a veth takes its peer along; a bridge releases its ports. */
  linkDel(name: string): void {
    const dev = this.dev(name);
    if (dev.kind === "loopback") throw new KernelError("EOPNOTSUPP");
    this.unregister(dev);
    if (dev instanceof Veth) dev.peer.ns instanceof Netns && (dev.peer.ns as Netns).unregister(dev.peer);
  }

  /** Removes a device and everything that referred to it. */
  unregister(dev: Device): void {
    const i = this.devices.indexOf(dev);
    if (i < 0) return;
    this.linkDown(dev);
    if (dev.master) (dev.master as Bridge).removePort(dev);
    if (dev instanceof Bridge) for (const p of [...dev.ports]) dev.removePort(p);
    for (const a of this.addrs.ofDev(dev)) this.addrs.remove(a);
    this.fib.removeWhere((r) => r.dev === dev);
    this.neigh.flushDev(dev);
    this.devices.splice(i, 1);
    this.sysctls.removeDevice(dev.name);
    dev.destroy();
  }

  /** `ip link set` (link-ops.ts). */
  linkSet(name: string, req: LinkSetRequest): void {
    linkSet(this, name, req);
  }

  /** Brings a device up: kernel routes for its addresses; lo gets 127.0.0.1/8. */
  linkUp(dev: Device): void {
    if (dev.adminUp) return;
    dev.adminUp = true;
    dev.everUp = true;
    if (dev.kind === "loopback" && !this.addrs.find(dev, 0x7f000001, 8)) {
      const rec = this.addrs.add({ dev, addr: 0x7f000001, plen: 8, scope: "host" });
      this.addKernelRoutes(rec);
    } else {
      for (const a of this.addrs.ofDev(dev)) this.addKernelRoutes(a);
    }
    if (dev.master) (dev.master as Bridge).portsChanged();
  }

  /** Takes a device down: its routes (kernel and static) go, its neighbours are flushed. */
  linkDown(dev: Device): void {
    if (!dev.adminUp) return;
    dev.adminUp = false;
    this.fib.removeWhere((r) => r.dev === dev && !(r.table === "local" && r.type === "local"));
    this.neigh.flushDev(dev);
    if (dev.master) (dev.master as Bridge).portsChanged();
  }

  /** fib_add_ifaddr: local route always; prefix and broadcast routes when the device is up. */
  addKernelRoutes(a: import("./addr.js").IfAddr): void {
    // A secondary's routes take the primary of its prefix as preferred source (fib_add_ifaddr's `prim`).
    const prim = a.secondary ? this.addrs.list.find((x) => x.dev === a.dev && !x.secondary && x.plen === a.plen && ((x.addr ^ a.addr) >>> (32 - a.plen)) === 0) : undefined;
    const dev = a.dev;
    const src = prim?.addr ?? a.addr;
    // fib_magic ignores EEXIST: a route already there (its address's local route when the device comes up) stays.
    const add = (table: Route["table"], type: Route["type"], addr: number, plen: number, scope: Route["scope"]): void => {
      this.fib.insert({ dev, src, proto: "kernel", metric: 0, onlink: false, kernel: true, table, type, addr, plen, scope }, "ensure");
    };
    add("local", "local", a.addr, 32, "host");
    if (!dev.adminUp) return;
    if (a.broadcast !== undefined && a.broadcast !== 0xffffffff) add("local", "broadcast", a.broadcast, 32, "link");
    const net = (a.addr & (a.plen === 0 ? 0 : (0xffffffff << (32 - a.plen)) >>> 0)) >>> 0;
    if (net !== 0 && !a.secondary && (net !== a.addr || a.plen < 32)) {
      if (dev.kind === "loopback") add("local", "local", net, a.plen, "host");
      else add("main", "unicast", net, a.plen, "link");
      if (a.plen < 31) add("local", "broadcast", broadcastOf(a.addr, a.plen), 32, "link");
    }
  }

  /** Links as `RTM_GETLINK` dumps them, in ifindex order. */
  linkList(): LinkInfo[] {
    return this.devices.map((d) => d.info(this));
  }

  /** One link, or ENODEV. */
  linkGet(name: string): LinkInfo {
    return this.dev(name).info(this);
  }

  /** Releases everything (the namespace died): veth peers elsewhere die with their ends. */
  destroy(): void {
    const init = this.host.resolve("init");
    for (const d of [...this.devices].reverse()) {
      if (d instanceof Veth && d.peer.ns !== this) (d.peer.ns as Netns).unregister(d.peer);
      this.unregister(d);
      // A physical NIC has no rtnl link ops: default_device_exit_net moves it back to the initial
      // namespace (as dev<ifindex> if its name is taken there) instead of deleting it.
      if (d instanceof Ether && init !== this) {
        if (init.devByName(d.name)) d.name = `dev${d.ifindex}`;
        d.adminUp = false;
        init.register(d, d.ifindex);
      }
    }
    this.sockets.closeAll();
    this.alive = false;
  }

  /** The kernel's randomly chosen ephemeral port. */
  ephemeralPort(): number {
    const [lo, hi] = this.sysctl("net.ipv4.ip_local_port_range").split("\t").map(Number) as [number, number];
    return lo + this.engine.rng.int(hi - lo + 1);
  }
}
