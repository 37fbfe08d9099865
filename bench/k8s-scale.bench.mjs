// Kubernetes scale: a 50-node cluster (control plane + 49 workers) with 5,000 services of 10
// endpoints each. Measures the time for kube-proxy (iptables mode) to program all rules on a
// node (generate + write nat and filter through the kernel API), the wall time of one `wget`
// from a pod through a ClusterIP (the last service in KUBE-SERVICES), the heap used, and the
// netfilter rules a new connection is evaluated against in the nat table (linear in iptables
// mode). IPVS mode is n/a: the simulated kernel has no IPVS tables. Every node's kube-proxy
// writes the same rules; to keep the run short only node2's (the client's node, where the DNAT
// of the measured wget happens) syncs during the bulk load, and its time is split into rule
// generation (kube-proxy) and the kernel's table read/replace (nfTableGet/nfTableReplace).
// Needs a build (npm run build). Goals: < 2 s to program the rules on a node, < 20 ms per wget.
import { performance } from "node:perf_hooks";
import { createVirtualClock, createRng } from "../dist/core/index.js";
import { assembleWorld } from "../dist/sim/worlds/assemble.js";
import { clusterOf } from "../dist/sim/worlds/kubernetes.js";
import { createNetfilter } from "../dist/sim/kernel/netfilter/index.js";
import { printTable } from "./run.mjs";

const NODES = 50;
const SERVICES = 5_000;
const ENDPOINTS = 10;

const heapMb = () => {
  globalThis.gc?.();
  return (process.memoryUsage().heapUsed / 1048576).toFixed(0);
};

const t0 = performance.now();
const clock = createVirtualClock();
const workers = Array.from({ length: NODES - 1 }, (_, i) => `node${i + 1}`);
const world = assembleWorld({ kind: "kubernetes", nodes: workers }, { clock });
const buildMs = performance.now() - t0;
const cluster = clusterOf(clock);
if (!cluster) throw new Error("no cluster");
const heapBefore = heapMb();

// The one real service (nginx on node1) and a client pod on node2, through kubectl.
const host = world.session("host");
const manifest = `apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      nodeName: node1
      containers: [{name: nginx, image: "nginx:1.16.1"}]
---
apiVersion: v1
kind: Service
metadata: {name: zz-web}
spec:
  selector: {app: web}
  ports: [{port: 80}]
---
apiVersion: v1
kind: Pod
metadata: {name: client}
spec:
  nodeName: node2
  containers: [{name: busybox, image: busybox, args: [sleep, "100000"]}]
`;
let r = await host.exec("kubectl apply -f -", { stdin: manifest });
if (r.exitCode !== 0) throw new Error(r.output);
r = await host.exec("kubectl wait --for=condition=Ready pod/client --timeout=60s && kubectl wait --for=condition=Ready pod -l app=web --timeout=60s");
if (r.exitCode !== 0) throw new Error(r.output);

// 5,000 selectorless services with 10 endpoints each (EndpointSlices written directly, as an
// external controller would), spread over the workers' pod subnets.
const rng = createRng(7);
const tCreate = performance.now();
let syncMs = 0;
let genMs = 0;
const proxies = [...cluster.proxies.values()];
const target = cluster.proxies.get("node2");
for (const p of proxies) if (p !== target) p.sync = () => {};
const origSync = target.sync.bind(target);
target.sync = () => {
  const s = performance.now();
  origSync();
  syncMs += performance.now() - s;
};
cluster.api.batch(() => {
  for (let s = 0; s < SERVICES; s++) {
    const name = `svc-${String(s).padStart(4, "0")}`;
    cluster.api.create({ apiVersion: "v1", kind: "Service", metadata: { name, namespace: "default" }, spec: { ports: [{ name: "http", port: 80, targetPort: 8080 }] } });
    const endpoints = Array.from({ length: ENDPOINTS }, (_, e) => {
      const node = 1 + ((s * ENDPOINTS + e) % (NODES - 1));
      return { addresses: [`10.244.${node}.${10 + rng.int(240)}`], conditions: { ready: true }, nodeName: `node${node}` };
    });
    cluster.api.create({ apiVersion: "discovery.k8s.io/v1", kind: "EndpointSlice", metadata: { name: `${name}-abcde`, namespace: "default", labels: { "kubernetes.io/service-name": name } }, addressType: "IPv4", endpoints, ports: [{ name: "http", port: 8080, protocol: "TCP" }] });
  }
});
const totalMs = performance.now() - tCreate;
const perNodeMs = syncMs;
const rulesPerNode = target.lastRuleCount;
// Rule generation alone, on the same model (kube-proxy's own share of a sync).
{
  const { generateIptablesRules } = await import("../dist/sim/k8s/kubeproxy/iptables.js");
  const { buildModel } = await import("../dist/sim/k8s/kubeproxy/sync.js");
  const model = buildModel(cluster.api, "node2");
  const s = performance.now();
  generateIptablesRules(model, target.cfg);
  genMs = performance.now() - s;
}
const heapAfter = heapMb();

// One wget through the real service's ClusterIP, from the client pod.
const cip = (await host.exec("kubectl get svc zz-web -o jsonpath='{.spec.clusterIP}'")).output;
const pod = world.session("pod/client");
const times = [];
let body = "";
for (let i = 0; i < 10; i++) {
  const s = performance.now();
  const res = await pod.exec(`wget -q -O - ${cip}:80`);
  times.push(performance.now() - s);
  body = res.output;
}
if (!body.includes("Welcome to nginx!")) throw new Error(`wget failed: ${body}`);
times.sort((a, b) => a - b);

// Rules a new connection is evaluated against in nat PREROUTING on node2 (the client's node).
const table = cluster.natTable("node2");
const evalRules = (dst) => {
  const nf = createNetfilter({ rng: createRng(1), nsLabel: "bench" });
  nf.tableReplace("nat", table);
  const before = nf.rulesEvaluated;
  const pkt = { id: 1, ip: { src: "10.244.2.3", dst, ttl: 64, proto: "tcp", len: 60 }, tcp: { sport: 40000, dport: 80, flags: ["SYN"] }, mark: 0 };
  nf.runHook(pkt, { hook: "PREROUTING", inDev: "cni0", addrType: () => ["UNICAST"], primaryAddr: () => "10.244.2.1", now: 0 });
  return nf.rulesEvaluated - before;
};
const firstCip = cluster.api.list(cluster.kinds.svc).find((s) => s.metadata.name === "svc-0000").spec.clusterIP;

printTable(`kube-proxy iptables mode: ${NODES} nodes, ${SERVICES} services x ${ENDPOINTS} endpoints`, [
  { measure: "world build (50 nodes, flannel, system pods)", value: `${buildMs.toFixed(0)} ms`, goal: "" },
  { measure: "create 10,000 API objects + node2's kube-proxy sync", value: `${totalMs.toFixed(0)} ms`, goal: "" },
  { measure: "program all rules on one node (kube-proxy sync)", value: `${perNodeMs.toFixed(0)} ms`, goal: "< 2000 ms" },
  { measure: "  of which rule generation (kube-proxy)", value: `${genMs.toFixed(0)} ms`, goal: "" },
  { measure: "  of which kernel table read + replace", value: `${(perNodeMs - genMs).toFixed(0)} ms`, goal: "" },
  { measure: "rules written per node (nat + filter)", value: String(rulesPerNode), goal: "" },
  { measure: "wget via ClusterIP (p50 of 10)", value: `${times[5].toFixed(1)} ms`, goal: "< 20 ms" },
  { measure: "wget via ClusterIP (max of 10)", value: `${times[9].toFixed(1)} ms`, goal: "" },
  { measure: "nat rules evaluated, SYN to the last service", value: String(evalRules(cip)), goal: "" },
  { measure: "nat rules evaluated, SYN to the first service", value: String(evalRules(firstCip)), goal: "" },
  { measure: "IPVS mode (hash lookup)", value: "n/a: no IPVS in the simulated kernel", goal: "" },
  { measure: "heap before / after services", value: `${heapBefore} MB / ${heapAfter} MB`, goal: "" },
]);
