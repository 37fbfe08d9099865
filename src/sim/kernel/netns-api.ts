/**
 * The NetnsApi face of a namespace: what userland and daemons call. Every method acts as a
 * process inside the namespace and delegates to the stack; refusals are KernelErrors.
 */
import { KernelError, type Addr6Info, type AddrInfo, type ConntrackEntry, type DatagramHandler, type DatagramResult, type FdbEntry, type LinkAddRequest, type LinkInfo, type LinkSetRequest, type ListenHandle, type NeighInfo, type NeighState, type NetnsApi, type NfTable, type NfTableName, type PingResult, type RouteInfo, type RouteSpec, type StreamHandler, type StreamResult, type UdpSocket } from "./api.js";
import type { Netns } from "./netns.js";
import * as cfg from "./config.js";
import * as client from "./client.js";
import { addr6List, ipv6States, ipv6Toggled } from "./ipv6.js";
import { parseIp } from "./wire/ipv4.js";
import type { IpsetCreateSpec, IpsetEntry, IpsetInfo, IpvsConnInfo, IpvsDestSpec, IpvsInfo, IpvsServiceInfo, IpvsServiceKey, IpvsServiceSpec } from "./api.js";
import { ipsetOf, type IpsetStore } from "./ipset/store.js";
import { ipvsOf, type Ipvs } from "./ipvs/index.js";
import { setReferences } from "./netfilter/store.js";

/** Per namespace and table: how many `-m set` matches name each set. */
const setRefs = new WeakMap<Netns, Map<NfTableName, Map<string, number>>>();

/** Wraps a Netns as the public API. */
export class NetnsHandle implements NetnsApi {
  constructor(readonly ns: Netns) {}

  get id(): number {
    return this.ns.id;
  }
  get label(): string {
    return this.ns.label;
  }

  private live(): Netns {
    if (!this.ns.alive) throw new KernelError("ENOENT");
    return this.ns;
  }

  linkAdd(req: LinkAddRequest): void { this.live().linkAdd(req); }
  linkDel(name: string): void { this.live().linkDel(name); }
  linkSet(name: string, req: LinkSetRequest): void { this.live().linkSet(name, req); }
  linkList(): LinkInfo[] { return this.live().linkList(); }
  linkGet(name: string): LinkInfo { return this.live().linkGet(name); }

  addrAdd(dev: string, cidr: string, opts?: { broadcast?: string; label?: string; scope?: AddrInfo["scope"] }): void { cfg.addrAdd(this.live(), dev, cidr, opts); }
  addrDel(dev: string, cidr: string): void { cfg.addrDel(this.live(), dev, cidr); }
  addrFlush(dev: string): void { cfg.addrFlush(this.live(), dev); }
  addrList(): AddrInfo[] { return cfg.addrList(this.live()); }
  addr6List(): Addr6Info[] { return addr6List(this.live()); }

  routeAdd(spec: RouteSpec, opts?: { replace?: boolean }): void { cfg.routeAdd(this.live(), spec, opts); }
  routeDel(spec: Partial<RouteSpec> & { dst: string }): void { cfg.routeDel(this.live(), spec); }
  routeList(table?: "main" | "local" | "all"): RouteInfo[] { return cfg.routeList(this.live(), table); }
  routeGet(dst: string, opts?: { from?: string; iif?: string }): ReturnType<NetnsApi["routeGet"]> { return cfg.routeGet(this.live(), dst, opts); }

  neighAdd(n: { dst: string; dev: string; lladdr?: string; state?: NeighState }, opts?: { replace?: boolean }): void { cfg.neighAdd(this.live(), n, opts); }
  neighDel(dst: string, dev: string): void { cfg.neighDel(this.live(), dst, dev); }
  neighList(): NeighInfo[] { return cfg.neighList(this.live()); }

  fdbAdd(e: FdbEntry, opts?: { append?: boolean; replace?: boolean }): void { cfg.fdbAdd(this.live(), e, opts); }
  fdbDel(e: Pick<FdbEntry, "mac" | "dev" | "dst">): void { cfg.fdbDel(this.live(), e); }
  fdbList(): FdbEntry[] { return cfg.fdbList(this.live()); }

  sysctlGet(key: string): string { return this.live().sysctls.get(key); }
  sysctlSet(key: string, value: string): void {
    const ns = this.live();
    // ip_vs is loaded on first use, also when a program sets its sysctls (kube-proxy modprobes it first).
    if (key.startsWith("net.ipv4.vs.")) this.ipvs();
    const v6 = key.startsWith("net.ipv6.conf.") ? ipv6States(ns) : undefined;
    ns.sysctls.set(key, value);
    if (v6) ipv6Toggled(ns, v6);
  }
  sysctlList(prefix: string): Array<[string, string]> { return this.live().sysctls.list(prefix); }

  private engine() {
    const nf = this.live().nf;
    if (!nf) throw new KernelError("EOPNOTSUPP");
    return nf;
  }
  nfTableGet(table: NfTableName): NfTable { return this.engine().tableGet(table); }
  nfTableReplace(table: NfTableName, next: NfTable): void {
    this.live();
    // Counted without copying chains handed back unchanged (cached per shared rules array).
    const refs = setReferences(next);
    // xt_set checkentry: a rule naming a set that does not exist is refused (iptables: "Set X doesn't exist.").
    // (The set store is made only when a rule names a set.)
    if (refs.size > 0) {
      const sets = this.sets();
      for (const name of refs.keys()) if (!sets.has(name)) throw new KernelError("ENOENT", `Set ${name} doesn't exist`);
    }
    this.engine().tableReplace(table, next);
    this.recountSetRefs(table, refs);
  }

  /** Every `-m set` of every table holds a reference on its set (ipset list: `References:`). */
  private recountSetRefs(table: NfTableName, mine: Map<string, number>): void {
    let perTable = setRefs.get(this.ns);
    if (mine.size === 0 && !perTable?.get(table)?.size) return;
    if (!perTable) setRefs.set(this.ns, (perTable = new Map()));
    perTable.set(table, mine);
    const counts = new Map<string, number>();
    for (const t of perTable.values()) for (const [n, k] of t) counts.set(n, (counts.get(n) ?? 0) + k);
    this.sets().setReferences(counts);
  }
  conntrackList(): ConntrackEntry[] { return this.engine().conntrackList(this.ns.engine.clock.now()); }
  conntrackFlush(): void { this.engine().conntrackFlush(); }

  ping(dst: string, opts?: { timeoutMs?: number; ttl?: number; size?: number; src?: string; seq?: number; id?: number }): PingResult { return client.ping(this.live(), dst, opts); }
  tcpRequest(dst: string, port: number, request: Uint8Array, opts?: { timeoutMs?: number; src?: string }): StreamResult { return client.tcpRequest(this.live(), dst, port, request, opts); }
  udpRequest(dst: string, port: number, payload: Uint8Array, opts?: { timeoutMs?: number; src?: string }): DatagramResult { return client.udpRequest(this.live(), dst, port, payload, opts); }
  udpSocket(dst: string, port: number, opts?: { src?: string }): UdpSocket { return client.udpSocket(this.live(), dst, port, opts); }

  private checkBind(addr: string, port: number): void {
    const a = parseIp(addr);
    if (a === undefined || !Number.isInteger(port) || port < 0 || port > 65535) throw new KernelError("EINVAL");
    // inet_bind: the address must be RTN_LOCAL, an address of the namespace or inside a local
    // route (any 127/8 address through `local 127.0.0.0/8 dev lo`).
    if (a !== 0 && !this.ns.addrs.isLocal(a) && !this.ns.addrType(addr).includes("LOCAL")) throw new KernelError("EADDRNOTAVAIL");
  }
  tcpListen(addr: string, port: number, handler: StreamHandler): ListenHandle {
    this.checkBind(addr, port);
    return this.live().sockets.listen("tcp", addr, port, handler);
  }
  udpListen(addr: string, port: number, handler: DatagramHandler): ListenHandle {
    this.checkBind(addr, port);
    return this.live().sockets.listen("udp", addr, port, handler);
  }
  sockets(): Array<{ proto: "tcp" | "udp"; addr: string; port: number }> { return this.live().sockets.list(); }

  /** The namespace's IPVS; the first use loads ip_vs, which registers its net.ipv4.vs.* sysctls. */
  private ipvs(): Ipvs {
    const ns = this.live();
    return ipvsOf(ns, () => ns.engine.clock.now(), (k) => ns.sysctls.num(k), (k, v) => ns.sysctls.define(k, v));
  }
  ipvsInfo(): IpvsInfo { return this.ipvs().info(); }
  ipvsServiceAdd(spec: IpvsServiceSpec): void { this.ipvs().addService(spec); }
  ipvsServiceEdit(spec: IpvsServiceSpec): void { this.ipvs().editService(spec); }
  ipvsServiceDel(key: IpvsServiceKey): void { this.ipvs().delService(key); }
  ipvsFlush(): void { this.ipvs().flush(); }
  ipvsZero(key?: IpvsServiceKey): void { this.ipvs().zero(key); }
  ipvsServiceList(): IpvsServiceInfo[] { return this.ipvs().list(); }
  ipvsServiceGet(key: IpvsServiceKey): IpvsServiceInfo { return this.ipvs().get(key); }
  ipvsDestAdd(svc: IpvsServiceKey, dest: IpvsDestSpec): void { this.ipvs().addDest(svc, dest); }
  ipvsDestEdit(svc: IpvsServiceKey, dest: IpvsDestSpec): void { this.ipvs().editDest(svc, dest); }
  ipvsDestDel(svc: IpvsServiceKey, dest: { addr: string; port: number }): void { this.ipvs().delDest(svc, dest); }
  ipvsConnList(): IpvsConnInfo[] { return this.ipvs().connList(); }
  ipvsTimeoutGet(): { tcp: number; tcpFin: number; udp: number } { return { ...this.ipvs().conns.timeouts }; }
  ipvsTimeoutSet(t: { tcp: number; tcpFin: number; udp: number }): void {
    const cur = this.ipvs().conns.timeouts;
    if ([t.tcp, t.tcpFin, t.udp].some((v) => !Number.isInteger(v) || v < 0)) throw new KernelError("EINVAL");
    if (t.tcp) cur.tcp = t.tcp;
    if (t.tcpFin) cur.tcpFin = t.tcpFin;
    if (t.udp) cur.udp = t.udp;
  }
  get ipvsLookups(): number { return this.ipvs().serviceLookups; }

  private sets(): IpsetStore {
    const ns = this.live();
    return ipsetOf(ns, () => ns.engine.clock.now(), ns.engine.rng);
  }
  ipsetCreate(spec: IpsetCreateSpec, opts?: { exist?: boolean }): void { this.sets().create(spec, opts); }
  ipsetDestroy(name?: string): void { this.sets().destroy(name); }
  ipsetFlush(name?: string): void { this.sets().flush(name); }
  ipsetRename(from: string, to: string): void { this.sets().rename(from, to); }
  ipsetSwap(a: string, b: string): void { this.sets().swap(a, b); }
  ipsetAdd(name: string, entry: IpsetEntry, opts?: { exist?: boolean }): void { this.sets().add(name, entry, opts); }
  ipsetDel(name: string, entry: IpsetEntry, opts?: { exist?: boolean }): void { this.sets().del(name, entry, opts); }
  ipsetTest(name: string, entry: IpsetEntry): boolean { return this.sets().test(name, entry); }
  ipsetList(name?: string): IpsetInfo[] { return this.sets().list(name); }
}
