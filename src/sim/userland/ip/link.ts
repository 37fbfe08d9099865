/**
 * `ip link add|delete|set|show` as iproute2 6.1 parses them (iplink.c iplink_parse, link_veth.c,
 * link_vxlan.c), with iproute2's own errors, in its order: argument errors while parsing, then
 * the device lookup, then the kernel's answer.
 */
import type { LinkAddRequest, LinkInfo, LinkSetRequest, NetnsRef, SettableLinkFlag, VxlanParams } from "../../kernel/api.js";
import { parseIp } from "../../kernel/wire/ipv4.js";
import { parseMac } from "../../kernel/wire/mac.js";
import {
  duparg2, fail, invarg, kcall, linkExists, matches, nextArg, nodev, nsidNames,
  type IpCtx,
} from "./common.js";
import { briefLinkLine, detailsText, headerLine, linkLayerLine, oneline, statsText } from "./link-print.js";

const KINDS = new Set(["veth", "bridge", "vxlan", "dummy"]);
/** Flag keywords iproute2 6.1 compares whole (strcmp): `multi on` is a device name there; only `dynamic` may be shortened (recorded: fixtures/tools/ip-link-keywords). */
const WHOLE_WORD_FLAGS = ["multicast", "arp", "promisc", "allmulticast", "trailers", "carrier"];
/** The IFF flag each keyword sets with `on` (`arp on` and `trailers on` clear NOARP and NOTRAILERS). */
const FLAG_OF_KEYWORD: Record<string, { name: SettableLinkFlag; inverted: boolean }> = {
  multicast: { name: "MULTICAST", inverted: false },
  arp: { name: "NOARP", inverted: true },
  promisc: { name: "PROMISC", inverted: false },
  allmulticast: { name: "ALLMULTI", inverted: false },
  trailers: { name: "NOTRAILERS", inverted: true },
};

interface Parsed {
  dev?: string;
  name?: string;
  type?: string;
  typeArgs: string[];
  set: LinkSetRequest;
  mtu?: number;
  txqlen?: number;
  address?: string;
}

/** ll_addr_a2n(): a MAC or iproute2's `"X" is invalid lladdr.` (exit 1). */
export function lladdr(c: IpCtx, text: string): string {
  const m = parseMac(text);
  if (!m) fail(c, `"${text}" is invalid lladdr.\n`, 1);
  return m;
}

/** netns_get_fd()/pid: `netns NAME|PID` as a namespace reference, or invarg. */
function netnsArg(c: IpCtx, text: string): NetnsRef {
  const host = c.proc.ctx.host;
  if (host.netnsNamed().includes(text)) return { name: text };
  // A pid: only 1 (init) exists in the simulator's process table.
  if (/^\d+$/.test(text) && Number(text) === 1) return "init";
  return invarg(c, `Invalid "netns" value\n`, text);
}

/** iplink_parse(): the generic link arguments; `type` ends them and the rest belongs to the kind. */
function parse(c: IpCtx, args: string[], isAdd: boolean): Parsed {
  const p: Parsed = { typeArgs: [], set: {} };
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === "up") p.set.up = true;
    else if (a === "down") p.set.up = false;
    else if (a === "name") {
      const v = nextArg(c, args, i++);
      if (p.name) duparg2(c, "name", v);
      p.name = v;
      if (!p.dev) p.dev = v;
    } else if (matches(a, "type")) {
      p.type = nextArg(c, args, i++);
      p.typeArgs = args.slice(i + 1);
      break;
    } else if (matches(a, "address")) {
      p.address = lladdr(c, nextArg(c, args, i++));
    } else if (matches(a, "broadcast") || a === "brd") {
      lladdr(c, nextArg(c, args, i++));
    } else if (matches(a, "txqueuelen") || a === "qlen" || matches(a, "txqlen")) {
      const v = nextArg(c, args, i++);
      if (!/^\d+$/.test(v)) invarg(c, `Invalid "txqueuelen" value\n`, v);
      p.txqlen = Number(v);
    } else if (a === "mtu") {
      const v = nextArg(c, args, i++);
      if (!/^\d+$/.test(v)) invarg(c, `Invalid "mtu" value\n`, v);
      p.mtu = Number(v);
    } else if (a === "netns") {
      p.set.netns = netnsArg(c, nextArg(c, args, i++));
    } else if (a === "master") {
      const v = nextArg(c, args, i++);
      if (!linkExists(c.ns, v)) invarg(c, "Device does not exist\n", v);
      p.set.master = v;
    } else if (matches(a, "nomaster")) {
      p.set.master = null;
    } else if (WHOLE_WORD_FLAGS.includes(a) || matches(a, "dynamic")) {
      const v = nextArg(c, args, i++);
      if (v !== "on" && v !== "off") fail(c, `Error: argument of "${a}" must be "on" or "off", not "${v}"\n`, 255);
      const flag = FLAG_OF_KEYWORD[a] ?? { name: "DYNAMIC", inverted: false };
      // `carrier` is IFLA_CARRIER, not a flag; the simulated kernel does not model it.
      if (a !== "carrier") (p.set.flags ??= {})[flag.name] = (v === "on") !== flag.inverted;
    } else if (a === "alias" || matches(a, "group") || a === "mode" || a === "state" || a === "numtxqueues" || a === "numrxqueues") {
      nextArg(c, args, i++);
    } else {
      if (matches(a, "help")) fail(c, `Usage: ip link add [link DEV | parentdev NAME] [ name ] NAME\n`, 255);
      let v = a;
      if (a === "dev") v = nextArg(c, args, i++);
      if (p.dev !== undefined && p.dev !== p.name) duparg2(c, "dev", v);
      if (p.dev !== undefined && p.dev === p.name && !isAdd) duparg2(c, "dev", v);
      p.dev = v;
      if (isAdd && !p.name) p.name = v;
    }
  }
  return p;
}

/** link_veth.c: `peer [name] NAME [link args]`. */
function vethPeer(c: IpCtx, args: string[]): LinkAddRequest["peer"] | undefined {
  if (args.length === 0) return undefined;
  if (args[0] !== "peer") {
    return fail(c, `Usage: ip link <options> type veth [peer <options>]\nTo get <options> type 'ip link add help'\n`, 255);
  }
  const sub = parse(c, args.slice(1), true);
  const peer: NonNullable<LinkAddRequest["peer"]> = { name: sub.name ?? sub.dev ?? "" };
  if (sub.set.netns !== undefined) peer.netns = sub.set.netns;
  if (sub.address) peer.address = sub.address;
  if (sub.mtu !== undefined) peer.mtu = sub.mtu;
  if (sub.txqlen !== undefined) peer.txqlen = sub.txqlen;
  return peer;
}

const VXLAN_PORT_WARNING =
  "vxlan: destination port not specified\n" +
  "Will use Linux kernel default (non-standard value)\n" +
  "Use 'dstport 4789' to get the IANA assigned value\n" +
  "Use 'dstport 0' to get default and quiet this message\n";

/** link_vxlan.c vxlan_parse_opt. */
function vxlanParams(c: IpCtx, args: string[]): VxlanParams | undefined {
  if (args.length === 0) return undefined;
  let vni: number | undefined;
  const v: Partial<VxlanParams> = {};
  let portGiven = false;
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === "id" || a === "vni") {
      const val = nextArg(c, args, i++);
      if (!/^\d+$/.test(val) || Number(val) >= 1 << 24) invarg(c, "invalid id\n", val);
      vni = Number(val);
    } else if (a === "group" || a === "remote" || a === "local") {
      const val = nextArg(c, args, i++);
      if (parseIp(val) === undefined) invarg(c, `invalid address\n`, val);
      v[a] = val;
    } else if (a === "dev") {
      const val = nextArg(c, args, i++);
      if (!linkExists(c.ns, val)) invarg(c, "invalid device\n", val);
      v.dev = val;
    } else if (a === "dstport") {
      const val = nextArg(c, args, i++);
      if (!/^\d+$/.test(val) || Number(val) > 65535) invarg(c, "dstport\n", val);
      v.dstport = Number(val);
      portGiven = true;
    } else if (a === "ttl" || a === "hoplimit") {
      const val = nextArg(c, args, i++);
      if (val !== "auto" && val !== "inherit") {
        if (!/^\d+$/.test(val) || Number(val) > 255) invarg(c, `invalid TTL\n`, val);
        v.ttl = Number(val);
      }
    } else if (a === "nolearning") v.learning = false;
    else if (a === "learning") v.learning = true;
    else if (["tos", "ageing", "maxaddress", "srcport", "port", "flowlabel", "label", "df"].includes(a)) {
      nextArg(c, args, i++);
      if (a === "srcport" || a === "port") nextArg(c, args, i++);
    } else if (["proxy", "noproxy", "rsc", "norsc", "l2miss", "nol2miss", "l3miss", "nol3miss", "udpcsum", "noudpcsum",
      "external", "noexternal", "gbp", "gpe", "udp6zerocsumtx", "noudp6zerocsumtx", "udp6zerocsumrx", "noudp6zerocsumrx",
      "remcsumtx", "noremcsumtx", "remcsumrx", "noremcsumrx", "collect_metadata"].includes(a)) {
      // accepted; the simulator does not model these knobs
    } else if (matches(a, "help")) {
      fail(c, "Usage: ... vxlan id VNI\n", 255);
    } else {
      fail(c, `vxlan: unknown command "${a}"?\n`, 255);
    }
  }
  if (vni === undefined) fail(c, "vxlan: missing virtual network identifier\n", 1);
  if (!portGiven) c.proc.err(VXLAN_PORT_WARNING);
  return { vni, ...v };
}

/** `ip link add ...`. */
function linkAdd(c: IpCtx, args: string[]): number {
  const p = parse(c, args, true);
  if (!p.type) fail(c, `Not enough information: "type" argument is required\n`, 1);
  const name = p.name ?? p.dev;
  if (!KINDS.has(p.type)) {
    return fail(c, "Error: Unknown device type.\n", 2);
  }
  const req: LinkAddRequest = { name: name ?? "", kind: p.type as LinkAddRequest["kind"] };
  if (p.mtu !== undefined) req.mtu = p.mtu;
  if (p.txqlen !== undefined) req.txqlen = p.txqlen;
  if (p.address) req.address = p.address;
  if (p.type === "veth") {
    const peer = vethPeer(c, p.typeArgs);
    if (peer) req.peer = peer;
  } else if (p.type === "vxlan") {
    const vx = vxlanParams(c, p.typeArgs);
    if (!vx) fail(c, "Error: Required attributes not provided to perform the operation.\n", 2);
    req.vxlan = vx;
  } else if (p.typeArgs.length > 0 && p.type !== "bridge") {
    fail(c, `Garbage instead of arguments "${p.typeArgs.join(" ")} ...". Try "ip link help".\n`, 255);
  }
  kcall(c, () => c.ns.linkAdd(req));
  const rest: LinkSetRequest = {};
  if (p.set.up !== undefined) rest.up = p.set.up;
  if (p.set.master !== undefined) rest.master = p.set.master;
  if (p.set.netns !== undefined) rest.netns = p.set.netns;
  if (p.set.flags !== undefined) rest.flags = p.set.flags;
  if (Object.keys(rest).length > 0 && name) kcall(c, () => c.ns.linkSet(name, rest));
  return 0;
}

/** `ip link set DEV ...`. */
function linkSet(c: IpCtx, args: string[]): number {
  const p = parse(c, args, false);
  if (p.type) fail(c, `Not enough information: "dev" argument is required.\n`, 255);
  const dev = p.dev;
  if (!dev) fail(c, `Not enough information: "dev" argument is required.\n`, 255);
  if (!linkExists(c.ns, dev)) nodev(c, dev);
  const req: LinkSetRequest = { ...p.set };
  if (p.name && p.name !== dev) req.name = p.name;
  if (p.mtu !== undefined) req.mtu = p.mtu;
  if (p.address) req.address = p.address;
  if (Object.keys(req).length === 0) return 0;
  kcall(c, () => c.ns.linkSet(dev, req));
  return 0;
}

/** `ip link del DEV`. */
function linkDel(c: IpCtx, args: string[]): number {
  const p = parse(c, args, false);
  const dev = p.dev;
  if (!dev) fail(c, `Not enough information: "dev" argument is required.\n`, 255);
  if (!linkExists(c.ns, dev)) nodev(c, dev);
  kcall(c, () => c.ns.linkDel(dev));
  return 0;
}

/** Filters of `ip link show` / `ip addr show`: `[dev] NAME`, `up`, `master BR`, `type KIND`. */
export interface ShowFilter {
  dev?: string;
  up?: boolean;
  master?: string;
  kind?: string;
}

/** Parses the show filters; unknown words are the device name (a second one is a duparg2). */
export function parseShowFilter(c: IpCtx, args: string[]): ShowFilter {
  const f: ShowFilter = {};
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === "up") f.up = true;
    else if (a === "master") {
      const v = nextArg(c, args, i++);
      if (!linkExists(c.ns, v)) invarg(c, "Device does not exist\n", v);
      f.master = v;
    } else if (a === "type") f.kind = nextArg(c, args, i++);
    else if (a === "scope" || a === "label" || a === "to" || a === "group" || a === "vrf") nextArg(c, args, i++);
    else if (a === "primary" || a === "secondary" || a === "permanent" || a === "dynamic") {
      // address flags filters: accepted
    } else {
      let v = a;
      if (a === "dev") v = nextArg(c, args, i++);
      if (f.dev !== undefined) duparg2(c, "dev", v);
      f.dev = v;
    }
  }
  return f;
}

/** Links passing a show filter, in ifindex order. */
export function filteredLinks(c: IpCtx, f: ShowFilter): LinkInfo[] {
  const all = c.ns.linkList().sort((a, b) => a.ifindex - b.ifindex);
  return all.filter((l) => {
    if (f.dev !== undefined && l.name !== f.dev) return false;
    if (f.up && !l.flags.includes("UP")) return false;
    if (f.master !== undefined && l.master !== f.master) return false;
    if (f.kind !== undefined) {
      const kind = l.kind === "ipvs" ? "dummy" : l.kind;
      if (kind !== f.kind) return false;
    }
    return true;
  });
}

/** `ip link show`. */
function linkShow(c: IpCtx, args: string[]): number {
  const f = parseShowFilter(c, args);
  const all = c.ns.linkList().sort((a, b) => a.ifindex - b.ifindex);
  if (f.dev !== undefined && !all.some((l) => l.name === f.dev)) fail(c, `Device "${f.dev}" does not exist.\n`, 1);
  const names = nsidNames(c);
  for (const l of filteredLinks(c, f)) {
    if (c.opts.brief) {
      c.proc.out(briefLinkLine(l, all));
      continue;
    }
    let text = headerLine(l, all, false) + "\n" + linkLayerLine(l, names);
    text += c.opts.details ? detailsText(l, all) : "\n";
    if (c.opts.stats) text += statsText(l);
    c.proc.out(c.opts.oneline ? oneline(text) : text);
  }
  return 0;
}

/** Dispatches `ip link CMD ...` (iplink.c do_iplink). */
export function doLink(c: IpCtx, args: string[]): number {
  const cmd = args[0];
  if (cmd === undefined) return linkShow(c, []);
  const rest = args.slice(1);
  if (matches(cmd, "add")) return linkAdd(c, rest);
  if (matches(cmd, "set") || matches(cmd, "change")) return linkSet(c, rest);
  if (matches(cmd, "delete")) return linkDel(c, rest);
  if (matches(cmd, "show") || matches(cmd, "lst") || matches(cmd, "list")) return linkShow(c, rest);
  if (matches(cmd, "help")) return fail(c, "Usage: ip link add [link DEV | parentdev NAME] [ name ] NAME\n", 255);
  return fail(c, `Command "${cmd}" is unknown, try "ip link help".\n`, 255);
}
