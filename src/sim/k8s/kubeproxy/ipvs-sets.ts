/**
 * The ipsets of kube-proxy's IPVS mode: names, types and comments, and how an entry is written.
 *
 * Source: kubernetes/kubernetes pkg/proxy/ipvs/ipset.go (the constants `kube…IPSet` and
 * `kube…IPSetComment`), pkg/proxy/ipvs/proxier.go `ipsetInfo` (the list and the types), and
 * pkg/proxy/ipvs/ipset/ipset.go (`createSet`: `family inet hashsize 1024 maxelem 65536` for
 * hash types, `range 0-65535` for bitmap:port, no `comment` extension; `Entry.String`).
 * KUBE-IPVS-IPS ("Addresses on the ipvs interface", hash:ip) arrived with the KUBE-IPVS-FILTER
 * chain (PR #108460, first released in v1.26).
 */
import type { IpsetCreateSpec, IpsetEntry, IpsetType } from "../../kernel/api.js";

/** One ipset kube-proxy creates. */
export interface IpvsSetDef {
  name: string;
  type: IpsetType;
  /** The comment kube-proxy puts on the iptables rule that matches the set. */
  comment: string;
}

export const SET = {
  loopBack: "KUBE-LOOP-BACK",
  clusterIP: "KUBE-CLUSTER-IP",
  externalIP: "KUBE-EXTERNAL-IP",
  externalIPLocal: "KUBE-EXTERNAL-IP-LOCAL",
  lb: "KUBE-LOAD-BALANCER",
  lbFW: "KUBE-LOAD-BALANCER-FW",
  lbLocal: "KUBE-LOAD-BALANCER-LOCAL",
  lbSourceIP: "KUBE-LOAD-BALANCER-SOURCE-IP",
  lbSourceCIDR: "KUBE-LOAD-BALANCER-SOURCE-CIDR",
  nodePortTCP: "KUBE-NODE-PORT-TCP",
  nodePortLocalTCP: "KUBE-NODE-PORT-LOCAL-TCP",
  nodePortUDP: "KUBE-NODE-PORT-UDP",
  nodePortLocalUDP: "KUBE-NODE-PORT-LOCAL-UDP",
  nodePortSCTP: "KUBE-NODE-PORT-SCTP-HASH",
  nodePortLocalSCTP: "KUBE-NODE-PORT-LOCAL-SCTP-HASH",
  healthCheckNodePort: "KUBE-HEALTH-CHECK-NODE-PORT",
  ipvsIPs: "KUBE-IPVS-IPS",
} as const;

// ipsetInfo, in its order (the real kube-proxy ranges over a Go map, so a real node creates
// them in a random order; the simulator keeps this one).
const ALL: IpvsSetDef[] = [
  { name: SET.loopBack, type: "hash:ip,port,ip", comment: "Kubernetes endpoints dst ip:port, source ip for solving hairpin purpose" },
  { name: SET.clusterIP, type: "hash:ip,port", comment: "Kubernetes service cluster ip + port for masquerade purpose" },
  { name: SET.externalIP, type: "hash:ip,port", comment: "Kubernetes service external ip + port for masquerade and filter purpose" },
  { name: SET.externalIPLocal, type: "hash:ip,port", comment: "Kubernetes service external ip + port with externalTrafficPolicy=local" },
  { name: SET.lb, type: "hash:ip,port", comment: "Kubernetes service lb portal" },
  { name: SET.lbFW, type: "hash:ip,port", comment: "Kubernetes service load balancer ip + port for load balancer with sourceRange" },
  { name: SET.lbLocal, type: "hash:ip,port", comment: "Kubernetes service load balancer ip + port with externalTrafficPolicy=local" },
  { name: SET.lbSourceIP, type: "hash:ip,port,ip", comment: "Kubernetes service load balancer ip + port + source IP for packet filter purpose" },
  { name: SET.lbSourceCIDR, type: "hash:ip,port,net", comment: "Kubernetes service load balancer ip + port + source cidr for packet filter purpose" },
  { name: SET.nodePortTCP, type: "bitmap:port", comment: "Kubernetes nodeport TCP port for masquerade purpose" },
  { name: SET.nodePortLocalTCP, type: "bitmap:port", comment: "Kubernetes nodeport TCP port with externalTrafficPolicy=local" },
  { name: SET.nodePortUDP, type: "bitmap:port", comment: "Kubernetes nodeport UDP port for masquerade purpose" },
  { name: SET.nodePortLocalUDP, type: "bitmap:port", comment: "Kubernetes nodeport UDP port with externalTrafficPolicy=local" },
  { name: SET.nodePortSCTP, type: "hash:ip,port", comment: "Kubernetes nodeport SCTP port for masquerade purpose with type 'hash ip:port'" },
  { name: SET.nodePortLocalSCTP, type: "hash:ip,port", comment: "Kubernetes nodeport SCTP port with externalTrafficPolicy=local with type 'hash ip:port'" },
  { name: SET.healthCheckNodePort, type: "bitmap:port", comment: "Kubernetes health check node port" },
  { name: SET.ipvsIPs, type: "hash:ip", comment: "Addresses on the ipvs interface" },
];

/** The sets kube-proxy `minor` creates, in creation order. */
export function ipvsSets(minor: number): IpvsSetDef[] {
  return minor >= 26 ? ALL : ALL.filter((s) => s.name !== SET.ipvsIPs);
}

/** The definition of set `name` (every name of SET has one). */
export function setDef(name: string): IpvsSetDef {
  return ALL.find((s) => s.name === name)!;
}

/** `ipset create NAME TYPE …` as kube-proxy's createSet issues it. */
export function createSpec(def: IpvsSetDef): IpsetCreateSpec {
  if (def.type === "bitmap:port") return { name: def.name, type: def.type, range: { from: 0, to: 65535 } };
  return { name: def.name, type: def.type, family: "inet", hashsize: 1024, maxelem: 65536 };
}

/** The text of an entry as utilipset `Entry.String()` writes it (`10.96.0.1,tcp:443`, `30080`). */
export function entryText(type: IpsetType, e: IpsetEntry): string {
  switch (type) {
    case "hash:ip":
      return e.ip!;
    case "hash:ip,port":
      return `${e.ip},${e.proto}:${e.port}`;
    case "hash:ip,port,ip":
      return `${e.ip},${e.proto}:${e.port},${e.ip2}`;
    case "hash:ip,port,net":
      return `${e.ip},${e.proto}:${e.port},${e.ip2}/${e.cidr2}`;
    case "bitmap:port":
      return String(e.port);
    case "hash:net":
      return `${e.ip}/${e.cidr ?? 32}`;
  }
}
