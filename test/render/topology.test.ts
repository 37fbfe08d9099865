/** The topology computed from a world after real lesson commands ran in it. */
import { describe, expect, it } from "vitest";
import { createWorld } from "../../src/sim/index.js";

describe("world.topology()", () => {
  it("docker world with two containers: docker0, veth pairs into the containers, NIC to the underlay", async () => {
    const w = createWorld({ kind: "docker" });
    const host = w.session("host");
    expect((await host.exec("docker run -dit --name web busybox")).exitCode).toBe(0);
    expect((await host.exec("docker run -dit --name db busybox")).exitCode).toBe(0);
    const t = w.topology!();
    const summary = t.namespaces.map((n) => `${n.kind} ${n.label}: ${t.ifaces.filter((i) => i.ns === n.id).map((i) => `${i.name}[${i.addrs.join(",")}]${i.master ? " master " + i.master.split("/").pop() : ""}`).join(" ")}`);
    expect(summary.map((l) => l.replace(/veth[0-9a-f]{7}/g, "vethX"))).toEqual([
      "init host: eth0[192.168.56.10/24] docker0[172.17.0.1/16] vethX[] master docker0 vethX[] master docker0",
      "container web: eth0[172.17.0.2/16]",
      "container db: eth0[172.17.0.3/16]",
    ]);

    const kinds = t.links.map((l) => `${l.kind} ${l.from.split("/").slice(-1)} ${l.to.split("/").slice(-1)}`).map((s) => s.replace(/veth[0-9a-f]+/g, "vethX"));
    expect(kinds.sort()).toEqual(["port vethX docker0", "port vethX docker0", "underlay eth0 segment:underlay", "veth vethX eth0", "veth vethX eth0"].sort());
  });
});

describe("world.topology() of a cluster", () => {
  it("nodes with flannel VXLAN devices of one VNI, pod namespaces by pod name, kube-dns selecting the CoreDNS pods", () => {
    const t = createWorld({ kind: "kubernetes" }).topology!();
    expect(t.hosts).toEqual(["control-plane", "node1", "node2", "client"]);
    const pods = t.namespaces.filter((n) => n.kind === "pod").map((n) => `${n.host} ${n.label.replace(/-[a-z0-9]{5}$/, "-X")}`);
    expect(pods).toEqual(["node1 pod/coredns-8977645b-X", "node2 pod/coredns-8977645b-X"]);
    const vx = t.links.filter((l) => l.kind === "vxlan").map((l) => `${l.from} ${l.to}`.replace(/\/\d+\//g, "/"));
    expect(vx).toEqual(["control-plane/flannel.1 node1/flannel.1", "control-plane/flannel.1 node2/flannel.1", "node1/flannel.1 node2/flannel.1"]);
    const dns = t.services.find((s) => s.name === "kube-dns")!;
    expect({ ip: dns.clusterIP, ports: dns.ports, endpoints: dns.endpoints.map((e) => t.namespaces.find((n) => n.id === e)!.label.replace(/-[a-z0-9]{5}$/, "-X")) }).toEqual({
      ip: "10.96.0.10",
      ports: ["53/UDP", "53/TCP", "9153/TCP"],
      endpoints: ["pod/coredns-8977645b-X", "pod/coredns-8977645b-X"],
    });
    expect(t.links.filter((l) => l.kind === "underlay").length).toBe(4);
  });
});
