/**
 * The rtnetlink configuration calls of a namespace: addresses, routes, neighbours and FDB
 * entries, with the kernel's checks and errnos (and its extack texts where it sends one).
 */
import { KernelError, type AddrInfo, type FdbEntry, type NeighInfo, type NeighState, type RouteInfo, type RouteSpec } from "./api.js";
import type { Netns } from "./netns.js";
import { AddrTable } from "./addr.js";
import { Fib, gatewayOf, type Route } from "./route.js";
import { Bridge } from "./links/bridge.js";
import { Vxlan } from "./links/vxlan.js";
import { formatIp, maskOf, parseCidr, parseIp } from "./wire/ipv4.js";
import { parseMac } from "./wire/mac.js";
import { sourceFor } from "./ip.js";
import { multicastSelfEntries } from "./ipv6.js";

/** `ip addr add`. */
export function addrAdd(ns: Netns, devName: string, cidr: string, opts: { broadcast?: string; label?: string; scope?: AddrInfo["scope"] } = {}): void {
  const dev = ns.dev(devName);
  const c = parseCidr(cidr);
  if (!c || cidr === "default") throw new KernelError("EINVAL");
  let broadcast: number | undefined;
  if (opts.broadcast !== undefined) {
    if (opts.broadcast === "+") broadcast = c.plen < 31 ? ((c.addr & maskOf(c.plen)) | (~maskOf(c.plen) >>> 0)) >>> 0 : undefined;
    else if (opts.broadcast === "-") broadcast = undefined;
    else {
      broadcast = parseIp(opts.broadcast);
      if (broadcast === undefined) throw new KernelError("EINVAL");
    }
  }
  const scope = opts.scope ?? (c.addr >>> 24 === 127 ? "host" : "global");
  const rec = ns.addrs.add({ dev, addr: c.addr, plen: c.plen, scope, ...(broadcast !== undefined ? { broadcast } : {}), ...(opts.label ? { label: opts.label } : {}) });
  ns.addKernelRoutes(rec);
}

/** `ip addr del`: EADDRNOTAVAIL if absent; the address's kernel routes go with it. */
export function addrDel(ns: Netns, devName: string, cidr: string): void {
  const dev = ns.dev(devName);
  const c = parseCidr(cidr);
  if (!c) throw new KernelError("EINVAL");
  const rec = ns.addrs.find(dev, c.addr, cidr.includes("/") ? c.plen : undefined);
  if (!rec) throw new KernelError("EADDRNOTAVAIL", "ipv4: Address not found");
  for (const gone of ns.addrs.remove(rec)) {
    ns.fib.removeWhere((r) => r.kernel === true && r.dev === dev && (r.src === gone.addr || (r.type === "local" && r.addr === gone.addr)));
  }
}

/** `ip addr flush dev X`. */
export function addrFlush(ns: Netns, devName: string): void {
  const dev = ns.dev(devName);
  for (const a of ns.addrs.ofDev(dev)) {
    if (!ns.addrs.list.includes(a)) continue;
    for (const gone of ns.addrs.remove(a)) ns.fib.removeWhere((r) => r.kernel === true && r.dev === dev && r.src === gone.addr);
  }
}

/** `ip addr show`. */
export function addrList(ns: Netns): AddrInfo[] {
  const out: AddrInfo[] = [];
  for (const d of ns.devices) for (const a of ns.addrs.ofDev(d)) out.push(AddrTable.info(a));
  return out;
}

/** Builds and checks a route as fib_create_info() does. */
function buildRoute(ns: Netns, spec: RouteSpec): Route {
  const c = parseCidr(spec.dst);
  if (!c) throw new KernelError("EINVAL");
  if (((c.addr & ~maskOf(c.plen)) >>> 0) !== 0) throw new KernelError("EINVAL", "Invalid prefix for given prefix length");
  const type = spec.type ?? "unicast";
  const table = spec.table ?? (type === "local" || type === "broadcast" ? "local" : "main");
  let dev = spec.dev !== undefined ? ns.dev(spec.dev) : undefined;
  const via = spec.via !== undefined ? parseIp(spec.via) : undefined;
  if (spec.via !== undefined && via === undefined) throw new KernelError("EINVAL");
  const scope = spec.scope ?? (type === "local" ? "host" : type === "broadcast" ? "link" : type === "unicast" && via === undefined ? "link" : "global");
  if (type === "unicast" || type === "local" || type === "broadcast") {
    if (via !== undefined) {
      if (spec.onlink) {
        if (!dev) throw new KernelError("EINVAL", "Nexthop device required for onlink");
        if (!dev.adminUp) throw new KernelError("ENETDOWN", "Nexthop device is not up");
      } else {
        const gw = ns.fib.lookup(via, "link", dev);
        if (!gw || (dev && gw.dev !== dev)) throw new KernelError("ENETUNREACH", "Nexthop has invalid gateway");
        if (gw.type !== "unicast" && gw.type !== "local") throw new KernelError("EINVAL", "Nexthop has invalid gateway");
        dev ??= gw.dev;
      }
    } else {
      if (!dev) throw new KernelError("ENODEV", "Nexthop device required");
      if (!dev.adminUp) throw new KernelError("ENETDOWN", "Device for nexthop is not up");
    }
  }
  let nhHost = false;
  if (via !== undefined && !spec.onlink) nhHost = ns.fib.lookup(via, "link", dev)?.type === "local";
  let src: number | undefined;
  if (spec.src !== undefined) {
    src = parseIp(spec.src);
    if (src === undefined || !ns.addrs.isLocal(src)) throw new KernelError("EINVAL", "Invalid prefsrc address");
  }
  return {
    table, type, addr: c.addr, plen: c.plen, scope,
    proto: spec.proto ?? "boot", metric: spec.metric ?? 0, onlink: spec.onlink ?? false,
    ...(dev ? { dev } : {}), ...(via !== undefined ? { via } : {}), ...(src !== undefined ? { src } : {}), ...(nhHost ? { nhHost } : {}),
  };
}

/** `ip route add/replace`. */
export function routeAdd(ns: Netns, spec: RouteSpec, opts: { replace?: boolean } = {}): void {
  ns.fib.insert(buildRoute(ns, spec), opts.replace ? "replace" : "excl");
}

/** `ip route del`: the first route matching every given field; ESRCH if none. */
export function routeDel(ns: Netns, spec: Partial<RouteSpec> & { dst: string }): void {
  const c = parseCidr(spec.dst);
  if (!c) throw new KernelError("EINVAL");
  const table = spec.table ?? (spec.type === "local" || spec.type === "broadcast" ? "local" : "main");
  const via = spec.via !== undefined ? parseIp(spec.via) : undefined;
  const i = ns.fib.routes.findIndex(
    (r) =>
      r.table === table && r.addr === c.addr && r.plen === c.plen &&
      (spec.dev === undefined || r.dev?.name === spec.dev) &&
      (via === undefined || r.via === via) &&
      (spec.metric === undefined || r.metric === spec.metric) &&
      (spec.type === undefined || r.type === spec.type) &&
      (spec.proto === undefined || r.proto === spec.proto),
  );
  if (i < 0) throw new KernelError("ESRCH");
  ns.fib.remove(ns.fib.routes[i]!);
}

/** `ip route show [table X]`. */
export function routeList(ns: Netns, table: "main" | "local" | "all" = "main"): RouteInfo[] {
  const rs = table === "all" ? [...ns.fib.routes.filter((r) => r.table === "main"), ...ns.fib.routes.filter((r) => r.table === "local")] : ns.fib.routes.filter((r) => r.table === table);
  return rs.map((r) => Fib.info(r));
}

/** `ip route get`. */
export function routeGet(ns: Netns, dst: string, opts: { from?: string; iif?: string } = {}): { route: RouteInfo; dev: string; src: string; via?: string } {
  const d = parseIp(dst);
  if (d === undefined) throw new KernelError("EINVAL");
  if (opts.iif !== undefined) ns.dev(opts.iif);
  const r = ns.fib.lookup(d);
  if (!r) throw new KernelError("ENETUNREACH");
  if (r.type === "unreachable") throw new KernelError("EHOSTUNREACH");
  if (r.type === "blackhole") throw new KernelError("EINVAL");
  const src = opts.from !== undefined ? opts.from : formatIp(sourceFor(ns, r, d));
  const dev = r.type === "local" ? "lo" : r.dev!.name;
  const gw = gatewayOf(r);
  const cache = ns.pmtuInfo(dst);
  return { route: Fib.info(r), dev, src, ...(gw !== undefined ? { via: formatIp(gw) } : {}), ...(cache ? { cache } : {}) };
}

/** `ip neigh add/replace`. */
export function neighAdd(ns: Netns, n: { dst: string; dev: string; lladdr?: string; state?: NeighState }, opts: { replace?: boolean } = {}): void {
  const dev = ns.dev(n.dev);
  const ip = parseIp(n.dst);
  if (ip === undefined) throw new KernelError("EINVAL");
  let mac: string | undefined;
  if (n.lladdr !== undefined) {
    mac = parseMac(n.lladdr);
    if (!mac) throw new KernelError("EINVAL");
  }
  if (ns.neigh.has(dev, ip) && !opts.replace) throw new KernelError("EEXIST");
  ns.neigh.set(dev, ip, mac, n.state ?? "PERMANENT");
}

/** `ip neigh del`: ENOENT if absent. */
export function neighDel(ns: Netns, dst: string, devName: string): void {
  const dev = ns.dev(devName);
  const ip = parseIp(dst);
  if (ip === undefined) throw new KernelError("EINVAL");
  if (!ns.neigh.delete(dev, ip)) throw new KernelError("ENOENT");
}

/** `ip neigh show`. */
export function neighList(ns: Netns): NeighInfo[] {
  return ns.neigh.list();
}

/** `bridge fdb add/append/replace`: a VXLAN remote (`self`/`dst`) or a bridge port entry (`master`). */
export function fdbAdd(ns: Netns, e: FdbEntry, opts: { append?: boolean; replace?: boolean } = {}): void {
  const dev = ns.dev(e.dev);
  const mac = parseMac(e.mac);
  if (!mac) throw new KernelError("EINVAL");
  if (dev instanceof Vxlan && (e.self || e.dst !== undefined || !e.master)) {
    if (e.dst === undefined) throw new KernelError("EINVAL", "Destination IP address required");
    if (parseIp(e.dst) === undefined) throw new KernelError("EINVAL");
    const err = dev.fdbAdd(mac, e.dst, opts.append ? "append" : opts.replace ? "replace" : "add", e.state === "static");
    if (err) throw new KernelError(err);
    return;
  }
  const br = dev.master;
  if (!(br instanceof Bridge)) throw new KernelError("EOPNOTSUPP");
  if (!br.fdbAdd(mac, dev, e.state !== undefined)) {
    if (!opts.replace) throw new KernelError("EEXIST");
  }
}

/** `bridge fdb del`. */
export function fdbDel(ns: Netns, e: Pick<FdbEntry, "mac" | "dev" | "dst">): void {
  const dev = ns.dev(e.dev);
  const mac = parseMac(e.mac);
  if (!mac) throw new KernelError("EINVAL");
  if (dev instanceof Vxlan) {
    if (!dev.fdbDel(mac, e.dst)) throw new KernelError("ENOENT");
    return;
  }
  const br = dev.master;
  if (!(br instanceof Bridge) || !br.fdbDel(mac, dev)) throw new KernelError("ENOENT");
}

/** `bridge fdb show`: per device in ifindex order, its bridge (`master`) entries then its own (`self`). */
export function fdbList(ns: Netns): FdbEntry[] {
  const bridgeEntries = new Map<string, FdbEntry[]>();
  for (const d of ns.devices) {
    if (d instanceof Bridge) {
      for (const e of d.fdbEntries()) {
        const list = bridgeEntries.get(e.dev) ?? [];
        list.push(e);
        bridgeEntries.set(e.dev, list);
      }
    }
  }
  const out: FdbEntry[] = [];
  for (const d of ns.devices) {
    // A bridge's hash chains list the newest entry first.
    out.push(...(bridgeEntries.get(d.name) ?? []).reverse());
    if (d instanceof Vxlan) out.push(...d.fdbEntries());
    else out.push(...multicastSelfEntries(ns, d));
  }
  return out;
}
