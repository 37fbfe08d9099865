/**
 * What kube-proxy knows about the cluster: one entry per service port, with the endpoints it sends
 * cluster traffic to (ready ones, or serving terminating ones: categorize.ts), built from Services
 * and EndpointSlices (see sync.ts). The rule generators are pure functions
 * of this model and the proxy configuration.
 */

export interface ProxyEndpoint {
  ip: string;
  port: number;
  /** The endpoint's pod runs on this node (externalTrafficPolicy: Local). */
  local: boolean;
}

export interface ProxyServicePort {
  namespace: string;
  name: string;
  /** The port's name; empty for an unnamed port. */
  portName: string;
  protocol: "TCP" | "UDP" | "SCTP";
  clusterIP: string;
  port: number;
  nodePort?: number;
  externalTrafficPolicy?: "Cluster" | "Local";
  /** Cluster endpoints (categorize.ts), in any order (the generators sort them as kube-proxy does). */
  endpoints: ProxyEndpoint[];
}

export interface ProxyConfig {
  /** "1.20" … "1.30": the rule layout changed at 1.22 and 1.24. */
  version: string;
  /** --cluster-cidr (kubeadm: the pod subnet); undefined → no "! -s CIDR" masquerade rule. */
  clusterCIDR?: string;
  /** --masquerade-bit (default 14 → 0x4000). */
  masqueradeBit?: number;
  /** iptables supports --random-fully (true on any current iptables). */
  randomFully?: boolean;
}

/** The minor version number of "1.24" / "v1.24.3". */
export function minorOf(version: string): number {
  const m = /^v?1\.(\d+)/.exec(version);
  return m ? Number(m[1]) : 28;
}

/** Endpoints in kube-proxy's order: sorted by the string "ip:port" (pkg/proxy/endpointslicecache.go). */
export function sortEndpoints(eps: ProxyEndpoint[]): ProxyEndpoint[] {
  return [...eps].sort((a, b) => {
    const x = `${a.ip}:${a.port}`;
    const y = `${b.ip}:${b.port}`;
    return x < y ? -1 : x > y ? 1 : 0;
  });
}
