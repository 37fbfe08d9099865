/**
 * kube-proxy, iptables mode: the nat and filter chains it writes for a set of service ports,
 * in the layout of the configured version.
 *
 *   PREROUTING/OUTPUT ─► KUBE-SERVICES ─(-d VIP --dport P)─► KUBE-SVC-<hash>
 *        KUBE-SVC-<hash> ─(statistic random 1/n, 1/(n-1), …, last unconditional)─► KUBE-SEP-<hash>
 *        KUBE-SEP-<hash> ─► KUBE-MARK-MASQ (hairpin) ; DNAT --to-destination ip:port
 *   POSTROUTING ─► KUBE-POSTROUTING ─(mark 0x4000)─► MASQUERADE
 *
 * Sources (kubernetes/kubernetes pkg/proxy/iptables/proxier.go `syncProxyRules`): the 1.19-era file
 * (masquerade rules in KUBE-SERVICES/KUBE-NODEPORTS), the 1.22/1.23 file (PR #96959 moved them into
 * KUBE-SVC-*), the 1.24 file (PR #109060: KUBE-EXT-* and "-> ip:port" comments). See
 * /work/shared/reference/real-tools.md §1 for the quotes.
 */
import type { NfMatch, NfRule } from "../../kernel/api.js";
import { computeProbability, probabilityToU32 } from "./probability.js";
import { endpointChain, serviceChain, servicePortName } from "./hash.js";
import { minorOf, sortEndpoints, type ProxyConfig, type ProxyServicePort } from "./model.js";
import { addr, comment, jump, rule } from "./rules.js";

/** A jump kube-proxy (or the kubelet) keeps at the top of a built-in chain (`EnsureRule(Prepend, …)`). */
export interface BuiltinJump {
  chain: "PREROUTING" | "INPUT" | "FORWARD" | "OUTPUT" | "POSTROUTING";
  rule: NfRule;
}

/** The desired state of one table: user chains in write order, and jumps from built-in chains. */
export interface DesiredTable {
  chains: Map<string, NfRule[]>;
  jumps: BuiltinJump[];
}

export interface DesiredRules {
  nat: DesiredTable;
  filter: DesiredTable;
}

const MASQ = "KUBE-MARK-MASQ";

// Rules are immutable once generated (the kernel copies what it is given), so matches without
// parameters are shared between rules: 160,000 rules then cost far fewer objects.
const BARE: Record<string, NfMatch> = { tcp: { kind: "tcp" }, udp: { kind: "udp" }, sctp: { kind: "tcp" } };
const probCache = new Map<number, number>();

function protoMatch(proto: string, extra: { dport?: number } = {}): NfMatch {
  const kind = proto === "udp" ? "udp" : "tcp";
  return extra.dport === undefined ? BARE[kind]! : { kind, dport: { from: extra.dport, to: extra.dport } };
}

/** lround(0x80000000 × the 10-decimal text of 1/n), cached per n. */
function probabilityU32(n: number): number {
  let v = probCache.get(n);
  if (v === undefined) probCache.set(n, (v = probabilityToU32(computeProbability(n))));
  return v;
}

/** The jump list of iptablesJumpChains (1.22+; 1.19 also hooked filter INPUT to KUBE-SERVICES). */
function jumpChains(minor: number): Array<{ table: "nat" | "filter"; dst: string; src: BuiltinJump["chain"]; comment: string; ctNew?: boolean }> {
  const list: Array<{ table: "nat" | "filter"; dst: string; src: BuiltinJump["chain"]; comment: string; ctNew?: boolean }> = [
    { table: "filter", dst: "KUBE-EXTERNAL-SERVICES", src: "INPUT", comment: "kubernetes externally-visible service portals", ctNew: true },
    { table: "filter", dst: "KUBE-EXTERNAL-SERVICES", src: "FORWARD", comment: "kubernetes externally-visible service portals", ctNew: true },
    { table: "filter", dst: "KUBE-NODEPORTS", src: "INPUT", comment: "kubernetes health check service ports" },
    { table: "filter", dst: "KUBE-SERVICES", src: "FORWARD", comment: "kubernetes service portals", ctNew: true },
    { table: "filter", dst: "KUBE-SERVICES", src: "OUTPUT", comment: "kubernetes service portals", ctNew: true },
    { table: "filter", dst: "KUBE-FORWARD", src: "FORWARD", comment: "kubernetes forwarding rules" },
  ];
  if (minor >= 25) {
    // PR #110991 (1.25): LoadBalancerSourceRanges filtering moved to KUBE-PROXY-FIREWALL.
    for (const src of ["INPUT", "FORWARD", "OUTPUT"] as const) {
      list.push({ table: "filter", dst: "KUBE-PROXY-FIREWALL", src, comment: "kubernetes load balancer firewall", ctNew: true });
    }
  }
  if (minor <= 21) {
    list.push({ table: "filter", dst: "KUBE-SERVICES", src: "INPUT", comment: "kubernetes service portals", ctNew: true });
  }
  list.push(
    { table: "nat", dst: "KUBE-SERVICES", src: "OUTPUT", comment: "kubernetes service portals" },
    { table: "nat", dst: "KUBE-SERVICES", src: "PREROUTING", comment: "kubernetes service portals" },
    { table: "nat", dst: "KUBE-POSTROUTING", src: "POSTROUTING", comment: "kubernetes postrouting rules" },
  );
  return list;
}

/** Generates kube-proxy's nat and filter rules for `ports` (one sync). */
export function generateIptablesRules(ports: ProxyServicePort[], cfg: ProxyConfig): DesiredRules {
  const minor = minorOf(cfg.version);
  const mark = 1 << (cfg.masqueradeBit ?? 14);
  const nat: DesiredTable = { chains: new Map(), jumps: [] };
  const filter: DesiredTable = { chains: new Map(), jumps: [] };

  for (const j of jumpChains(minor)) {
    const matches: NfMatch[] = [];
    if (j.ctNew) matches.push({ kind: "conntrack", ctstate: { states: ["NEW"], neg: false } });
    matches.push(comment(j.comment));
    (j.table === "nat" ? nat : filter).jumps.push({ chain: j.src, rule: rule({ matches, target: jump(j.dst) }) });
  }

  // Fixed chains, in the order kube-proxy writes their declarations.
  for (const c of ["KUBE-SERVICES", "KUBE-EXTERNAL-SERVICES", "KUBE-FORWARD", "KUBE-NODEPORTS"]) filter.chains.set(c, []);
  if (minor >= 25) filter.chains.set("KUBE-PROXY-FIREWALL", []);
  for (const c of ["KUBE-SERVICES", "KUBE-NODEPORTS", "KUBE-POSTROUTING", MASQ]) nat.chains.set(c, []);

  const natRules = (c: string): NfRule[] => {
    let r = nat.chains.get(c);
    if (!r) nat.chains.set(c, (r = []));
    return r;
  };
  const filterRules = (c: string): NfRule[] => filter.chains.get(c)!;

  // KUBE-POSTROUTING / KUBE-MARK-MASQ (1.19+, PR #92035).
  natRules("KUBE-POSTROUTING").push(
    rule({ matches: [{ kind: "mark", value: mark, mask: mark, neg: true }], target: { kind: "RETURN" } }),
    rule({ target: { kind: "MARK", value: mark, mask: 0 } }),
    rule({
      matches: [comment("kubernetes service traffic requiring SNAT")],
      target: { kind: "MASQUERADE", randomFully: cfg.randomFully ?? true },
    }),
  );
  natRules(MASQ).push(rule({ target: { kind: "MARK", value: mark, mask: mark } }));

  // KUBE-FORWARD (filter).
  filterRules("KUBE-FORWARD").push(
    rule({ matches: [{ kind: "conntrack", ctstate: { states: ["INVALID"], neg: false } }], target: { kind: "DROP" } }),
    rule({ matches: [comment("kubernetes forwarding rules"), { kind: "mark", value: mark, mask: mark, neg: false }], target: { kind: "ACCEPT" } }),
    rule({
      matches: [comment("kubernetes forwarding conntrack rule"), { kind: "conntrack", ctstate: { states: ["RELATED", "ESTABLISHED"], neg: false } }],
      target: { kind: "ACCEPT" },
    }),
  );

  // Comments are left out on large clusters (appendServiceCommentLocked, > 1000 endpoint chains, 1.24+).
  const totalEndpoints = ports.reduce((n, p) => n + p.endpoints.length, 0);
  const withComments = minor < 24 || totalEndpoints <= 1000;

  for (const sp of ports) {
    const pr = portRules(sp, minor, withComments, cfg.clusterCIDR);
    natRules("KUBE-SERVICES").push(...pr.natServices);
    natRules("KUBE-NODEPORTS").push(...pr.natNodePorts);
    filterRules("KUBE-SERVICES").push(...pr.filterServices);
    filterRules("KUBE-EXTERNAL-SERVICES").push(...pr.filterExternal);
    for (const [name, rules] of pr.chains) {
      const have = nat.chains.get(name);
      // A chain of another service port with the same name (only a duplicate endpoint does that) grows, as natRules would.
      // Cached chains are frozen arrays: the kernel keeps them as they are (nothing pushes to them here).
      nat.chains.set(name, have ? [...have, ...rules] : (rules as NfRule[]));
    }
  }

  natRules("KUBE-SERVICES").push(
    rule({
      matches: [comment("kubernetes service nodeports; NOTE: this must be the last rule in this chain"), { kind: "addrtype", dstType: { types: ["LOCAL"], neg: false } }],
      target: jump("KUBE-NODEPORTS"),
    }),
  );
  return { nat, filter };
}

/** What one service port adds to the shared chains, and the chains of its own (in creation order). */
interface PortRules {
  natServices: readonly NfRule[];
  natNodePorts: readonly NfRule[];
  filterServices: readonly NfRule[];
  filterExternal: readonly NfRule[];
  chains: ReadonlyArray<readonly [string, readonly NfRule[]]>;
}

// Frozen parts many rules share (rules are immutable values, see rules.ts).
const JUMP_MASQ = Object.freeze(jump(MASQ));
const PROTO_SPECS = new Map<string, NfRule["proto"]>();
function protoSpec(proto: string): NonNullable<NfRule["proto"]> {
  let p = PROTO_SPECS.get(proto);
  if (!p) PROTO_SPECS.set(proto, (p = Object.freeze({ name: proto, neg: false })));
  return p!;
}

// A service port's rules depend only on the inputs in its key, and rules are frozen values, so
// every node's kube-proxy (and every later sync) gets the same objects: fifty nodes hold one copy,
// and the kernel recognises a frozen rules array it has compiled before. Bounded; cleared when full.
const portCache = new Map<string, PortRules>();
const PORT_CACHE_MAX = 200_000;

/**
 * A service port as one string. With `node`, everything in the model (the endpoints' `local` flag
 * differs from node to node); without, what its rules depend on: the generator ignores `local`
 * and externalTrafficPolicy (no KUBE-SVL-/KUBE-XLB- chains yet), so every node shares them.
 */
function portKey(sp: ProxyServicePort, eps: ProxyServicePort["endpoints"], node: boolean): string {
  let key = `${sp.namespace}|${sp.name}|${sp.portName}|${sp.protocol}|${sp.clusterIP}|${sp.port}|${sp.nodePort ?? ""}|`;
  if (node) key += `${sp.externalTrafficPolicy ?? ""}|`;
  for (const e of eps) key += node && e.local ? `${e.ip}:${e.port}+,` : `${e.ip}:${e.port},`;
  return key;
}

/** A string equal for two models exactly when they are equal (the endpoints' order included). */
export function modelKey(ports: ProxyServicePort[]): string {
  return ports.map((sp) => portKey(sp, sp.endpoints, true)).join("\n");
}

function portRules(sp: ProxyServicePort, minor: number, withComments: boolean, clusterCIDR: string | undefined): PortRules {
  const eps = sortEndpoints(sp.endpoints);
  const key = `${minor}|${withComments ? 1 : 0}|${clusterCIDR ?? ""}|${portKey(sp, eps, false)}`;
  let pr = portCache.get(key);
  if (pr === undefined) {
    pr = buildPortRules(sp, eps, minor, withComments, clusterCIDR);
    if (portCache.size >= PORT_CACHE_MAX) portCache.clear();
    portCache.set(key, pr);
  }
  return pr;
}

function buildPortRules(sp: ProxyServicePort, eps: ProxyServicePort["endpoints"], minor: number, withComments: boolean, clusterCIDR: string | undefined): PortRules {
  const natServices: NfRule[] = [];
  const natNodePorts: NfRule[] = [];
  const filterServices: NfRule[] = [];
  const filterExternal: NfRule[] = [];
  const own = new Map<string, NfRule[]>();
  const natRules = (c: string): NfRule[] => {
    let r = own.get(c);
    if (!r) own.set(c, (r = []));
    return r;
  };
  const done = (): PortRules => ({
    natServices: Object.freeze(natServices),
    natNodePorts: Object.freeze(natNodePorts),
    filterServices: Object.freeze(filterServices),
    filterExternal: Object.freeze(filterExternal),
    chains: [...own].map(([name, rules]) => [name, Object.freeze(rules)] as const),
  });

  const proto = sp.protocol.toLowerCase();
  const spn = servicePortName(sp.namespace, sp.name, sp.portName);
  const svcChain = serviceChain("KUBE-SVC", spn, proto);
  const extChain = serviceChain("KUBE-EXT", spn, proto);
  const dst = addr(sp.clusterIP);
  const clusterIPMatches = (): NfMatch[] => [comment(`${spn} cluster IP`), protoMatch(proto, { dport: sp.port })];
  const spnComment = comment(spn);
  const svcComment = (): NfMatch[] => (withComments ? [spnComment] : []);

  if (eps.length === 0) {
    // No endpoints: REJECT in filter, nothing in nat.
    filterServices.push(
      rule({ dst, proto: protoSpec(proto), matches: [comment(`${spn} has no endpoints`), protoMatch(proto, { dport: sp.port })], target: { kind: "REJECT", rejectWith: "icmp-port-unreachable" } }),
    );
    if (sp.nodePort !== undefined) {
      filterExternal.push(
        rule({
          proto: protoSpec(proto),
          matches: [comment(`${spn} has no endpoints`), { kind: "addrtype", dstType: { types: ["LOCAL"], neg: false } }, protoMatch(proto, { dport: sp.nodePort })],
          target: { kind: "REJECT", rejectWith: "icmp-port-unreachable" },
        }),
      );
    }
    return done();
  }

  const svc = natRules(svcChain);
  // Masquerade off-cluster sources reaching the ClusterIP.
  if (clusterCIDR) {
    const masq = rule({ src: addr(clusterCIDR, true), dst, proto: protoSpec(proto), matches: clusterIPMatches(), target: JUMP_MASQ });
    if (minor >= 22) svc.push(masq);
    else natServices.push(masq);
  }
  natServices.push(rule({ dst, proto: protoSpec(proto), matches: clusterIPMatches(), target: jump(svcChain) }));

  if (sp.nodePort !== undefined) {
    const npMatches = (): NfMatch[] => [...svcComment(), protoMatch(proto, { dport: sp.nodePort })];
    const p = protoSpec(proto);
    if (minor >= 24) {
      const ext = natRules(extChain);
      ext.push(rule({ matches: [comment(`masquerade traffic for ${spn} external destinations`)], target: JUMP_MASQ }));
      ext.push(rule({ target: jump(svcChain) }));
      natNodePorts.push(rule({ proto: p, matches: npMatches(), target: jump(extChain) }));
    } else if (minor >= 22) {
      svc.push(rule({ proto: p, matches: npMatches(), target: JUMP_MASQ }));
      natNodePorts.push(rule({ proto: p, matches: npMatches(), target: jump(svcChain) }));
    } else {
      natNodePorts.push(rule({ proto: p, matches: npMatches(), target: JUMP_MASQ }));
      natNodePorts.push(rule({ proto: p, matches: npMatches(), target: jump(svcChain) }));
    }
  }

  const n = eps.length;
  eps.forEach((ep, i) => {
    const endpoint = `${ep.ip}:${ep.port}`;
    const sep = endpointChain(spn, proto, endpoint);
    const matches: NfMatch[] = withComments ? [comment(minor >= 24 ? `${spn} -> ${endpoint}` : spn)] : [];
    if (i < n - 1) {
      matches.push({ kind: "statistic", mode: "random", probabilityU32: probabilityU32(n - i), neg: false });
    }
    svc.push(rule({ matches, target: jump(sep) }));
    natRules(sep).push(
      rule({ src: addr(ep.ip), matches: svcComment(), target: JUMP_MASQ }),
      rule({ proto: protoSpec(proto), matches: [...svcComment(), protoMatch(proto)], target: { kind: "DNAT", toAddr: ep.ip, toPort: ep.port } }),
    );
  });
  return done();
}
