// Kubernetes scale, kube-proxy in IPVS mode (the iptables rows are bench/k8s-scale.bench.mjs):
// a 50-node cluster (control plane + 49 workers) with 5,000 services of 10 endpoints each.
// Measures the time for kube-proxy (IPVS mode) to program one node (bind 5,000 VIPs on
// kube-ipvs0, 5,000 virtual servers with 10 real servers each, the ipset members, and the few
// iptables rules), the wall time of one `wget` from a pod through a ClusterIP, the heap, the
// iptables rules written (constant: they match ipsets), and per new connection the netfilter
// rules the SYN walks on the client's node and the IPVS virtual-service lookups (one hash
// lookup, whatever the number of services). Only node2's kube-proxy (the client's node) syncs
// during the bulk load, as in the iptables bench. Needs a build (npm run build).
// Goals (as for iptables mode): < 2 s to program a node, < 20 ms per wget.
import { performance } from "node:perf_hooks";
import { createRng } from "../dist/core/index.js";
import { printTable } from "./run.mjs";
import { benchCluster, createServices, heapMb, timeWgets } from "./k8s-world.mjs";

const NODES = Number(process.env.NODES ?? 50);
const SERVICES = Number(process.env.SERVICES ?? 5_000);
const ENDPOINTS = 10;

const { clock, world, cluster, host, buildMs, heapBefore } = await benchCluster(NODES, "ipvs");

const rng = createRng(7);
let syncMs = 0;
const target = cluster.proxies.get("node2");
for (const p of cluster.proxies.values()) if (p !== target) p.sync = () => {};
const origSync = target.sync.bind(target);
target.sync = () => {
  const s = performance.now();
  origSync();
  syncMs += performance.now() - s;
};
const tCreate = performance.now();
createServices(cluster, rng, { services: SERVICES, endpoints: ENDPOINTS, nodes: NODES });
const totalMs = performance.now() - tCreate;
const heapAfter = heapMb();

const { cip, pod, times } = await timeWgets(world, host);

// One more connection, traced: the nat rules its first packet (SYN) walks on node2, and the
// IPVS lookups node2 made for the whole connection.
const ns = target.ns;
world.traceTake();
const lookups0 = ns.ipvsLookups;
await pod.exec(`wget -q -O - ${cip}:80 >/dev/null`);
const lookups = ns.ipvsLookups - lookups0;
const events = world.traceTake().filter((e) => e.host === "node2");
const syn = events.find((e) => e.step === "recv" && e.text.includes("[SYN]"))?.packetId;
let natRules = 0;
for (const e of events) {
  if (e.packetId !== syn || e.detail?.table !== "nat" || !e.text.startsWith("PREROUTING:")) continue;
  if (typeof e.detail.rule === "number") natRules += 1;
  else if (typeof e.detail.from === "number") natRules += e.detail.to - e.detail.from + 1;
}

printTable(`kube-proxy IPVS mode: ${NODES} nodes, ${SERVICES} services x ${ENDPOINTS} endpoints`, [
  { measure: "world build (nodes, flannel, system pods)", value: `${buildMs.toFixed(0)} ms`, goal: "" },
  { measure: "create API objects + node2's kube-proxy sync", value: `${totalMs.toFixed(0)} ms`, goal: "" },
  { measure: "program one node (kube-proxy IPVS sync)", value: `${syncMs.toFixed(0)} ms`, goal: "< 2000 ms" },
  { measure: "virtual servers on the node", value: String(target.lastServiceCount), goal: "" },
  { measure: "iptables rules written per node (nat + filter)", value: String(target.lastRuleCount), goal: "" },
  { measure: "wget via ClusterIP (p50 of 10)", value: `${times[5].toFixed(1)} ms`, goal: "< 20 ms" },
  { measure: "wget via ClusterIP (max of 10)", value: `${times[9].toFixed(1)} ms`, goal: "" },
  { measure: "nat PREROUTING rules the SYN walks on node2", value: String(natRules), goal: "" },
  { measure: "IPVS virtual-service lookups, whole connection", value: String(lookups), goal: "" },
  { measure: "heap before / after services", value: `${heapBefore} MB / ${heapAfter} MB`, goal: "" },
]);
