// The cluster both Kubernetes scale benches start from: NODES nodes (control plane + workers),
// one real service (nginx on node1, Service zz-web, sorted last in KUBE-SERVICES) and a busybox
// client pod on node2, applied through kubectl and waited for. Needs a build (npm run build).
import { performance } from "node:perf_hooks";
import { createVirtualClock } from "../dist/core/index.js";
import { assembleWorld } from "../dist/sim/worlds/assemble.js";
import { clusterOf } from "../dist/sim/worlds/kubernetes.js";

/** Heap in use after a GC (run node with --expose-gc), in MB as text. */
export const heapMb = () => {
  globalThis.gc?.();
  return (process.memoryUsage().heapUsed / 1048576).toFixed(0);
};

const MANIFEST = `apiVersion: apps/v1
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

/** Builds the cluster (kube-proxy in `kubeProxyMode`) and its one real service; returns handles and timings. */
export async function benchCluster(nodes, kubeProxyMode = "iptables") {
  const t0 = performance.now();
  const clock = createVirtualClock();
  const workers = Array.from({ length: nodes - 1 }, (_, i) => `node${i + 1}`);
  const world = assembleWorld({ kind: "kubernetes", nodes: workers, ...(kubeProxyMode === "ipvs" ? { kubeProxyMode } : {}) }, { clock });
  const buildMs = performance.now() - t0;
  const cluster = clusterOf(clock);
  if (!cluster) throw new Error("no cluster");
  const heapBefore = heapMb();
  const host = world.session("host");
  let r = await host.exec("kubectl apply -f -", { stdin: MANIFEST });
  if (r.exitCode !== 0) throw new Error(r.output);
  r = await host.exec("kubectl wait --for=condition=Ready pod/client --timeout=60s && kubectl wait --for=condition=Ready pod -l app=web --timeout=60s");
  if (r.exitCode !== 0) throw new Error(r.output);
  return { clock, world, cluster, host, buildMs, heapBefore };
}

/** Ten `wget`s from pod/client through zz-web's ClusterIP: wall times in ms, sorted (throws unless nginx answered). */
export async function timeWgets(world, host) {
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
  return { cip, pod, times };
}

/**
 * Creates `services` selectorless services (svc-0000, ...) of `endpoints` endpoints each, their
 * EndpointSlices written directly (as an external controller would), spread over the pod subnets
 * of nodes 1..nodes-1, in one API batch (kube-proxy syncs when it settles).
 */
export function createServices(cluster, rng, { services, endpoints: perService, nodes }) {
  cluster.api.batch(() => {
    for (let s = 0; s < services; s++) {
      const name = `svc-${String(s).padStart(4, "0")}`;
      cluster.api.create({ apiVersion: "v1", kind: "Service", metadata: { name, namespace: "default" }, spec: { ports: [{ name: "http", port: 80, targetPort: 8080 }] } });
      const endpoints = Array.from({ length: perService }, (_, e) => {
        const node = 1 + ((s * perService + e) % (nodes - 1));
        return { addresses: [`10.244.${node}.${10 + rng.int(240)}`], conditions: { ready: true }, nodeName: `node${node}` };
      });
      cluster.api.create({ apiVersion: "discovery.k8s.io/v1", kind: "EndpointSlice", metadata: { name: `${name}-abcde`, namespace: "default", labels: { "kubernetes.io/service-name": name } }, addressType: "IPv4", endpoints, ports: [{ name: "http", port: 8080, protocol: "TCP" }] });
    }
  });
}
