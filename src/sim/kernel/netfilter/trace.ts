/**
 * The trace of one hook run, recorded cheaply while rules are walked (chain segments, not
 * strings) and turned into text only when someone reads it: a chain of 100,000 rules costs one
 * record per chain visit, not one string per rule.
 *
 *   filter FORWARD: -A FORWARD -j DOCKER-USER                       (a matched rule)
 *   filter FORWARD: -A DOCKER-USER -s 10.0.0.0/8 -j DROP (no match)  (an evaluated rule)
 *   filter FORWARD: 4999 rules of KUBE-SERVICES did not match        (a long run of them)
 *   nat PREROUTING: destination 10.0.0.1:40000 → 10.0.0.2:8080 ...  (NAT before → after)
 */
import type { NfChain } from "../api.js";
import { ruleText } from "../wire/nf-rule-text.js";

type Item =
  | { kind: "text"; text: string; detail?: Record<string, unknown> }
  | { kind: "segment"; table: string; hook: string; chain: NfChain; from: number; to: number; matched: number };

/** Longest run of non-matching rules listed one per line; longer runs are summarised. */
const LIST_LIMIT = 32;

export class TraceLog {
  private items: Item[] = [];

  reset(): void {
    this.items = [];
  }

  add(text: string, detail?: Record<string, unknown>): void {
    this.items.push({ kind: "text", text, detail });
  }

  /** Rules [from, to) of `chain` were evaluated; `matched` is the index of the one that matched, or -1. */
  segment(table: string, hook: string, chain: NfChain, from: number, to: number, matched: number): void {
    if (to > from) this.items.push({ kind: "segment", table, hook, chain, from, to, matched });
  }

  /** The `-A CHAIN ...` text of a rule. */
  ruleLine(chain: NfChain, index: number): string {
    return ruleText(chain.name, chain.rules[index]!);
  }

  /** The lines recorded since the last reset, as text. */
  take(): Array<{ text: string; detail?: Record<string, unknown> }> {
    const out: Array<{ text: string; detail?: Record<string, unknown> }> = [];
    for (const it of this.items) {
      if (it.kind === "text") {
        out.push(it.detail ? { text: it.text, detail: it.detail } : { text: it.text });
        continue;
      }
      const { table, hook, chain, from, to, matched } = it;
      const missEnd = matched >= 0 ? matched : to;
      const misses = missEnd - from;
      if (misses > LIST_LIMIT) {
        out.push({ text: `${table} ${hook}: ${misses} rules of ${chain.name} did not match`, detail: { table, chain: chain.name, from: from + 1, to: missEnd } });
      } else {
        for (let i = from; i < missEnd; i++) {
          out.push({ text: `${table} ${hook}: ${this.ruleLine(chain, i)} (no match)`, detail: { table, chain: chain.name, rule: i + 1, matched: false } });
        }
      }
      if (matched >= 0) {
        out.push({ text: `${table} ${hook}: ${this.ruleLine(chain, matched)}`, detail: { table, chain: chain.name, rule: matched + 1, matched: true } });
      }
    }
    this.items = [];
    return out;
  }
}
