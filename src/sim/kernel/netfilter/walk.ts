/**
 * Walking one table's chain for a hook as ipt_do_table does: rules in order, a jump pushes the
 * return point, goto replaces the chain, RETURN (or the end of a user chain) pops, the end of the
 * base chain applies its policy. Every rule tried counts as evaluated; a matched rule counts its
 * packet. Nothing is allocated per rule, and no text is built unless a trace is recording.
 */
import type { NfHook, NfRule } from "../api.js";
import type { Packet } from "../packet.js";
import type { MatchEnv } from "./match.js";
import type { TraceLog } from "./trace.js";
import { ADDR_DST, ADDR_DST_NEG, ADDR_SRC, ADDR_SRC_NEG, addrIndex, countRule, predsOf, type KChain, type KTable } from "./store.js";
import { ruleText } from "../wire/nf-rule-text.js";
import { CT_UNTRACKED } from "./conntrack.js";
import { withIp } from "../frame.js";

export type ChainVerdict =
  | { kind: "accept" }
  | { kind: "drop"; reason: string }
  | { kind: "reject"; reason: string; with: string }
  | { kind: "nat"; target: NfRule["target"] };

/** The verdict of every walk that ends in ACCEPT (shared: verdicts are never mutated). */
export const ACCEPTED: ChainVerdict = Object.freeze({ kind: "accept" });

/** Longest chain of jumps before the kernel gives up (XT_MAX_JUMPS-like; validation already forbids loops). */
const MAX_STACK = 256;

/** What a walk reports back besides its verdict: rules evaluated, the NOTRACK target having fired, the packet. */
export interface WalkOut {
  evaluated: number;
  notrack: boolean;
  /** The hook caller's packet: MARK never writes to it, but to a copy (made once per hook run). */
  orig: Packet;
  /** The packet after the walk: the one walked, or the copy MARK made of the caller's. */
  pkt: Packet;
}

/**
 * Walks `table`'s chain for `hook` with `env` already describing the packet (addresses, ctstate,
 * hook context). `trace`, when given, records the chain segments evaluated and the policy lines.
 */
export function walkChains(table: KTable, hook: NfHook, pkt: Packet, env: MatchEnv, out: WalkOut, trace: TraceLog | undefined): ChainVerdict {
  const tableName = table.name;
  const base = table.chains.get(hook)!;
  const { srcU32, dstU32 } = env;
  // Return points of jumps, as pairs (chain, index of the jumping rule); made on the first jump.
  let stack: Array<KChain | number> | undefined;
  let cur = base;
  let i = 0;
  let from = 0;
  let evaluated = 0;
  const len = pkt.ip.len;
  try {
    for (;;) {
      const rules = cur.rules;
      const n = rules.length;
      let matched = -1;
      if (n > 0) {
        const preds = predsOf(cur);
        const ai = addrIndex(cur.shared);
        for (; i < n; i++) {
          evaluated++;
          const f = ai[i * 5]!;
          if (f !== 0) {
            // A rule whose -s or -d does not match is passed over without calling its predicate.
            if (f & ADDR_SRC && (((srcU32 & ai[i * 5 + 2]!) >>> 0) === ai[i * 5 + 1]!) === ((f & ADDR_SRC_NEG) !== 0)) continue;
            if (f & ADDR_DST && (((dstU32 & ai[i * 5 + 4]!) >>> 0) === ai[i * 5 + 3]!) === ((f & ADDR_DST_NEG) !== 0)) continue;
          }
          if (preds[i]!(pkt, env)) {
            matched = i;
            break;
          }
        }
      }
      if (matched < 0) {
        trace?.segment(tableName, hook, cur, from, n, -1);
        if (!stack || stack.length === 0) return policy(table, hook, cur, len, trace, n > 0);
        i = (stack.pop() as number) + 1;
        cur = stack.pop() as KChain;
        from = i;
        continue;
      }
      const rule = rules[matched]!;
      countRule(table, cur, matched, len);
      trace?.segment(tableName, hook, cur, from, matched + 1, matched);
      const t = rule.target;
      if (!t) {
        i = matched + 1;
        from = i;
        continue;
      }
      switch (t.kind) {
        case "ACCEPT":
          return ACCEPTED;
        case "DROP":
          return { kind: "drop", reason: where(table, hook, cur, matched) };
        case "REJECT":
          return { kind: "reject", reason: where(table, hook, cur, matched), with: t.rejectWith };
        case "DNAT":
        case "SNAT":
        case "MASQUERADE":
        case "REDIRECT":
          return { kind: "nat", target: t };
        case "RETURN": {
          if (!stack || stack.length === 0) return policy(table, hook, cur, len, trace, true);
          i = (stack.pop() as number) + 1;
          cur = stack.pop() as KChain;
          from = i;
          continue;
        }
        case "jump":
        case "goto": {
          const next = table.chains.get(t.chain);
          if (!next || (stack !== undefined && stack.length >= 2 * MAX_STACK)) return { kind: "drop", reason: `${where(table, hook, cur, matched)}: jump failed` };
          if (t.kind === "jump") (stack ??= []).push(cur, matched);
          cur = next;
          i = 0;
          from = 0;
          continue;
        }
        case "MARK":
          if (pkt === out.orig) out.pkt = pkt = withIp(pkt, pkt.ip);
          pkt.mark = ((pkt.mark & ~t.mask) ^ t.value) >>> 0;
          break;
        case "NOTRACK":
          out.notrack = true;
          env.ctStates = CT_UNTRACKED;
          break;
        case "LOG":
          trace?.add(`${tableName} ${hook}: LOG ${t.prefix ?? ""}${pktText(pkt)}`);
          break;
        case "TRACE":
        case "CONNMARK":
          break;
      }
      i = matched + 1;
      from = i;
    }
  } finally {
    out.evaluated += evaluated;
  }
}

/** The end of the base chain (or a RETURN from it): the policy of the chain the walk is in, counted there. */
function policy(table: KTable, hook: NfHook, chain: KChain, len: number, trace: TraceLog | undefined, traced: boolean): ChainVerdict {
  const p = chain.policy ?? "ACCEPT";
  if (chain.countersOn) {
    chain.counters.packets++;
    chain.counters.bytes += len;
  }
  if (trace && (traced || p === "DROP")) trace.add(`${table.name} ${hook}: policy ${p}`, { table: table.name, chain: hook, policy: p });
  if (p === "DROP") return { kind: "drop", reason: `${table.name} ${hook}: policy DROP` };
  return ACCEPTED;
}

/** `table HOOK: -A CHAIN ...`, the rule a drop or reject names (its text is built only for such verdicts). */
function where(table: KTable, hook: NfHook, chain: KChain, index: number): string {
  return `${table.name} ${hook}: ${ruleText(chain.name, chain.rules[index]!)}`;
}

/** `src:sport → dst:dport` of a packet, for trace lines. */
export function pktText(p: Packet): string {
  const l4 = p.tcp ?? p.udp;
  return l4 ? `${p.ip.src}:${l4.sport} → ${p.ip.dst}:${l4.dport}` : `${p.ip.src} → ${p.ip.dst}`;
}
