/**
 * The export side of the netfilter store (store.ts): nfTableGet hands out tables the caller owns,
 * made cheaply. Chains are fresh objects; a chain's `rules` is an accessor that makes the rule
 * copies when first read (one chain of 50,000 is what `iptables -A` or kube-proxy's built-in jumps
 * look at), and a chain whose rules were never read or assigned goes back into the kernel as it
 * came out (importChain asks untouchedExport). Each copy's matches array is the kernel rule's own
 * (frozen, shared), which is how an import finds the rule a copy was made from (exportedFrom).
 */
import type { NfChain, NfRule, NfTable } from "../api.js";
import type { KChain, KTable } from "./store.js";

/** What an exported chain was made from; `rules` is set once the caller reads or assigns them. */
interface ExportState {
  k: KChain;
  /** The rule counters when the table was read. */
  pc: Float64Array | undefined;
  rules: NfRule[] | undefined;
}

/**
 * Where an exported chain keeps its ExportState: a non-enumerable symbol property, which spread,
 * JSON, structuredClone and deep equality all ignore (a WeakMap entry per chain cost several
 * times more to make and to collect).
 */
const STATE = Symbol("nf.export");
type Exported = NfChain & { [STATE]: ExportState };

/** The frozen rule an exported copy was made from, found through its (shared) matches array; set when copies are made. */
const canonByMatches = new WeakMap<object, NfRule>();

/** The kernel rule whose exported copies carry `matches`, if one was ever exported. */
export function exportedFrom(matches: object): NfRule | undefined {
  return canonByMatches.get(matches);
}

function copyRule(r: NfRule, pc: Float64Array | undefined, i: number): NfRule {
  const copy: NfRule = { ...r, counters: pc ? { packets: pc[2 * i]!, bytes: pc[2 * i + 1]! } : { packets: 0, bytes: 0 } };
  if (r.target) copy.target = { ...r.target };
  return copy;
}

const RULES: PropertyDescriptor = {
  enumerable: true,
  configurable: true,
  get(this: Exported): NfRule[] {
    const st = this[STATE];
    if (st.rules === undefined) {
      st.rules = st.k.rules.map((r, i) => {
        if (!canonByMatches.has(r.matches)) canonByMatches.set(r.matches, r);
        return copyRule(r, st.pc, i);
      });
    }
    return st.rules;
  },
  set(this: Exported, v: NfRule[]) {
    this[STATE].rules = v;
  },
};

function exportChain(k: KChain, pc: Float64Array | undefined): NfChain {
  const c = { name: k.name } as NfChain;
  if (k.policy !== undefined) c.policy = k.policy;
  Object.defineProperty(c, STATE, { value: { k, pc: pc?.slice(), rules: undefined } satisfies ExportState });
  Object.defineProperty(c, "rules", RULES);
  c.counters = { ...k.counters };
  if (k.countersOn !== undefined) c.countersOn = k.countersOn;
  return c;
}

/** The kernel chain an exported chain still holds unchanged (its rules never read nor assigned), if any. */
export function untouchedExport(c: NfChain): { k: KChain; pc: Float64Array | undefined } | undefined {
  const st = (c as Partial<Exported>)[STATE];
  return st && st.rules === undefined ? st : undefined;
}

/** A table the caller owns (see the picture in store.ts for what is fresh and what is shared). */
export function exportTable(t: KTable): NfTable {
  const out: NfTable = { name: t.name, chains: t.order.map((k) => exportChain(k, t.pcs.get(k))) };
  if (t.absent) out.absent = true;
  return out;
}
