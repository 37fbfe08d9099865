/**
 * The NetnsApi face of a namespace: what userland and daemons call. Every method acts as a
 * process inside the namespace and delegates to the stack; refusals are KernelErrors.
 */
import { KernelError, type Addr6Info, type AddrInfo, type ConntrackEntry, type DatagramHandler, type DatagramResult, type FdbEntry, type LinkAddRequest, type LinkInfo, type LinkSetRequest, type ListenHandle, type NeighInfo, type NeighState, type NetnsApi, type NfTable, type NfTableName, type PingResult, type RouteInfo, type RouteSpec, type StreamHandler, type StreamResult } from "./api.js";
import type { Netns } from "./netns.js";
import * as cfg from "./config.js";
import * as client from "./client.js";
import { addr6List, ipv6States, ipv6Toggled } from "./ipv6.js";
import { parseIp } from "./wire/ipv4.js";

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
  nfTableReplace(table: NfTableName, next: NfTable): void { this.engine().tableReplace(table, next); }
  conntrackList(): ConntrackEntry[] { return this.engine().conntrackList(this.ns.engine.clock.now()); }
  conntrackFlush(): void { this.engine().conntrackFlush(); }

  ping(dst: string, opts?: { timeoutMs?: number; ttl?: number; size?: number; src?: string; seq?: number; id?: number }): PingResult { return client.ping(this.live(), dst, opts); }
  tcpRequest(dst: string, port: number, request: Uint8Array, opts?: { timeoutMs?: number; src?: string }): StreamResult { return client.tcpRequest(this.live(), dst, port, request, opts); }
  udpRequest(dst: string, port: number, payload: Uint8Array, opts?: { timeoutMs?: number; src?: string }): DatagramResult { return client.udpRequest(this.live(), dst, port, payload, opts); }

  private checkBind(addr: string, port: number): void {
    const a = parseIp(addr);
    if (a === undefined || !Number.isInteger(port) || port < 0 || port > 65535) throw new KernelError("EINVAL");
    if (a !== 0 && !this.ns.addrs.isLocal(a)) throw new KernelError("EADDRNOTAVAIL");
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
}
