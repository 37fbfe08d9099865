/**
 * kube-proxy's fallback to serving terminating endpoints (KEP-1669; pkg/proxy/topology.go
 * CategorizeEndpoints): a Service whose only pod is Terminating but still serving (nginx held by a
 * preStop `sleep 20`) keeps answering through its ClusterIP, in iptables and IPVS mode, from 1.26
 * (ProxyTerminatingEndpoints on by default); 1.25 programs no endpoint (REJECT). Once the pod is
 * gone the Service has no endpoint on every version.
 */
import { describe, expect, it } from "vitest";
import { createWorld, type SimWorld } from "../../src/sim/index.js";

async function sh(w: SimWorld, cmd: string, ctx = "host"): Promise<string> {
  const r = await w.session(ctx).exec(cmd);
  expect(r.exitCode, `${cmd}\n${r.output}`).toBe(0);
  return r.output;
}

const WEB = `apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\n  labels:\n    app: web\nspec:\n  containers:\n  - name: c\n    image: nginx:1.16.1\n    lifecycle:\n      preStop:\n        exec:\n          command: ["sleep", "20"]\n`;
const CLIENT = `apiVersion: v1\nkind: Pod\nmetadata:\n  name: cl\nspec:\n  containers:\n  - name: c\n    image: busybox\n    args: ["sleep", "3600"]\n`;

/** A world of kube-proxy `version` (`mode`) with pod `web` behind Service `s`, client pod `cl`, and `web` just deleted. */
async function terminating(version: string, mode: "iptables" | "ipvs" = "iptables"): Promise<{ w: SimWorld; cip: string; ip: string; get: () => Promise<string> }> {
  const w = createWorld({ kind: "kubernetes", kubeProxyVersion: version, kubeProxyMode: mode });
  await sh(w, `kubectl apply -f - <<'EOF' >/dev/null\n${WEB}EOF\nkubectl apply -f - <<'EOF' >/dev/null\n${CLIENT}EOF
kubectl expose pod web --port 80 --name s >/dev/null && kubectl wait --for=condition=Ready pod/web pod/cl >/dev/null`);
  const cip = (await sh(w, "kubectl get svc s -o jsonpath='{.spec.clusterIP}'")).trim();
  const ip = (await sh(w, "kubectl get pod web -o jsonpath='{.status.podIP}'")).trim();
  const get = async () => (await w.session("pod/cl").exec(`wget -q -O - -T 2 http://${cip}/ 2>/dev/null | wc -c`)).output;
  expect(await get()).toBe("612\n");
  await sh(w, "kubectl delete pod web --wait=false >/dev/null; sleep 1");
  const slice = await sh(w, `kubectl get endpointslices -l kubernetes.io/service-name=s -o jsonpath='{.items[0].endpoints[0].conditions}'`);
  expect(JSON.parse(slice)).toEqual({ ready: false, serving: true, terminating: true });
  return { w, cip, ip, get };
}

/** The nat and filter rules kube-proxy wrote for Service s on the client's node. */
async function rules(w: SimWorld, node: string): Promise<string> {
  return sh(w, "iptables-save | grep -E 'default/s[ \"]' | sed -E 's/KUBE-(SVC|SEP)-[A-Z0-9]{16}/KUBE-\\1-X/g'", node);
}

describe("kube-proxy: serving terminating endpoints", () => {
  it("1.28, iptables: the Service answers from its Terminating pod until the pod is gone; the rules are a ready endpoint's", async () => {
    const { w, cip, ip, get } = await terminating("1.28");
    expect(await get()).toBe("612\n");
    const node = (await sh(w, "kubectl get pod cl -o jsonpath='{.spec.nodeName}'")).trim();
    expect(await rules(w, node)).toBe(
      [
        `-A KUBE-SEP-X -s ${ip}/32 -m comment --comment "default/s" -j KUBE-MARK-MASQ`,
        `-A KUBE-SEP-X -p tcp -m comment --comment "default/s" -m tcp -j DNAT --to-destination ${ip}:80`,
        `-A KUBE-SERVICES -d ${cip}/32 -p tcp -m comment --comment "default/s cluster IP" -m tcp --dport 80 -j KUBE-SVC-X`,
        `-A KUBE-SVC-X ! -s 10.244.0.0/16 -d ${cip}/32 -p tcp -m comment --comment "default/s cluster IP" -m tcp --dport 80 -j KUBE-MARK-MASQ`,
        `-A KUBE-SVC-X -m comment --comment "default/s -> ${ip}:80" -j KUBE-SEP-X`,
        "",
      ].join("\n"),
    );
    await sh(w, "sleep 20");
    expect(await sh(w, "kubectl get pod web --ignore-not-found")).toBe("");
    expect(await get()).toBe("0\n");
    expect(await rules(w, node)).toBe(`-A KUBE-SERVICES -d ${cip}/32 -p tcp -m comment --comment "default/s has no endpoints" -m tcp --dport 80 -j REJECT --reject-with icmp-port-unreachable\n`);
  });

  it("1.25 (ProxyTerminatingEndpoints alpha, off): a Terminating pod gets no traffic", async () => {
    const { w, cip, get } = await terminating("1.25");
    expect(await get()).toBe("0\n");
    const node = (await sh(w, "kubectl get pod cl -o jsonpath='{.spec.nodeName}'")).trim();
    expect(await rules(w, node)).toBe(`-A KUBE-SERVICES -d ${cip}/32 -p tcp -m comment --comment "default/s has no endpoints" -m tcp --dport 80 -j REJECT --reject-with icmp-port-unreachable\n`);
  });

  it("IPVS mode: the Terminating pod stays a real server (weight 1) while it is the only serving one; 1.25 drops it", async () => {
    const { w, cip, ip, get } = await terminating("1.28", "ipvs");
    expect(await get()).toBe("612\n");
    expect(await sh(w, `ipvsadm -Ln -t ${cip}:80 | tail -n +4 | awk '{print $2, $3, $4}'`, "node1")).toBe(`${ip}:80 Masq 1\n`);
    const old = await terminating("1.25", "ipvs");
    expect(await old.get()).toBe("0\n");
    // The removed real server keeps weight 0 while connections drain, then goes.
    expect(await sh(old.w, `ipvsadm -Ln -t ${old.cip}:80 | tail -n +4 | awk '{print $2, $3, $4}'`, "node1")).toMatch(/^(|[0-9.]+:80 Masq 0\n)$/);
  });
});
