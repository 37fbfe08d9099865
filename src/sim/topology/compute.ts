/**
 * Computes a Topology from a world's kernel state (links, addresses, masters, veth peers, VXLAN
 * devices) and, when present, its daemons (container names from dockerd, pods and services from
 * the Kubernetes API). Pure: reads, never changes, the world.
 */
import type { HostKernelApi, LinkInfo, NetnsApi } from "../kernel/api.js";
import type { DockerDaemonApi } from "../docker/types.js";
import type { KubeClusterApi, KObject } from "../k8s/api.js";
import type { TopoIface, TopoLink, TopoNetns, TopoService, Topology } from "./types.js";

/** A host kernel that can list its live namespaces (the kernel's Host does). */
type ListingHost = HostKernelApi & { namespaces?(): { id: number; label: string }[] };

interface NsView {
  topo: TopoNetns;
  api: NetnsApi;
  links: LinkInfo[];
}

/** The topology of `hosts`, with names from `daemons` (`docker`, `kubernetes`) when present. */
export function computeTopology(hosts: readonly HostKernelApi[], daemons: Record<string, unknown> = {}): Topology {
  const docker = daemons.docker as DockerDaemonApi | undefined;
  const kube = daemons.kubernetes as KubeClusterApi | undefined;
  const containerNames = new Map<string, string>();
  if (docker) for (const c of docker.containerList({ all: false })) containerNames.set(c.id.slice(0, 12), c.names[0]?.replace(/^\//, "") ?? c.id.slice(0, 12));
  const pods = kube ? listKind(kube, "Pod") : [];
  const podByIp = new Map<string, KObject>();
  for (const p of pods) if (p.status?.podIP && !p.spec?.hostNetwork) podByIp.set(`${p.spec?.nodeName ?? ""}|${p.status.podIP}`, p);

  const views: NsView[] = [];
  const namespaces: TopoNetns[] = [];
  const ifaces: TopoIface[] = [];
  for (const host of hosts as readonly ListingHost[]) {
    const named = new Set(host.netnsNamed());
    const all = host.namespaces ? host.namespaces() : [{ id: host.init.id, label: "init" }];
    for (const n of all) {
      let api: NetnsApi;
      try {
        api = n.id === host.init.id ? host.init : host.netns({ id: n.id });
      } catch {
        continue;
      }
      const id = `${host.hostname}/${n.id}`;
      const addrs = api.addrList();
      let kind: TopoNetns["kind"] = n.id === host.init.id ? "init" : named.has(n.label) ? "named" : "anonymous";
      let label = n.id === host.init.id ? host.hostname : n.label;
      const pod = addrs.map((a) => podByIp.get(`${host.hostname}|${a.cidr.split("/")[0]}`)).find(Boolean);
      if (pod && kind !== "init") {
        kind = "pod";
        label = `pod/${pod.metadata.name}`;
      } else if (n.label.startsWith("docker:")) {
        kind = "container";
        label = containerNames.get(n.label.slice(7)) ?? n.label;
      } else if (kind === "named") label = `netns ${n.label}`;
      const topo: TopoNetns = { id, host: host.hostname, label, kind, kernelLabel: n.label };
      const links = api.linkList();
      namespaces.push(topo);
      views.push({ topo, api, links });
      for (const l of links) {
        if (l.kind === "loopback") continue;
        const iface: TopoIface = {
          id: `${id}/${l.name}`,
          ns: id,
          name: l.name,
          kind: l.kind,
          up: l.flags.includes("UP"),
          addrs: addrs.filter((a) => a.ifindex === l.ifindex).map((a) => a.cidr),
        };
        if (l.master) iface.master = `${id}/${l.master}`;
        if (l.vxlan) iface.vxlan = { id: l.vxlan.vni, local: l.vxlan.local, remote: l.vxlan.remote, dev: l.vxlan.dev };
        ifaces.push(iface);
      }
    }
  }
  return { hosts: hosts.map((h) => h.hostname), namespaces, ifaces, links: linksOf(views, ifaces), services: kube ? servicesOf(kube, pods, namespaces, ifaces) : [] };
}

function listKind(kube: KubeClusterApi, kind: string): KObject[] {
  const k = kube.discovery().find((d) => d.kind === kind);
  return k ? kube.list(k) : [];
}

/**
 * veth pairs (each end's iflink is the other's ifindex, on one host; the pair nearest in
 * namespace wins when indexes repeat), bridge ports, VXLAN devices of one VNI on different
 * hosts, and physical NICs to the underlay segment.
 */
function linksOf(views: NsView[], ifaces: TopoIface[]): TopoLink[] {
  const links: TopoLink[] = [];
  const seen = new Set<string>();
  for (const a of views) {
    for (const la of a.links) {
      if (la.kind !== "veth") continue;
      const ida = `${a.topo.id}/${la.name}`;
      if (seen.has(ida)) continue;
      const peer = views
        .filter((b) => b.topo.host === a.topo.host)
        .flatMap((b) => b.links.filter((lb) => lb.kind === "veth" && lb.ifindex === la.iflink && lb.iflink === la.ifindex && (b !== a || lb !== la)).map((lb) => ({ b, lb })))
        .find(({ b, lb }) => !seen.has(`${b.topo.id}/${lb.name}`) && (b !== a) === (la.linkNetnsId !== undefined));
      if (!peer) continue;
      const idb = `${peer.b.topo.id}/${peer.lb.name}`;
      seen.add(ida).add(idb);
      links.push({ from: ida, to: idb, kind: "veth" });
    }
  }
  for (const i of ifaces) if (i.master) links.push({ from: i.id, to: i.master, kind: "port" });
  const vx = ifaces.filter((i) => i.vxlan);
  for (let x = 0; x < vx.length; x++) {
    for (let y = x + 1; y < vx.length; y++) {
      const a = vx[x]!;
      const b = vx[y]!;
      if (a.vxlan!.id === b.vxlan!.id && a.ns.split("/")[0] !== b.ns.split("/")[0]) links.push({ from: a.id, to: b.id, kind: "vxlan" });
    }
  }
  const inits = new Set(views.filter((v) => v.topo.kind === "init").map((v) => v.topo.id));
  for (const i of ifaces) if (i.kind === "ether" && inits.has(i.ns)) links.push({ from: i.id, to: "segment:underlay", kind: "underlay" });
  return links;
}

function servicesOf(kube: KubeClusterApi, pods: KObject[], namespaces: TopoNetns[], ifaces: TopoIface[]): TopoService[] {
  const out: TopoService[] = [];
  for (const s of listKind(kube, "Service")) {
    const selector = (s.spec?.selector ?? {}) as Record<string, string>;
    const keys = Object.keys(selector);
    const selected = keys.length === 0 ? [] : pods.filter((p) => p.metadata.namespace === s.metadata.namespace && keys.every((k) => p.metadata.labels?.[k] === selector[k]));
    const endpoints: string[] = [];
    for (const p of selected) {
      const ip = p.status?.podIP as string | undefined;
      const iface = ip ? ifaces.find((i) => i.ns.startsWith(`${p.spec?.nodeName}/`) && i.addrs.some((a) => a.split("/")[0] === ip)) : undefined;
      const ns = iface && namespaces.find((n) => n.id === iface.ns && n.kind === "pod");
      if (ns) endpoints.push(ns.id);
    }
    const ports = ((s.spec?.ports ?? []) as { port: number; protocol?: string; nodePort?: number }[]).map((p) => `${p.port}/${p.protocol ?? "TCP"}${p.nodePort ? ` (node ${p.nodePort})` : ""}`);
    out.push({ id: `svc/${s.metadata.namespace}/${s.metadata.name}`, name: s.metadata.name, namespace: s.metadata.namespace ?? "default", clusterIP: s.spec?.clusterIP, ports, endpoints });
  }
  return out;
}
