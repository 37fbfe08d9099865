/**
 * The kube-proxy version is a world setting: the same Service gives the ≤1.21 layout (masquerade
 * rule in KUBE-SERVICES, kubelet's KUBE-MARK-DROP) or the 1.24+ layout (masquerade rule in
 * KUBE-SVC, "-> ip:port" comments, no KUBE-MARK-DROP from 1.27), written into the node's kernel
 * and printed by the simulated iptables-save. Sources: see kube-proxy-iptables.test.ts.
 */
import { describe, expect, it } from "vitest";
import { createWorld } from "../../src/sim/index.js";

async function natLines(version: string): Promise<string[]> {
  const w = createWorld({ kind: "kubernetes", kubeProxyVersion: version });
  const out = (await w.session("node1").exec("iptables-save -t nat")).output;
  return out.split("\n").filter((l) => /kube-dns:dns cluster IP|^:KUBE-MARK-DROP|^:KUBE-KUBELET-CANARY/.test(l));
}

describe("kube-proxy version setting", () => {
  it("1.21: masquerade rule in KUBE-SERVICES, KUBE-MARK-DROP present", async () => {
    expect(await natLines("1.21")).toEqual([
      ":KUBE-KUBELET-CANARY - [0:0]",
      ":KUBE-MARK-DROP - [0:0]",
      '-A KUBE-SERVICES ! -s 10.244.0.0/16 -d 10.96.0.10/32 -p udp -m comment --comment "kube-system/kube-dns:dns cluster IP" -m udp --dport 53 -j KUBE-MARK-MASQ',
      '-A KUBE-SERVICES -d 10.96.0.10/32 -p udp -m comment --comment "kube-system/kube-dns:dns cluster IP" -m udp --dport 53 -j KUBE-SVC-TCOU7JCQXEZGVUNU',
    ]);
  });
  it("1.28: masquerade rule in KUBE-SVC, no KUBE-MARK-DROP", async () => {
    expect(await natLines("1.28")).toEqual([
      ":KUBE-KUBELET-CANARY - [0:0]",
      '-A KUBE-SERVICES -d 10.96.0.10/32 -p udp -m comment --comment "kube-system/kube-dns:dns cluster IP" -m udp --dport 53 -j KUBE-SVC-TCOU7JCQXEZGVUNU',
      '-A KUBE-SVC-TCOU7JCQXEZGVUNU ! -s 10.244.0.0/16 -d 10.96.0.10/32 -p udp -m comment --comment "kube-system/kube-dns:dns cluster IP" -m udp --dport 53 -j KUBE-MARK-MASQ',
    ]);
  });
});
