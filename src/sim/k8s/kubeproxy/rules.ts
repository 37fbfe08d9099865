/**
 * Small constructors for NfRule values, written in the argument order kube-proxy uses so that
 * iptables-save (which keeps match order) prints what a real node shows. Rules are immutable.
 */
import type { NfAddrMatch, NfMatch, NfRule, NfTarget } from "../../kernel/api.js";

/** An `-m comment --comment TEXT` match. */
export function comment(text: string): NfMatch {
  return { kind: "comment", comment: text };
}

/** `-j CHAIN` to a user chain. */
export function jump(chain: string): NfTarget {
  return { kind: "jump", chain };
}

/** An address match from "a.b.c.d" or "a.b.c.d/n". */
export function addr(text: string, neg = false): NfAddrMatch {
  const [a, p] = text.split("/");
  return { addr: a!, plen: p === undefined ? 32 : Number(p), neg };
}

/**
 * A rule from its parts; counters start at zero. The rule is deep-frozen: a value the kernel may
 * share between tables and nodes instead of copying (see kernel/netfilter/store.ts).
 */
export function rule(parts: Omit<Partial<NfRule>, "counters">): NfRule {
  return deepFreeze({ matches: [], ...parts, counters: { packets: 0, bytes: 0 } });
}

function deepFreeze<T>(v: T): T {
  if (v !== null && typeof v === "object" && !Object.isFrozen(v)) {
    for (const k in v) deepFreeze((v as Record<string, unknown>)[k]);
    Object.freeze(v);
  }
  return v;
}
