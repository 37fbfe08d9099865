/**
 * kube-proxy, IPVS mode: the few iptables rules it still writes. IPVS does the load balancing;
 * iptables only marks what must be masqueraded, accepts traffic for virtual services and (1.26+)
 * rejects anything else sent to an address of kube-ipvs0. The rules do not grow with services:
 * they match ipsets, and the sets grow instead.
 *
 *   nat PREROUTING/OUTPUT ─► KUBE-SERVICES
 *        ! -s <cluster CIDR> + set KUBE-CLUSTER-IP dst,dst ─► KUBE-MARK-MASQ (off-cluster clients)
 *        addrtype LOCAL ─► KUBE-NODE-PORT ─(set KUBE-NODE-PORT-TCP dst)─► KUBE-MARK-MASQ
 *        set KUBE-CLUSTER-IP dst,dst ─► ACCEPT        (then IPVS at LOCAL_IN picks a real server)
 *   nat POSTROUTING ─► KUBE-POSTROUTING: KUBE-LOOP-BACK hairpin MASQUERADE; mark 0x4000 ─► MASQUERADE
 *   filter INPUT ─► KUBE-IPVS-FILTER: known VIP:port RETURN; NEW to any other KUBE-IPVS-IPS address REJECT
 *
 * Source: kubernetes/kubernetes pkg/proxy/ipvs/proxier.go (`iptablesJumpChain`,
 * `iptablesChains`, `ipsetWithIptablesChain`, `writeIptablesRules`, `acceptIPVSTraffic`,
 * `createAndLinkKubeChain`), the file as of the v1.29+ line. Version gates, from the PRs and
 * issues that changed it: KUBE-IPVS-FILTER and KUBE-IPVS-IPS from v1.26 (PR #108460; the v1.27
 * chain as kubernetes/website#41002 shows it: RETURN for KUBE-LOAD-BALANCER, KUBE-CLUSTER-IP,
 * KUBE-EXTERNAL-IP, then REJECT); the KUBE-EXTERNAL-IP-LOCAL and KUBE-HEALTH-CHECK-NODE-PORT
 * RETURNs from v1.28; KUBE-IPVS-OUT-FILTER (issue #119656) and the `-s 127.0.0.0/8 -j RETURN`
 * head of KUBE-SERVICES from v1.29. docs/divergences.md (D-K8S-IPVS-1) lists what is inferred.
 */
import type { NfMatch, NfRule } from "../../kernel/api.js";
import type { DesiredRules, DesiredTable } from "./iptables.js";
import { minorOf, type ProxyConfig } from "./model.js";
import { addr, comment, jump, rule } from "./rules.js";
import { SET, setDef } from "./ipvs-sets.js";

const MASQ = "KUBE-MARK-MASQ";

/** `-m set --match-set NAME flags`. */
export function setMatch(name: string, flags: string): NfMatch {
  return { kind: "set", name, flags: flags.split(",") as Array<"src" | "dst">, neg: false };
}

// ipsetWithIptablesChain: a rule per non-empty set, in this order.
const WITH_CHAIN: Array<{ set: string; table: "nat" | "filter"; from: string; to: string; flags: string; proto?: "tcp" | "udp" | "sctp" }> = [
  { set: SET.loopBack, table: "nat", from: "KUBE-POSTROUTING", to: "MASQUERADE", flags: "dst,dst,src" },
  { set: SET.lb, table: "nat", from: "KUBE-SERVICES", to: "KUBE-LOAD-BALANCER", flags: "dst,dst" },
  { set: SET.lbLocal, table: "nat", from: "KUBE-LOAD-BALANCER", to: "RETURN", flags: "dst,dst" },
  { set: SET.nodePortLocalTCP, table: "nat", from: "KUBE-NODE-PORT", to: "RETURN", flags: "dst", proto: "tcp" },
  { set: SET.nodePortTCP, table: "nat", from: "KUBE-NODE-PORT", to: MASQ, flags: "dst", proto: "tcp" },
  { set: SET.nodePortLocalUDP, table: "nat", from: "KUBE-NODE-PORT", to: "RETURN", flags: "dst", proto: "udp" },
  { set: SET.nodePortUDP, table: "nat", from: "KUBE-NODE-PORT", to: MASQ, flags: "dst", proto: "udp" },
  { set: SET.nodePortLocalSCTP, table: "nat", from: "KUBE-NODE-PORT", to: "RETURN", flags: "dst,dst", proto: "sctp" },
  { set: SET.nodePortSCTP, table: "nat", from: "KUBE-NODE-PORT", to: MASQ, flags: "dst,dst", proto: "sctp" },
  { set: SET.lbFW, table: "filter", from: "KUBE-PROXY-FIREWALL", to: "KUBE-SOURCE-RANGES-FIREWALL", flags: "dst,dst" },
  { set: SET.lbSourceCIDR, table: "filter", from: "KUBE-SOURCE-RANGES-FIREWALL", to: "RETURN", flags: "dst,dst,src" },
  { set: SET.lbSourceIP, table: "filter", from: "KUBE-SOURCE-RANGES-FIREWALL", to: "RETURN", flags: "dst,dst,src" },
];

function target(to: string): NfRule["target"] {
  return to === "MASQUERADE" ? { kind: "MASQUERADE" } : to === "RETURN" || to === "ACCEPT" || to === "DROP" ? { kind: to } : jump(to);
}

/** Every chain the IPVS proxier declares, per table (iptablesChains), for `minor`. */
export function ipvsChains(minor: number): { nat: string[]; filter: string[] } {
  const filter = ["KUBE-FORWARD", "KUBE-NODE-PORT", "KUBE-PROXY-FIREWALL", "KUBE-SOURCE-RANGES-FIREWALL"];
  if (minor >= 26) filter.push("KUBE-IPVS-FILTER");
  if (minor >= 29) filter.push("KUBE-IPVS-OUT-FILTER");
  return { nat: ["KUBE-SERVICES", "KUBE-POSTROUTING", "KUBE-NODE-PORT", "KUBE-LOAD-BALANCER", MASQ], filter };
}

/** The iptables rules of one IPVS-mode sync, given which of kube-proxy's sets have members. */
export function generateIpvsRules(nonEmpty: ReadonlySet<string>, cfg: ProxyConfig): DesiredRules {
  const minor = minorOf(cfg.version);
  const mark = 1 << (cfg.masqueradeBit ?? 14);
  const chains = ipvsChains(minor);
  const nat: DesiredTable = { chains: new Map(chains.nat.map((c) => [c, []])), jumps: [] };
  const filter: DesiredTable = { chains: new Map(chains.filter.map((c) => [c, []])), jumps: [] };
  const n = (c: string) => nat.chains.get(c)!;
  const f = (c: string) => filter.chains.get(c)!;

  // iptablesJumpChain: EnsureRule(Prepend) in this order, so the last one ends on top.
  const jumps: Array<{ table: DesiredTable; from: "PREROUTING" | "INPUT" | "FORWARD" | "OUTPUT" | "POSTROUTING"; to: string; text: string }> = [
    { table: nat, from: "OUTPUT", to: "KUBE-SERVICES", text: "kubernetes service portals" },
    { table: nat, from: "PREROUTING", to: "KUBE-SERVICES", text: "kubernetes service portals" },
    { table: nat, from: "POSTROUTING", to: "KUBE-POSTROUTING", text: "kubernetes postrouting rules" },
    { table: filter, from: "FORWARD", to: "KUBE-FORWARD", text: "kubernetes forwarding rules" },
    { table: filter, from: "INPUT", to: "KUBE-NODE-PORT", text: "kubernetes health check rules" },
    { table: filter, from: "INPUT", to: "KUBE-PROXY-FIREWALL", text: "kube-proxy firewall rules" },
    { table: filter, from: "FORWARD", to: "KUBE-PROXY-FIREWALL", text: "kube-proxy firewall rules" },
  ];
  if (minor >= 26) jumps.push({ table: filter, from: "INPUT", to: "KUBE-IPVS-FILTER", text: "kubernetes ipvs access filter" });
  if (minor >= 29) jumps.push({ table: filter, from: "OUTPUT", to: "KUBE-IPVS-OUT-FILTER", text: "kubernetes ipvs access filter" });
  for (const j of jumps) j.table.jumps.push({ chain: j.from, rule: rule({ matches: [comment(j.text)], target: jump(j.to) }) });

  // writeIptablesRules.
  if (minor >= 29) n("KUBE-SERVICES").push(rule({ src: addr("127.0.0.0/8"), target: { kind: "RETURN" } }));
  for (const w of WITH_CHAIN) {
    if (!nonEmpty.has(w.set)) continue;
    const r = rule({
      ...(w.proto ? { proto: { name: w.proto, neg: false } } : {}),
      matches: [comment(setDef(w.set).comment), setMatch(w.set, w.flags)],
      target: target(w.to),
    });
    (w.table === "nat" ? n(w.from) : f(w.from)).push(r);
  }
  if (nonEmpty.has(SET.clusterIP)) {
    // localDetector (cluster CIDR): masquerade off-cluster clients; without a CIDR, the node's own
    // VIP-sourced connections (`src,dst`).
    const matches = [comment(setDef(SET.clusterIP).comment), setMatch(SET.clusterIP, cfg.clusterCIDR ? "dst,dst" : "src,dst")];
    n("KUBE-SERVICES").push(rule({ ...(cfg.clusterCIDR ? { src: addr(cfg.clusterCIDR, true) } : {}), matches, target: jump(MASQ) }));
  }
  n("KUBE-SERVICES").push(rule({ matches: [{ kind: "addrtype", dstType: { types: ["LOCAL"], neg: false } }], target: jump("KUBE-NODE-PORT") }));
  n("KUBE-LOAD-BALANCER").push(rule({ target: jump(MASQ) }));
  f("KUBE-SOURCE-RANGES-FIREWALL").push(rule({ target: { kind: "DROP" } }));
  // acceptIPVSTraffic: the last rules of KUBE-SERVICES.
  for (const s of [SET.clusterIP, SET.lb]) {
    if (nonEmpty.has(s)) n("KUBE-SERVICES").push(rule({ matches: [setMatch(s, "dst,dst")], target: { kind: "ACCEPT" } }));
  }
  f("KUBE-FORWARD").push(
    rule({ matches: [comment("kubernetes forwarding rules"), { kind: "mark", value: mark, mask: mark, neg: false }], target: { kind: "ACCEPT" } }),
    rule({ matches: [comment("kubernetes forwarding conntrack rule"), { kind: "conntrack", ctstate: { states: ["RELATED", "ESTABLISHED"], neg: false } }], target: { kind: "ACCEPT" } }),
  );
  f("KUBE-NODE-PORT").push(rule({ matches: [comment(setDef(SET.healthCheckNodePort).comment), setMatch(SET.healthCheckNodePort, "dst")], target: { kind: "ACCEPT" } }));
  if (minor >= 26) {
    const allow: Array<[string, string]> = [[SET.lb, "dst,dst"], [SET.clusterIP, "dst,dst"], [SET.externalIP, "dst,dst"]];
    if (minor >= 28) allow.push([SET.externalIPLocal, "dst,dst"], [SET.healthCheckNodePort, "dst"]);
    for (const [s, fl] of allow) f("KUBE-IPVS-FILTER").push(rule({ matches: [setMatch(s, fl)], target: { kind: "RETURN" } }));
    f("KUBE-IPVS-FILTER").push(
      rule({ matches: [{ kind: "conntrack", ctstate: { states: ["NEW"], neg: false } }, setMatch(SET.ipvsIPs, "dst")], target: { kind: "REJECT", rejectWith: "icmp-port-unreachable" } }),
    );
  }
  n("KUBE-POSTROUTING").push(
    rule({ matches: [{ kind: "mark", value: mark, mask: mark, neg: true }], target: { kind: "RETURN" } }),
    rule({ target: { kind: "MARK", value: mark, mask: 0 } }),
    rule({ matches: [comment("kubernetes service traffic requiring SNAT")], target: { kind: "MASQUERADE", randomFully: cfg.randomFully ?? true } }),
  );
  n(MASQ).push(rule({ target: { kind: "MARK", value: mark, mask: mark } }));
  return { nat, filter };
}

/** True for a chain the IPVS proxier owns (the chains of iptablesCleanupChains). */
export function ownedByIpvsProxy(chain: string): boolean {
  return ipvsChains(99).nat.includes(chain) || ipvsChains(99).filter.includes(chain);
}
