/**
 * Match extensions (`-m NAME` and the implicit protocol match of `-p tcp --dport`): their options
 * as libxt_tcp/udp/multiport/addrtype/conntrack/state/statistic/comment/mark/physdev/recent and
 * libipt_icmp parse them, their final checks, and the NfMatch each produces.
 */
import type { NfMatch, NfPortRange } from "../../kernel/api.js";
import { parseIpv4 } from "./addr.js";
import { paramError } from "./errors.js";
import { parsePortRange, parseValMask, type ExtState } from "./ext-common.js";
import { ICMP_CODES } from "./names.js";

const TCP_FLAGS = ["FIN", "SYN", "RST", "PSH", "ACK", "URG"];

function parseTcpFlags(s: string): string[] {
  const out = new Set<string>();
  for (const f of s.split(",")) {
    const u = f.toUpperCase();
    if (u === "ALL") TCP_FLAGS.forEach((x) => out.add(x));
    else if (u === "NONE") continue;
    else if (TCP_FLAGS.includes(u)) out.add(u);
    else throw paramError(`Unknown TCP flag \`${f}'`);
  }
  return TCP_FLAGS.filter((x) => out.has(x));
}

function tcpudp(kind: "tcp" | "udp"): ExtState {
  const m: Extract<NfMatch, { kind: "tcp" | "udp" }> = { kind };
  const options = [
    { name: "source-port", arg: true }, { name: "sport", arg: true },
    { name: "destination-port", arg: true }, { name: "dport", arg: true },
  ];
  if (kind === "tcp") options.push({ name: "tcp-flags", arg: true }, { name: "syn", arg: false });
  return {
    name: kind,
    options,
    parse(opt, arg, invert) {
      if (opt === "sport" || opt === "source-port") {
        if (m.sport) throw paramError(`multiple \`--${"sport"}' flags not allowed`);
        m.sport = { ...parsePortRange(arg!, kind), ...(invert ? { neg: true } : {}) };
      } else if (opt === "dport" || opt === "destination-port") {
        if (m.dport) throw paramError(`multiple \`--${"dport"}' flags not allowed`);
        m.dport = { ...parsePortRange(arg!, kind), ...(invert ? { neg: true } : {}) };
      } else if (opt === "syn") {
        m.tcpFlags = { mask: ["FIN", "SYN", "RST", "ACK"], comp: ["SYN"], neg: invert };
      } else if (opt === "tcp-flags") {
        // The comparison flags are the next word (xtables takes argv[optind]).
        const [mask, comp] = arg!.split("\u0000");
        if (comp === undefined) throw paramError("--tcp-flags requires two args.");
        m.tcpFlags = { mask: parseTcpFlags(mask!), comp: parseTcpFlags(comp), neg: invert };
      }
    },
    finish: () => m,
  };
}

function icmp(): ExtState {
  const m: Extract<NfMatch, { kind: "icmp" }> = { kind: "icmp" };
  return {
    name: "icmp",
    options: [{ name: "icmp-type", arg: true }],
    parse(_opt, arg, invert) {
      const s = arg!;
      const named = ICMP_CODES.filter((c) => c.name.startsWith(s));
      const exact = ICMP_CODES.find((c) => c.name === s);
      if (exact || named.length === 1) {
        const c = exact ?? named[0]!;
        m.icmpType = { type: c.type, code: c.min === c.max ? c.min : undefined, name: c.name, neg: invert };
        return;
      }
      if (named.length > 1) throw paramError(`Ambiguous ICMP type \`${s}': \`${named[0]!.name}' or \`${named[1]!.name}'?`);
      const mm = /^(\d+)(?:\/(\d+))?$/.exec(s);
      if (!mm || Number(mm[1]) > 255 || (mm[2] !== undefined && Number(mm[2]) > 255)) throw paramError(`Unknown ICMP type \`${s}'`);
      const type = Number(mm[1]);
      const code = mm[2] !== undefined ? Number(mm[2]) : undefined;
      m.icmpType = { type, code, name: String(type), neg: invert };
    },
    finish: () => m,
  };
}

const MULTIPORT_PROTOS = ["tcp", "udp", "udplite", "sctp", "dccp"];

function multiport(): ExtState {
  let which: "sports" | "dports" | "ports" | undefined;
  let list: NfPortRange[] = [];
  let neg = false;
  const names: Record<string, "sports" | "dports" | "ports"> = {
    "source-ports": "sports", sports: "sports", "destination-ports": "dports", dports: "dports", ports: "ports",
  };
  let raw = "";
  return {
    name: "multiport",
    options: Object.keys(names).map((name) => ({ name, arg: true })),
    parse(opt, arg, invert) {
      if (which) throw paramError("multiport can only have one option");
      which = names[opt];
      raw = arg!;
      neg = invert;
    },
    finish(proto) {
      if (!proto || !MULTIPORT_PROTOS.includes(proto)) {
        throw paramError("multiport needs `-p tcp', `-p udp', `-p udplite', `-p sctp' or `-p dccp'");
      }
      if (!which) throw paramError("multiport expection an option");
      list = raw.split(",").map((p) => parsePortRange(p, proto));
      if (list.reduce((n, r) => n + (r.from === r.to ? 1 : 2), 0) > 15) throw paramError("too many ports specified");
      return { kind: "multiport", [which]: list, neg } as NfMatch;
    },
  };
}

/** rtn_names order of libxt_addrtype.c: types print in this order whatever order they were given. */
const RTN_NAMES = ["UNSPEC", "UNICAST", "LOCAL", "BROADCAST", "ANYCAST", "MULTICAST", "BLACKHOLE", "UNREACHABLE", "PROHIBIT", "THROW", "NAT", "XRESOLVE"];

function addrtype(): ExtState {
  const m: Extract<NfMatch, { kind: "addrtype" }> = { kind: "addrtype" };
  const types = (s: string): string[] => {
    const set = new Set<string>();
    for (const t of s.split(",")) {
      const u = t.toUpperCase();
      if (!RTN_NAMES.includes(u)) throw paramError(`addrtype: bad type "${t}"`);
      set.add(u);
    }
    return RTN_NAMES.filter((x) => set.has(x));
  };
  return {
    name: "addrtype",
    options: [{ name: "src-type", arg: true }, { name: "dst-type", arg: true }, { name: "limit-iface-in", arg: false }, { name: "limit-iface-out", arg: false }],
    parse(opt, arg, invert) {
      if (opt === "src-type") m.srcType = { types: types(arg!), neg: invert };
      else if (opt === "dst-type") m.dstType = { types: types(arg!), neg: invert };
      else if (opt === "limit-iface-in") m.limitIfaceIn = true;
      else m.limitIfaceOut = true;
    },
    finish() {
      if (m.limitIfaceIn && m.limitIfaceOut) throw paramError("addrtype: you can't specify both --limit-iface-in and --limit-iface-out");
      return m;
    },
  };
}

/** xt_conntrack state bits in the order libxt_conntrack prints them. */
export const CT_STATES = ["INVALID", "NEW", "RELATED", "ESTABLISHED", "UNTRACKED", "SNAT", "DNAT"];

function ctStates(s: string, label: string, allowNat: boolean): string[] {
  const set = new Set<string>();
  for (const t of s.split(",")) {
    const u = t.toUpperCase();
    if (!CT_STATES.includes(u) || (!allowNat && (u === "SNAT" || u === "DNAT"))) throw paramError(`Bad ${label} "${t}"`);
    set.add(u);
  }
  return CT_STATES.filter((x) => set.has(x));
}

function conntrack(): ExtState {
  const m: Extract<NfMatch, { kind: "conntrack" }> = { kind: "conntrack" };
  return {
    name: "conntrack",
    options: [{ name: "ctstate", arg: true }, { name: "ctorigdst", arg: true }, { name: "ctorigdstport", arg: true }],
    parse(opt, arg, invert) {
      if (opt === "ctstate") m.ctstate = { states: ctStates(arg!, "ctstate", true), neg: invert };
      else if (opt === "ctorigdst") m.ctorigdst = { ...parseIpv4(arg!), neg: invert };
      else {
        const r = parsePortRange(arg!, "tcp");
        m.ctorigdstport = { ...r, neg: invert };
      }
    },
    finish: () => m,
  };
}

function state(): ExtState {
  let m: Extract<NfMatch, { kind: "state" }> | undefined;
  return {
    name: "state",
    options: [{ name: "state", arg: true }],
    parse(_o, arg, invert) {
      m = { kind: "state", states: ctStates(arg!, "state", false), neg: invert };
    },
    finish() {
      if (!m) throw paramError('state: option "--state" must be specified\n');
      return m;
    },
  };
}

function statistic(): ExtState {
  let mode: string | undefined;
  let prob: number | undefined;
  let every: number | undefined;
  let packet: number | undefined;
  let neg = false;
  return {
    name: "statistic",
    options: [{ name: "mode", arg: true }, { name: "probability", arg: true }, { name: "every", arg: true }, { name: "packet", arg: true }],
    parse(opt, arg, invert) {
      const a = arg!;
      if (opt === "mode") {
        if (a !== "random" && a !== "nth") throw paramError(`Bad mode "${a}"`);
        mode = a;
      } else if (opt === "probability") {
        const v = Number(a);
        if (a.trim() === "" || !Number.isFinite(v) || v < 0 || v > 1) {
          throw paramError('statistic: bad value for option "--probability", or out of range (0-1).\n');
        }
        prob = v;
        if (invert) neg = true;
      } else {
        const v = /^\d+$/.test(a) ? Number(a) : NaN;
        if (!Number.isFinite(v) || v > 0xffffffff || (opt === "every" && v < 1)) {
          throw paramError(`statistic: bad value for option "--${opt}", or out of range (${opt === "every" ? 1 : 0}-${0xffffffff}).\n`);
        }
        if (opt === "every") every = v;
        else packet = v;
        if (invert) neg = true;
      }
    },
    finish() {
      if (mode === undefined) throw paramError('statistic: option "--mode" must be specified\n');
      if (mode === "random") {
        if (prob === undefined) throw paramError("--probability must be specified when using random mode");
        if (every !== undefined || packet !== undefined) throw paramError("--every and --packet can't be specified in random mode");
        // libxt_statistic: info->u.random.probability = lround(0x80000000 * prob)
        return { kind: "statistic", mode: "random", probabilityU32: Math.round(0x80000000 * prob), neg };
      }
      if (every === undefined) throw paramError("--every must be specified when using nth mode");
      if (packet === undefined) throw paramError('statistic: option "--every" also requires "--packet".\n');
      if (prob !== undefined) throw paramError("--probability can't be specified in nth mode");
      if ((packet ?? 0) > every - 1) throw paramError("the --packet p must be 0 <= p <= n-1");
      return { kind: "statistic", mode: "nth", every, packet: packet ?? 0, neg };
    },
  };
}

function comment(): ExtState {
  let c: string | undefined;
  return {
    name: "comment",
    options: [{ name: "comment", arg: true }],
    parse(_o, arg) {
      if (arg!.length > 255) throw paramError(`comment may not exceed 255 characters`);
      c = arg!;
    },
    finish() {
      if (c === undefined) throw paramError('comment: option "--comment" must be specified\n');
      return { kind: "comment", comment: c };
    },
  };
}

function mark(): ExtState {
  let m: Extract<NfMatch, { kind: "mark" }> | undefined;
  return {
    name: "mark",
    options: [{ name: "mark", arg: true }],
    parse(_o, arg, invert) {
      const { value, mask } = parseValMask(arg!, "mark", "mark");
      m = { kind: "mark", value: (value & mask) >>> 0, mask, neg: invert };
    },
    finish() {
      if (!m) throw paramError('mark: option "--mark" must be specified\n');
      return m;
    },
  };
}

function physdev(): ExtState {
  const m: Extract<NfMatch, { kind: "physdev" }> = { kind: "physdev" };
  return {
    name: "physdev",
    options: [{ name: "physdev-in", arg: true }, { name: "physdev-out", arg: true }, { name: "physdev-is-bridged", arg: false }],
    parse(opt, arg, invert) {
      if (opt === "physdev-in") m.physdevIn = { name: arg!, neg: invert };
      else if (opt === "physdev-out") m.physdevOut = { name: arg!, neg: invert };
      else m.physdevIsBridged = { neg: invert };
    },
    finish() {
      if (!m.physdevIn && !m.physdevOut && !m.physdevIsBridged) throw paramError("PHYSDEV: no physdev option specified");
      return m;
    },
  };
}

/** `-m recent` (kube-proxy session affinity): kept in libxt_recent's save order. */
function recent(): ExtState {
  let cmd: string | undefined;
  let seconds: number | undefined;
  let reap = false;
  let hitcount: number | undefined;
  let rttl = false;
  let name = "DEFAULT";
  let mask = "255.255.255.255";
  let side = "--rsource";
  let neg = false;
  return {
    name: "recent",
    options: ["set", "rcheck", "update", "remove", "seconds", "reap", "hitcount", "rttl", "name", "mask", "rsource", "rdest"].map((n) => ({
      name: n, arg: ["seconds", "hitcount", "name", "mask"].includes(n),
    })),
    parse(opt, arg, invert) {
      if (["set", "rcheck", "update", "remove"].includes(opt)) {
        if (cmd) throw paramError("recent: only one of `--set', `--rcheck' `--update' or `--remove' may be set");
        cmd = opt;
        neg = invert;
      } else if (opt === "seconds") seconds = Number(arg);
      else if (opt === "hitcount") hitcount = Number(arg);
      else if (opt === "reap") reap = true;
      else if (opt === "rttl") rttl = true;
      else if (opt === "name") name = arg!;
      else if (opt === "mask") mask = arg!;
      else side = `--${opt}`;
    },
    finish() {
      if (!cmd) throw paramError("recent: you must specify one of `--set', `--rcheck' `--update' or `--remove'");
      const raw = [...(neg ? ["!"] : []), `--${cmd}`];
      if (seconds) raw.push("--seconds", String(seconds));
      if (reap) raw.push("--reap");
      if (hitcount) raw.push("--hitcount", String(hitcount));
      if (rttl) raw.push("--rttl");
      raw.push("--name", name, "--mask", mask, side);
      return { kind: "recent", raw };
    },
  };
}

/**
 * `-m set` (libxt_set.c, revision 4 as iptables 1.8.9 loads it): `[!] --match-set NAME DIRS`
 * with DIRS a comma list of src/dst (one per dimension of the set), and the flags it saves.
 * Whether the set exists is the kernel's answer when the rule is committed.
 */
function set(): ExtState {
  let m: Extract<NfMatch, { kind: "set" }> | undefined;
  let returnNomatch = false;
  let noUpdateCounters = false;
  let noUpdateSubcounters = false;
  return {
    name: "set",
    options: [{ name: "match-set", arg: true }, { name: "return-nomatch", arg: false }, { name: "update-counters", arg: false }, { name: "update-subcounters", arg: false }],
    parse(opt, arg, invert) {
      if (opt === "match-set") {
        if (m) throw paramError("--match-set can be specified only once");
        const [name, dirs] = arg!.split("\u0000") as [string, string];
        if (name.length > 31) throw paramError(`setname \`${name}' too long, max 31 characters.`);
        const flags = dirs.split(",");
        if (flags.length > 6) throw paramError("Can't be more src/dst options than 6.");
        for (const f of flags) if (f !== "src" && f !== "dst") throw paramError("You must spefify (the comma separated list of) 'src' or 'dst'.");
        m = { kind: "set", name, flags: flags as Array<"src" | "dst">, neg: invert };
      } else if (opt === "return-nomatch") returnNomatch = true;
      else if (opt === "update-counters") noUpdateCounters = invert;
      else noUpdateSubcounters = invert;
    },
    finish() {
      if (!m) throw paramError("You must specify `--match-set' with proper arguments");
      return { ...m, ...(returnNomatch ? { returnNomatch } : {}), ...(noUpdateCounters ? { noUpdateCounters } : {}), ...(noUpdateSubcounters ? { noUpdateSubcounters } : {}) };
    },
  };
}

/** Match extensions by `-m` name. */
export const MATCHES: Record<string, () => ExtState> = {
  tcp: () => tcpudp("tcp"), udp: () => tcpudp("udp"), icmp, multiport, addrtype, conntrack, state, statistic, comment, mark, physdev, recent, set,
};

