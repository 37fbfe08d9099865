/**
 * Where netfilter runs, in the kernel's priority order (include/uapi/linux/netfilter_ipv4.h:
 * NF_IP_PRI_RAW -300, CONNTRACK -200, MANGLE -150, NAT_DST -100, FILTER 0, NAT_SRC 100,
 * CONNTRACK_CONFIRM INT_MAX).
 *
 *            ┌───────────────────────── routing decision ─────────────────────────┐
 *  in ─► PREROUTING ─► route ─┬─► FORWARD ──────────────────────────┬─► POSTROUTING ─► out
 *        raw                  │   mangle                            │   mangle
 *        [conntrack in]       │   filter                            │   nat (SNAT, MASQUERADE)
 *        mangle               ▼                                     │   [conntrack confirm]
 *        nat (DNAT)         INPUT                                   │
 *                           mangle                                OUTPUT ◄── local process
 *                           filter                                raw
 *                           nat (SNAT)                            [conntrack in]
 *                           [conntrack confirm]                   mangle
 *                             │                                   nat (DNAT)
 *                             ▼                                   filter
 *                        local process
 *
 * IPVS sits between filter and nat in INPUT (ip_vs_reply4 at NF_IP_PRI_NAT_SRC-2, then
 * ip_vs_remote_request4 at NAT_SRC-1), between nat and filter in OUTPUT (ip_vs_local_reply4 at
 * NAT_DST+1, ip_vs_local_request4 at NAT_DST+2) and after filter in FORWARD (ip_vs_reply4 at 100).
 *
 * Bridged IPv4 frames (br_netfilter, bridge-nf-call-iptables=1) take PREROUTING → FORWARD →
 * POSTROUTING with `-i/-o` naming the bridge and `-m physdev` naming its ports.
 */
import type { NfChain, NfHook, NfTable, NfTableName } from "../api.js";

/** One step of a hook: a table's chain, or a conntrack stage. */
export type HookStep =
  | { kind: "table"; table: NfTableName }
  | { kind: "ct-in" }
  | { kind: "ct-confirm" }
  /** IPVS (ip_vs_core.c ip_vs_ops4): reply de-NAT, or request scheduling, at its priority in the hook. */
  | { kind: "ipvs"; stage: "reply" | "request" };

/** The steps each hook runs, in priority order. */
export const HOOK_STEPS: Record<NfHook, HookStep[]> = {
  PREROUTING: [{ kind: "table", table: "raw" }, { kind: "ct-in" }, { kind: "table", table: "mangle" }, { kind: "table", table: "nat" }],
  INPUT: [{ kind: "table", table: "mangle" }, { kind: "table", table: "filter" }, { kind: "ipvs", stage: "reply" }, { kind: "ipvs", stage: "request" }, { kind: "table", table: "nat" }, { kind: "ct-confirm" }],
  FORWARD: [{ kind: "table", table: "mangle" }, { kind: "table", table: "filter" }, { kind: "ipvs", stage: "reply" }],
  OUTPUT: [{ kind: "table", table: "raw" }, { kind: "ct-in" }, { kind: "table", table: "mangle" }, { kind: "table", table: "nat" }, { kind: "ipvs", stage: "reply" }, { kind: "ipvs", stage: "request" }, { kind: "table", table: "filter" }],
  POSTROUTING: [{ kind: "table", table: "mangle" }, { kind: "table", table: "nat" }, { kind: "ct-confirm" }],
};

/** Built-in chains of each table, in the order iptables lists them. */
export const BUILTIN_CHAINS: Record<NfTableName, NfHook[]> = {
  filter: ["INPUT", "FORWARD", "OUTPUT"],
  nat: ["PREROUTING", "INPUT", "OUTPUT", "POSTROUTING"],
  mangle: ["PREROUTING", "INPUT", "FORWARD", "OUTPUT", "POSTROUTING"],
  raw: ["PREROUTING", "OUTPUT"],
};

/** The table names in the order the kernel registers them. */
export const TABLE_NAMES: NfTableName[] = ["filter", "nat", "mangle", "raw"];

/** True when `name` is one of `table`'s built-in chains. */
export function isBuiltin(table: NfTableName, name: string): name is NfHook {
  return (BUILTIN_CHAINS[table] as string[]).includes(name);
}

/** An empty table with its built-in chains at policy ACCEPT, as the kernel has before iptables creates it. */
export function emptyTable(name: NfTableName): NfTable {
  return {
    name,
    absent: true,
    chains: BUILTIN_CHAINS[name].map((c): NfChain => ({ name: c, policy: "ACCEPT", rules: [], counters: { packets: 0, bytes: 0 } })),
  };
}
