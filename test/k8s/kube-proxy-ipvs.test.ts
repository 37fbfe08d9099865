/**
 * kube-proxy in IPVS mode on the simulated cluster: what it programs on every node (kube-ipvs0,
 * virtual servers, real servers), how a removed endpoint's real server goes (gracefully, once its
 * connections are gone), and that the VIP, a local address of kube-ipvs0, is subject to
 * KUBE-IPVS-FILTER in INPUT: ping to it is rejected from 1.26 on and answered before, as the real
 * kernel does with and without such a REJECT rule (test/k8s/fixtures/ipvs-local-vip.txt).
 * Traffic through the VIP: kube-proxy-ipvs-traffic.test.ts.
 */
import { describe, expect, it } from "vitest";
import { ipvsCluster as cluster } from "./ipvs-cluster.js";

describe("kube-proxy IPVS mode", () => {
  it("programs kube-ipvs0, the virtual servers and the sets on every node", async () => {
    const { world, cip, eps, vs } = await cluster();
    const node1 = world.session("node1");
    const ipAddr = await node1.exec("ip addr show kube-ipvs0");
    expect(ipAddr.output).toMatch(/^\d+: kube-ipvs0: <BROADCAST,NOARP> mtu 1500 qdisc noop state DOWN group default ?\n/);
    const inet = ipAddr.output.split("\n").filter((l) => l.includes("inet "));
    expect(inet).toEqual(["10.96.0.1", "10.96.0.10", cip].map((ip) => `    inet ${ip}/32 scope global kube-ipvs0`));
    const rs = vs("node1").dests.map((d) => `${d.addr}:${d.port} ${d.fwd} ${d.weight}`).sort();
    expect(rs).toEqual(eps.map((ip) => `${ip}:80 masq 1`));
    expect(vs("node1").scheduler).toBe("rr");
  });

  it("rejects ping to a ClusterIP in KUBE-IPVS-FILTER (1.28), from a pod and from the node, and answers it without the filter (1.25)", async () => {
    const { world, cip } = await cluster();
    const ping = await world.session("pod/client").exec(`ping -c 1 -W 2 ${cip}`);
    expect(ping.output).toBe(`PING ${cip} (${cip}): 56 data bytes\n\n--- ${cip} ping statistics ---\n1 packets transmitted, 0 packets received, 100% packet loss\n`);
    expect(ping.exitCode).toBe(1);
    // From the node itself: OUTPUT, then lo, then INPUT, where the same REJECT applies.
    expect((await world.session("node1").exec(`ping -c 1 -W 2 ${cip} | grep -c 'bytes from'`)).output).toBe("0\n");
    const old = await cluster("1.25");
    for (const ctx of ["pod/client", "node1"]) {
      const ping25 = await old.world.session(ctx).exec(`ping -c 1 -W 2 ${old.cip} | grep -c 'bytes from'`);
      expect([ctx, ping25.output]).toEqual([ctx, "1\n"]);
    }
  });

  it("removes an endpoint's real server when the Deployment shrinks (after its connections are gone)", async () => {
    const { world, host, cip, vs, clock } = await cluster();
    await world.session("pod/client").exec(`wget -q -O - ${cip}:80 >/dev/null`);
    expect((await host.exec("kubectl scale deployment web --replicas=1 && kubectl rollout status deployment/web --timeout=120s")).exitCode).toBe(0);
    const left = (await host.exec("kubectl get pod -l app=web -o jsonpath='{.items[*].status.podIP}'")).output;
    clock.advance(5 * 60_000);
    expect(vs("node1").dests.map((d) => d.addr)).toEqual([left]);
    expect(vs("node2").dests.map((d) => d.addr)).toEqual([left]);
  });
});
