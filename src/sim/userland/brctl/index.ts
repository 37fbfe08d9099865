/**
 * `brctl` (bridge-utils 1.7.1, as on the recording machine): addbr, delbr, addif, delif, show,
 * showmacs, with brctl's own messages (brctl_cmd.c) and its tab layout:
 *
 *   bridge name<TAB>bridge id<TAB><TAB>STP enabled<TAB>interfaces
 *   br0<TAB><TAB>8000.3a949746930d<TAB>no<TAB><TAB>vb
 *   <TAB x7>vc
 *
 * Bridges and ports are listed in name order (brctl scandir()s sysfs with alphasort). The bridge
 * id is 8000.<bridge MAC> once the bridge has a port, all zeros before (as the kernel reports it).
 */
import { KernelError, type LinkInfo, type NetnsApi } from "../../kernel/api.js";
import { strerror } from "../lib/errno.js";
import type { ProgramSpec, Proc } from "../types.js";

const USAGE = "Usage: brctl [commands]\ncommands:\n\taddbr     \t<bridge>\t\tadd bridge\n\tdelbr     \t<bridge>\t\tdelete bridge\n\taddif     \t<bridge> <device>\tadd interface to bridge\n\tdelif     \t<bridge> <device>\tdelete interface from bridge\n\thairpin   \t<bridge> <port> {on|off}\tturn hairpin on/off\n\tsetageing \t<bridge> <time>\t\tset ageing time\n\tsetbridgeprio\t<bridge> <prio>\t\tset bridge priority\n\tsetfd     \t<bridge> <time>\t\tset bridge forward delay\n\tsethello  \t<bridge> <time>\t\tset hello time\n\tsetmaxage \t<bridge> <time>\t\tset max message age\n\tsetpathcost\t<bridge> <port> <cost>\tset path cost\n\tsetportprio\t<bridge> <port> <prio>\tset port priority\n\tshow      \t[ <bridge> ]\t\tshow a list of bridges\n\tshowmacs  \t<bridge>\t\tshow a list of mac addrs\n\tshowstp   \t<bridge>\t\tshow bridge stp info\n\tstp       \t<bridge> {on|off}\tturn stp on/off\n";

/** One-line usage of each command, as `Usage: brctl CMD ...` after an argument-count error. */
const CMD_HELP: Record<string, [number, string]> = {
  addbr: [1, "<bridge>\t\tadd bridge"],
  delbr: [1, "<bridge>\t\tdelete bridge"],
  addif: [2, "<bridge> <device>\tadd interface to bridge"],
  delif: [2, "<bridge> <device>\tdelete interface from bridge"],
  show: [0, "[ <bridge> ]\t\tshow a list of bridges"],
  showmacs: [1, "<bridge>\t\tshow a list of mac addrs"],
};

function bridges(ns: NetnsApi): LinkInfo[] {
  return ns.linkList().filter((l) => l.kind === "bridge").sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

function portsOf(ns: NetnsApi, br: string): LinkInfo[] {
  return ns.linkList().filter((l) => l.master === br);
}

function bridgeId(ns: NetnsApi, br: LinkInfo): string {
  return portsOf(ns, br.name).length > 0 ? br.mac.replace(/:/g, "") : "000000000000";
}

function showOne(p: Proc, ns: NetnsApi, br: LinkInfo): void {
  const ports = portsOf(ns, br.name).map((l) => l.name).sort();
  p.out(`${br.name}\t\t8000.${bridgeId(ns, br)}\tno\t\t${ports[0] ?? ""}\n`);
  for (const port of ports.slice(1)) p.out(`\t\t\t\t\t\t\t${port}\n`);
}

/** `brctl show [BR...]`: the header comes before the first bridge that exists. */
function show(p: Proc, ns: NetnsApi, names: string[]): number {
  const all = bridges(ns);
  const header = "bridge name\tbridge id\t\tSTP enabled\tinterfaces\n";
  if (names.length === 0) {
    p.out(header);
    for (const br of all) showOne(p, ns, br);
    return 0;
  }
  let rc = 0;
  let headed = false;
  for (const name of names) {
    const br = all.find((b) => b.name === name);
    if (!br) {
      p.err(`bridge ${name} does not exist!\n`);
      rc = 1;
      continue;
    }
    if (!headed) p.out(header);
    headed = true;
    showOne(p, ns, br);
  }
  return rc;
}

function showmacs(p: Proc, ns: NetnsApi, name: string): number {
  const br = bridges(ns).find((b) => b.name === name);
  if (!br) {
    p.err(`read of forward table failed: No such device\n`);
    return 1;
  }
  // Port numbers follow the order ports joined; the kernel API lists them by ifindex.
  const ports = portsOf(ns, name).sort((a, b) => a.ifindex - b.ifindex);
  const portNo = new Map(ports.map((l, i) => [l.name, i + 1]));
  const rows = ns.fdbList()
    .filter((e) => e.master === name && portNo.has(e.dev) && !e.self && e.vlan === undefined)
    .filter((e) => !/^(01:00:5e|33:33)/.test(e.mac))
    .sort((a, b) => (a.mac < b.mac ? -1 : a.mac > b.mac ? 1 : 0));
  p.out("port no\tmac addr\t\tis local?\tageing timer\n");
  for (const e of rows) {
    const local = e.state === "permanent";
    const age = local ? 0 : Math.max(0, e.ageSec ?? 0);
    const secs = Math.floor(age);
    const cs = Math.floor((age - secs) * 100);
    p.out(`${String(portNo.get(e.dev)).padStart(3)}\t${e.mac}\t${local ? "yes" : "no"}\t\t${String(secs).padStart(4)}.${String(cs).padStart(2, "0")}\n`);
  }
  return 0;
}

function addbr(p: Proc, ns: NetnsApi, name: string): number {
  try {
    ns.linkAdd({ name, kind: "bridge" });
  } catch (e) {
    if (!(e instanceof KernelError)) throw e;
    if (e.errno === "EEXIST") p.err(`device ${name} already exists; can't create bridge with the same name\n`);
    else p.err(`add bridge failed: ${strerror(e.errno)}\n`);
    return 1;
  }
  return 0;
}

function delbr(p: Proc, ns: NetnsApi, name: string): number {
  const l = ns.linkList().find((x) => x.name === name);
  if (!l) {
    p.err(`bridge ${name} doesn't exist; can't delete it\n`);
    return 1;
  }
  if (l.kind !== "bridge") {
    p.err(`${name} is not a bridge; can't delete it\n`);
    return 1;
  }
  if (l.flags.includes("UP")) {
    p.err(`bridge ${name} is still up; can't delete it\n`);
    return 1;
  }
  try {
    ns.linkDel(name);
  } catch (e) {
    if (!(e instanceof KernelError)) throw e;
    p.err(`can't delete bridge ${name}: ${strerror(e.errno)}\n`);
    return 1;
  }
  return 0;
}

function addif(p: Proc, ns: NetnsApi, br: string, dev: string): number {
  const links = ns.linkList();
  const l = links.find((x) => x.name === dev);
  if (!l) {
    p.err(`interface ${dev} does not exist!\n`);
    return 1;
  }
  const b = links.find((x) => x.name === br);
  if (!b || b.kind !== "bridge") {
    p.err(`bridge ${br} does not exist!\n`);
    return 1;
  }
  if (l.kind === "bridge") {
    p.err(`device ${dev} is a bridge device itself; can't enslave a bridge device to a bridge device.\n`);
    return 1;
  }
  if (l.master !== undefined) {
    p.err(`device ${dev} is already a member of a bridge; can't add it to bridge ${br}.\n`);
    return 1;
  }
  try {
    ns.linkSet(dev, { master: br });
  } catch (e) {
    if (!(e instanceof KernelError)) throw e;
    p.err(`can't add ${dev} to bridge ${br}: ${strerror(e.errno)}\n`);
    return 1;
  }
  return 0;
}

function delif(p: Proc, ns: NetnsApi, br: string, dev: string): number {
  const links = ns.linkList();
  const l = links.find((x) => x.name === dev);
  if (!l) {
    p.err(`interface ${dev} does not exist!\n`);
    return 1;
  }
  if (!links.some((x) => x.name === br && x.kind === "bridge")) {
    p.err(`bridge ${br} does not exist!\n`);
    return 1;
  }
  if (l.master !== br) {
    p.err(`device ${dev} is not a port of ${br}\n`);
    return 1;
  }
  try {
    ns.linkSet(dev, { master: null });
  } catch (e) {
    if (!(e instanceof KernelError)) throw e;
    p.err(`can't delete ${dev} from ${br}: ${strerror(e.errno)}\n`);
    return 1;
  }
  return 0;
}

function run(p: Proc): number {
  const args = p.argv.slice(1);
  const cmd = args[0];
  if (cmd === undefined || cmd === "-h" || cmd === "--help") {
    p.out(USAGE);
    return 1;
  }
  if (cmd === "-V" || cmd === "--version") {
    p.out("bridge-utils, 1.7.1\n");
    return 0;
  }
  const help = CMD_HELP[cmd];
  if (!help) {
    if (["hairpin", "setageing", "setbridgeprio", "setfd", "sethello", "setmaxage", "setpathcost", "setportprio", "showstp", "stp"].includes(cmd)) {
      p.err(`lab: brctl ${cmd}: not available in the simulator\n`);
      return 127;
    }
    p.err(`never heard of command [${cmd}]\n`);
    p.out(USAGE);
    return 1;
  }
  const rest = args.slice(1);
  if (rest.length < help[0]) {
    p.err("Incorrect number of arguments for command\n");
    p.out(`Usage: brctl ${cmd} ${help[1]}\n`);
    return 1;
  }
  const ns = p.ctx.netns;
  switch (cmd) {
    case "addbr":
      return addbr(p, ns, rest[0]!);
    case "delbr":
      return delbr(p, ns, rest[0]!);
    case "addif": {
      let rc = 0;
      for (const dev of rest.slice(1)) rc = addif(p, ns, rest[0]!, dev) || rc;
      return rc;
    }
    case "delif": {
      let rc = 0;
      for (const dev of rest.slice(1)) rc = delif(p, ns, rest[0]!, dev) || rc;
      return rc;
    }
    case "show":
      return show(p, ns, rest);
    default:
      return showmacs(p, ns, rest[0]!);
  }
}

/** The bridge-utils `brctl` program. */
export const brctl: ProgramSpec = { name: "brctl", summary: "manage Linux bridges (bridge-utils)", run };

/** Programs this folder provides. */
export const programs: ProgramSpec[] = [brctl];
