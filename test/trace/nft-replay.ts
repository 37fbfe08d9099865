/**
 * Reading the real kernel's trace (`xtables-monitor --trace` lines recorded by
 * scripts/record-nft-trace.sh) and the simulator's explained trace into one comparable shape:
 * the netfilter steps of one packet as `table HOOK: -A CHAIN ...` (a rule that matched) or
 * `table HOOK: policy X` lines, in order. The raw table (where the TRACE rules live) is left out.
 */
import type { ExplainedTrace, TraceStep } from "../../src/sim/trace/types.js";

const BASE = new Set(["PREROUTING", "INPUT", "FORWARD", "OUTPUT", "POSTROUTING"]);

/** The probe's and the reply's netfilter lines from xtables-monitor output. */
export function realSteps(monitor: readonly string[]): { probe: string[]; reply: string[] } {
  const probe: string[] = [];
  const reply: string[] = [];
  let probeSrc: string | undefined;
  let into = probe;
  const hookOf = new Map<string, string>();
  for (const line of monitor) {
    const p = /^PACKET: \S+ (\S+) .*\bSRC=(\S+)/.exec(line);
    if (p) {
      probeSrc ??= p[2];
      into = p[2] === probeSrc ? probe : reply;
      continue;
    }
    const t = /^ TRACE: \S+ (\S+) (\w+):([^:]+):(rule|policy|return):(.*?)\s*$/.exec(line);
    if (!t) continue;
    const [, id, table, chain, kind, rest] = t as unknown as [string, string, string, string, string, string];
    if (table === "raw") continue;
    const key = `${id} ${table}`;
    if (BASE.has(chain)) hookOf.set(key, chain);
    const hook = hookOf.get(key) ?? chain;
    if (kind === "policy") into.push(`${table} ${hook}: policy ${rest}`);
    else if (kind === "rule") {
      const rule = / -4 -t \S+ (-A .*)$/.exec(rest)?.[1];
      if (rule) into.push(`${table} ${hook}: ${rule}`);
    }
  }
  return { probe, reply };
}

/** The same lines from the simulator's explained trace, for steps in namespace `netns` only. */
export function simSteps(t: ExplainedTrace, netns: string): { probe: string[]; reply: string[] } {
  const lines = (steps: readonly TraceStep[]): string[] =>
    steps.flatMap((s) => {
      if (s.kind !== "netfilter" || s.netns !== netns || s.table === "raw") return [];
      const out = s.matched.map((r) => `${s.table} ${s.hook}: ${r}`);
      if (s.verdict.startsWith("policy ")) out.push(`${s.table} ${s.hook}: ${s.verdict}`);
      return out;
    });
  return { probe: lines(t.probe), reply: lines(t.reply) };
}

/** Drops `policy` lines of base chains that hold no rule in `rules` (iptables-save text). */
export function withoutEmptyPolicies(lines: readonly string[], rules: string): string[] {
  const used = new Set<string>();
  let table = "";
  for (const l of rules.split("\n")) {
    if (l.startsWith("*")) table = l.slice(1);
    const m = /^-A (\S+) /.exec(l);
    if (m) used.add(`${table} ${m[1]}`);
  }
  return lines.filter((l) => {
    const m = /^(\S+) (\S+): policy /.exec(l);
    return !m || used.has(`${m[1]} ${m[2]}`);
  });
}
