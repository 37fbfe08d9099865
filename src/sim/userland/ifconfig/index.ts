/**
 * busybox 1.35 `ifconfig` (networking/ifconfig.c, networking/interface.c): the listing
 *
 *   v1        Link encap:Ethernet  HWaddr 4E:8D:C7:93:F0:7B
 *             inet addr:10.0.0.1  Bcast:0.0.0.0  Mask:255.255.255.0
 *             UP BROADCAST RUNNING MULTICAST  MTU:1500  Metric:1
 *             RX packets:0 errors:0 dropped:0 overruns:0 frame:0
 *             TX packets:0 errors:0 dropped:0 overruns:0 carrier:0
 *             collisions:0 txqueuelen:1000
 *             RX bytes:0 (0.0 B)  TX bytes:0 (0.0 B)
 *
 * (only the first IPv4 address, as SIOCGIFADDR returns it), and the setters: ADDRESS (which
 * also brings the interface up, with the classful mask until `netmask` changes it and the
 * broadcast the kernel derives), netmask, broadcast, mtu, hw ether, up, down.
 */
import { KernelError, type AddrInfo, type LinkInfo, type NetnsApi } from "../../kernel/api.js";
import { broadcastOf, formatIp, maskOf, parseIp } from "../../kernel/wire/ipv4.js";
import { parseMac } from "../../kernel/wire/mac.js";
import { busyboxUsage } from "../lib/busybox.js";
import { strerror } from "../lib/errno.js";
import { isIpv4Literal, lookupHosts } from "../lib/resolver.js";
import type { ProgramSpec, Proc } from "../types.js";

const FLAG_ORDER = ["UP", "BROADCAST", "DEBUG", "LOOPBACK", "POINTOPOINT", "NOTRAILERS", "RUNNING", "NOARP", "PROMISC", "ALLMULTI", "SLAVE", "MASTER", "MULTICAST", "DYNAMIC"];

/** print_bytes_scaled(): `918 (918.0 B)`, `2048 (2.0 KiB)`. */
export function bytesScaled(n: number): string {
  let int = n;
  let frac = 0;
  const ext = ["", "Ki", "Mi", "Gi", "Ti"];
  let e = 0;
  for (let i = 0; i < 4; i++) {
    if (int >= 1024) {
      frac = Math.floor(((int % 1024) * 10) / 1024);
      int = Math.floor(int / 1024);
      e++;
    }
  }
  return `${n} (${int}.${frac} ${ext[e]}B)`;
}

/** ife_print(): one interface's block, ending with the blank line. */
export function ifconfigBlock(l: LinkInfo, addr: AddrInfo | undefined): string {
  const loop = l.kind === "loopback";
  let s = `${l.name.padEnd(9)} Link encap:${loop ? "Local Loopback" : "Ethernet"}  `;
  if (!loop) s += `HWaddr ${l.mac.toUpperCase()}  `;
  s += "\n";
  const flags = new Set(l.flags);
  if (addr) {
    const [ip, plen] = addr.cidr.split("/");
    s += `          inet addr:${ip} `;
    if (flags.has("BROADCAST")) s += ` Bcast:${addr.broadcast ?? "0.0.0.0"} `;
    s += ` Mask:${formatIp(maskOf(Number(plen)))}\n`;
  }
  const shown = FLAG_ORDER.filter((f) => (f === "RUNNING" ? flags.has("UP") && flags.has("LOWER_UP") : flags.has(f)));
  s += `          ${shown.map((f) => f + " ").join("")} MTU:${l.mtu}  Metric:1\n`;
  const st = l.stats;
  s += `          RX packets:${st.rxPackets} errors:0 dropped:${st.rxDropped} overruns:0 frame:0\n`;
  s += `          TX packets:${st.txPackets} errors:0 dropped:${st.txDropped} overruns:0 carrier:0\n`;
  s += `          collisions:0 txqueuelen:${l.txqlen} \n`;
  s += `          RX bytes:${bytesScaled(st.rxBytes)}  TX bytes:${bytesScaled(st.txBytes)}\n\n`;
  return s;
}

function firstAddr(ns: NetnsApi, dev: string): AddrInfo | undefined {
  return ns.addrList().find((a) => a.dev === dev && (a.label ?? a.dev) === dev);
}

function list(p: Proc, all: boolean, only?: string): number {
  const ns = p.ctx.netns;
  // busybox keeps its interface list sorted by name with strcmp (add_interface in
  // networking/interface.c): B2 before a2, eth10 before eth9; lo is not first.
  const links = ns.linkList().sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  if (only !== undefined) {
    const l = links.find((x) => x.name === only);
    if (!l) {
      p.err(`ifconfig: ${only}: error fetching interface information: Device not found\n`);
      return 1;
    }
    p.out(ifconfigBlock(l, firstAddr(ns, l.name)));
    return 0;
  }
  for (const l of links) {
    if (!all && !l.flags.includes("UP")) continue;
    p.out(ifconfigBlock(l, firstAddr(ns, l.name)));
  }
  return 0;
}

/** Classful default prefix (inet_abc_len) for SIOCSIFADDR. */
function classfulLen(ip: number): number {
  if (ip === 0) return 0;
  if ((ip >>> 31) === 0) return 8;
  if ((ip >>> 30) === 2) return 16;
  if ((ip >>> 29) === 6) return 24;
  return 32;
}

class Fail extends Error {
  constructor(readonly text: string) {
    super(text);
  }
}

function configure(p: Proc, dev: string, args: string[]): number {
  const ns = p.ctx.netns;
  const link = ns.linkList().find((l) => l.name === dev);
  let address: number | undefined;
  let mask: number | undefined;
  let bcast: number | undefined;
  let up: boolean | undefined;
  let mtu: number | undefined;
  let hw: string | undefined;
  const addrArg = (v: string | undefined): number => {
    if (v === undefined) throw new Fail(busyboxUsage("ifconfig"));
    const lit = isIpv4Literal(v) ? v : lookupHosts(p.ctx.fs.readFile("/etc/hosts"), v);
    const n = lit !== undefined ? parseIp(lit) : undefined;
    if (n === undefined) throw new Fail(`ifconfig: bad address '${v}'\n`);
    return n;
  };
  try {
    for (let i = 0; i < args.length; i++) {
      const a = args[i]!;
      if (a === "up") up = true;
      else if (a === "down") up = false;
      else if (a === "netmask") mask = addrArg(args[++i]);
      else if (a === "broadcast") bcast = addrArg(args[++i]);
      else if (a === "mtu" || a === "metric" || a === "txqueuelen") {
        const v = args[++i];
        if (v === undefined || !/^\d+$/.test(v)) throw new Fail(`ifconfig: invalid number '${v ?? ""}'\n`);
        if (a === "mtu") mtu = Number(v);
      } else if (a === "hw") {
        const cls = args[++i];
        const v = args[++i];
        if (cls !== "ether" || v === undefined) throw new Fail(busyboxUsage("ifconfig"));
        const m = parseMac(v);
        if (!m) throw new Fail(`ifconfig: invalid hw-addr ${v}\n`);
        hw = m;
      } else if (["arp", "-arp", "promisc", "-promisc", "allmulti", "-allmulti", "multicast", "trailers", "-trailers", "dynamic", "-dynamic", "-broadcast", "-pointopoint"].includes(a)) {
        continue;
      } else if (a === "add" || a === "del" || a === "pointopoint" || a === "dstaddr" || a === "keepalive" || a === "outfill") {
        throw new Fail(`lab: ifconfig ${a}: not available in the simulator\n`);
      } else {
        const slash = a.indexOf("/");
        address = addrArg(slash < 0 ? a : a.slice(0, slash));
        if (slash >= 0) {
          const plen = Number(a.slice(slash + 1));
          if (!/^\d+$/.test(a.slice(slash + 1)) || plen > 32) throw new Fail(`ifconfig: bad address '${a}'\n`);
          mask = maskOf(plen);
        }
        if (up === undefined) up = true;
      }
    }
    if (!link) throw new Fail("ifconfig: SIOCGIFFLAGS: No such device\n");
    const name = dev;
    if (address !== undefined || mask !== undefined || bcast !== undefined) {
      const old = firstAddr(ns, name);
      const oldIp = old ? parseIp(old.cidr.split("/")[0]!)! : undefined;
      const oldLen = old ? Number(old.cidr.split("/")[1]) : undefined;
      const ip = address ?? oldIp;
      if (ip === undefined) throw new Fail("ifconfig: SIOCSIFNETMASK: Cannot assign requested address\n");
      let plen = address !== undefined ? classfulLen(ip) : oldLen!;
      if (mask !== undefined) plen = countMask(mask);
      const brd = bcast !== undefined ? formatIp(bcast) : link.flags.includes("BROADCAST") && plen < 31 ? formatIp(broadcastOf(ip, plen)) : undefined;
      if (old) ns.addrDel(name, old.cidr);
      ns.addrAdd(name, `${formatIp(ip)}/${plen}`, brd ? { broadcast: brd } : {});
    }
    if (mtu !== undefined) ns.linkSet(name, { mtu });
    if (hw !== undefined) ns.linkSet(name, { address: hw });
    if (up !== undefined) ns.linkSet(name, { up });
  } catch (e) {
    if (e instanceof Fail) {
      p.err(e.text);
      return 1;
    }
    if (e instanceof KernelError) {
      p.err(`ifconfig: SIOCSIFFLAGS: ${strerror(e.errno)}\n`);
      return 1;
    }
    throw e;
  }
  return 0;
}

/** Prefix length of a contiguous netmask. */
function countMask(mask: number): number {
  let n = 0;
  for (let b = 31; b >= 0 && ((mask >>> b) & 1) === 1; b--) n++;
  return n;
}

function run(p: Proc): number {
  const args = p.argv.slice(1);
  let all = false;
  while (args[0]?.startsWith("-") && args[0] !== "-") {
    const o = args.shift()!;
    if (o === "-a") all = true;
    else {
      p.err(`ifconfig: invalid option -- '${o.slice(1, 2)}'\n${busyboxUsage("ifconfig")}`);
      return 1;
    }
  }
  if (args.length === 0) return list(p, all);
  if (args.length === 1) return list(p, true, args[0]);
  return configure(p, args[0]!, args.slice(1));
}

/** The busybox `ifconfig` program. */
export const ifconfig: ProgramSpec = { name: "ifconfig", summary: "show and configure interfaces (busybox 1.35)", run };

/** Programs this folder provides. */
export const programs: ProgramSpec[] = [ifconfig];
