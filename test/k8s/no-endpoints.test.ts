/**
 * A Service with no endpoints: kube-proxy's filter-table rule `has no endpoints ... -j REJECT
 * --reject-with icmp-port-unreachable` answers, so a client sees `Connection refused` at once,
 * from a pod (FORWARD on its node) and from a node itself (OUTPUT). That needs the packet to be
 * routed first: nodes have a default route, as real ones do (src/sim/worlds/kubernetes.ts).
 */
import { expect, test } from "vitest";
import { createWorld } from "../../src/sim/index.js";

test("a ClusterIP with no endpoints refuses connections, from a pod and from a node", async () => {
  const w = createWorld({ kind: "kubernetes" });
  const s = w.session("host");
  await s.exec("kubectl apply -f - <<'EOF' >/dev/null\napiVersion: v1\nkind: Service\nmetadata:\n  name: empty\nspec:\n  selector:\n    app: nothing\n  ports:\n  - port: 80\nEOF");
  await s.exec("kubectl run c --image=busybox --restart=Never -- sleep 3600 >/dev/null && kubectl wait --for=condition=Ready pod/c --timeout=60s >/dev/null");
  const ip = (await s.exec("kubectl get svc empty -o jsonpath='{.spec.clusterIP}'")).output;
  expect((await s.exec(`kubectl exec c -- wget -q -O - ${ip}`)).output).toBe(`wget: can't connect to remote host (${ip}): Connection refused\ncommand terminated with exit code 1\n`);
  expect((await s.exec(`wget -q -O - ${ip}`)).output).toBe(`wget: can't connect to remote host (${ip}): Connection refused\n`);
  expect((await w.session("node1").exec("ip route show default")).output).toBe("default via 192.168.56.1 dev eth0 \n");
});
