import { describe, expect, it } from "vitest";
import { createRng } from "../../core/random.js";
import { createVirtualClock } from "../../core/clock.js";
import { createKernelWorld } from "./world.js";
import { acceptAll } from "./test-support/accept-all.js";
import { plug } from "./test-support/topo.js";

/** Two hosts on an underlay, each with a container behind br0 and a VXLAN port (VNI 42) on br0. */
function overlay(seed: number, learning = true) {
  const clock = createVirtualClock();
  const world = createKernelWorld({ clock, rng: createRng(seed), netfilter: acceptAll() });
  world.addSegment("underlay");
  const hosts = ["node1", "node2"].map((name, i) => {
    const h = world.addHost(name);
    world.attach(name, "eth0", "underlay");
    h.init.linkSet("eth0", { up: true });
    h.init.addrAdd("eth0", `192.168.0.${i + 1}/24`);
    h.init.linkAdd({ name: "br0", kind: "bridge" });
    h.init.linkSet("br0", { up: true });
    h.init.linkAdd({ name: "vxlan0", kind: "vxlan", vxlan: { vni: 42, dstport: 4789, dev: "eth0", local: `192.168.0.${i + 1}`, learning } });
    h.init.linkSet("vxlan0", { master: "br0", up: true });
    h.init.fdbAdd({ mac: "00:00:00:00:00:00", dev: "vxlan0", dst: `192.168.0.${2 - i}`, self: true }, { append: true });
    const c = h.netnsCreate(`c${i + 1}`);
    plug(h.init, c, "veth0", `10.244.0.${i + 2}/24`, "br0");
    return { h, c };
  });
  return { world, clock, hosts };
}

describe("VXLAN across hosts", () => {
  it("encapsulates into UDP 4789 over the underlay and learns the remote MAC behind its VTEP", () => {
    const { world, hosts } = overlay(3);
    const [a, b] = hosts as [(typeof hosts)[0], (typeof hosts)[0]];
    world.traceTake();
    const r = a.c.ping("10.244.0.3");
    expect(r.ok).toBe(true);
    expect(a.h.init.linkGet("vxlan0").mtu).toBe(1450);
    const learned = a.h.init.fdbList().filter((e) => e.dev === "vxlan0" && e.self && e.mac !== "00:00:00:00:00:00");
    expect(learned.map((e) => [e.mac, e.dst, e.self, e.state])).toEqual([[b.c.linkGet("eth0").mac, "192.168.0.2", true, undefined]]);
    const encaps = world.traceTake().filter((e) => e.step === "vxlan-encap").map((e) => `${e.host} ${e.detail?.remote}`);
    expect(encaps).toEqual(["node1 192.168.0.2", "node2 192.168.0.1", "node1 192.168.0.2", "node2 192.168.0.1"]);
    expect(a.h.init.neighList().map((n) => [n.dst, n.dev, n.state])).toEqual([["192.168.0.2", "eth0", "REACHABLE"]]);
  });

  it("drops with the reason when no fdb entry covers the destination (nolearning, no flood entry)", () => {
    const { world, hosts } = overlay(3, false);
    const a = hosts[0]!;
    a.h.init.fdbDel({ mac: "00:00:00:00:00:00", dev: "vxlan0", dst: "192.168.0.2" });
    world.traceTake();
    const r = a.c.ping("10.244.0.3", { timeoutMs: 1000 });
    expect(r.ok).toBe(false);
    const drops = world.traceTake().filter((e) => e.step === "drop").map((e) => e.text);
    expect(drops).toContain("vxlan0: no fdb entry for ff:ff:ff:ff:ff:ff and no all-zero (flood) entry: dropped");
  });

  it("gives the same MACs, ports and trace for the same seed", () => {
    const run = (seed: number) => {
      const { world, hosts } = overlay(seed);
      hosts[0]!.c.ping("10.244.0.3");
      return JSON.stringify({ links: hosts.map((x) => x.h.init.linkList().map((l) => l.mac)), trace: world.traceTake() });
    };
    expect(run(11)).toBe(run(11));
    expect(run(11)).not.toBe(run(12));
  });
});
