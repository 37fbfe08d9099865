/**
 * How the kernel holds a table: rules are immutable (deep-frozen) values that tables share, the
 * counters live in the table (KTable.pcs), and a chain's rules array carries what is derived from
 * it (compiled matches on first walk, address prefilter, pre-check summary). Sharing is what lets
 * fifty nodes hold the same 160,000 kube-proxy rules and 55,000 chain records once, and lets a
 * replace that changes one chain leave every other chain as it was (no copy, no recompile).
 *
 *   nfTableReplace(next) ──► importTable: per chain
 *        an exported chain whose rules were never read ─► its live chain's rules (and derived data)
 *        rules identical (===) to the live chain's ──► the same
 *        a frozen rules array seen before ──────────► the same
 *        otherwise, per rule: a deep-frozen rule ──► shared as is
 *                             a copy made by export ─► mapped back to the rule it copies
 *                             anything else ─────────► deep-copied and frozen (the caller keeps its own)
 *                   then the same rules as a chain seen anywhere before ─► that chain's shared part
 *      a user chain with no policy, zero chain counters and no nth rule is one record for all tables;
 *      another chain keeps its live record when nothing in it changed
 *      a namespace's initial (absent, empty) table is one table per name for the process
 *   nfTableGet() ──► exportTable (store-export.ts): fresh chains; on first read of a chain's
 *                    `rules`, fresh rule arrays, rule objects, targets and counters (as of the get);
 *                    matches, addresses and other nested values are the shared frozen ones.
 *
 * Rules with per-rule state (`-m statistic --mode nth`) are compiled afresh on every replace,
 * so their packet count restarts, as it always has in this simulator (docs/divergences.md D-NF-8).
 */
import type { NfChain, NfRule, NfTable, NfTableName, NfTarget } from "../api.js";
import { ipToU32, prefixMask } from "./addr.js";
import { compileRule, type Predicate } from "./match.js";
import { exportedFrom, untouchedExport } from "./store-export.js";

export { exportTable, untouchedExport } from "./store-export.js";

/**
 * What every table holding the same rules array shares: the rules, their predicates, and facts
 * derived from them on demand (slots for precheck.ts and setReferences).
 */
export interface ChainShared {
  rules: NfRule[];
  /** A rule keeps state between packets (`--mode nth`): chain records holding these rules compile their own. */
  stateful: boolean;
  /** Compiled on the first walk through the chain (most of a big table's chains are never walked). */
  preds?: Predicate[];
  summary?: unknown;
  setRefs?: ReadonlyMap<string, number>;
  /** Address prefilter, built on first walk (see addrIndex). */
  addrs?: Uint32Array;
  /** The chain record user chains of this name share (see importChain). */
  kc?: KChain;
}

/** A chain as the kernel holds it (an NfChain whose rules are shared and frozen). */
export interface KChain extends NfChain {
  shared: ChainShared;
  /** Predicates of this record alone, for rules with state (compiled afresh at every import); else see predsOf. */
  preds?: Predicate[];
  /** Scratch: the chain's position while precheck.ts looks at one table (records are shared). */
  ix?: number;
}

/** A table as the kernel holds it. */
export interface KTable {
  name: NfTableName;
  absent?: boolean;
  /** Chains in listing order (built-in first, then user chains in creation order). */
  order: KChain[];
  chains: Map<string, KChain>;
  /** A rule uses conntrack state or a NAT/CT target (see needsConntrack in index.ts). */
  usesConntrack: boolean;
  /**
   * Rule counters of this table as [packets0, bytes0, packets1, ...] per chain, made on a chain's
   * first count: chain records themselves may be shared by many tables (fifty nodes' kube-proxy
   * chains are one set of records), so what counts lives here.
   */
  pcs: Map<KChain, Float64Array>;
}

const ZERO: NfRule["counters"] = Object.freeze({ packets: 0, bytes: 0 }) as NfRule["counters"];
/** The policy counters of a shared user chain: never counted (only a base chain's policy counts). */
const ZERO_CHAIN: NfChain["counters"] = Object.freeze({ packets: 0, bytes: 0 }) as NfChain["counters"];

// Few weak maps, each entry earning its keep: a major GC visits every weak entry.
/** Kernel rules (deep-frozen, checked once per object), with their predicate once compiled (stateless rules only). */
const ruleInfo = new WeakMap<NfRule, { pred?: Predicate }>();
/** Frozen rules arrays (as kube-proxy writes them) already turned into kernel rules and predicates. */
const chainCache = new WeakMap<readonly NfRule[], ChainShared>();

function deepFrozen(v: unknown): boolean {
  if (v === null || typeof v !== "object") return true;
  if (!Object.isFrozen(v)) return false;
  for (const k in v) if (!deepFrozen((v as Record<string, unknown>)[k])) return false;
  return true;
}

function freezeCopy<T>(v: T): T {
  if (v === null || typeof v !== "object") return v;
  if (Array.isArray(v)) return Object.freeze(v.map(freezeCopy)) as T;
  const o: Record<string, unknown> = {};
  for (const k in v) o[k] = freezeCopy((v as Record<string, unknown>)[k]);
  return Object.freeze(o) as T;
}

function sameTarget(a: NfTarget | undefined, b: NfTarget | undefined): boolean {
  if (a === b) return true;
  if (!a || !b) return false;
  let n = 0;
  for (const k in a) {
    n++;
    if ((a as Record<string, unknown>)[k] !== (b as Record<string, unknown>)[k]) return false;
  }
  for (const _ in b) n--;
  return n === 0;
}

/** True when the rule keeps state between packets, so it must not be shared between tables. */
function stateful(r: NfRule): boolean {
  for (const m of r.matches) if (m.kind === "statistic" && m.mode === "nth") return true;
  return false;
}

/** The kernel's immutable rule for `r`: `r` itself when deep-frozen, else the rule an export copied, else a frozen copy. */
export function canonicalRule(r: NfRule): NfRule {
  if (ruleInfo.has(r)) return r;
  if (Object.isFrozen(r) && deepFrozen(r)) {
    ruleInfo.set(r, {});
    return r;
  }
  const c = exportedFrom(r.matches);
  if (
    c !== undefined && c.src === r.src && c.dst === r.dst && c.inIface === r.inIface && c.outIface === r.outIface &&
    c.proto === r.proto && c.fragment === r.fragment && sameTarget(c.target, r.target)
  ) {
    return c;
  }
  const copy = freezeCopy({ ...r, counters: ZERO });
  ruleInfo.set(copy, {});
  return copy;
}

function predicateOf(r: NfRule): Predicate {
  if (stateful(r)) return compileRule(r);
  const info = ruleInfo.get(r)!;
  return (info.pred ??= compileRule(r));
}

function counted(rules: readonly NfRule[]): boolean {
  for (const r of rules) if (r.counters.packets !== 0 || r.counters.bytes !== 0) return true;
  return false;
}

/**
 * The chain record for `c` on `shared`: one shared by every table when nothing in it is per table;
 * else the live table's record `prev` when it says the same and nothing ever changes it (its
 * policy counters only move with countersOn), else a new one.
 */
function chainRecord(c: NfChain, shared: ChainShared, prev: KChain | undefined): KChain {
  const plain = c.policy === undefined && c.countersOn === undefined && c.counters.packets === 0 && c.counters.bytes === 0 && !shared.stateful;
  if (plain) {
    const kc = shared.kc;
    if (kc && kc.name === c.name) return kc;
    return (shared.kc = { name: c.name, rules: shared.rules, counters: ZERO_CHAIN, shared });
  }
  if (
    prev !== undefined && prev.shared === shared && !shared.stateful && prev.name === c.name && prev.policy === c.policy &&
    prev.countersOn === undefined && c.countersOn === undefined && prev.counters.packets === c.counters.packets && prev.counters.bytes === c.counters.bytes
  ) {
    return prev;
  }
  const k: KChain = { name: c.name, rules: shared.rules, counters: { packets: c.counters.packets, bytes: c.counters.bytes }, shared };
  if (shared.stateful) k.preds = shared.rules.map(predicateOf);
  if (c.policy !== undefined) k.policy = c.policy;
  if (c.countersOn !== undefined) k.countersOn = c.countersOn;
  return k;
}

function sameRules(a: readonly NfRule[], b: readonly NfRule[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/**
 * Shared parts of stateless chains by their rules (identities, in order), found through the first
 * rule: every table holding the same rules shares one, with what is derived from them (summary,
 * predicates, prefilter), whichever namespace or world it is in (each docker world's docker0
 * chains). A few per first rule; an entry lives as long as its first rule.
 */
const sharedByFirst = new WeakMap<NfRule, ChainShared[]>();
const MAX_PER_FIRST = 4;

function sharedFor(canon: NfRule[]): ChainShared {
  if (canon.some(stateful)) return { rules: canon, stateful: true };
  const first = canon[0];
  // An empty chain keeps its own (its record is shared by name through `kc`).
  if (first === undefined) return { rules: canon, stateful: false };
  let list = sharedByFirst.get(first);
  if (list) for (const s of list) if (sameRules(s.rules, canon)) return s;
  const s: ChainShared = { rules: Object.freeze(canon) as NfRule[], stateful: false };
  if (!list) sharedByFirst.set(first, (list = []));
  if (list.length >= MAX_PER_FIRST) list.shift();
  list.push(s);
  return s;
}

function importChain(c: NfChain, prev: KChain | undefined, pcs: Map<KChain, Float64Array>): KChain {
  const same = untouchedExport(c);
  if (same) {
    const { k: from, pc } = same;
    const k = chainRecord(c, from.shared, prev);
    if (pc) pcs.set(k, pc.slice());
    return k;
  }
  const input = c.rules;
  let shared = Object.isFrozen(input) ? chainCache.get(input) : undefined;
  if (!shared) {
    const canon = input.map(canonicalRule);
    shared = prev && !prev.shared.stateful && sameRules(prev.rules, canon) ? prev.shared : sharedFor(canon);
    if (Object.isFrozen(input) && !shared.stateful) chainCache.set(input, shared);
  }
  const k = chainRecord(c, shared, prev);
  if (counted(input)) {
    const pc = new Float64Array(input.length * 2);
    input.forEach((r, i) => {
      pc[2 * i] = r.counters.packets;
      pc[2 * i + 1] = r.counters.bytes;
    });
    pcs.set(k, pc);
  }
  return k;
}

/**
 * A namespace's initial tables (absent, built-in chains with policy ACCEPT, no rules, no
 * counters), one per table name and chain list for the whole process: an absent table is never
 * walked nor counted, and a replace builds a new table, so nothing ever changes them.
 */
const initialTables = new Map<NfTableName, KTable[]>();
const NO_RULES: readonly NfRule[] = Object.freeze([]);

function initial(next: NfTable): boolean {
  if (!next.absent) return false;
  const chains = next.chains;
  for (let i = 0; i < chains.length; i++) {
    const c = chains[i]!;
    if (c.rules.length !== 0 || c.policy !== "ACCEPT" || c.countersOn !== undefined || c.counters.packets !== 0 || c.counters.bytes !== 0) return false;
  }
  return true;
}

/** The initial table made before for `next`'s name and chain names, in order. */
function initialFor(next: NfTable): KTable | undefined {
  const chains = next.chains;
  search: for (const t of initialTables.get(next.name) ?? []) {
    if (t.order.length !== chains.length) continue;
    for (let i = 0; i < chains.length; i++) if (t.order[i]!.name !== chains[i]!.name) continue search;
    return t;
  }
  return undefined;
}

/** The kernel's copy of `next`, sharing whatever it can with `prev` (the live table) and with other tables. */
export function importTable(next: NfTable, prev: KTable | undefined, usesConntrack: (rules: readonly NfRule[]) => boolean): KTable {
  const pristine = prev === undefined && initial(next) && !usesConntrack(NO_RULES);
  if (!pristine) return build(next, prev, usesConntrack);
  let t = initialFor(next);
  if (!t) {
    t = build(next, prev, usesConntrack);
    const list = initialTables.get(next.name);
    if (list) list.push(t);
    else initialTables.set(next.name, [t]);
  }
  return t;
}

function build(next: NfTable, prev: KTable | undefined, usesConntrack: (rules: readonly NfRule[]) => boolean): KTable {
  const order: KChain[] = [];
  const chains = new Map<string, KChain>();
  const pcs = new Map<KChain, Float64Array>();
  let ct = false;
  for (const c of next.chains) {
    const k = importChain(c, prev?.chains.get(c.name), pcs);
    order.push(k);
    chains.set(k.name, k);
    if (!ct && usesConntrack(k.rules)) ct = true;
  }
  const t: KTable = { name: next.name, order, chains, usesConntrack: ct, pcs };
  if (next.absent) t.absent = true;
  return t;
}

/** The shared part of a chain's rules when they cannot change (an unread export, or a frozen array the kernel has seen). */
export function sharedOf(c: NfChain): ChainShared | undefined {
  const live = untouchedExport(c);
  if (live) return live.k.shared;
  const r = c.rules;
  return Object.isFrozen(r) ? chainCache.get(r) : undefined;
}

/** The compiled predicates of a chain record's rules, one per rule. */
export function predsOf(k: KChain): Predicate[] {
  return k.preds ?? (k.shared.preds ??= k.shared.rules.map(predicateOf));
}

/** Counts one packet of `len` bytes against rule `i` of chain `k` of table `t`. */
export function countRule(t: KTable, k: KChain, i: number, len: number): void {
  let pc = t.pcs.get(k);
  if (!pc) t.pcs.set(k, (pc = new Float64Array(k.rules.length * 2)));
  pc[2 * i]! += 1;
  pc[2 * i + 1]! += len;
}

/** A chain without `-m set` matches (never changed: shared by every such chain). */
const NO_SET_REFS: ReadonlyMap<string, number> = new Map();

function countSetRefs(rules: readonly NfRule[]): ReadonlyMap<string, number> {
  let refs: Map<string, number> | undefined;
  for (let i = 0; i < rules.length; i++) {
    const matches = rules[i]!.matches;
    for (let j = 0; j < matches.length; j++) {
      const m = matches[j]!;
      if (m.kind === "set") {
        refs ??= new Map();
        refs.set(m.name, (refs.get(m.name) ?? 0) + 1);
      }
    }
  }
  return refs ?? NO_SET_REFS;
}

/**
 * The `-m set` references of a table (set name → rules naming it), as `ipset list` counts them,
 * without copying chains exported unchanged (cached per immutable rules array).
 */
export function setReferences(t: NfTable): Map<string, number> {
  const out = new Map<string, number>();
  for (const c of t.chains) {
    const shared = sharedOf(c);
    let refs = shared?.setRefs;
    if (!refs) {
      refs = countSetRefs(shared ? shared.rules : c.rules);
      if (shared) shared.setRefs = refs;
    }
    if (refs.size > 0) for (const [n, k] of refs) out.set(n, (out.get(n) ?? 0) + k);
  }
  return out;
}

/** Flags of an addrIndex entry: the rule has `-s` (negated), `-d` (negated). */
export const ADDR_SRC = 1;
export const ADDR_SRC_NEG = 2;
export const ADDR_DST = 4;
export const ADDR_DST_NEG = 8;

/**
 * Per rule, five numbers: flags, -s network and mask, -d network and mask, computed as the
 * rule's own address predicate computes them (match.ts), so the walk can reject a rule whose
 * address does not match without calling its predicate. Addresses are checked first and have no
 * side effects, so the verdict, the counters and the rules-evaluated count are unchanged.
 */
export function addrIndex(shared: ChainShared): Uint32Array {
  let a = shared.addrs;
  if (a) return a;
  a = new Uint32Array(shared.rules.length * 5);
  shared.rules.forEach((r, i) => {
    let f = 0;
    if (r.src) {
      const mask = prefixMask(r.src.plen);
      f |= ADDR_SRC | (r.src.neg ? ADDR_SRC_NEG : 0);
      a![i * 5 + 1] = (ipToU32(r.src.addr) & mask) >>> 0;
      a![i * 5 + 2] = mask;
    }
    if (r.dst) {
      const mask = prefixMask(r.dst.plen);
      f |= ADDR_DST | (r.dst.neg ? ADDR_DST_NEG : 0);
      a![i * 5 + 3] = (ipToU32(r.dst.addr) & mask) >>> 0;
      a![i * 5 + 4] = mask;
    }
    a![i * 5] = f;
  });
  return (shared.addrs = a);
}
