/**
 * A fast test that validateTable (validate.ts) would accept a table, for tables of 100,000 rules
 * that are replaced over and over with most chains unchanged. It runs on the table as the kernel
 * imported it (store.ts): each chain's rules are summarised once (distinct jump targets, which
 * hook-restricted targets it uses) on their shared part, then the checks run over chains, not
 * rules, using the import's own name index.
 * It answers only "valid"/"not sure": on "not sure" the engine runs validateTable, which names
 * the error (errno and order exactly as before). Rules with `-m set` always take that path.
 */
import type { NfRule, NfTable } from "../api.js";
import { BUILTIN_CHAINS, isBuiltin } from "./hooks.js";
import { importTable, type KChain, type KTable } from "./store.js";

interface Summary {
  /** Distinct jump/goto targets in first-use order. */
  jumps: string[];
  /** Bits of KIND for the targets used. */
  kinds: number;
  /** A rule validateTable may check beyond targets (`-m set`). */
  other: boolean;
}

const KIND: Record<string, number> = { DNAT: 1, REDIRECT: 2, SNAT: 4, MASQUERADE: 8, REJECT: 16, NOTRACK: 32 };
const NAT_KINDS = 1 | 2 | 4 | 8;
const HOOK: Record<string, number> = { PREROUTING: 1, INPUT: 2, FORWARD: 4, OUTPUT: 8, POSTROUTING: 16 };
/** Hooks each restricted target may be reached from (see NAT_TARGETS in validate.ts). */
const ALLOWED: Array<[number, number]> = [
  [KIND.DNAT!, HOOK.PREROUTING! | HOOK.OUTPUT!],
  [KIND.REDIRECT!, HOOK.PREROUTING! | HOOK.OUTPUT!],
  [KIND.SNAT!, HOOK.POSTROUTING! | HOOK.INPUT!],
  [KIND.MASQUERADE!, HOOK.POSTROUTING!],
  [KIND.REJECT!, HOOK.INPUT! | HOOK.FORWARD! | HOOK.OUTPUT!],
];


/** Work arrays of surelyValidImport, grown to the largest table seen (it never re-enters). */
interface Scratch {
  first: Int32Array;
  adj: Int32Array;
  hooks: Uint8Array;
  state: Uint8Array;
  stackNode: Int32Array;
  stackNext: Int32Array;
}

let work: Scratch | undefined;

function grow(a: Int32Array, size: number): Int32Array {
  const b = new Int32Array(Math.max(size, 16));
  b.set(a);
  return b;
}

function scratch(n: number): Scratch {
  if (!work || work.hooks.length < n) {
    const size = Math.max(n, 64);
    work = {
      first: new Int32Array(size + 1), adj: work?.adj ?? new Int32Array(256), hooks: new Uint8Array(size), state: new Uint8Array(size),
      stackNode: new Int32Array(size + 1), stackNext: new Int32Array(size + 1),
    };
  }
  return work;
}

function summarise(rules: readonly NfRule[]): Summary {
  const jumps: string[] = [];
  const seen = new Set<string>();
  let kinds = 0;
  let other = false;
  for (const r of rules) {
    const t = r.target;
    if (t) {
      if (t.kind === "jump" || t.kind === "goto") {
        if (!seen.has(t.chain)) {
          seen.add(t.chain);
          jumps.push(t.chain);
        }
      } else kinds |= KIND[t.kind] ?? 0;
    }
    for (const m of r.matches) if ((m.kind as string) === "set") other = true;
  }
  return { jumps, kinds, other };
}

function summaryOf(k: KChain): Summary {
  return (k.shared.summary ??= summarise(k.rules)) as Summary;
}

/** True when validateTable(t) would return without an error; false when it may throw. */
export function surelyValid(t: NfTable): boolean {
  return surelyValidImport(t, importTable(t, undefined, () => false));
}

/**
 * surelyValid for a table already imported (`k` = importTable(t)): the kernel's chain records
 * carry the summaries and the name index, so nothing is built twice.
 */
export function surelyValidImport(t: NfTable, k: KTable): boolean {
  const order = k.order;
  const n = order.length;
  // importTable keeps the last of two chains with one name: a duplicate shows as a smaller index.
  if (k.chains.size !== n) return false;
  for (let i = 0; i < n; i++) {
    const c = order[i]!;
    c.ix = i;
    if (c.policy && !isBuiltin(t.name, c.name)) return false;
  }
  for (const b of BUILTIN_CHAINS[t.name]) {
    const c = k.chains.get(b);
    if (c === undefined || !c.policy) return false;
  }
  // Static checks, and the jump graph as one adjacency list of chain indexes (CSR: chain i's
  // successors are adj[first[i]] .. adj[first[i + 1] - 1]).
  const s = scratch(n);
  let edges = 0;
  for (let i = 0; i < n; i++) {
    const sum = summaryOf(order[i]!);
    if (sum.other) return false;
    if (sum.kinds & NAT_KINDS && t.name !== "nat") return false;
    if (sum.kinds & KIND.NOTRACK! && t.name !== "raw") return false;
    s.first[i] = edges;
    for (const j of sum.jumps) {
      const to = k.chains.get(j);
      if (to === undefined || isBuiltin(t.name, j)) return false;
      if (edges === s.adj.length) s.adj = grow(s.adj, edges * 2);
      s.adj[edges++] = to.ix!;
    }
  }
  s.first[n] = edges;
  // Depth-first from each built-in chain: no loop, and every reached chain's restricted targets allowed from that hook.
  const { hooks, state, stackNode, stackNext } = s;
  hooks.fill(0, 0, n);
  for (const b of BUILTIN_CHAINS[t.name]) {
    state.fill(0, 0, n); // 0 new, 1 on the path, 2 done
    const bit = HOOK[b]!;
    const start = k.chains.get(b)!.ix!;
    let depth = 0;
    stackNode[0] = start;
    stackNext[0] = s.first[start]!;
    state[start] = 1;
    hooks[start]! |= bit;
    while (depth >= 0) {
      const top = stackNode[depth]!;
      if (stackNext[depth] === s.first[top + 1]) {
        state[top] = 2;
        depth--;
        continue;
      }
      const next = s.adj[stackNext[depth]!++]!;
      if (state[next] === 1) return false;
      if (state[next] === 2) continue;
      state[next] = 1;
      hooks[next]! |= bit;
      depth++;
      stackNode[depth] = next;
      stackNext[depth] = s.first[next]!;
    }
  }
  for (let i = 0; i < n; i++) {
    if (hooks[i] === 0) continue;
    const kinds = summaryOf(order[i]!).kinds;
    if (kinds === 0) continue;
    for (const [kind, allowed] of ALLOWED) if (kinds & kind && hooks[i]! & ~allowed) return false;
  }
  return true;
}
