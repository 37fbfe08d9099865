/**
 * `lab trace` in a Kubernetes world, full outputs: a pod on node2 to a Service's ClusterIP
 * whose only endpoint is on node1 (kube-proxy's DNAT on the sender's node, then flannel's VXLAN),
 * and a NodePort from `client`, outside the cluster (KUBE-NODEPORTS → KUBE-EXT mark → DNAT →
 * MASQUERADE to flannel.1's address). The expected texts in fixtures/k8s-*.txt were read line by
 * line against the rules kube-proxy 1.28 writes (real-tools.md §kube-proxy) and the kernel's
 * order of hooks; `UPDATE=1` rewrites them (review the diff before committing).
 */
import { readFileSync, writeFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { createWorld } from "../../src/sim/index.js";
import { formatText } from "../../src/trace/format.js";
import { sendProbe } from "../../src/trace/probe.js";
import { busyboxPod, webPod, webService, yamlDocs } from "../k8s/manifests.js";

const SETUP = `kubectl apply -f - <<'EOF' >/dev/null
${yamlDocs(busyboxPod("client-pod", "node2"), webPod("node1"), webService(30080))}EOF
kubectl wait --for=condition=Ready pod/client-pod pod/web --timeout=60s >/dev/null`;

function check(name: string, text: string): void {
  const file = `test/trace/fixtures/${name}`;
  if (process.env.UPDATE) writeFileSync(file, text);
  expect(text).toBe(readFileSync(file, "utf8"));
}

describe("lab trace in a kubernetes world", () => {
  it("pod → ClusterIP: DNAT by KUBE-SVC/KUBE-SEP on node2, VXLAN to node1, reply un-NATed by conntrack", async () => {
    const w = createWorld({ kind: "kubernetes" });
    expect((await w.session("host").exec(SETUP)).exitCode).toBe(0);
    const ip = (await w.session("host").exec("kubectl get svc web -o jsonpath='{.spec.clusterIP}'")).output;
    const r = await sendProbe(w, { context: "pod/client-pod", addr: ip, port: 80, proto: "tcp" });
    expect(r.trace.disposition.kind).toBe("delivered");
    check("k8s-clusterip.txt", formatText(r.title, r.trace).replaceAll(ip, "CLUSTER_IP"));
  });

  it("client → NodePort on node2: KUBE-NODEPORTS, KUBE-EXT marks, DNAT, MASQUERADE to flannel.1's address", async () => {
    const w = createWorld({ kind: "kubernetes" });
    expect((await w.session("host").exec(SETUP)).exitCode).toBe(0);
    const r = await sendProbe(w, { context: "client", addr: "192.168.56.12", port: 30080, proto: "tcp" });
    expect(r.trace.disposition.kind).toBe("delivered");
    check("k8s-nodeport.txt", formatText(r.title, r.trace));
  });
});
