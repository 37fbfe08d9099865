/** A kubernetes world with kube-proxy in IPVS mode, a 2-replica nginx Deployment behind a NodePort Service (30080) and a busybox client pod on node2. */
import { expect } from "vitest";
import { createVirtualClock } from "../../src/core/index.js";
import type { KubeProxyIpvs } from "../../src/sim/k8s/kubeproxy/ipvs-proxy.js";
import { assembleWorld } from "../../src/sim/worlds/assemble.js";
import { clusterOf } from "../../src/sim/worlds/kubernetes.js";
import { busyboxPod, webDeployment, webService, yamlDocs } from "./manifests.js";

const MANIFEST = yamlDocs(webDeployment(2), webService(30080), busyboxPod("client", "node2"));

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

