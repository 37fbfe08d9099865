/**
 * PACKET_OTHERHOST: a frame whose destination MAC is unicast and not the receiving device's own is
 * marked by eth_type_trans and dropped by ip_rcv/arp_rcv, also on a promiscuous device and with
 * forwarding on; through a bridge, only the bridge's address and the ingress port's own count as
 * the host's. Recorded on this machine's kernel (6.18): test/fixtures/scenarios/otherhost.json
 * (scripts/scenarios/otherhost.sh), which test/kernel-replay.test.ts replays.
 */
import { describe, expect, it } from "vitest";
import type { NetnsApi, TraceEvent } from "./api.js";
import { createRng } from "../../core/random.js";
import { createVirtualClock } from "../../core/clock.js";
import { createKernelWorld } from "./world.js";
import { acceptAll } from "./test-support/accept-all.js";
import { oneHost, plug } from "./test-support/topo.js";

const WRONG = "02:00:00:00:00:99";

/** The drop events that name PACKET_OTHERHOST, as `netns dev` pairs. */
function otherhostDrops(events: TraceEvent[]): string[] {
  return events.filter((e) => e.step === "drop" && /PACKET_OTHERHOST/.test(e.text)).map((e) => `${e.netns} ${e.dev}`);
}

/** Datagrams `ns` delivers to a UDP socket on port 9999. */
function udpSink(ns: NetnsApi): { got: number } {
  const sink = { got: 0 };
  ns.udpListen("0.0.0.0", 9999, () => {
    sink.got++;
    return undefined;
  });
  return sink;
}

function vethPair() {
  const t = oneHost(5);
  t.world.setTracing(true);
  const a = t.host.netnsCreate("a");
  const b = t.host.netnsCreate("b");
  a.linkAdd({ name: "v1", kind: "veth", peer: { name: "v2", netns: { id: b.id } } });
  a.addrAdd("v1", "10.0.7.1/24");
  b.addrAdd("v2", "10.0.7.2/24");
  a.linkSet("v1", { up: true });
  b.linkSet("v2", { up: true });
  return { ...t, a, b };
}

describe("frames for another host's MAC", () => {
  it("are counted by the receiving veth but dropped before IP, promiscuous or not", () => {
    const { world, a, b } = vethPair();
    const sink = udpSink(b);
    expect(a.ping("10.0.7.2", { timeoutMs: 1000 }).ok).toBe(true);
    a.neighAdd({ dst: "10.0.7.2", dev: "v1", lladdr: WRONG, state: "PERMANENT" }, { replace: true });
    world.traceTake();
    const rx0 = b.linkGet("v2").stats.rxPackets;
    expect(a.ping("10.0.7.2", { timeoutMs: 1000 }).ok).toBe(false);
    a.udpRequest("10.0.7.2", 9999, new Uint8Array([1]), { timeoutMs: 100 });
    expect(b.linkGet("v2").stats.rxPackets).toBe(rx0 + 2);
    expect(sink.got).toBe(0);
    const events = world.traceTake();
    expect(otherhostDrops(events)).toEqual(["b v2", "b v2"]);
    expect(events.some((e) => e.netns === "b" && (e.step === "recv" || e.step === "deliver"))).toBe(false);

    b.linkSet("v2", { flags: { PROMISC: true } });
    expect(a.ping("10.0.7.2", { timeoutMs: 1000 }).ok).toBe(false);
    expect(otherhostDrops(world.traceTake())).toEqual(["b v2"]);

    a.neighAdd({ dst: "10.0.7.2", dev: "v1", lladdr: b.linkGet("v2").mac, state: "PERMANENT" }, { replace: true });
    expect(a.ping("10.0.7.2", { timeoutMs: 1000 }).ok).toBe(true);
    a.udpRequest("10.0.7.2", 9999, new Uint8Array([1]), { timeoutMs: 100 });
    expect(sink.got).toBe(1);
  });

  it("from a NOARP sender (its own MAC as destination) reach no socket of the peer", () => {
    const { world, a, b } = vethPair();
    const sink = udpSink(b);
    a.linkSet("v1", { flags: { NOARP: true } });
    world.traceTake();
    a.udpRequest("10.0.7.2", 9999, new Uint8Array([1]), { timeoutMs: 100 });
    expect(sink.got).toBe(0);
    expect(otherhostDrops(world.traceTake())).toEqual(["b v2"]);
    // The peer never answers, so it never sends: no ARP request towards the NOARP side.
    expect(b.linkGet("v2").stats.txPackets).toBe(0);
  });
});

/** A bridge br0 (address set by the user) with three namespaces; c2 forwards. */
function bridgeThree() {
  const t = oneHost(7);
  t.world.setTracing(true);
  const root = t.host.init;
  root.linkAdd({ name: "br0", kind: "bridge", address: "02:00:00:00:02:ff" });
  root.addrAdd("br0", "172.19.0.1/24");
  root.linkSet("br0", { up: true });
  const cs = [1, 2, 3].map((i) => {
    const c = t.host.netnsCreate(`c${i}`);
    plug(root, c, `veth${i}`, `172.19.0.1${i}/24`, "br0");
    return c;
  }) as [NetnsApi, NetnsApi, NetnsApi];
  cs[1].sysctlSet("net.ipv4.ip_forward", "1");
  return { ...t, root, cs };
}

describe("frames for another host's MAC through a bridge", () => {
  it("an unknown unicast destination is flooded and every namespace drops it; the forwarding one forwards nothing", () => {
    const { world, cs } = bridgeThree();
    const [c1, c2, c3] = cs;
    expect(c1.ping("172.19.0.13", { timeoutMs: 1000 }).ok).toBe(true);
    c1.neighAdd({ dst: "172.19.0.13", dev: "eth0", lladdr: WRONG, state: "PERMANENT" }, { replace: true });
    const sink = udpSink(c3);
    const tx2 = c2.linkGet("eth0").stats.txPackets;
    world.traceTake();
    expect(c1.ping("172.19.0.13", { timeoutMs: 1000 }).ok).toBe(false);
    c1.udpRequest("172.19.0.13", 9999, new Uint8Array([1]), { timeoutMs: 100 });
    const events = world.traceTake();
    expect(events.some((e) => e.step === "bridge" && e.text === `br0: ${WRONG} unknown: flood`)).toBe(true);
    expect(otherhostDrops(events).sort()).toEqual(["c2 eth0", "c2 eth0", "c3 eth0", "c3 eth0"]);
    expect(sink.got).toBe(0);
    expect(c2.linkGet("eth0").stats.txPackets).toBe(tx2);
    expect(events.some((e) => e.step === "route" && e.netns === "c2")).toBe(false);
  });

  it("the host takes frames for the bridge's or the ingress port's address, not for another port's", () => {
    const { world, root, cs } = bridgeThree();
    const c1 = cs[0];
    const mac = (dev: string) => root.linkGet(dev).mac;
    const pingVia = (lladdr: string) => {
      c1.neighAdd({ dst: "172.19.0.1", dev: "eth0", lladdr, state: "PERMANENT" }, { replace: true });
      return c1.ping("172.19.0.1", { timeoutMs: 1000 }).ok;
    };
    expect(pingVia(mac("br0"))).toBe(true);
    expect(pingVia(mac("veth1"))).toBe(true);
    world.traceTake();
    expect(pingVia(mac("veth3"))).toBe(false);
    const events = world.traceTake();
    expect(events.some((e) => e.step === "bridge" && e.text === `br0: ${mac("veth3")} is local: up to the stack`)).toBe(true);
    expect(otherhostDrops(events)).toEqual(["init br0"]);
    expect(pingVia(mac("veth2"))).toBe(false);
  });
});

describe("frames for another host's MAC after VXLAN decapsulation", () => {
  it("an inner frame is for the VXLAN device's own address only", () => {
    const clock = createVirtualClock();
    const world = createKernelWorld({ clock, rng: createRng(11), netfilter: acceptAll() });
    world.setTracing(true);
    world.addSegment("underlay");
    const [n1, n2] = ["node1", "node2"].map((name, i) => {
      const h = world.addHost(name);
      world.attach(name, "eth0", "underlay");
      h.init.linkSet("eth0", { up: true });
      h.init.addrAdd("eth0", `192.168.0.${i + 1}/24`);
      h.init.linkAdd({ name: "vx0", kind: "vxlan", vxlan: { vni: 7, dstport: 4789, dev: "eth0", local: `192.168.0.${i + 1}`, remote: `192.168.0.${2 - i}` } });
      h.init.addrAdd("vx0", `10.7.0.${i + 1}/24`);
      h.init.linkSet("vx0", { up: true });
      return h.init;
    }) as [NetnsApi, NetnsApi];
    expect(n1.ping("10.7.0.2", { timeoutMs: 1000 }).ok).toBe(true);
    const sink = udpSink(n2);
    n1.neighAdd({ dst: "10.7.0.2", dev: "vx0", lladdr: WRONG, state: "PERMANENT" }, { replace: true });
    world.traceTake();
    n1.udpRequest("10.7.0.2", 9999, new Uint8Array([1]), { timeoutMs: 100 });
    const events = world.traceTake();
    expect(events.some((e) => e.step === "vxlan-decap" && e.host === "node2")).toBe(true);
    expect(otherhostDrops(events)).toEqual(["init vx0"]);
    expect(events.find((e) => e.step === "drop")!.host).toBe("node2");
    expect(sink.got).toBe(0);
  });
});

describe("a promiscuous NIC on a segment", () => {
  it("receives and counts frames for other NICs, and its stack drops them", () => {
    const clock = createVirtualClock();
    const world = createKernelWorld({ clock, rng: createRng(13), netfilter: acceptAll() });
    world.setTracing(true);
    world.addSegment("lan");
    const [h1, h2, h3] = ["h1", "h2", "h3"].map((name, i) => {
      const h = world.addHost(name);
      world.attach(name, "eth0", "lan");
      h.init.linkSet("eth0", { up: true });
      h.init.addrAdd("eth0", `192.168.5.${i + 1}/24`);
      return h.init;
    }) as [NetnsApi, NetnsApi, NetnsApi];
    h3.sysctlSet("net.ipv4.ip_forward", "1");
    // h1 sends to a MAC no NIC owns: the segment floods it to h2 and h3.
    h1.neighAdd({ dst: "192.168.5.2", dev: "eth0", lladdr: WRONG, state: "PERMANENT" }, { replace: true });
    const rx = () => h3.linkGet("eth0").stats.rxPackets;
    const before = rx();
    world.traceTake();
    h1.udpRequest("192.168.5.2", 9999, new Uint8Array([1]), { timeoutMs: 100 });
    expect(rx()).toBe(before);
    expect(otherhostDrops(world.traceTake())).toEqual([]);
    h3.linkSet("eth0", { flags: { PROMISC: true } });
    h1.udpRequest("192.168.5.2", 9999, new Uint8Array([1]), { timeoutMs: 100 });
    expect(rx()).toBe(before + 1);
    const events = world.traceTake();
    expect(events.filter((e) => e.step === "drop" && /PACKET_OTHERHOST/.test(e.text)).map((e) => e.host)).toEqual(["h3"]);
    expect(events.some((e) => e.host === "h3" && e.step === "route")).toBe(false);
  });
});
