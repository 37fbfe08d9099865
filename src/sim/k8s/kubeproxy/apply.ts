/**
 * Writes a generated rule set into a live table the way kube-proxy's iptables-restore --noflush
 * does: the chains it declares are flushed and refilled, its stale chains are deleted, chains
 * owned by others (Docker, flannel, the kubelet) are left alone, and jumps from built-in chains
 * are inserted at the top only when missing (`EnsureRule(Prepend, …)`).
 */
import type { NfChain, NfRule, NfTable } from "../../kernel/api.js";
import type { DesiredTable } from "./iptables.js";

const FIXED = new Set([
  "KUBE-SERVICES", "KUBE-EXTERNAL-SERVICES", "KUBE-FORWARD", "KUBE-NODEPORTS", "KUBE-POSTROUTING",
  "KUBE-MARK-MASQ", "KUBE-PROXY-FIREWALL",
]);
const PER_SERVICE = /^KUBE-(SVC|SEP|EXT|SVL|FW|XLB)-/;

/** True for a chain that kube-proxy's iptables mode owns (and may delete when stale). */
export function ownedByKubeProxy(chain: string): boolean {
  return FIXED.has(chain) || PER_SERVICE.test(chain);
}

/** Rule identity for EnsureRule (`iptables -C`): everything but the counters. */
export function sameRule(a: NfRule, b: NfRule): boolean {
  return a === b || sameValue({ ...a, counters: undefined }, { ...b, counters: undefined });
}

/** Structural equality of plain data (an absent key equals an undefined one). */
function sameValue(x: unknown, y: unknown): boolean {
  if (x === y) return true;
  if (x === null || y === null || typeof x !== "object" || typeof y !== "object") return false;
  if (Array.isArray(x) !== Array.isArray(y)) return false;
  const a = x as Record<string, unknown>;
  const b = y as Record<string, unknown>;
  for (const k in a) if (!sameValue(a[k], b[k])) return false;
  for (const k in b) if (!(k in a) && b[k] !== undefined) return false;
  return true;
}

/** The table after one sync: `desired` merged into `table`. The input is not modified. */
export function applyDesired(table: NfTable, desired: DesiredTable, owned: (chain: string) => boolean = ownedByKubeProxy): NfTable {
  const chains: NfChain[] = [];
  const seen = new Set<string>();
  for (const c of table.chains) {
    if (c.policy !== undefined) {
      chains.push({ ...c, rules: [...c.rules] });
    } else if (desired.chains.has(c.name)) {
      chains.push({ name: c.name, rules: desired.chains.get(c.name)!, counters: c.counters });
      seen.add(c.name);
    } else if (!owned(c.name)) {
      chains.push(c);
    }
  }
  for (const [name, rules] of desired.chains) {
    if (!seen.has(name)) chains.push({ name, rules, counters: { packets: 0, bytes: 0 } });
  }
  const builtin = new Map<string, NfChain>();
  for (const c of chains) if (c.policy !== undefined) builtin.set(c.name, c);
  for (const j of desired.jumps) {
    const c = builtin.get(j.chain);
    if (!c) continue;
    if (!c.rules.some((r) => sameRule(r, j.rule))) c.rules.unshift(j.rule);
  }
  return { name: table.name, chains };
}

/** An empty table with the built-in chains of `name` (policy ACCEPT), for tests and fresh hosts. */
export function emptyTable(name: NfTable["name"]): NfTable {
  const hooks: Record<NfTable["name"], string[]> = {
    filter: ["INPUT", "FORWARD", "OUTPUT"],
    nat: ["PREROUTING", "INPUT", "OUTPUT", "POSTROUTING"],
    mangle: ["PREROUTING", "INPUT", "FORWARD", "OUTPUT", "POSTROUTING"],
    raw: ["PREROUTING", "OUTPUT"],
  };
  return { name, chains: hooks[name].map((n) => ({ name: n, policy: "ACCEPT" as const, rules: [], counters: { packets: 0, bytes: 0 } })) };
}
