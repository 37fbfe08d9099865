/**
 * Target extensions (`-j NAME`): REJECT, DNAT, SNAT, MASQUERADE, REDIRECT, MARK, LOG, TRACE,
 * NOTRACK, with their options as libipt_REJECT / libxt_NAT / libxt_MARK / libxt_LOG parse them.
 * Other `-j` names are the standard verdicts or chains.
 */
import type { NfTarget } from "../../kernel/api.js";
import { paramError } from "./errors.js";
import { parseValMask, type ExtState } from "./ext-common.js";


const REJECT_TYPES: Array<[string, string]> = [
  ["icmp-net-unreachable", "net-unreach"], ["icmp-host-unreachable", "host-unreach"], ["icmp-proto-unreachable", "proto-unreach"],
  ["icmp-port-unreachable", "port-unreach"], ["icmp-net-prohibited", "net-prohib"], ["icmp-host-prohibited", "host-prohib"],
  ["tcp-reset", "tcp-rst"], ["icmp-admin-prohibited", "admin-prohib"],
];

function reject(): ExtState {
  let w = "icmp-port-unreachable";
  return {
    name: "REJECT",
    options: [{ name: "reject-with", arg: true }],
    parse(_o, arg) {
      const hit = REJECT_TYPES.find(([a, b]) => a === arg || b === arg);
      if (!hit) throw paramError(`unknown reject type "${arg}"`);
      w = hit[0];
    },
    finish: () => ({ kind: "REJECT", rejectWith: w }),
  };
}

const PORT_PROTOS = ["tcp", "udp", "sctp", "dccp", "udplite"];

function natRange(s: string, proto: string | undefined): { toAddr?: string; toAddrEnd?: string; toPort?: number; toPortEnd?: number } {
  const out: { toAddr?: string; toAddrEnd?: string; toPort?: number; toPortEnd?: number } = {};
  const colon = s.indexOf(":");
  const addrs = colon < 0 ? s : s.slice(0, colon);
  if (colon >= 0) {
    if (!proto || !PORT_PROTOS.includes(proto)) throw paramError("Need TCP, UDP, SCTP or DCCP with port specification");
    const ports = s.slice(colon + 1);
    const m = /^(\d+)(?:-(\d+))?$/.exec(ports);
    if (!m || Number(m[1]) > 65535 || (m[2] && Number(m[2]) > 65535)) throw paramError(`Port \`${ports}' not valid`);
    out.toPort = Number(m[1]);
    if (m[2] !== undefined) out.toPortEnd = Number(m[2]);
    if (out.toPortEnd !== undefined && out.toPortEnd < out.toPort) throw paramError(`Port range \`${ports}' invalid\n`);
  }
  if (addrs !== "") {
    const [a, b] = addrs.split("-");
    for (const x of [a, b]) {
      if (x !== undefined && !/^\d{1,3}(\.\d{1,3}){3}$/.test(x) || (x && x.split(".").some((o) => Number(o) > 255))) {
        throw paramError(`Bad IP address "${x}"`);
      }
    }
    out.toAddr = a;
    if (b !== undefined) out.toAddrEnd = b;
  }
  return out;
}

function nat(kind: "DNAT" | "SNAT"): ExtState {
  const opt = kind === "DNAT" ? "to-destination" : "to-source";
  let to: string | undefined;
  let random = false;
  let randomFully = false;
  let persistent = false;
  return {
    name: kind,
    options: [{ name: opt, arg: true }, { name: "random", arg: false }, { name: "persistent", arg: false }, ...(kind === "SNAT" ? [{ name: "random-fully", arg: false }] : [])],
    parse(o, arg) {
      if (o === opt) {
        if (to !== undefined) throw paramError(`${kind}: option "--${opt}" can only be used once.`);
        to = arg!;
      } else if (o === "random") random = true;
      else if (o === "random-fully") randomFully = true;
      else persistent = true;
    },
    finish(proto) {
      if (to === undefined) throw paramError(`${kind}: option "--${opt}" must be specified\n`);
      const r = natRange(to, proto);
      const flags = { ...(random ? { random: true } : {}), ...(persistent ? { persistent: true } : {}) };
      if (kind === "DNAT") return { kind: "DNAT", ...r, ...flags };
      return { kind: "SNAT", ...r, ...(random ? { random: true } : {}), ...(randomFully ? { randomFully: true } : {}), ...(persistent ? { persistent: true } : {}) };
    },
  };
}

function portsTarget(kind: "MASQUERADE" | "REDIRECT"): ExtState {
  let ports: string | undefined;
  let random = false;
  let randomFully = false;
  return {
    name: kind,
    options: [{ name: "to-ports", arg: true }, { name: "random", arg: false }, ...(kind === "MASQUERADE" ? [{ name: "random-fully", arg: false }] : [])],
    parse(o, arg) {
      if (o === "to-ports") ports = arg!;
      else if (o === "random") random = true;
      else randomFully = true;
    },
    finish(proto) {
      const t: { toPort?: number; toPortEnd?: number } = {};
      if (ports !== undefined) {
        if (!proto || !PORT_PROTOS.includes(proto)) throw paramError("Need TCP, UDP, SCTP or DCCP with port specification");
        const m = /^(\d+)(?:-(\d+))?$/.exec(ports);
        if (!m || Number(m[1]) > 65535 || (m[2] && Number(m[2]) > 65535)) throw paramError(`Port \`${ports}' not valid`);
        t.toPort = Number(m[1]);
        if (m[2] !== undefined) t.toPortEnd = Number(m[2]);
      }
      if (kind === "REDIRECT") return { kind, ...t, ...(random ? { random } : {}) };
      return { kind, ...t, ...(random ? { random } : {}), ...(randomFully ? { randomFully } : {}) };
    },
  };
}

function markTarget(): ExtState {
  let t: { value: number; mask: number } | undefined;
  return {
    name: "MARK",
    options: ["set-xmark", "set-mark", "and-mark", "or-mark", "xor-mark"].map((name) => ({ name, arg: true })),
    parse(o, arg) {
      if (t) throw paramError("MARK target: Can't specify --set-mark twice");
      // libxt_MARK.c mark_tg_parse (revision 2)
      if (o === "set-xmark") t = parseValMask(arg!, "MARK", o);
      else if (o === "set-mark") {
        const v = parseValMask(arg!, "MARK", o);
        t = { value: v.value, mask: (v.value | v.mask) >>> 0 };
      } else {
        const v = parseValMask(arg!, "MARK", o).value;
        if (o === "and-mark") t = { value: 0, mask: ~v >>> 0 };
        else if (o === "or-mark") t = { value: v, mask: v };
        else t = { value: v, mask: 0 };
      }
    },
    finish() {
      if (!t) throw paramError("MARK: One of the --set-xmark, --{and,or,xor,set}-mark options is required");
      return { kind: "MARK", ...t };
    },
  };
}

/** syslog levels as libxt_LOG names them. */
export const LOG_LEVELS: Array<[string, number]> = [
  ["alert", 1], ["crit", 2], ["debug", 7], ["emerg", 0], ["error", 3], ["info", 6], ["notice", 5], ["panic", 0], ["warning", 4],
];

function log(): ExtState {
  let prefix: string | undefined;
  let level: string | undefined;
  return {
    name: "LOG",
    options: [{ name: "log-prefix", arg: true }, { name: "log-level", arg: true }, { name: "log-tcp-sequence", arg: false }, { name: "log-tcp-options", arg: false }, { name: "log-ip-options", arg: false }, { name: "log-uid", arg: false }],
    parse(o, arg) {
      if (o === "log-prefix") {
        if (arg!.length > 29) throw paramError(`Maximum prefix length 29 for --log-prefix`);
        prefix = arg!;
      } else if (o === "log-level") {
        const a = arg!;
        const n = /^\d+$/.test(a) ? Number(a) : LOG_LEVELS.find(([nm]) => nm === a.toLowerCase())?.[1];
        if (n === undefined || n > 7) throw paramError(`log level "${a}" unknown\n`);
        level = String(n);
      }
    },
    finish: () => ({ kind: "LOG", ...(prefix !== undefined ? { prefix } : {}), ...(level !== undefined ? { level } : {}) }),
  };
}

function simple(kind: "TRACE" | "NOTRACK"): ExtState {
  return { name: kind, options: [], parse() {}, finish: () => ({ kind }) };
}

/** Target extensions by `-j` name (other names are chains or the standard verdicts). */
export const TARGETS: Record<string, () => ExtState> = {
  REJECT: reject, DNAT: () => nat("DNAT"), SNAT: () => nat("SNAT"), MASQUERADE: () => portsTarget("MASQUERADE"),
  REDIRECT: () => portsTarget("REDIRECT"), MARK: markTarget, LOG: log, TRACE: () => simple("TRACE"), NOTRACK: () => simple("NOTRACK"),
};
