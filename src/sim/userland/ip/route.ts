/**
 * `ip route add|del|replace|change|append|show|get|flush` (iproute.c), printing as iproute2 6.1:
 *
 *   default via 10.1.0.254 dev v1
 *   10.1.0.0/24 dev v1 proto kernel scope link src 10.1.0.1
 *   10.6.0.0/16 dev v1 proto static scope link metric 100
 *   10.8.0.0/16 via 192.168.1.1 dev v1 onlink linkdown
 *
 * (every field is followed by a space, so lines end with one). `proto boot` and `scope global`
 * are the defaults and are not printed; a field the listing filters on (`dev X`) is left out.
 */
import type { RouteInfo, RouteSpec } from "../../kernel/api.js";
import { duparg2, fail, getAddr, getPrefix, invarg, kcall, linkExists, matches, nextArg, nodev, type IpCtx } from "./common.js";

const TYPES = ["unicast", "local", "broadcast", "multicast", "throw", "unreachable", "prohibit", "blackhole", "nat", "anycast"];
const PROTOS: Record<string, RouteSpec["proto"]> = { kernel: "kernel", boot: "boot", static: "static", "2": "kernel", "3": "boot", "4": "static" };
const SCOPES: Record<string, RouteSpec["scope"]> = { global: "global", universe: "global", link: "link", host: "host", "0": "global", "253": "link", "254": "host" };

interface RouteArgs {
  spec: Partial<RouteSpec>;
  dst?: string;
  table?: "main" | "local" | "all";
}

/** Parses iproute_modify()/iproute_list() arguments. */
function parseRoute(c: IpCtx, args: string[]): RouteArgs {
  const r: RouteArgs = { spec: {} };
  const s = r.spec;
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === "src") s.src = getAddr(c, nextArg(c, args, i++));
    else if (a === "via") {
      const v = nextArg(c, args, i++);
      if (v === "inet") continue;
      s.via = getAddr(c, v);
    } else if (a === "from") getPrefix(c, nextArg(c, args, i++));
    else if (matches(a, "metric") || matches(a, "priority") || a === "preference") {
      const v = nextArg(c, args, i++);
      if (!/^\d+$/.test(v)) invarg(c, `"metric" value is invalid\n`, v);
      s.metric = Number(v);
    } else if (matches(a, "scope")) {
      const v = nextArg(c, args, i++);
      const sc = SCOPES[v];
      if (!sc) invarg(c, `invalid "scope" value\n`, v);
      s.scope = sc;
    } else if (matches(a, "table")) {
      const v = nextArg(c, args, i++);
      if (v === "main" || v === "254") r.table = "main";
      else if (v === "local" || v === "255") r.table = "local";
      else if (v === "all" || v === "0") r.table = "all";
      else invarg(c, `invalid table ID\n`, v);
    } else if (a === "dev" || a === "oif") s.dev = nextArg(c, args, i++);
    else if (matches(a, "protocol")) {
      const v = nextArg(c, args, i++);
      const p = PROTOS[v];
      if (!p) invarg(c, `"protocol" value is invalid\n`, v);
      s.proto = p;
    } else if (a === "onlink") s.onlink = true;
    else if (["mtu", "advmss", "hoplimit", "initcwnd", "initrwnd", "realms", "tos", "dsfield", "expires"].includes(a)) {
      nextArg(c, args, i++);
    } else if (a === "uid" || a === "mark" || a === "iif") nextArg(c, args, i++);
    else {
      let v = a;
      if (a === "to") v = nextArg(c, args, i++);
      if (!/^[0-9]/.test(v) && TYPES.includes(v)) {
        s.type = v as RouteSpec["type"];
        v = nextArg(c, args, i++);
      }
      if (matches(v, "help")) fail(c, "Usage: ip route { list | flush } SELECTOR\n", 255);
      if (r.dst !== undefined) duparg2(c, "to", v);
      r.dst = getPrefix(c, v).text;
    }
  }
  return r;
}

/** Canonical destination text: host bits cleared as the kernel stores it, `/32` dropped. */
function canonDst(text: string): string {
  if (text === "default") return "default";
  const [ip, plen] = text.split("/");
  if (plen === undefined || plen === "32") return ip!;
  const p = Number(plen);
  const n = ip!.split(".").reduce((acc, o) => acc * 256 + Number(o), 0);
  const net = p === 0 ? 0 : (n & ((0xffffffff << (32 - p)) >>> 0)) >>> 0;
  const dotted = [24, 16, 8, 0].map((sh) => (net >>> sh) & 255).join(".");
  return p === 0 ? "default" : `${dotted}/${p}`;
}

/** One route line, without the fields the listing filters on. */
export function routeLine(r: RouteInfo, hideDev: boolean, showTable = false): string {
  const f: string[] = [];
  if (r.type !== "unicast") f.push(r.type);
  f.push(r.dst);
  if (r.via) f.push("via", r.via);
  if (r.dev && !hideDev) f.push("dev", r.dev);
  if (showTable && r.table !== "main") f.push("table", r.table);
  if (r.proto !== "boot") f.push("proto", r.proto);
  if (r.scope !== "global") f.push("scope", r.scope);
  if (r.src) f.push("src", r.src);
  if (r.metric) f.push("metric", String(r.metric));
  if (r.onlink) f.push("onlink");
  if (r.linkdown) f.push("linkdown");
  return f.join(" ") + " \n";
}

/** `ip route add|replace|del ...`. */
function routeModify(c: IpCtx, args: string[], mode: "add" | "replace" | "del"): number {
  const r = parseRoute(c, args);
  const s = r.spec;
  if (s.dev !== undefined && !linkExists(c.ns, s.dev)) nodev(c, s.dev);
  if (r.dst === undefined) {
    if (mode === "del") fail(c, "RTNETLINK answers: No such process\n", 2);
    fail(c, "RTNETLINK answers: Invalid argument\n", 2);
  }
  const spec: RouteSpec = { dst: canonDst(r.dst) };
  if (s.via !== undefined) spec.via = s.via;
  if (s.dev !== undefined) spec.dev = s.dev;
  if (s.src !== undefined) spec.src = s.src;
  if (s.onlink) spec.onlink = true;
  if (s.metric !== undefined) spec.metric = s.metric;
  if (s.type !== undefined) spec.type = s.type;
  if (r.table === "main" || r.table === "local") spec.table = r.table;
  if (mode === "del") {
    if (s.scope !== undefined) spec.scope = s.scope;
    if (s.proto !== undefined) spec.proto = s.proto;
    kcall(c, () => c.ns.routeDel(spec));
    return 0;
  }
  // iproute2 fills defaults before asking the kernel: proto boot, scope link for a
  // gatewayless unicast route, host for local, else global.
  spec.proto = s.proto ?? "boot";
  const type: string = s.type ?? "unicast";
  spec.scope = s.scope ?? (type === "local" || type === "nat" ? "host" : type === "unicast" && !s.via ? "link" : "global");
  kcall(c, () => c.ns.routeAdd(spec, mode === "replace" ? { replace: true } : undefined));
  return 0;
}

/** `ip route [show|list] [table T] [dev D] [PREFIX]`. */
function routeShow(c: IpCtx, args: string[]): number {
  const r = parseRoute(c, args);
  if (r.spec.dev !== undefined && !linkExists(c.ns, r.spec.dev)) fail(c, `Cannot find device "${r.spec.dev}"\n`, 1);
  const table = r.table ?? "main";
  let routes = c.ns.routeList(table);
  if (r.spec.dev !== undefined) routes = routes.filter((x) => x.dev === r.spec.dev);
  if (r.dst !== undefined) {
    const d = canonDst(r.dst);
    routes = routes.filter((x) => x.dst === d);
  }
  if (r.spec.proto !== undefined) routes = routes.filter((x) => x.proto === r.spec.proto);
  if (r.spec.scope !== undefined) routes = routes.filter((x) => x.scope === r.spec.scope);
  for (const x of routes) {
    c.proc.out(routeLine(x, r.spec.dev !== undefined, table === "all"));
  }
  return 0;
}

/** `ip route get ADDR [from S] [iif D]`. */
function routeGet(c: IpCtx, args: string[]): number {
  let dst: string | undefined;
  let from: string | undefined;
  let iif: string | undefined;
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === "from") from = getAddr(c, nextArg(c, args, i++));
    else if (a === "iif") iif = nextArg(c, args, i++);
    else if (a === "oif" || a === "mark" || a === "tos" || a === "uid" || a === "vrf") nextArg(c, args, i++);
    else if (a === "connected" || a === "fibmatch") continue;
    else {
      let v = a;
      if (a === "to") v = nextArg(c, args, i++);
      if (dst !== undefined) duparg2(c, "to", v);
      dst = getPrefix(c, v).text;
    }
  }
  if (dst === undefined) fail(c, "need at least a destination address\n", 1);
  const target = dst.split("/")[0]!;
  if (iif !== undefined && !linkExists(c.ns, iif)) nodev(c, iif);
  const opts: { from?: string; iif?: string } = {};
  if (from !== undefined) opts.from = from;
  if (iif !== undefined) opts.iif = iif;
  const res = kcall(c, () => c.ns.routeGet(target === "default" ? "0.0.0.0" : target, opts));
  const local = res.route.type === "local";
  const f: string[] = [];
  if (local) f.push("local");
  f.push(target);
  if (from !== undefined) f.push("from", from);
  if (res.via) f.push("via", res.via);
  f.push("dev", local ? "lo" : res.dev);
  if (res.src && from === undefined) f.push("src", res.src);
  f.push("uid", "0");
  // A route exception (a learned path MTU) prints as the kernel reports it: RTA_CACHEINFO's
  // expiry, then the metrics (print_cache_flags / print_rta_cacheinfo in iproute2 6.1).
  const cache = local ? "    cache <local> \n" : res.cache ? `    cache expires ${res.cache.expiresSec}sec mtu ${res.cache.mtu} \n` : "    cache \n";
  c.proc.out(f.join(" ") + " \n" + cache);
  return 0;
}

/** `ip route flush [dev D] [PREFIX]`: deletes the matching main-table routes. */
function routeFlush(c: IpCtx, args: string[]): number {
  if (args.length === 0) fail(c, `"ip route flush" requires arguments.\n`, 255);
  const r = parseRoute(c, args);
  if (r.spec.dev !== undefined && !linkExists(c.ns, r.spec.dev)) fail(c, `Cannot find device "${r.spec.dev}"\n`, 1);
  let routes = c.ns.routeList(r.table === "local" ? "local" : "main");
  if (r.spec.dev !== undefined) routes = routes.filter((x) => x.dev === r.spec.dev);
  if (r.dst !== undefined) routes = routes.filter((x) => x.dst === canonDst(r.dst!));
  if (r.spec.proto !== undefined) routes = routes.filter((x) => x.proto === r.spec.proto);
  for (const x of routes) {
    const spec: Partial<RouteSpec> & { dst: string } = { dst: x.dst, table: x.table };
    if (x.dev) spec.dev = x.dev;
    if (x.via) spec.via = x.via;
    kcall(c, () => c.ns.routeDel(spec));
  }
  return 0;
}

/** Dispatches `ip route CMD ...` (iproute.c do_iproute). */
export function doRoute(c: IpCtx, args: string[]): number {
  const cmd = args[0];
  if (cmd === undefined) return routeShow(c, []);
  const rest = args.slice(1);
  if (matches(cmd, "add") || matches(cmd, "append") || matches(cmd, "prepend")) return routeModify(c, rest, "add");
  if (matches(cmd, "change") || cmd === "chg" || matches(cmd, "replace")) return routeModify(c, rest, "replace");
  if (matches(cmd, "delete")) return routeModify(c, rest, "del");
  if (matches(cmd, "list") || matches(cmd, "show") || matches(cmd, "lst")) return routeShow(c, rest);
  if (matches(cmd, "get")) return routeGet(c, rest);
  if (matches(cmd, "flush")) return routeFlush(c, rest);
  if (matches(cmd, "help")) return fail(c, "Usage: ip route { list | flush } SELECTOR\n", 255);
  return fail(c, `Command "${cmd}" is unknown, try "ip route help".\n`, 255);
}
