/**
 * `ip neigh add|replace|change|del|show|flush` (ipneigh.c), printing as iproute2 6.1:
 *
 *   10.1.0.7 dev v1 lladdr 02:00:00:00:00:77 PERMANENT
 *   10.1.0.9 dev v1 FAILED
 *
 * (lines end with a space; `dev X` is left out when listing one device).
 */
import type { NeighInfo, NeighState } from "../../kernel/api.js";
import { duparg2, fail, getAddr, kcall, linkExists, matches, nextArg, nodev, type IpCtx } from "./common.js";
import { lladdr } from "./link.js";

const STATES: Record<string, NeighState> = {
  permanent: "PERMANENT", noarp: "NOARP", reachable: "REACHABLE", stale: "STALE", delay: "DELAY",
  probe: "PROBE", incomplete: "INCOMPLETE", failed: "FAILED",
};

/** One neighbour line. */
export function neighLine(n: NeighInfo, hideDev: boolean): string {
  const f: string[] = [n.dst];
  if (!hideDev) f.push("dev", n.dev);
  if (n.lladdr && n.state !== "INCOMPLETE" && n.state !== "FAILED") f.push("lladdr", n.lladdr);
  if (n.router) f.push("router");
  f.push(n.state);
  return f.join(" ") + " \n";
}

/** `ip neigh add|replace|del ADDR [lladdr MAC] [nud STATE] dev DEV`. */
function neighModify(c: IpCtx, args: string[], mode: "add" | "replace" | "del"): number {
  let dst: string | undefined;
  let dev: string | undefined;
  let mac: string | undefined;
  let state: NeighState | undefined;
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (matches(a, "lladdr")) mac = lladdr(c, nextArg(c, args, i++));
    else if (a === "nud") {
      const v = nextArg(c, args, i++);
      const st = STATES[v];
      if (!st) fail(c, `Error: argument "${v}" is wrong: nud state is bad\n`, 255);
      state = st;
    } else if (a === "router" || a === "proxy" || a === "extern_learn" || a === "use" || a === "managed") {
      // flags accepted
    } else if (a === "dev") dev = nextArg(c, args, i++);
    else if (a === "protocol") nextArg(c, args, i++);
    else {
      let v = a;
      if (a === "to") v = nextArg(c, args, i++);
      if (matches(v, "help")) fail(c, "Usage: ip neigh { add | del | change | replace }\n", 255);
      if (dst !== undefined) duparg2(c, "to", v);
      dst = getAddr(c, v);
    }
  }
  if (dst === undefined || dev === undefined) fail(c, "Device and destination are required arguments.\n", 255);
  if (!linkExists(c.ns, dev)) nodev(c, dev);
  if (mode === "del") {
    kcall(c, () => c.ns.neighDel(dst, dev));
    return 0;
  }
  const n: { dst: string; dev: string; lladdr?: string; state?: NeighState } = { dst, dev, state: state ?? "PERMANENT" };
  if (mac !== undefined) n.lladdr = mac;
  kcall(c, () => c.ns.neighAdd(n, mode === "replace" ? { replace: true } : undefined));
  return 0;
}

/** `ip neigh show [dev D] [ADDR] [nud STATE]`. */
function neighShow(c: IpCtx, args: string[]): number {
  let dev: string | undefined;
  let dst: string | undefined;
  let state: NeighState | undefined;
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === "dev") dev = nextArg(c, args, i++);
    else if (a === "nud") state = STATES[nextArg(c, args, i++)];
    else if (a === "proxy" || a === "unused") continue;
    else {
      let v = a;
      if (a === "to") v = nextArg(c, args, i++);
      if (dst !== undefined) duparg2(c, "to", v);
      dst = getAddr(c, v.split("/")[0]!);
    }
  }
  if (dev !== undefined && !linkExists(c.ns, dev)) fail(c, `Cannot find device "${dev}"\n`, 1);
  for (const n of c.ns.neighList()) {
    if (dev !== undefined && n.dev !== dev) continue;
    if (dst !== undefined && n.dst !== dst) continue;
    if (state !== undefined && n.state !== state) continue;
    if (state === undefined && n.state === "NOARP") continue;
    c.proc.out(neighLine(n, dev !== undefined));
  }
  return 0;
}

/** `ip neigh flush dev D`: removes the device's non-permanent entries. */
function neighFlush(c: IpCtx, args: string[]): number {
  if (args.length === 0) fail(c, "Flush requires arguments.\n", 255);
  let dev: string | undefined;
  for (let i = 0; i < args.length; i++) if (args[i] === "dev") dev = nextArg(c, args, i++);
  if (dev !== undefined && !linkExists(c.ns, dev)) fail(c, `Cannot find device "${dev}"\n`, 1);
  for (const n of c.ns.neighList()) {
    if (dev !== undefined && n.dev !== dev) continue;
    if (n.state === "PERMANENT" || n.state === "NOARP") continue;
    kcall(c, () => c.ns.neighDel(n.dst, n.dev));
  }
  return 0;
}

/** Dispatches `ip neigh CMD ...` (ipneigh.c do_ipneigh). */
export function doNeigh(c: IpCtx, args: string[]): number {
  const cmd = args[0];
  if (cmd === undefined) return neighShow(c, []);
  const rest = args.slice(1);
  if (matches(cmd, "add")) return neighModify(c, rest, "add");
  if (matches(cmd, "change") || cmd === "chg" || matches(cmd, "replace")) return neighModify(c, rest, "replace");
  if (matches(cmd, "delete")) return neighModify(c, rest, "del");
  if (matches(cmd, "list") || matches(cmd, "show") || matches(cmd, "lst")) return neighShow(c, rest);
  if (matches(cmd, "flush")) return neighFlush(c, rest);
  if (matches(cmd, "help")) return fail(c, "Usage: ip neigh { add | del | change | replace }\n", 255);
  return fail(c, `Command "${cmd}" is unknown, try "ip neigh help".\n`, 255);
}
