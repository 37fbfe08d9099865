/**
 * busybox 1.35's own `ip` applet prints listings differently from iproute2, and it is the `ip`
 * of busybox containers and pods (contexts whose shell is ash). From
 * mirror/busybox@1_35_0:networking/libiproute/{ipaddress.c,iproute.c}, checked against
 * `busybox ip` captures on this machine:
 *
 *   3: v1@v2: <NO-CARRIER,BROADCAST,MULTICAST,UP,M-DOWN> mtu 1500 qdisc noqueue qlen 1000
 *       link/ether 1a:50:f3:27:ea:2a brd ff:ff:ff:ff:ff:ff
 *       inet 10.0.0.1/24 scope global v1
 *          valid_lft forever preferred_lft forever
 *   10.0.0.0/24 dev v1 scope link  src 10.0.0.1
 *
 * No `state`/`mode`/`group` (the build has no IFF_DORMANT), no `proto`, `link-netns` or `linkdown`;
 * `name@peer` resolves the peer's index in the current namespace (so a container's eth0 shows
 * `eth0@if7` and, with no local device 7, `M-DOWN`).
 */
import type { AddrInfo, LinkInfo, RouteInfo } from "../../kernel/api.js";
import { parseCidr, networkOf } from "../../kernel/wire/ipv4.js";
import { IFF_BITS } from "../../kernel/wire/iff.js";
import { fail, matches, type IpCtx } from "./common.js";

const FLAGS = ["LOOPBACK", "BROADCAST", "POINTOPOINT", "MULTICAST", "NOARP", "UP", "LOWER_UP"];

function header(l: LinkInfo, all: LinkInfo[]): string {
  let s = `${l.ifindex}: ${l.name}`;
  let mdown = false;
  // The kernel sends IFLA_LINK for a veth even when the peer's index equals its own.
  if (l.linkNetnsId !== undefined || l.peerName !== undefined || (l.iflink !== l.ifindex && l.iflink !== 0)) {
    const local = all.find((x) => x.ifindex === l.iflink);
    s += `@${local ? local.name : `if${l.iflink}`}: `;
    mdown = !local?.flags.includes("UP");
  } else s += ": ";
  const flags = FLAGS.filter((f) => l.flags.includes(f));
  const noCarrier = l.flags.includes("UP") && !l.flags.includes("LOWER_UP");
  // print_link_flags names only FLAGS; the other bits follow as `%x`, without a comma (`LOWER_UP100`).
  let rest = 0;
  for (const f of l.flags) if (!FLAGS.includes(f)) rest |= IFF_BITS[f] ?? 0;
  s += `<${noCarrier ? "NO-CARRIER," : ""}${flags.join(",")}${rest ? rest.toString(16) : ""}${mdown ? ",M-DOWN" : ""}> mtu ${l.mtu} qdisc ${l.qdisc} `;
  if (l.master) s += `master ${l.master} `;
  if (l.txqlen > 0) s += `qlen ${l.txqlen}`;
  return s;
}

function linkText(l: LinkInfo, all: LinkInfo[], withLinkLayer: boolean, sep: string): string {
  let s = header(l, all);
  if (withLinkLayer) s += `${sep}    link/${l.kind === "loopback" ? "loopback" : "ether"} ${l.mac} brd ${l.brd}`;
  return s + "\n";
}

function secondaries(addrs: AddrInfo[]): Set<AddrInfo> {
  const out = new Set<AddrInfo>();
  addrs.forEach((a, i) => {
    const pa = parseCidr(a.cidr);
    if (!pa) return;
    const covered = addrs.slice(0, i).some((b) => {
      const pb = parseCidr(b.cidr);
      return pb && b.ifindex === a.ifindex && !out.has(b) && pb.plen === pa.plen && networkOf(pb.addr, pb.plen) === networkOf(pa.addr, pa.plen);
    });
    if (covered) out.add(a);
  });
  return out;
}

function addrText(a: AddrInfo, secondary: boolean, sep: string, prefix: string): string {
  let s = `${prefix}    inet ${a.cidr} `;
  if (a.broadcast) s += `brd ${a.broadcast} `;
  s += `scope ${a.scope} `;
  if (secondary) s += "secondary ";
  s += `${a.label ?? a.dev}${sep}       valid_lft forever preferred_lft forever\n`;
  return s;
}

/** Parses `[dev] NAME` / `up` / `label X` show filters as busybox does. */
function devFilter(c: IpCtx, args: string[]): { dev?: string; up: boolean } {
  let dev: string | undefined;
  let up = false;
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === "up") up = true;
    else if (a === "label" || a === "scope" || a === "to") i++;
    else if (a === "dev") dev = args[++i];
    else dev = a;
  }
  if (dev !== undefined && !c.ns.linkList().some((l) => l.name === dev)) fail(c, `ip: can't find device '${dev}'\n`, 2);
  return dev !== undefined ? { dev, up } : { up };
}

/** `ip link [show]` and `ip addr [show]` in busybox's format. */
export function busyboxLinkOrAddrShow(c: IpCtx, args: string[], withAddrs: boolean): number {
  const f = devFilter(c, args);
  const all = c.ns.linkList().sort((a, b) => a.ifindex - b.ifindex);
  const addrs = c.ns.addrList();
  const sec = secondaries(addrs);
  const sep = c.opts.oneline ? "\\" : "\n";
  const inetOnly = c.opts.family === "inet";
  for (const l of all) {
    if (f.dev !== undefined && l.name !== f.dev) continue;
    if (f.up && !l.flags.includes("UP")) continue;
    const mine = withAddrs ? addrs.filter((a) => a.ifindex === l.ifindex) : [];
    if (withAddrs && (inetOnly || c.opts.oneline) && mine.length === 0) continue;
    // -o with addresses prints only the address lines, each prefixed with `N: name`.
    if (!(withAddrs && c.opts.oneline)) c.proc.out(linkText(l, all, !inetOnly, sep));
    const prefix = c.opts.oneline ? `${l.ifindex}: ${l.name}` : "";
    for (const a of mine) c.proc.out(addrText(a, sec.has(a), sep, prefix));
  }
  return 0;
}

/** One route in busybox's format. */
export function busyboxRouteLine(r: RouteInfo): string {
  let s = "";
  if (r.type !== "unicast") s += `${r.type} `;
  s += `${r.dst} `;
  if (r.via) s += `via ${r.via} `;
  if (r.dev) s += `dev ${r.dev} `;
  if (r.scope !== "global") s += `scope ${r.scope} `;
  if (r.src) s += ` src ${r.src} `;
  if (r.metric) s += ` metric ${r.metric} `;
  if (r.onlink) s += "onlink ";
  return s + "\n";
}

/** `ip route [list|show] [dev D]` in busybox's format (main table). */
export function busyboxRouteShow(c: IpCtx, args: string[]): number {
  let dev: string | undefined;
  for (let i = 0; i < args.length; i++) {
    if (args[i] === "dev") dev = args[++i];
    else if (matches(args[i], "table")) i++;
  }
  if (dev !== undefined && !c.ns.linkList().some((l) => l.name === dev)) fail(c, `ip: can't find device '${dev}'\n`, 2);
  for (const r of c.ns.routeList("main")) {
    if (dev !== undefined && r.dev !== dev) continue;
    c.proc.out(busyboxRouteLine(r));
  }
  return 0;
}

/** True when `ip` runs in a busybox userland (a busybox container or pod: its shell is ash). */
export function isBusyboxContext(c: IpCtx): boolean {
  return c.proc.ctx.shell === "ash";
}
