/**
 * How iptables 1.8.9 prints rules: the save form (`-A CHAIN ...`, used by -S and iptables-save;
 * nft-ipv4.c nft_ipv4_save_rule + each extension's save) and the list form (-L columns;
 * xshared.c print_header/print_rule_details/print_ipv4_addresses + each extension's print).
 */
import type { NfChain, NfMatch, NfPortRange, NfRule, NfTarget } from "../../kernel/api.js";
import { ICMP_CODES, portToService, protoNumber } from "./names.js";
import { natRange, portRange, ruleText, saveString } from "../../kernel/wire/nf-rule-text.js";

export { saveString };

const neg = (n: boolean | undefined) => (n ? "! " : "");
const hex = (n: number) => `0x${(n >>> 0).toString(16)}`;

const probability = (u32: number) => (u32 / 0x80000000).toFixed(11);
const range = (r: NfPortRange) => (r.from === r.to ? `${r.from}` : `${r.from}:${r.to}`);
const flags = (f: string[]) => (f.length ? f.join(",") : "NONE");

/** A rule as `iptables -S` / iptables-save print it: the one save printer, shared with the kernel's traces. */
export function saveRule(chain: string, r: NfRule, withCounters = false): string {
  return ruleText(chain, r, withCounters);
}

// ---- list form

export interface ListFormat {
  numeric: boolean;
  verbose: boolean;
  exact: boolean;
  lineNumbers: boolean;
  /** Reverse lookup for addresses without -n. */
  nameOf: (addr: string) => string;
}

const port = (p: number, numeric: boolean, proto = "tcp") => (numeric ? `${p}` : portToService(p, proto) ?? `${p}`);

function ports(name: string, r: NfPortRange | undefined, numeric: boolean, proto: string): string {
  if (!r) return "";
  const inv = r.neg ? "!" : "";
  if (r.from === 0 && r.to === 65535 && !r.neg) return "";
  if (r.from === r.to) return ` ${name}:${inv}${port(r.from, numeric, proto)}`;
  return ` ${name}s:${inv}${port(r.from, numeric, proto)}:${port(r.to, numeric, proto)}`;
}

const TCPF_BITS: Record<string, number> = { FIN: 1, SYN: 2, RST: 4, PSH: 8, ACK: 16, URG: 32 };
const bits = (f: string[]) => f.reduce((n, x) => n | (TCPF_BITS[x] ?? 0), 0);
const hex2 = (n: number) => `0x${n.toString(16).toUpperCase().padStart(2, "0")}`;

function icmpText(t: NonNullable<Extract<NfMatch, { kind: "icmp" }>["icmpType"]>, numeric: boolean): string {
  const min = t.code ?? (t.type === 255 ? 0 : 0);
  const max = t.code ?? 0xff;
  if (!numeric) {
    const c = ICMP_CODES.find((x) => x.type === t.type && x.min === min && x.max === max);
    if (c) return ` ${t.neg ? "!" : ""}${c.name}`;
  }
  let s = `${t.neg ? " !" : ""}type ${t.type}`;
  if (min === max) s += ` code ${min}`;
  else if (min !== 0 || max !== 0xff) s += ` codes ${min}-${max}`;
  return s;
}

function listMatch(m: NfMatch, f: ListFormat, proto: string): string {
  const n = f.numeric;
  switch (m.kind) {
    case "tcp":
    case "udp": {
      let s = ` ${m.kind}${ports("spt", m.sport, n, m.kind)}${ports("dpt", m.dport, n, m.kind)}`;
      if (m.tcpFlags) {
        const inv = m.tcpFlags.neg ? "!" : "";
        s += n ? ` flags:${inv}${hex2(bits(m.tcpFlags.mask))}/${hex2(bits(m.tcpFlags.comp))}` : ` flags:${inv}${flags(m.tcpFlags.mask)}/${flags(m.tcpFlags.comp)}`;
      }
      return s;
    }
    case "icmp":
      return ` icmp${m.icmpType ? icmpText(m.icmpType, n) : " any"}`;
    case "multiport": {
      const [opt, list] = m.ports ? ["ports", m.ports] : m.sports ? ["sports", m.sports] : ["dports", m.dports ?? []];
      return ` multiport ${opt} ${m.neg ? " !" : ""}${list.map((r) => (r.from === r.to ? port(r.from, n, proto) : `${port(r.from, n, proto)}:${port(r.to, n, proto)}`)).join(",")}`;
    }
    case "addrtype": {
      let s = " ADDRTYPE match";
      if (m.srcType) s += ` src-type ${m.srcType.neg ? "!" : ""}${m.srcType.types.join(",")}`;
      if (m.dstType) s += ` dst-type ${m.dstType.neg ? "!" : ""}${m.dstType.types.join(",")}`;
      if (m.limitIfaceIn) s += " limit-in";
      if (m.limitIfaceOut) s += " limit-out";
      return s;
    }
    case "conntrack": {
      let s = "";
      if (m.ctstate) s += `${m.ctstate.neg ? " !" : ""} ctstate ${m.ctstate.states.join(",")}`;
      if (m.ctorigdst) s += `${m.ctorigdst.neg ? " !" : ""} ctorigdst ${m.ctorigdst.addr}${m.ctorigdst.plen === 32 ? "" : `/${m.ctorigdst.plen}`}`;
      if (m.ctorigdstport) s += `${m.ctorigdstport.neg ? " !" : ""} ctorigdstport ${range(m.ctorigdstport)}`;
      return s;
    }
    case "state":
      return `${m.neg ? " !" : ""} state ${m.states.join(",")}`;
    case "statistic":
      if (m.mode === "random") return ` statistic mode random${m.neg ? " !" : ""} probability ${probability(m.probabilityU32)}`;
      return ` statistic mode nth${m.neg ? " !" : ""} every ${m.every}${m.packet ? ` packet ${m.packet}` : ""}`;
    case "comment":
      return ` /* ${m.comment} */`;
    case "mark":
      return ` mark match${m.neg ? " !" : ""} ${hex(m.value)}${m.mask === 0xffffffff ? "" : `/${hex(m.mask)}`}`;
    case "physdev": {
      let s = " PHYSDEV match";
      if (m.physdevIn) s += `${m.physdevIn.neg ? " !" : ""} --physdev-in ${m.physdevIn.name}`;
      if (m.physdevOut) s += `${m.physdevOut.neg ? " !" : ""} --physdev-out ${m.physdevOut.name}`;
      if (m.physdevIsBridged) s += `${m.physdevIsBridged.neg ? " !" : ""} --physdev-is-bridged`;
      return s;
    }
    case "set":
      // libxt_set.c set_print_v4 (captured: `! match-set KUBE-CLUSTER-IP dst,dst return-nomatch`).
      return `${m.neg ? " !" : ""} match-set ${m.name} ${m.flags.join(",")}${m.returnNomatch ? " return-nomatch" : ""}${m.noUpdateCounters ? " ! update-counters" : ""}${m.noUpdateSubcounters ? " ! update-subcounters" : ""}`;
    case "recent": {
      const raw = m.raw;
      const val = (k: string) => raw[raw.indexOf(k) + 1];
      let s = raw[0] === "!" ? " !" : "";
      s += " recent:";
      for (const [k, w] of [["--set", "SET"], ["--rcheck", "CHECK"], ["--update", "UPDATE"], ["--remove", "REMOVE"]] as const) if (raw.includes(k)) s += ` ${w}`;
      if (raw.includes("--seconds")) s += ` seconds: ${val("--seconds")}`;
      if (raw.includes("--reap")) s += " reap";
      if (raw.includes("--hitcount")) s += ` hit_count: ${val("--hitcount")}`;
      if (raw.includes("--rttl")) s += " TTL-Match";
      s += ` name: ${val("--name")}`;
      s += raw.includes("--rdest") ? " side: dest" : " side: source";
      s += ` mask: ${val("--mask")}`;
      return s;
    }
  }
}

const LOG_NAMES: Record<string, string> = { "0": "emerg", "1": "alert", "2": "crit", "3": "err", "4": "warn", "5": "notice", "6": "info", "7": "debug" };

function listTarget(t: NfTarget, f: ListFormat): string {
  switch (t.kind) {
    case "REJECT":
      return ` reject-with ${t.rejectWith}`;
    case "DNAT":
    case "SNAT": {
      let s = ` to:${natRange(t.toAddr, t.toAddrEnd, t.toPort, t.toPortEnd)}`;
      if (t.random) s += " random";
      if (t.kind === "SNAT" && t.randomFully) s += " random-fully";
      if (t.persistent) s += " persistent";
      return s;
    }
    case "MASQUERADE":
      return `${t.toPort !== undefined ? ` masq ports: ${portRange(t.toPort, t.toPortEnd)}` : ""}${t.random ? " random" : ""}${t.randomFully ? " random-fully" : ""}`;
    case "REDIRECT":
      return `${t.toPort !== undefined ? ` redir ports ${portRange(t.toPort, t.toPortEnd)}` : ""}${t.random ? " random" : ""}`;
    case "MARK": {
      const { value, mask } = t;
      if (value === 0) return ` MARK and ${hex(~mask >>> 0)}`;
      if (value === mask) return ` MARK or ${hex(value)}`;
      if (mask === 0) return ` MARK xor ${hex(value)}`;
      if (mask === 0xffffffff) return ` MARK set ${hex(value)}`;
      return ` MARK xset ${hex(value)}/${hex(mask)}`;
    }
    case "LOG": {
      const level = t.level ?? "4";
      let s = f.numeric ? ` LOG flags 0 level ${level}` : ` LOG level ${LOG_NAMES[level] ?? level}`;
      if (t.prefix) s += ` prefix "${t.prefix}"`;
      return s;
    }
    case "NOTRACK":
      return " NOTRACK";
    default:
      return "";
  }
}

/** The target column: the target's name (chains by name; NOTRACK is the CT target). */
function targetName(t: NfTarget | undefined): string {
  if (!t) return "";
  if (t.kind === "jump" || t.kind === "goto") return t.chain;
  if (t.kind === "NOTRACK") return "CT";
  return t.kind;
}

/** xtables_print_num: `%8llu ` with -x, else K/M/G/T scaled in 5 columns. */
function num(n: number, f: ListFormat, notable = false): string {
  if (f.exact || n <= 99999) {
    if (notable) return `${n} `;
    return f.exact ? `${n}`.padStart(8) + " " : `${n}`.padStart(5) + " ";
  }
  let v = n;
  for (const unit of ["K", "M", "G", "T"]) {
    v = Math.floor((v + 500) / 1000);
    if (v <= 9999 || unit === "T") return notable ? `${v}${unit} ` : `${v}`.padStart(4) + `${unit} `;
  }
  return `${n} `;
}

function addrText(a: NfRule["src"], f: ListFormat): string {
  if (!a || a.plen === 0) return f.numeric ? "0.0.0.0/0" : "anywhere";
  const host = f.numeric ? a.addr : f.nameOf(a.addr);
  return `${host}${a.plen === 32 ? "" : `/${a.plen}`}`;
}

function pad(s: string, w: number): string {
  return s.length >= w ? s : s + " ".repeat(w - s.length);
}

/** One `-L` line for a rule (rulenum 1-based). */
export function listRule(r: NfRule, rulenum: number, f: ListFormat): string {
  let s = "";
  if (f.lineNumbers) s += pad(`${rulenum}`, 4) + " ";
  if (f.verbose) s += num(r.counters.packets, f) + num(r.counters.bytes, f);
  s += pad(targetName(r.target), 9) + " ";
  s += r.proto?.neg ? "!" : " ";
  const pnum = r.proto ? protoNumber(r.proto.name) ?? 0 : 0;
  s += pad(f.numeric ? `${pnum}` : r.proto?.name ?? "all", 4) + " ";
  s += `${r.fragment?.neg ? "!" : "-"}${r.fragment ? "f" : "-"} `;
  if (f.verbose) {
    const any = f.numeric ? "*" : "any";
    s += " " + pad(`${r.inIface?.neg ? "!" : ""}${r.inIface?.name ?? any}`, 6) + " ";
    s += pad(`${r.outIface?.neg ? "!" : ""}${r.outIface?.name ?? any}`, 6) + " ";
  }
  s += (r.src?.neg ? "!" : " ") + pad(addrText(r.src, f), 19) + " ";
  s += (r.dst?.neg ? "!" : " ") + pad(addrText(r.dst, f), 19) + " ";
  if (r.target?.kind === "goto") s += "[goto] ";
  for (const m of r.matches) s += listMatch(m, f, r.proto?.name ?? "");
  if (r.target) s += listTarget(r.target, f);
  return s;
}

/** The `Chain NAME (...)` header and column titles of one chain. */
export function listHeader(c: NfChain, refs: number, f: ListFormat): string {
  let s = `Chain ${c.name}`;
  if (c.policy) {
    s += ` (policy ${c.policy}`;
    if (f.verbose) s += ` ${num(c.counters.packets, f, true)}packets, ${num(c.counters.bytes, f, true)}bytes`;
    s += ")\n";
  } else s += ` (${refs} references)\n`;
  if (f.lineNumbers) s += pad("num", 4) + " ";
  if (f.verbose) s += f.exact ? `${"pkts".padStart(8)} ${"bytes".padStart(10)} ` : `${"pkts".padStart(5)} ${"bytes".padStart(5)} `;
  s += pad("target", 9) + " " + " prot " + "opt";
  if (f.verbose) s += " " + pad("in", 6) + " " + pad("out", 6) + " ";
  s += " " + pad("source", 19) + " " + " " + pad("destination", 19) + " ";
  return s + "\n";
}
