/**
 * `bridge` (iproute2 6.1): `fdb show|add|append|del|replace` and `link [show]`, as bridge/fdb.c
 * and bridge/link.c print them (proven against test/fixtures/tools/{ip-vxlan,bridge}.json):
 *
 *   02:00:00:00:00:01 dst 192.168.1.2 self permanent     (bridge fdb show dev vx0)
 *   d6:4f:a1:79:33:6f dev vb master br0                  (learned: no state, trailing space)
 *   3: vb@br0: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 master br0 state forwarding priority 32 cost 2
 *
 * `bridge link` resolves the port's IFLA_LINK index in the current namespace even when the
 * peer lives elsewhere, which is why a veth port shows as `vb@br0` on the real tool.
 */
import { KernelError, type FdbEntry, type LinkInfo, type NetnsApi } from "../../kernel/api.js";
import { parseIp } from "../../kernel/wire/ipv4.js";
import { parseMac } from "../../kernel/wire/mac.js";
import { strerror } from "../lib/errno.js";
import type { ProgramSpec, Proc } from "../types.js";

const USAGE = `Usage: bridge [ OPTIONS ] OBJECT { COMMAND | help }
       bridge [ -force ] -batch filename
where  OBJECT := { link | fdb | mdb | vlan | monitor }
       OPTIONS := { -V[ersion] | -s[tatistics] | -d[etails] |
                    -o[neline] | -t[imestamp] | -n[etns] name |
                    -c[ompressvlans] -color -p[retty] -j[son] }
`;

const FDB_USAGE = `Usage: bridge fdb { add | append | del | replace } ADDR dev DEV
              [ self ] [ master ] [ use ] [ router ] [ extern_learn ]
              [ sticky ] [ local | static | dynamic ] [ vlan VID ]
              { [ dst IPADDR ] [ port PORT] [ vni VNI ] | [ nhid NHID ] }
	       [ via DEV ] [ src_vni VNI ]
       bridge fdb [ show [ br BRDEV ] [ brport DEV ] [ vlan VID ]
              [ state STATE ] [ dynamic ] ]
       bridge fdb get [ to ] LLADDR [ br BRDEV ] { brport | dev } DEV
              [ vlan VID ] [ vni VNI ] [ self ] [ master ] [ dynamic ]
       bridge fdb flush dev DEV [ brport DEV ] [ vlan VID ]
              [ self ] [ master ] [ [no]permanent | [no]static | [no]dynamic ]
              [ [no]added_by_user ] [ [no]extern_learn ] [ [no]sticky ]
              [ [no]offloaded ]
`;

class Exit extends Error {
  constructor(readonly code: number) {
    super(`exit ${code}`);
  }
}

function matches(prefix: string | undefined, full: string): boolean {
  return prefix !== undefined && prefix.length > 0 && full.startsWith(prefix);
}

function die(p: Proc, text: string, code: number): never {
  p.err(text);
  throw new Exit(code);
}

function next(p: Proc, args: string[], i: number): string {
  const v = args[i + 1];
  if (v === undefined) die(p, `Command line is not complete. Try option "help"\n`, 255);
  return v;
}

/** One `bridge fdb show` line; `hideDev` when listing one device. */
export function fdbLine(e: FdbEntry, hideDev: boolean): string {
  let s = `${e.mac} `;
  if (!hideDev) s += `dev ${e.dev} `;
  if (e.dst) s += `dst ${e.dst} `;
  if (e.vlan !== undefined) s += `vlan ${e.vlan} `;
  if (e.via) s += `via ${e.via} `;
  if (e.self) s += "self ";
  if (e.master) s += `master ${e.master} `;
  if (e.state) s += e.state;
  return s + "\n";
}

function fdbShow(p: Proc, ns: NetnsApi, args: string[]): number {
  let dev: string | undefined;
  let br: string | undefined;
  let vlan: number | undefined;
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === "dev" || a === "brport") dev = next(p, args, i++);
    else if (a === "br") br = next(p, args, i++);
    else if (a === "vlan") vlan = Number(next(p, args, i++));
    else if (a === "state" || a === "dynamic") {
      if (a === "state") next(p, args, i++);
    } else die(p, `Command line is not complete. Try option "help"\n`, 255);
  }
  const links = ns.linkList();
  for (const name of [dev, br]) {
    if (name !== undefined && !links.some((l) => l.name === name)) die(p, `Cannot find device "${name}"\n`, 255);
  }
  // `br BR` dumps the bridge and its ports (NDA_MASTER): a port's own `self` entries too.
  const portOf = new Map(links.map((l) => [l.name, l.master]));
  for (const e of ns.fdbList()) {
    if (dev !== undefined && e.dev !== dev) continue;
    if (br !== undefined && e.master !== br && e.dev !== br && portOf.get(e.dev) !== br) continue;
    if (vlan !== undefined && e.vlan !== vlan) continue;
    p.out(fdbLine(e, dev !== undefined));
  }
  return 0;
}

function fdbModify(p: Proc, ns: NetnsApi, cmd: "add" | "append" | "del" | "replace", args: string[]): number {
  let mac: string | undefined;
  let dev: string | undefined;
  let dst: string | undefined;
  let vlan: number | undefined;
  let self = false;
  let master = false;
  let state: FdbEntry["state"] | "dynamic" = "permanent";
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === "dev") dev = next(p, args, i++);
    else if (a === "dst") {
      const v = next(p, args, i++);
      if (parseIp(v) === undefined) die(p, `Invalid address "${v}"\n`, 255);
      dst = v;
    } else if (a === "vlan") {
      const v = next(p, args, i++);
      if (!/^\d+$/.test(v)) die(p, `Error: argument "${v}" is wrong: invalid VLAN ID\n`, 255);
      vlan = Number(v);
    } else if (a === "self") self = true;
    else if (a === "master") master = true;
    else if (a === "local" || a === "permanent") state = "permanent";
    else if (a === "temp" || a === "static") state = "static";
    else if (a === "dynamic") state = "dynamic";
    else if (["use", "router", "extern_learn", "sticky"].includes(a)) continue;
    else if (["port", "dport", "vni", "src_vni", "via", "nhid"].includes(a)) next(p, args, i++);
    else {
      let v = a;
      if (a === "to") v = next(p, args, i++);
      if (matches(v, "help")) die(p, FDB_USAGE, 255);
      if (mac !== undefined) die(p, `Error: either "to" is duplicate, or "${v}" is a garbage.\n`, 255);
      mac = v;
    }
  }
  if (mac === undefined || dev === undefined) die(p, "Device and address are required arguments.\n", 255);
  const parsed = parseMac(mac);
  if (!parsed) die(p, `Invalid mac address ${mac}\n`, 255);
  if (!ns.linkList().some((l) => l.name === dev)) die(p, `Cannot find device "${dev}"\n`, 255);
  // Neither flag given: the request goes to the device itself (NTF_SELF), as fdb.c does.
  if (!self && !master) self = true;
  try {
    if (cmd === "del") {
      const key: Pick<FdbEntry, "mac" | "dev" | "dst"> = { mac: parsed, dev };
      if (dst !== undefined) key.dst = dst;
      ns.fdbDel(key);
    } else {
      const e: FdbEntry = { mac: parsed, dev };
      if (dst !== undefined) e.dst = dst;
      if (vlan !== undefined) e.vlan = vlan;
      if (self) e.self = true;
      if (master) {
        const l = ns.linkList().find((x) => x.name === dev);
        if (l?.master) e.master = l.master;
      }
      if (state !== "dynamic") e.state = state;
      ns.fdbAdd(e, cmd === "append" ? { append: true } : cmd === "replace" ? { replace: true } : undefined);
    }
  } catch (err) {
    if (err instanceof KernelError) {
      die(p, err.detail ? `Error: ${err.detail}.\n` : `RTNETLINK answers: ${strerror(err.errno)}\n`, 255);
    }
    throw err;
  }
  return 0;
}

function doFdb(p: Proc, ns: NetnsApi, args: string[]): number {
  const cmd = args[0];
  if (cmd === undefined) return fdbShow(p, ns, []);
  const rest = args.slice(1);
  if (matches(cmd, "add")) return fdbModify(p, ns, "add", rest);
  if (matches(cmd, "append")) return fdbModify(p, ns, "append", rest);
  if (matches(cmd, "replace")) return fdbModify(p, ns, "replace", rest);
  if (matches(cmd, "delete")) return fdbModify(p, ns, "del", rest);
  if (matches(cmd, "show") || matches(cmd, "lst") || matches(cmd, "list")) return fdbShow(p, ns, rest);
  if (matches(cmd, "help")) die(p, FDB_USAGE, 255);
  return die(p, `Command "${cmd}" is unknown, try "bridge fdb help".\n`, 255);
}

/** One `bridge link` line for a bridge port. */
export function bridgeLinkLine(l: LinkInfo, all: LinkInfo[], portUp: boolean): string {
  let name = l.name;
  if (l.linkNetnsId !== undefined || l.peerName !== undefined || (l.iflink !== l.ifindex && l.iflink !== 0)) {
    const local = all.find((x) => x.ifindex === l.iflink);
    name += `@${local ? local.name : `if${l.iflink}`}`;
  }
  const state = portUp ? "forwarding" : "disabled";
  return `${l.ifindex}: ${name}: <${l.flags.join(",")}> mtu ${l.mtu} master ${l.master} state ${state} priority 32 cost 2 \n`;
}

function doLink(p: Proc, ns: NetnsApi, args: string[]): number {
  const cmd = args[0];
  let rest = args;
  if (cmd !== undefined) {
    if (matches(cmd, "show") || matches(cmd, "lst") || matches(cmd, "list")) rest = args.slice(1);
    else if (matches(cmd, "set")) {
      p.err("lab: bridge link set: not available in the simulator\n");
      return 127;
    } else if (matches(cmd, "help")) die(p, "Usage: bridge link set dev DEV [ cost COST ] [ priority PRIO ] [ state STATE ]\n", 255);
    else if (cmd !== "dev") die(p, `Command "${cmd}" is unknown, try "bridge link help".\n`, 255);
  }
  let dev: string | undefined;
  for (let i = 0; i < rest.length; i++) {
    if (rest[i] === "dev") dev = next(p, rest, i++);
    else dev = rest[i];
  }
  const all = ns.linkList().sort((a, b) => a.ifindex - b.ifindex);
  if (dev !== undefined && !all.some((l) => l.name === dev)) die(p, `Cannot find device "${dev}"\n`, 255);
  for (const l of all) {
    if (!l.master) continue;
    if (dev !== undefined && l.name !== dev) continue;
    const up = l.flags.includes("UP") && l.flags.includes("LOWER_UP");
    p.out(bridgeLinkLine(l, all, up));
  }
  return 0;
}

async function main(p: Proc): Promise<number> {
  const args = p.argv.slice(1);
  let ns = p.ctx.netns;
  while (args.length > 0 && args[0]!.startsWith("-")) {
    let opt = args.shift()!;
    if (opt[1] === "-") opt = opt.slice(1);
    if (matches(opt, "-help")) die(p, USAGE, 255);
    else if (matches(opt, "-Version")) {
      p.out("bridge utility, 6.1.0\n");
      return 0;
    } else if (matches(opt, "-stats") || matches(opt, "-details") || matches(opt, "-oneline") || matches(opt, "-timestamp") ||
      matches(opt, "-compressvlans") || matches(opt, "-color") || matches(opt, "-force")) continue;
    else if (matches(opt, "-netns")) {
      const name = args.shift();
      if (name === undefined) die(p, USAGE, 255);
      if (!p.ctx.host.netnsNamed().includes(name)) die(p, `Cannot open network namespace "${name}": No such file or directory\n`, 255);
      ns = p.ctx.host.netns({ name });
    } else if (matches(opt, "-json") || matches(opt, "-pretty") || matches(opt, "-batch")) {
      p.err(`lab: bridge ${opt}: not available in the simulator\n`);
      return 127;
    } else die(p, `Option "${opt}" is unknown, try "bridge help".\n`, 255);
  }
  const obj = args[0];
  if (obj === undefined) die(p, USAGE, 255);
  if (matches(obj, "fdb")) return doFdb(p, ns, args.slice(1));
  if (matches(obj, "link")) return doLink(p, ns, args.slice(1));
  if (matches(obj, "help")) die(p, USAGE, 255);
  if (["mdb", "vlan", "monitor"].some((o) => matches(obj, o))) {
    p.err(`lab: bridge ${obj}: not available in the simulator (available: bridge fdb, bridge link)\n`);
    return 127;
  }
  return die(p, `Object "${obj}" is unknown, try "bridge help".\n`, 255);
}

async function run(p: Proc): Promise<number> {
  try {
    return await main(p);
  } catch (e) {
    if (e instanceof Exit) return e.code;
    throw e;
  }
}

/** The iproute2 `bridge` program. */
export const bridge: ProgramSpec = { name: "bridge", summary: "show and change bridge fdb entries and ports (iproute2 6.1)", run };

/** Programs this folder provides. */
export const programs: ProgramSpec[] = [bridge];
