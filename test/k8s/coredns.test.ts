/**
 * CoreDNS answers through the kube-dns ClusterIP, from a pod (kubeadm Corefile: kubernetes
 * plugin authoritative for cluster.local, `pods insecure`, ttl 30): A for services and dashed pod
 * names, NODATA for AAAA of a known name, NXDOMAIN for an unknown name, SERVFAIL outside the
 * cluster (no upstream). Sources: coredns plugin/kubernetes README and handler.go; RFC 1035 §4.1.
 */
import { describe, expect, it } from "vitest";
import { createVirtualClock } from "../../src/core/index.js";
import { assembleWorld } from "../../src/sim/worlds/assemble.js";
import { clusterOf } from "../../src/sim/worlds/kubernetes.js";

function query(id: number, name: string, qtype: number): Uint8Array {
  const out = [id >> 8, id & 255, 1, 0, 0, 1, 0, 0, 0, 0, 0, 0];
  for (const l of name.split(".")) out.push(l.length, ...[...l].map((c) => c.charCodeAt(0)));
  out.push(0, 0, qtype, 0, 1);
  return Uint8Array.from(out);
}

describe("CoreDNS in the cluster", () => {
  it("answers through 10.96.0.10 from a pod's namespace", async () => {
    const clock = createVirtualClock();
    const w = assembleWorld({ kind: "kubernetes" }, { clock });
    const cluster = clusterOf(clock)!;
    const kubelet = cluster.kubelets.get("node1")!;
    const dnsPod = cluster.api.list(cluster.kinds.pod, "kube-system").find((p) => p.metadata.name.startsWith("coredns") && p.spec.nodeName === "node1")!;
    const netns = kubelet.container(dnsPod.metadata.uid!)!.ctx.netns;
    const ask = (name: string, qtype: number) => {
      const r = netns.udpRequest("10.96.0.10", 53, query(7, name, qtype));
      if (!r.ok) return r.disposition.kind;
      const b = r.response;
      return { flags: [b[2], b[3]], answers: (b[6]! << 8) | b[7]!, tail: [...b.subarray(b.length - 4)] };
    };
    expect(ask("kube-dns.kube-system.svc.cluster.local", 1)).toEqual({ flags: [0x85, 0x80], answers: 1, tail: [10, 96, 0, 10] });
    expect(ask("kube-dns.kube-system.svc.cluster.local", 28)).toMatchObject({ flags: [0x85, 0x80], answers: 0 });
    expect(ask("nope.default.svc.cluster.local", 1)).toMatchObject({ flags: [0x85, 0x83], answers: 0 });
    expect(ask("10-244-2-7.default.pod.cluster.local", 1)).toEqual({ flags: [0x85, 0x80], answers: 1, tail: [10, 244, 2, 7] });
    expect(ask("www.example.com", 1)).toMatchObject({ flags: [0x81, 0x82], answers: 0 });
  });
});
