/**
 * `ip address add|del|show|flush` (ipaddress.c), printing as iproute2 6.1 does:
 *
 *   3: d0@d0p: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc noqueue state UP group default qlen 1000
 *       link/ether 12:71:5d:11:93:38 brd ff:ff:ff:ff:ff:ff
 *       inet 10.2.0.1/16 brd 10.2.255.255 scope global d0
 *          valid_lft forever preferred_lft forever
 *
 * An address whose subnet an earlier address on the device already covers is `secondary`.
 */
import type { AddrInfo, LinkInfo } from "../../kernel/api.js";
import { broadcastOf, formatIp, networkOf, parseCidr } from "../../kernel/wire/ipv4.js";
import { duparg2, fail, getAddr, getPrefix, kcall, linkExists, matches, nextArg, nodev, nsidNames, type IpCtx } from "./common.js";
import { filteredLinks, parseShowFilter } from "./link.js";
import { headerLine, linkLayerLine, netnsSuffix, oneline, displayName } from "./link-print.js";

/** Marks each address primary or secondary as the kernel does (same device, same subnet, earlier = primary). */
function secondaries(addrs: AddrInfo[]): Set<AddrInfo> {
  const out = new Set<AddrInfo>();
  addrs.forEach((a, i) => {
    const pa = parseCidr(a.cidr);
    if (!pa) return;
    for (let j = 0; j < i; j++) {
      const b = addrs[j]!;
      const pb = parseCidr(b.cidr);
      if (!pb || b.ifindex !== a.ifindex || out.has(b)) continue;
      if (pb.plen === pa.plen && networkOf(pb.addr, pb.plen) === networkOf(pa.addr, pa.plen)) {
        out.add(a);
        break;
      }
    }
  });
  return out;
}

/** The `inet ...` line and its lifetime line, as printed under a link (no trailing newline handling). */
function inetText(a: AddrInfo, secondary: boolean): string {
  let s = `    inet ${a.cidr}`;
  if (a.broadcast) s += ` brd ${a.broadcast}`;
  s += ` scope ${a.scope}`;
  if (secondary) s += " secondary";
  s += ` ${a.label ?? a.dev}\n       valid_lft forever preferred_lft forever\n`;
  return s;
}

/** `ip addr show [dev] NAME [up]`. */
function addrShow(c: IpCtx, args: string[]): number {
  const f = parseShowFilter(c, args);
  const all = c.ns.linkList().sort((a, b) => a.ifindex - b.ifindex);
  if (f.dev !== undefined && !all.some((l) => l.name === f.dev)) fail(c, `Device "${f.dev}" does not exist.\n`, 1);
  const addrs = c.ns.addrList();
  const sec = secondaries(addrs);
  const names = nsidNames(c);
  const inetOnly = c.opts.family === "inet";
  for (const l of filteredLinks(c, f)) {
    const mine = addrs.filter((a) => a.ifindex === l.ifindex);
    if (c.opts.brief) {
      if (inetOnly && mine.length === 0) continue;
      c.proc.out(`${displayName(l, all).padEnd(16)} ${l.operstate.padEnd(14)} ${mine.map((a) => a.cidr + " ").join("")}\n`);
      continue;
    }
    if (c.opts.oneline) {
      // -o prints one line per address and no link lines.
      for (const a of mine) c.proc.out(`${l.ifindex}: ${l.name.padEnd(5)} ${oneline(inetText(a, sec.has(a)).slice(4))}`);
      continue;
    }
    if (inetOnly && mine.length === 0) continue;
    let text = headerLine(l, all, true);
    text += inetOnly ? netnsSuffix(l, names) + "\n" : "\n" + linkLayerLine(l, names) + "\n";
    for (const a of mine) text += inetText(a, sec.has(a));
    c.proc.out(text);
  }
  return 0;
}

/** Resolves `brd +` / `brd -` / an address. */
function broadcastArg(c: IpCtx, v: string, cidr: string): string | undefined {
  const p = parseCidr(cidr)!;
  if (v === "+") return p.plen >= 31 ? undefined : formatIp(broadcastOf(p.addr, p.plen));
  if (v === "-") return formatIp(networkOf(p.addr, p.plen));
  return getAddr(c, v);
}

/** `ip addr add|del PREFIX [brd X] [label L] [scope S] dev DEV`. */
function addrModify(c: IpCtx, args: string[], del: boolean): number {
  let local: string | undefined;
  let dev: string | undefined;
  let label: string | undefined;
  let brd: string | undefined;
  let scope: AddrInfo["scope"] | undefined;
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === "peer" || a === "remote") getPrefix(c, nextArg(c, args, i++));
    else if (matches(a, "broadcast") || a === "brd") brd = nextArg(c, args, i++);
    else if (matches(a, "anycast")) nextArg(c, args, i++);
    else if (matches(a, "scope")) {
      const v = nextArg(c, args, i++);
      if (v !== "global" && v !== "link" && v !== "host" && v !== "0" && v !== "253" && v !== "254") {
        fail(c, `Error: argument "${v}" is wrong: invalid scope value.\n`, 255);
      }
      scope = v === "0" ? "global" : v === "253" ? "link" : v === "254" ? "host" : (v as AddrInfo["scope"]);
    } else if (a === "dev") dev = nextArg(c, args, i++);
    else if (matches(a, "label")) label = nextArg(c, args, i++);
    else if (matches(a, "valid_lft") || matches(a, "preferred_lft") || a === "metric" || a === "priority") nextArg(c, args, i++);
    else if (["noprefixroute", "home", "nodad", "optimistic", "mngtmpaddr", "autojoin"].includes(a)) {
      // flags the simulator accepts and ignores
    } else {
      let v = a;
      if (matches(a, "local")) v = nextArg(c, args, i++);
      if (local !== undefined) duparg2(c, "local", v);
      local = getPrefix(c, v).text;
      if (local === "default") fail(c, `Error: any valid prefix is expected rather than "${v}".\n`, 1);
    }
  }
  if (dev === undefined) fail(c, `Not enough information: "dev" argument is required.\n`, 1);
  if (label !== undefined && label !== dev && !label.startsWith(dev + ":")) {
    fail(c, `"label" (${label}) must match "dev" (${dev}) or be prefixed by "dev" with a colon.\n`, 1);
  }
  if (!linkExists(c.ns, dev)) nodev(c, dev);
  if (local === undefined) {
    if (del) fail(c, "Error: ipv4: Address not found.\n", 2);
    fail(c, "RTNETLINK answers: Invalid argument\n", 2);
  }
  const cidr = local.includes("/") ? local : `${local}/32`;
  if (del) {
    kcall(c, () => c.ns.addrDel(dev, cidr));
    return 0;
  }
  const opts: { broadcast?: string; label?: string; scope?: AddrInfo["scope"] } = {};
  if (brd !== undefined) {
    const b = broadcastArg(c, brd, cidr);
    if (b !== undefined) opts.broadcast = b;
  }
  if (label !== undefined) opts.label = label;
  if (scope !== undefined) opts.scope = scope;
  kcall(c, () => c.ns.addrAdd(dev, cidr, opts));
  return 0;
}

/** `ip addr flush dev DEV`. */
function addrFlush(c: IpCtx, args: string[]): number {
  if (args.length === 0) fail(c, "Flush requires arguments.\n", 255);
  const f = parseShowFilter(c, args);
  const links: LinkInfo[] = filteredLinks(c, f);
  if (f.dev !== undefined && links.length === 0) fail(c, `Device "${f.dev}" does not exist.\n`, 1);
  for (const l of links) kcall(c, () => c.ns.addrFlush(l.name));
  return 0;
}

/** Dispatches `ip address CMD ...` (ipaddress.c do_ipaddr). */
export function doAddr(c: IpCtx, args: string[]): number {
  const cmd = args[0];
  if (cmd === undefined) return addrShow(c, []);
  const rest = args.slice(1);
  if (matches(cmd, "add") || matches(cmd, "change") || matches(cmd, "replace")) return addrModify(c, rest, false);
  if (matches(cmd, "delete")) return addrModify(c, rest, true);
  if (matches(cmd, "list") || matches(cmd, "show") || matches(cmd, "lst")) return addrShow(c, rest);
  if (matches(cmd, "flush")) return addrFlush(c, rest);
  if (matches(cmd, "help")) return fail(c, "Usage: ip address {add|change|replace} IFADDR dev IFNAME [ LIFETIME ]\n", 255);
  return fail(c, `Command "${cmd}" is unknown, try "ip address help".\n`, 255);
}
