import { describe, expect, it } from "vitest";
import { oneHost, plug } from "./test-support/topo.js";
import { acceptAll } from "./test-support/accept-all.js";

/** Namespaces a (va, 10.0.0.1/24) and b (vb, 10.0.0.2/24) joined by a veth pair, both ends up. */
function vethPair(host: ReturnType<typeof oneHost>["host"]) {
  const a = host.netnsAddNamed("a");
  const b = host.netnsAddNamed("b");
  a.linkAdd({ name: "va", kind: "veth", peer: { name: "vb", netns: { name: "b" } } });
  a.addrAdd("va", "10.0.0.1/24");
  b.addrAdd("vb", "10.0.0.2/24");
  a.linkSet("va", { up: true });
  b.linkSet("vb", { up: true });
  return { a, b };
}

describe("ping across a veth", () => {
  it("reaches the peer namespace and fills both ARP caches", () => {
    const { host } = oneHost();
    const { a, b } = vethPair(host);
    const r = a.ping("10.0.0.2");
    expect(r.ok).toBe(true);
    if (r.ok) expect(r.reply.from).toBe("10.0.0.2");
    expect(a.neighList().map((n) => [n.dst, n.dev, n.state])).toEqual([["10.0.0.2", "va", "REACHABLE"]]);
    const vaMac = a.linkGet("va").mac;
    expect(b.neighList()).toEqual([{ dst: "10.0.0.1", dev: "vb", lladdr: vaMac, state: "DELAY" }]);
  });

  it("times out for an address nobody has, and the entry ends FAILED", () => {
    const { host } = oneHost();
    const a = host.netnsAddNamed("a");
    a.linkAdd({ name: "va", kind: "veth", peer: { name: "vb" } });
    a.addrAdd("va", "10.0.0.1/24");
    a.linkSet("va", { up: true });
    a.linkSet("vb", { up: true });
    const r = a.ping("10.0.0.9", { timeoutMs: 5000 });
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.disposition).toEqual({ kind: "unreachable", errno: "EHOSTUNREACH", reason: "Destination Host Unreachable from 10.0.0.1" });
    }
    expect(a.neighList()).toEqual([{ dst: "10.0.0.9", dev: "va", state: "FAILED" }]);
  });

  it("has no route to an unconnected network", () => {
    const { host } = oneHost();
    const a = host.netnsAddNamed("a");
    const r = a.ping("192.168.1.1");
    expect(r.ok ? "ok" : r.disposition).toEqual({ kind: "unreachable", errno: "ENETUNREACH", reason: "no route to host 192.168.1.1" });
  });
});

describe("ping across a bridge", () => {
  it("learns both MACs and passes FORWARD (bridged) for IPv4", () => {
    const seen: string[] = [];
    const { host } = oneHost(7, acceptAll(seen));
    const root = host.init;
    root.linkAdd({ name: "br0", kind: "bridge" });
    root.linkSet("br0", { up: true });
    const c1 = host.netnsCreate("c1");
    const c2 = host.netnsCreate("c2");
    plug(root, c1, "veth1", "172.18.0.2/24", "br0");
    plug(root, c2, "veth2", "172.18.0.3/24", "br0");
    const r = c1.ping("172.18.0.3");
    expect(r.ok).toBe(true);
    const macs = root.fdbList().filter((e) => e.state === undefined).map((e) => [e.mac, e.dev]);
    expect(macs).toEqual([
      [c1.linkGet("eth0").mac, "veth1"],
      [c2.linkGet("eth0").mac, "veth2"],
    ]);
    expect(seen.filter((s) => s.includes("FORWARD"))).toEqual(["init FORWARD(br) 172.18.0.2>172.18.0.3", "init FORWARD(br) 172.18.0.3>172.18.0.2"]);
    const br = root.linkGet("br0");
    expect([br.flags, br.operstate]).toEqual([["BROADCAST", "MULTICAST", "UP", "LOWER_UP"], "UP"]);
  });
});

describe("link attributes", () => {
  it("veth attributes: a peer with its own attributes gets only those; without a peer clause it shares the request's (kernel 6.18, measured)", () => {
    // Real: `ip link add f0 txqueuelen 0 mtu 1400 type veth peer name f1` → f1 mtu 1500 qlen 1000;
    // `... g0 txqueuelen 7 type veth peer name g1 txqueuelen 5 mtu 1300` → g1 1300/5, g0 1500/7;
    // `ip link add h0 mtu 1450 txqueuelen 3 type veth` → veth0 and h0 both 1450/3.
    const { host } = oneHost();
    host.init.linkAdd({ name: "f0", kind: "veth", peer: { name: "f1" }, txqlen: 0, mtu: 1400 });
    host.init.linkAdd({ name: "g0", kind: "veth", peer: { name: "g1", txqlen: 5, mtu: 1300 }, txqlen: 7 });
    host.init.linkAdd({ name: "d0", kind: "veth", peer: { name: "d1", txqlen: 0 }, txqlen: 0 });
    expect(host.init.linkList().map((l) => [l.name, l.mtu, l.txqlen])).toEqual([
      ["lo", 65536, 1000], ["f1", 1500, 1000], ["f0", 1400, 0], ["g1", 1300, 5], ["g0", 1500, 7], ["d1", 1500, 0], ["d0", 1500, 0],
    ]);
  });

  it("a bridge honours txqlen too (rtnl_create_link; real: `ip link add br9 txqueuelen 0 type bridge` shows no qlen)", () => {
    const { host } = oneHost();
    host.init.linkAdd({ name: "br9", kind: "bridge", txqlen: 0 });
    host.init.linkAdd({ name: "br8", kind: "bridge" });
    expect(host.init.linkList().map((l) => [l.name, l.txqlen])).toEqual([["lo", 1000], ["br9", 0], ["br8", 1000]]);
  });
});

describe("MTU", () => {
  it("a forwarder refuses a DF datagram over the next hop's MTU with 'fragmentation needed'; the sender learns the path MTU and then fragments", () => {
    const { host } = oneHost(9);
    const root = host.init;
    root.sysctlSet("net.ipv4.ip_forward", "1");
    const a = host.netnsAddNamed("a");
    const b = host.netnsAddNamed("b");
    root.linkAdd({ name: "ra", kind: "veth", peer: { name: "eth0", netns: { name: "a" } } });
    root.linkAdd({ name: "rb", kind: "veth", peer: { name: "eth0", netns: { name: "b" } }, mtu: 1400 });
    root.addrAdd("ra", "10.1.0.1/24");
    root.addrAdd("rb", "10.2.0.1/24");
    root.linkSet("ra", { up: true });
    root.linkSet("rb", { up: true });
    for (const [ns, ip, gw] of [[a, "10.1.0.2/24", "10.1.0.1"], [b, "10.2.0.2/24", "10.2.0.1"]] as const) {
      ns.linkSet("eth0", { up: true });
      ns.addrAdd("eth0", ip);
      ns.routeAdd({ dst: "default", via: gw });
    }
    expect(a.ping("10.2.0.2", { size: 1372 }).ok).toBe(true);
    const lost = a.ping("10.2.0.2", { size: 1373, timeoutMs: 1000 });
    expect(lost.ok ? "ok" : lost.disposition.kind).toBe("timeout");
    expect(a.routeGet("10.2.0.2").cache).toEqual({ mtu: 1400, expiresSec: 599 });
    const before = root.linkGet("rb").stats.txPackets;
    expect(a.ping("10.2.0.2", { size: 1373 }).ok).toBe(true);
    expect(root.linkGet("rb").stats.txPackets - before).toBe(2);
  });
});

describe("broadcast echo", () => {
  it("is ignored by default (icmp_echo_ignore_broadcasts=1) and answered when the sysctl is 0", () => {
    const { host } = oneHost();
    const { a, b } = vethPair(host);
    const r = a.ping("10.0.0.255", { timeoutMs: 1000 });
    expect(r.ok ? "ok" : r.disposition.kind).toBe("timeout");
    b.sysctlSet("net.ipv4.icmp_echo_ignore_broadcasts", "0");
    const r2 = a.ping("10.0.0.255", { timeoutMs: 1000 });
    expect(r2.ok && r2.reply.from).toBe("10.0.0.2");
  });
});

describe("namespace teardown", () => {
  it("a physical NIC returns to the initial namespace (down) when its namespace is deleted; veths die", () => {
    const { world, host } = oneHost();
    world.addSegment("lan");
    world.attach("host1", "eth1", "lan");
    const a = host.netnsAddNamed("a");
    host.init.linkSet("eth1", { netns: { name: "a" }, up: true });
    a.linkAdd({ name: "v0", kind: "veth", peer: { name: "v1", netns: "init" } });
    expect(host.init.linkList().map((l) => l.name)).toEqual(["lo", "v1"]);
    host.netnsDelNamed("a");
    expect(host.init.linkList().map((l) => [l.name, l.ifindex, l.operstate])).toEqual([["lo", 1, "DOWN"], ["eth1", 2, "DOWN"]]);
  });
});
