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
