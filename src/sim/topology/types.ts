/**
 * A world's network topology as a graph, computed from simulated state (never from lesson
 * text): hosts hold namespaces, namespaces hold interfaces; links join interfaces.
 *
 *   host node1 ─┬─ netns init:  eth0 10.0.0.11/24, cni0 10.244.1.1/24, flannel.1 (vxlan 1)
 *               └─ netns pod/web: eth0 10.244.1.2/24 ══veth══ vethXXXX (master cni0)
 */

export interface TopoIface {
  /** Unique in the topology: `host/nsId/ifname`. */
  id: string;
  ns: string;
  name: string;
  kind: string;
  up: boolean;
  addrs: string[];
  /** Bridge this interface is a port of (its id). */
  master?: string;
  /** vxlan: VNI and remote/local addresses. */
  vxlan?: { id: number; local?: string; remote?: string; dev?: string };
}

export interface TopoNetns {
  /** Unique in the topology: `host/nsId`. */
  id: string;
  host: string;
  /** What it is to a person: `init`, a named netns, a container, a pod. */
  label: string;
  kind: "init" | "named" | "container" | "pod" | "anonymous";
  /** The kernel's label of the namespace (what TraceEvent.netns names). */
  kernelLabel: string;
}

export interface TopoService {
  id: string;
  name: string;
  namespace: string;
  clusterIP?: string;
  ports: string[];
  /** Pod namespaces (TopoNetns ids) the service selects. */
  endpoints: string[];
}

export type TopoLinkKind = "veth" | "port" | "vxlan" | "underlay";

export interface TopoLink {
  from: string;
  to: string;
  kind: TopoLinkKind;
}

export interface Topology {
  hosts: string[];
  namespaces: TopoNetns[];
  ifaces: TopoIface[];
  links: TopoLink[];
  services: TopoService[];
}
