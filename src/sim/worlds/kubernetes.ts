/**
 * The `kubernetes` world: a kubeadm-style cluster of a control plane and workers (node1, node2
 * by default), each a machine with eth0 on the shared underlay segment, running the cluster of
 * sim/k8s/cluster.ts. Contexts: every node by name, `host` (the control plane, where kubectl
 * runs, as on a kubeadm lab VM), `client` (192.168.56.100, a machine outside the cluster on the
 * nodes' network), and one per running pod container: `pod/NAME` (first
 * container), `pod/NAME:CONTAINER`, and `pod/NAMESPACE/NAME[:CONTAINER]` outside `default`.
 * The world starts five virtual minutes after `kubeadm init`, with CoreDNS running.
 */
import { defaultImages } from "../docker/images.js";
import { Cluster, type ClusterNode } from "../k8s/cluster.js";
import { KIND } from "../k8s/controllers.js";
import type { WorldBuilder } from "./types.js";

/** Underlay addresses: control plane .10, then .11, .12, … (VirtualBox host-only network). */
export function nodeAddress(i: number): string {
  return `192.168.56.${10 + i}`;
}

/**
 * The nodes' default gateway: the VirtualBox host-only network's host side, which no machine of
 * the world answers for. A real node has a default route (kube-proxy needs one: a ClusterIP with
 * no endpoints is routed, then REJECTed in the filter table, `Connection refused`); traffic to
 * anywhere else leaves towards a gateway that never answers ARP, as on a lab VM with no uplink.
 */
export const UNDERLAY_GATEWAY = "192.168.56.1";

const byClock = new WeakMap<object, Cluster>();

/** The cluster of a kubernetes world built with `clock` (for benchmarks and white-box tests). */
export function clusterOf(clock: object): Cluster | undefined {
  return byClock.get(clock);
}

export const kubernetesWorld: WorldBuilder = {
  kind: "kubernetes",
  build(env) {
    const names = ["control-plane", ...(env.opts.nodes ?? ["node1", "node2"])];
    const nodes: ClusterNode[] = names.map((name, i) => {
      const m = env.addMachine({ name, address: `${nodeAddress(i)}/24`, gateway: UNDERLAY_GATEWAY });
      return { name, host: m.kernel, fs: m.fs, ip: nodeAddress(i), controlPlane: i === 0 };
    });
    const cluster = new Cluster({
      clock: env.clock,
      rng: env.rng,
      nodes,
      version: env.opts.kubeProxyVersion ?? "1.28",
      proxyMode: env.opts.kubeProxyMode ?? "iptables",
      spawn: env.services.spawn,
      makeFs: (files, dirs, netns) => env.newFs(netns, files, dirs).fs,
      images: defaultImages((n) => Array.from({ length: n }, () => "0123456789abcdef"[env.rng.int(16)]).join("")),
    });
    env.services.daemons.kubernetes = cluster;
    byClock.set(env.clock, cluster);
    // A machine outside the cluster on the same network, for traffic "from outside" (NodePorts, Ingress).
    env.addMachine({ name: "client", address: "192.168.56.100/24" });
    const cp = env.machine("control-plane")!;
    env.addContext("host", () => cp.ctx);
    const registered = new Set<string>();
    const register = (ns: string, pod: string, containers: string[]) => {
      const base = ns === "default" ? `pod/${pod}` : `pod/${ns}/${pod}`;
      const add = (name: string, c?: string) => {
        if (registered.has(name)) return;
        registered.add(name);
        env.addContext(name, () => cluster.podContext(ns, pod, c));
      };
      add(base);
      for (const c of containers) add(`${base}:${c}`, c);
    };
    cluster.api.watch((ev) => {
      if (ev.obj.kind !== "Pod" || ev.obj.spec?.hostNetwork) return;
      if (ev.type !== "DELETED") register(ev.obj.metadata.namespace!, ev.obj.metadata.name, ev.obj.spec.containers.map((c: any) => c.name));
    });
    for (const p of cluster.api.list(KIND.pod)) if (!p.spec.hostNetwork) register(p.metadata.namespace!, p.metadata.name, p.spec.containers.map((c: any) => c.name));
    env.clock.advance(5 * 60_000);
  },
};
