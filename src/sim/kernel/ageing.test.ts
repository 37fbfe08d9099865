import { describe, expect, it } from "vitest";
import { oneHost, plug } from "./test-support/topo.js";

describe("ageing in virtual time", () => {
  it("bridge FDB entries age out after 300 s; neighbours go REACHABLE → STALE; a released namespace takes its veth peer along", () => {
    const { clock, host } = oneHost(4);
    const root = host.init;
    root.linkAdd({ name: "br0", kind: "bridge" });
    root.linkSet("br0", { up: true });
    const c1 = host.netnsCreate("c1");
    const c2 = host.netnsCreate("c2");
    plug(root, c1, "veth1", "10.0.0.2/24", "br0");
    plug(root, c2, "veth2", "10.0.0.3/24", "br0");
    expect(c1.ping("10.0.0.3").ok).toBe(true);
    const dynamic = () => root.fdbList().filter((e) => e.state === undefined).map((e) => [e.dev, e.ageSec]);
    expect(dynamic()).toEqual([["veth1", 0], ["veth2", 0]]);
    clock.advance(120_000);
    // c2's entry for c1 went STALE → DELAY when it replied; its unicast ARP probe 5 s later refreshed both entries.
    expect(dynamic()).toEqual([["veth1", 115], ["veth2", 115]]);
    expect(c1.neighList().map((n) => n.state)).toEqual(["STALE"]);
    clock.advance(186_000);
    expect(dynamic()).toEqual([]);
    host.netnsRelease(c2);
    expect(root.linkList().map((l) => l.name)).toEqual(["lo", "br0", "veth1"]);
  });
});
