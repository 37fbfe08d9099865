/**
 * `ip` (iproute2 6.1.0): global options, then the object (`link`, `address`, `route`, `neigh`,
 * `netns`) matched by prefix as ip.c does, in ip.c's table order (so `ip a` is address, `ip r`
 * route, `ip n` neigh). Errors and exit statuses follow ip.c; see common.ts. In a busybox
 * userland (ash contexts: busybox containers and pods) link/address/route listings take busybox's
 * own format (busybox-show.ts).
 */
import type { ProgramSpec, Proc } from "../types.js";
import { busyboxUsage } from "../lib/busybox.js";
import { doAddr } from "./addr.js";
import { busyboxLinkOrAddrShow, busyboxRouteShow, isBusyboxContext } from "./busybox-show.js";
import { IpExit, matches, type IpCtx, type IpOptions } from "./common.js";
import { doLink } from "./link.js";
import { doNeigh } from "./neigh.js";
import { doNetns, namedNetns } from "./netns.js";
import { doRoute } from "./route.js";

const USAGE = `Usage: ip [ OPTIONS ] OBJECT { COMMAND | help }
       ip [ -force ] -batch filename
where  OBJECT := { address | addrlabel | amt | fou | help | ila | ioam | l2tp |
                   link | macsec | maddress | monitor | mptcp | mroute | mrule |
                   neighbor | neighbour | netconf | netns | nexthop | ntable |
                   ntbl | route | rule | sr | tap | tcpmetrics |
                   token | tunnel | tuntap | vrf | xfrm }
       OPTIONS := { -V[ersion] | -s[tatistics] | -d[etails] | -r[esolve] |
                    -h[uman-readable] | -iec | -j[son] | -p[retty] |
                    -f[amily] { inet | inet6 | mpls | bridge | link } |
                    -4 | -6 | -M | -B | -0 |
                    -l[oops] { maximum-addr-flush-attempts } | -br[ief] |
                    -o[neline] | -t[imestamp] | -ts[hort] | -b[atch] [filename] |
                    -rc[vbuf] [size] | -n[etns] name | -N[umeric] | -a[ll] |
                    -c[olor]}
`;

type Handler = (c: IpCtx, args: string[]) => number | Promise<number>;

/** ip.c's object table in its order; objects the simulator lacks map to undefined. */
const OBJECTS: Array<[string, Handler | undefined]> = [
  ["address", doAddr], ["addrlabel", undefined], ["amt", undefined], ["maddress", undefined], ["route", doRoute],
  ["rule", undefined], ["neighbor", doNeigh], ["neighbour", doNeigh], ["ntable", undefined], ["ntbl", undefined],
  ["link", doLink], ["l2tp", undefined], ["fou", undefined], ["ila", undefined], ["macsec", undefined],
  ["tunnel", undefined], ["tuntap", undefined], ["tap", undefined], ["token", undefined], ["tcpmetrics", undefined],
  ["tcp_metrics", undefined], ["monitor", undefined], ["xfrm", undefined], ["mroute", undefined], ["mrule", undefined],
  ["netns", doNetns], ["netconf", undefined], ["vrf", undefined], ["sr", undefined], ["nexthop", undefined],
  ["mptcp", undefined], ["ioam", undefined], ["stats", undefined],
];

async function main(p: Proc): Promise<number> {
  const opts: IpOptions = { oneline: false, details: 0, stats: 0, brief: false };
  let ns = p.ctx.netns;
  const args = p.argv.slice(1);
  const c: IpCtx = { proc: p, ns, opts };
  const busybox = isBusyboxContext(c);
  while (args.length > 0 && args[0]!.startsWith("-")) {
    let opt = args.shift()!;
    if (opt === "--") break;
    // busybox's ip_parse_common_args knows -f[amily], -4, -6, -0 and -o[neline]; any other
    // option shows the applet's usage (stderr, exit 1): `busybox ip -br link`.
    if (busybox && !/^--?(f(a(m(i(ly?)?)?)?)?|o(n(e(l(i(ne?)?)?)?)?)?|4|6|0)$/.test(opt)) {
      p.err(busyboxUsage("ip"));
      return 1;
    }
    if (opt[1] === "-") opt = opt.slice(1);
    if (matches(opt, "-loops") || matches(opt, "-rcvbuf")) {
      if (args.shift() === undefined) return usage(p);
    } else if (matches(opt, "-family")) {
      const f = args.shift();
      if (f === undefined) return usage(p);
      if (f === "inet") opts.family = "inet";
      else if (f === "inet6") opts.family = "inet6";
      else if (f === "link") opts.family = "link";
      else if (f !== "bridge" && f !== "mpls") {
        p.err(`Error: argument "${f}" is wrong: invalid protocol family\n`);
        return 255;
      }
    } else if (opt === "-4") opts.family = "inet";
    else if (opt === "-6") opts.family = "inet6";
    else if (opt === "-0") opts.family = "link";
    else if (opt === "-M" || opt === "-B") continue;
    else if (matches(opt, "-human") || matches(opt, "-human-readable") || matches(opt, "-iec")) continue;
    else if (matches(opt, "-stats") || matches(opt, "-statistics")) opts.stats++;
    else if (matches(opt, "-details")) opts.details++;
    else if (matches(opt, "-resolve")) continue;
    else if (matches(opt, "-oneline")) opts.oneline = true;
    else if (matches(opt, "-timestamp") || matches(opt, "-tshort")) continue;
    else if (matches(opt, "-Version")) {
      p.out("ip utility, iproute2-6.1.0, libbpf 1.1.2\n");
      return 0;
    } else if (matches(opt, "-force")) continue;
    else if (matches(opt, "-batch")) {
      p.err("lab: ip -batch: not available in the simulator\n");
      return 127;
    } else if (matches(opt, "-brief")) opts.brief = true;
    else if (matches(opt, "-json") || matches(opt, "-pretty")) {
      p.err("lab: ip -json: not available in the simulator\n");
      return 127;
    } else if (matches(opt, "-color") || opt.startsWith("-color=")) continue;
    else if (matches(opt, "-help")) return usage(p);
    else if (matches(opt, "-netns")) {
      const name = args.shift();
      if (name === undefined) return usage(p);
      const target = namedNetns(c, name);
      if (!target) {
        p.err(`Cannot open network namespace "${name}": No such file or directory\n`);
        return 255;
      }
      ns = target;
      c.ns = target;
    } else if (matches(opt, "-Numeric") || matches(opt, "-all") || opt === "-echo") continue;
    else {
      p.err(`Option "${opt}" is unknown, try "ip -help".\n`);
      return 255;
    }
  }
  const obj = args[0];
  if (obj === undefined) return usage(p);
  if (isBusyboxContext(c)) {
    const sub = args[1];
    const listing = sub === undefined || matches(sub, "show") || matches(sub, "list") || sub === "lst";
    const rest = sub === undefined ? [] : args.slice(2);
    if (listing && matches(obj, "link")) return busyboxLinkOrAddrShow(c, rest, false);
    if (listing && matches(obj, "address")) return busyboxLinkOrAddrShow(c, rest, true);
    if (listing && matches(obj, "route")) return busyboxRouteShow(c, rest);
  }
  for (const [name, handler] of OBJECTS) {
    if (!matches(obj, name)) continue;
    if (!handler) {
      p.err(`lab: ip ${name}: not available in the simulator (available: ip link, ip address, ip route, ip neigh, ip netns)\n`);
      return 127;
    }
    return handler(c, args.slice(1));
  }
  if (matches(obj, "help")) return usage(p);
  p.err(`Object "${obj}" is unknown, try "ip help".\n`);
  return 1;
}

function usage(p: Proc): number {
  p.err(USAGE);
  return 255;
}

/** Runs `ip`, turning iproute2's exit(...) into the exit status. */
async function run(p: Proc): Promise<number> {
  try {
    return await main(p);
  } catch (e) {
    if (e instanceof IpExit) return e.code;
    throw e;
  }
}

/** The `ip` program. */
export const ip: ProgramSpec = { name: "ip", summary: "show and change links, addresses, routes, neighbours and namespaces (iproute2 6.1)", run };

/** Programs this folder provides. */
export const programs: ProgramSpec[] = [ip];
