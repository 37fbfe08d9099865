/**
 * A kubeadm-style cluster on simulated machines: the API server and controllers, and on every
 * node flanneld (VXLAN), the flannel CNI, a container runtime, the kubelet and kube-proxy;
 * CoreDNS behind kube-dns (10.96.0.10) and the `kubernetes` Service (10.96.0.1). Everything on
 * the wire goes through each node's kernel: routes, VXLAN, netfilter rules from kube-proxy.
 *
 *   control-plane 192.168.56.10  10.244.0.0/24 ┐
 *   node1         192.168.56.11  10.244.1.0/24 ├─ underlay segment; pod traffic in VXLAN (VNI 1, 8472)
 *   node2         192.168.56.12  10.244.2.0/24 ┘
 */
import type { Clock } from "../../core/clock.js";
import type { Rng } from "../../core/random.js";
import type { HostKernelApi, NetnsApi } from "../kernel/api.js";
import type { ProcContext, SimFs, Stdio, WorldServices } from "../userland/types.js";
import type { ApiError, AttachResult, ExecTarget, KubeClusterApi } from "./api.js";
import { ApiServer, rfc3339 } from "./apiserver.js";
import { FlannelCni } from "./cni.js";
import { ControllerManager, KIND } from "./controllers.js";
import { corednsProcess } from "./coredns.js";
import { Flanneld, FLANNEL_NETWORK, type FlannelLease } from "./flannel.js";
import { ingressProcess, servedByNginx } from "./ingress.js";
import { ensureKubeletChains, KubeProxyIptables } from "./kubeproxy/sync.js";
import { KubeProxyIpvs } from "./kubeproxy/ipvs-proxy.js";
import { Kubelet } from "./kubelet.js";
import type { KObject } from "./objects.js";
import { ContainerRuntime, libraryImages, type ImageData, type RuntimeImage } from "./runtime.js";
import { findKind, KINDS } from "./schema.js";

export interface ClusterNode {
  name: string;
  host: HostKernelApi;
  fs: SimFs;
  ip: string;
  controlPlane: boolean;
}

export interface ClusterOptions {
  clock: Clock;
  rng: Rng;
  nodes: ClusterNode[];
  /** Kubernetes (and kube-proxy) version, "1.28" by default. */
  version?: string;
  proxyMode?: "iptables" | "ipvs";
  spawn: WorldServices["spawn"];
  makeFs(files: Record<string, string>, dirs: string[], netns: NetnsApi): SimFs;
  /** The library images (busybox, nginx) as the Docker engine's image store has them. */
  images: ImageData[];
}

const CP_TAINT = "node-role.kubernetes.io/control-plane";

export class Cluster implements KubeClusterApi {
  readonly api: ApiServer;
  readonly version: string;
  readonly kubelets = new Map<string, Kubelet>();
  readonly proxies = new Map<string, KubeProxyIptables | KubeProxyIpvs>();
  readonly flannel = new Map<string, Flanneld>();

  constructor(private readonly o: ClusterOptions) {
    const minor = /^v?1\.(\d+)/.exec(o.version ?? "1.28")?.[1] ?? "28";
    this.version = `1.${minor}.0`;
    this.api = new ApiServer({ clock: o.clock, rng: o.rng });
    const api = this.api;
    api.batch(() => {
      for (const ns of ["default", "kube-node-lease", "kube-public", "kube-system"]) api.create({ apiVersion: "v1", kind: "Namespace", metadata: { name: ns, labels: { "kubernetes.io/metadata.name": ns } }, status: { phase: "Active" } });
      new ControllerManager(api, (pod) => this.schedulable(pod));
    });
    const images: RuntimeImage[] = [
      this.builtinImage(["registry.k8s.io/coredns/coredns:v1.10.1"], "registry.k8s.io/coredns/coredns", corednsProcess(api)),
      this.builtinImage(["registry.k8s.io/ingress-nginx/controller:v1.10.0", "quay.io/kubernetes-ingress-controller/nginx-ingress-controller:0.20.0"], "registry.k8s.io/ingress-nginx/controller", ingressProcess(api)),
      this.builtinImage([`registry.k8s.io/kube-proxy:v${this.version}`, "docker.io/flannel/flannel:v0.24.0", "registry.k8s.io/pause:3.9"], "registry.k8s.io/kube-proxy", undefined),
    ];
    const library = libraryImages(o.rng, o.images);
    const leases: FlannelLease[] = [];
    o.nodes.forEach((n, i) => {
      const subnet = `10.244.${i}.0/24`;
      const init = n.host.init;
      try {
        init.sysctlSet("net.bridge.bridge-nf-call-iptables", "1");
      } catch {
        /* br_netfilter not modelled */
      }
      const fl = new Flanneld(init, n.fs, n.name, subnet, n.ip);
      this.flannel.set(n.name, fl);
      leases.push(fl.start());
      api.create(this.nodeObject(n, subnet));
      const runtime = new ContainerRuntime({ host: n.host, clock: o.clock, rng: o.rng, spawn: o.spawn, makeFs: o.makeFs, images }, library);
      const cni = new FlannelCni(init, n.fs, subnet, o.rng);
      this.kubelets.set(n.name, new Kubelet(api, o.clock, n.name, n.ip, runtime, cni, { ip: "10.96.0.10", domain: "cluster.local" }, this.version));
      ensureKubeletChains(init, this.version);
    });
    for (const fl of this.flannel.values()) for (const l of leases) if (l.node !== fl.node) fl.addLease(l);
    api.batch(() => this.systemObjects());
    for (const n of o.nodes) {
      const cfg = { version: this.version, clusterCIDR: FLANNEL_NETWORK, randomFully: true };
      // --proxy-mode: iptables (kubeadm's default) or ipvs.
      this.proxies.set(n.name, o.proxyMode === "ipvs" ? new KubeProxyIpvs(api, n.host.init, n.name, cfg, o.clock) : new KubeProxyIptables(api, n.host.init, n.name, cfg));
    }
    api.onIdle(() => this.ingressStatus());
  }

  private builtinImage(refs: string[], repo: string, builtin: RuntimeImage["builtin"]): RuntimeImage {
    const h = () => Array.from({ length: 64 }, () => "0123456789abcdef"[this.o.rng.int(16)]).join("");
    return { refs, imageID: `${repo}@sha256:${h()}`, cmd: [], entrypoint: [], env: { PATH: "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin" }, files: {}, dirs: ["/etc"], programs: new Set(), ...(builtin ? { builtin } : {}) };
  }

  private nodeObject(n: ClusterNode, subnet: string): Record<string, unknown> {
    return {
      apiVersion: "v1",
      kind: "Node",
      metadata: {
        name: n.name,
        labels: { "beta.kubernetes.io/arch": "amd64", "beta.kubernetes.io/os": "linux", "kubernetes.io/arch": "amd64", "kubernetes.io/hostname": n.name, "kubernetes.io/os": "linux", ...(n.controlPlane ? { [CP_TAINT]: "", "node.kubernetes.io/exclude-from-external-load-balancers": "" } : {}) },
        annotations: { "flannel.alpha.coreos.com/backend-type": "vxlan", "flannel.alpha.coreos.com/kube-subnet-manager": "true", "flannel.alpha.coreos.com/public-ip": n.ip },
      },
      spec: { podCIDR: subnet, podCIDRs: [subnet], ...(n.controlPlane ? { taints: [{ key: CP_TAINT, effect: "NoSchedule" }] } : {}) },
      status: {
        conditions: [{ type: "Ready", status: "True", reason: "KubeletReady", message: "kubelet is posting ready status" }],
        addresses: [{ type: "InternalIP", address: n.ip }, { type: "Hostname", address: n.name }],
        nodeInfo: { kubeletVersion: `v${this.version}`, kubeProxyVersion: `v${this.version}`, osImage: "Debian GNU/Linux 12 (bookworm)", kernelVersion: "6.1.0-13-amd64", containerRuntimeVersion: "containerd://1.6.20", operatingSystem: "linux", architecture: "amd64" },
      },
    };
  }

  /** Nodes a pod may go to: workers, and the control plane only for pods tolerating its taint. */
  private schedulable(pod: KObject): string[] {
    const tolerates = (pod.spec.tolerations ?? []).some((t: any) => t.key === CP_TAINT || (t.operator === "Exists" && !t.key));
    return this.o.nodes.filter((n) => !n.controlPlane || tolerates).map((n) => n.name);
  }

  /** kubeadm's add-ons and the control plane's own pods. */
  private systemObjects(): void {
    const api = this.api;
    const cp = this.o.nodes.find((n) => n.controlPlane) ?? this.o.nodes[0]!;
    api.create({ apiVersion: "v1", kind: "Service", metadata: { name: "kubernetes", namespace: "default", labels: { component: "apiserver", provider: "kubernetes" } }, spec: { clusterIP: "10.96.0.1", ports: [{ name: "https", port: 443, protocol: "TCP", targetPort: 6443 }] } });
    api.create({ apiVersion: "v1", kind: "Endpoints", metadata: { name: "kubernetes", namespace: "default", labels: { "endpointslice.kubernetes.io/skip-mirror": "true" } }, subsets: [{ addresses: [{ ip: cp.ip }], ports: [{ name: "https", port: 6443, protocol: "TCP" }] }] });
    api.create({ apiVersion: "discovery.k8s.io/v1", kind: "EndpointSlice", metadata: { name: "kubernetes", namespace: "default", labels: { "kubernetes.io/service-name": "kubernetes" } }, addressType: "IPv4", endpoints: [{ addresses: [cp.ip], conditions: { ready: true } }], ports: [{ name: "https", port: 6443, protocol: "TCP" }] });
    api.create({
      apiVersion: "v1", kind: "Service",
      metadata: { name: "kube-dns", namespace: "kube-system", labels: { "k8s-app": "kube-dns", "kubernetes.io/cluster-service": "true", "kubernetes.io/name": "CoreDNS" } },
      spec: { clusterIP: "10.96.0.10", selector: { "k8s-app": "kube-dns" }, ports: [{ name: "dns", port: 53, protocol: "UDP", targetPort: 53 }, { name: "dns-tcp", port: 53, protocol: "TCP", targetPort: 53 }, { name: "metrics", port: 9153, protocol: "TCP", targetPort: 9153 }] },
    });
    api.create({
      apiVersion: "apps/v1", kind: "Deployment",
      metadata: { name: "coredns", namespace: "kube-system", labels: { "k8s-app": "kube-dns" } },
      spec: {
        replicas: 2,
        selector: { matchLabels: { "k8s-app": "kube-dns" } },
        template: {
          metadata: { labels: { "k8s-app": "kube-dns" } },
          spec: {
            priorityClassName: "system-cluster-critical",
            tolerations: [{ key: "CriticalAddonsOnly", operator: "Exists" }, { key: CP_TAINT, effect: "NoSchedule" }],
            containers: [{ name: "coredns", image: "registry.k8s.io/coredns/coredns:v1.10.1", args: ["-conf", "/etc/coredns/Corefile"], ports: [{ containerPort: 53, name: "dns", protocol: "UDP" }, { containerPort: 53, name: "dns-tcp", protocol: "TCP" }, { containerPort: 9153, name: "metrics", protocol: "TCP" }] }],
          },
        },
      },
    });
    const hostPod = (name: string, node: string, container: string, image: string, labels: Record<string, string>) =>
      api.create({ apiVersion: "v1", kind: "Pod", metadata: { name, namespace: "kube-system", labels }, spec: { nodeName: node, hostNetwork: true, priorityClassName: "system-node-critical", containers: [{ name: container, image }] } });
    for (const c of ["etcd", "kube-apiserver", "kube-controller-manager", "kube-scheduler"]) {
      hostPod(`${c}-${cp.name}`, cp.name, c, `registry.k8s.io/${c}:${c === "etcd" ? "3.5.9-0" : `v${this.version}`}`, { component: c, tier: "control-plane" });
    }
    for (const n of this.o.nodes) {
      hostPod(`kube-proxy-${api.randomSuffix(5)}`, n.name, "kube-proxy", `registry.k8s.io/kube-proxy:v${this.version}`, { "k8s-app": "kube-proxy" });
      hostPod(`kube-flannel-ds-${api.randomSuffix(5)}`, n.name, "kube-flannel", "docker.io/flannel/flannel:v0.24.0", { app: "flannel", "k8s-app": "flannel" });
    }
  }

  /** ingress-nginx's status sync: the node IPs of the running controller pods (v1.x baremetal). */
  private ingressStatus(): void {
    const ing = findKind("networking.k8s.io/v1", "Ingress")!;
    const ctrl = this.api.list(KIND.pod).filter((p) => p.spec.containers.some((c: any) => /ingress-nginx\/controller|nginx-ingress-controller/.test(c.image)) && p.status?.phase === "Running");
    const ips = [...new Set(ctrl.map((p) => p.status.hostIP))].sort();
    for (const i of this.api.list(ing)) {
      if (!servedByNginx(i)) continue;
      const want = ips.map((ip) => ({ ip }));
      if (JSON.stringify(i.status?.loadBalancer?.ingress ?? []) === JSON.stringify(want)) continue;
      const next = structuredClone(i);
      next.status = { loadBalancer: want.length ? { ingress: want } : {} };
      this.api.update(next);
    }
  }

  // ---- KubeClusterApi

  nowMs(): number {
    return this.o.clock.epochMs + this.o.clock.now();
  }
  sleep(ms: number): void {
    this.o.clock.advance(ms);
  }
  discovery() {
    return KINDS;
  }
  get(k: (typeof KINDS)[number], ns: string | undefined, name: string) {
    return this.api.get(k, ns, name);
  }
  list(k: (typeof KINDS)[number], ns?: string) {
    return this.api.list(k, ns);
  }
  create(obj: Record<string, unknown>, ns: string, opts?: { dryRun?: boolean }) {
    return this.api.create(obj, ns, opts);
  }
  apply(obj: Record<string, unknown>, ns: string) {
    return this.api.apply(obj, ns);
  }
  update(obj: KObject) {
    return this.api.update(obj);
  }
  delete(k: (typeof KINDS)[number], ns: string | undefined, name: string, opts?: { gracePeriodSeconds?: number }) {
    return this.api.delete(k, ns, name, opts);
  }
  fetch(): string | undefined {
    return undefined;
  }

  private notFound(name: string): ApiError {
    return { code: 404, reason: "NotFound", message: `pods "${name}" not found` };
  }

  execTarget(ns: string, pod: string, container?: string): ExecTarget {
    const p = this.api.get(KIND.pod, ns, pod);
    if (!p) return { ok: false, error: this.notFound(pod) };
    const names: string[] = p.spec.containers.map((c: any) => c.name);
    const inits: string[] = (p.spec.initContainers ?? []).map((c: any) => c.name);
    // The API server knows every container of the pod (podHasContainerWithName); the kubelet execs only into a running one.
    if (container !== undefined && !names.includes(container) && !inits.includes(container)) return { ok: false, error: { message: `container ${container} is not valid for pod ${pod}` } };
    const name = container ?? names[0]!;
    // podcmd.AllContainerNames: the containers, then the init containers marked "(init)".
    const all = [...names, ...inits.map((n) => `${n} (init)`)];
    const defaulted = container === undefined && all.length > 1 ? `Defaulted container "${name}" out of: ${all.join(", ")}\n` : undefined;
    const c = p.spec.nodeName ? this.kubelets.get(p.spec.nodeName)?.container(p.metadata.uid!, name) : undefined;
    if (!c || c.state !== "running") return { ok: false, error: { message: `unable to upgrade connection: container not found ("${name}")` } };
    return { ok: true, ctx: c.ctx, container: name, ...(defaulted ? { defaulted } : {}) };
  }

  attach(ns: string, pod: string, container: string | undefined, io: Stdio, stdin?: string): AttachResult {
    const p = this.api.get(KIND.pod, ns, pod);
    if (!p) return { ok: false, error: this.notFound(pod) };
    const name = container ?? p.spec.containers[0].name;
    const a = p.spec.nodeName ? this.kubelets.get(p.spec.nodeName)?.attach(p.metadata.uid!, name, io, stdin) : undefined;
    if (!a) return { ok: false, error: { message: `unable to upgrade connection: container not found ("${name}")` } };
    return { ok: true, ...a };
  }

  logs(ns: string, pod: string, container?: string): { ok: true; text: string } | { ok: false; message: string } {
    const p = this.api.get(KIND.pod, ns, pod);
    if (!p) return { ok: false, message: `pods "${pod}" not found` };
    const name = container ?? p.spec.containers[0].name;
    const c = p.spec.nodeName ? this.kubelets.get(p.spec.nodeName)?.container(p.metadata.uid!, name) : undefined;
    if (!c) {
      const st = [...(p.status?.containerStatuses ?? []), ...(p.status?.initContainerStatuses ?? [])].find((s: any) => s.name === name);
      return { ok: false, message: `container "${name}" in pod "${pod}" is waiting to start: ${st?.state?.waiting?.reason ?? "ContainerCreating"}` };
    }
    return { ok: true, text: c.log };
  }

  /** The process context of a pod's container (for `pod/NAME[:CONTAINER]` contexts), if running. */
  podContext(ns: string, pod: string, container?: string): ProcContext | undefined {
    const t = this.execTarget(ns, pod, container);
    return t.ok ? { ...t.ctx, name: container ? `pod/${pod}:${container}` : `pod/${pod}` } : undefined;
  }

  /** Kinds by short name, for white-box callers (benchmarks). */
  readonly kinds = KIND;

  /** The nat table of a node (for benchmarks that replay it in a bare netfilter engine). */
  natTable(node: string) {
    const n = this.o.nodes.find((x) => x.name === node);
    return n?.host.init.nfTableGet("nat");
  }

  /** A virtual timestamp as the API server writes it. */
  stamp(): string {
    return rfc3339(this.o.clock);
  }
}
