// Kubernetes scale: a 50-node cluster (control plane + 49 workers) with 5,000 services of 10
// endpoints each. Every node's kube-proxy (iptables mode) programs all rules, as on a real
// cluster: measured per node (generate + write nat and filter through the kernel API) and for the
// whole cluster, with the heap used. Then the wall time of one `wget` from a pod through a
// ClusterIP (the last service in KUBE-SERVICES), and the nat rules a new connection is evaluated
// against, counted by node2's kernel as it walks them (linear in iptables mode).
// NODES=3 SERVICES=100 make a quick run. Needs a build (npm run build). Goals: < 2 s to program the rules on a node, < 20 ms per wget.
import { performance } from "node:perf_hooks";
import { createRng } from "../dist/core/index.js";
import { printTable } from "./run.mjs";
import { benchCluster, createServices, heapMb, timeWgets } from "./k8s-world.mjs";

const NODES = Number(process.env.NODES ?? 50);
const SERVICES = Number(process.env.SERVICES ?? 5_000);
const ENDPOINTS = 10;

const { clock, world, cluster, host, buildMs, heapBefore } = await benchCluster(NODES);

// 5,000 selectorless services with 10 endpoints each (EndpointSlices written directly, as an
// external controller would), spread over the workers' pod subnets. When the API server settles,
// every node's kube-proxy syncs; each sync is timed.
const rng = createRng(7);
const tCreate = performance.now();
const proxies = [...cluster.proxies.values()];
const perNode = new Map();
for (const p of proxies) {
  const orig = p.sync.bind(p);
  p.sync = () => {
    const s = performance.now();
    orig();
    perNode.set(p.node, (perNode.get(p.node) ?? 0) + performance.now() - s);
  };
}
const target = cluster.proxies.get("node2");
for (const p of proxies) perNode.set(p.node, 0);
createServices(cluster, rng, { services: SERVICES, endpoints: ENDPOINTS, nodes: NODES });
const totalMs = performance.now() - tCreate;
const syncTimes = [...perNode.values()];
const clusterSyncMs = syncTimes.reduce((a, b) => a + b, 0);
const sortedSync = [...syncTimes].sort((a, b) => a - b);
const firstNode = proxies[0].node;
const firstMs = perNode.get(firstNode);
const rulesPerNode = target.lastRuleCount;
// Rule generation alone, on node2's model: cold (a fresh cache would pay it once per cluster) and warm.
let genMs = 0;
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
const { cip, pod, times } = await timeWgets(world, host);

// Rules a new connection is evaluated against in nat PREROUTING on node2 (the client's node),
// counted by node2's kernel while it walks them: one SYN through a fresh conntrack entry each time.
// White-box: node2's netfilter engine, through the cluster's and the namespace handle's private fields.
const node2nf = cluster.o.nodes.find((n) => n.name === "node2").host.init.live().nf;
const evalRules = async (dst, port) => {
  const before = node2nf.rulesEvaluatedIn("nat");
  const res = await pod.exec(`wget -q -T 1 -O - ${dst}:${port}`);
  return { walked: node2nf.rulesEvaluatedIn("nat") - before, res };
};
const firstCip = cluster.api.list(cluster.kinds.svc).find((s) => s.metadata.name === "svc-0000").spec.clusterIP;
const lastWalk = await evalRules(cip, 80);
const firstWalk = await evalRules(firstCip, 80);
// One SYN from the client pod's veth into node2's live tables (no other flow involved).
let synId = 1 << 30;
const synWalk = (dst) => {
  const before = node2nf.rulesEvaluatedIn("nat");
  const pkt = { id: synId++, ip: { src: "10.244.2.3", dst, ttl: 64, proto: "tcp", len: 60 }, tcp: { sport: 50000 + (synId & 0x3fff), dport: 80, flags: ["SYN"] }, mark: 0 };
  node2nf.runHook(pkt, { hook: "PREROUTING", inDev: "cni0", addrType: () => ["UNICAST"], primaryAddr: () => "10.244.2.1", now: clock.now() });
  return node2nf.rulesEvaluatedIn("nat") - before;
};
const synLast = synWalk(cip);
const synFirst = synWalk(firstCip);

printTable(`kube-proxy iptables mode: ${NODES} nodes, ${SERVICES} services x ${ENDPOINTS} endpoints`, [
  { measure: `world build (${NODES} nodes, flannel, system pods)`, value: `${buildMs.toFixed(0)} ms`, goal: "" },
  { measure: `create ${(SERVICES * 2).toLocaleString("en-US")} API objects + every kube-proxy's sync`, value: `${totalMs.toFixed(0)} ms`, goal: "" },
  { measure: `program all rules, first node (${firstNode}, cold rule cache)`, value: `${firstMs.toFixed(0)} ms`, goal: "< 2000 ms" },
  { measure: `program all rules, per node (median of ${NODES})`, value: `${sortedSync[Math.floor(sortedSync.length / 2)].toFixed(0)} ms`, goal: "< 2000 ms" },
  { measure: `program all rules, per node (max of ${NODES})`, value: `${sortedSync[sortedSync.length - 1].toFixed(0)} ms`, goal: "< 2000 ms" },
  { measure: `program all rules, whole cluster (sum of ${NODES} syncs)`, value: `${clusterSyncMs.toFixed(0)} ms`, goal: "" },
  { measure: "rule generation alone, node2's model (warm cache)", value: `${genMs.toFixed(0)} ms`, goal: "" },
  { measure: "rules written per node (nat + filter)", value: String(rulesPerNode), goal: "" },
  { measure: "wget via ClusterIP (p50 of 10)", value: `${times[5].toFixed(1)} ms`, goal: "< 20 ms" },
  { measure: "wget via ClusterIP (max of 10)", value: `${times[9].toFixed(1)} ms`, goal: "" },
  { measure: "nat rules a new connection walks, last service (SYN)", value: String(synLast), goal: "" },
  { measure: "nat rules a new connection walks, first service (SYN)", value: String(synFirst), goal: "" },
  { measure: "nat rules node2 walked in one wget, last service (+ VXLAN flows)", value: String(lastWalk.walked), goal: "" },
  { measure: "nat rules node2 walked in one wget, first service (+ VXLAN flows)", value: String(firstWalk.walked), goal: "" },
  { measure: `heap before / after services (${NODES} nodes' tables)`, value: `${heapBefore} MB / ${heapAfter} MB`, goal: "" },
]);
