/** A kubernetes world with kube-proxy in IPVS mode, a 2-replica nginx Deployment behind a NodePort Service (30080) and a busybox client pod on node2. */
import { expect } from "vitest";
import { createVirtualClock } from "../../src/core/index.js";
import type { KubeProxyIpvs } from "../../src/sim/k8s/kubeproxy/ipvs-proxy.js";
import { assembleWorld } from "../../src/sim/worlds/assemble.js";
import { clusterOf } from "../../src/sim/worlds/kubernetes.js";

const MANIFEST = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: 2
  selector:
    matchLabels:
      app: web
  template:
    metadata:
      labels:
        app: web
    spec:
      containers:
      - name: nginx
        image: nginx:1.16.1
---
apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  type: NodePort
  selector:
    app: web
  ports:
  - port: 80
    nodePort: 30080
---
apiVersion: v1
kind: Pod
metadata:
  name: client
spec:
  nodeName: node2
  containers:
  - name: busybox
    image: busybox
    args: ["sleep", "12000"]
`;

/** Builds the world and waits for the pods; returns handles on the Service's virtual server per node. */
export async function ipvsCluster(version?: string) {
  const clock = createVirtualClock();
  const world = assembleWorld({ kind: "kubernetes", kubeProxyMode: "ipvs", ...(version ? { kubeProxyVersion: version } : {}) }, { clock });
  const c = clusterOf(clock)!;
  const host = world.session("host");
  expect((await host.exec("kubectl apply -f -", { stdin: MANIFEST })).exitCode).toBe(0);
  expect((await host.exec("kubectl rollout status deployment/web --timeout=120s && kubectl wait --for=condition=Ready pod/client")).exitCode).toBe(0);
  const cip = (await host.exec("kubectl get svc web -o jsonpath='{.spec.clusterIP}'")).output;
  const eps = (await host.exec("kubectl get pod -l app=web -o jsonpath='{.items[*].status.podIP}'")).output.split(" ").sort();
  const proxy = (node: string) => c.proxies.get(node) as KubeProxyIpvs;
  const vs = (node: string) => proxy(node).ns.ipvsServiceGet({ proto: "tcp", addr: cip, port: 80 });
  return { world, host, cip, eps, proxy, vs, clock };
}

