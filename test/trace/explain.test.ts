/**
 * `lab trace`'s explanation of each step kind and disposition, on traces the simulated kernel
 * really produced (a bare world built with ordinary ip/iptables commands), so the explanation is
 * checked against the kernel's own event texts, not against hand-written ones.
 *
 *   ns a 10.0.0.2 ─┐                    ┌─ ns r (router) 10.0.0.1 / 10.1.0.1 ─ ns far 10.1.0.2
 *   ns b 10.0.0.3 ─┴─ br0 (in ns sw) ───┘
 */
import { beforeEach, describe, expect, it } from "vitest";
import { createWorld } from "../../src/sim/index.js";
import type { SimWorld } from "../../src/sim/api.js";
import { explain } from "../../src/sim/trace/explain.js";
import { formatText } from "../../src/trace/format.js";
import { sendProbe, type ProbeSpec } from "../../src/trace/probe.js";

const SETUP = `
ip netns add sw
ip netns add a
ip netns add b
ip netns add r
ip netns add far
ip -n sw link add br0 type bridge
ip -n sw link set br0 up
ip -n sw link add vpa type veth peer name eth0 netns a
ip -n sw link add vpb type veth peer name eth0 netns b
ip -n sw link add vpr type veth peer name eth0 netns r
ip -n sw link set vpa master br0 up
ip -n sw link set vpb master br0 up
ip -n sw link set vpr master br0 up
ip -n a addr add 10.0.0.2/24 dev eth0
ip -n b addr add 10.0.0.3/24 dev eth0
ip -n r addr add 10.0.0.1/24 dev eth0
ip -n a link set eth0 up
ip -n b link set eth0 up
ip -n r link set eth0 up
ip -n a route add default via 10.0.0.1
ip -n r link add eth1 type veth peer name eth0 netns far
ip -n r addr add 10.1.0.1/24 dev eth1
ip -n r link set eth1 up
ip -n far addr add 10.1.0.2/24 dev eth0
ip -n far link set eth0 up
ip -n far route add default via 10.1.0.1
ip netns exec r sysctl -qw net.ipv4.ip_forward=1
`;

let world: SimWorld;

async function sh(lines: string): Promise<void> {
  for (const l of lines.trim().split("\n")) {
    const r = await world.session("host").exec(l);
    if (r.exitCode !== 0) throw new Error(`${l}: ${r.output}`);
  }
}

async function trace(spec: Omit<ProbeSpec, "context">): Promise<string> {
  const r = await sendProbe(world, { context: "host", ...spec });
  return formatText(r.title, r.trace);
}

beforeEach(async () => {
  world = await createWorld({ kind: "bare", seed: 7 });
  await sh(SETUP);
});

describe("explain", () => {
  it("bridge flood, ARP, FDB hit and local delivery: delivered", async () => {
    expect(await trace({ netns: "a", addr: "10.0.0.3", proto: "icmp" })).toMatchInlineSnapshot(`
      "probe icmp from host (netns a) to 10.0.0.3
      [host/a]
        route: 10.0.0.3 directly connected, out eth0, src 10.0.0.2
        arp: who has 10.0.0.3? tell 10.0.0.2 (on eth0)
      [host/sw]
        bridge br0: ff:ff:ff:ff:ff:ff from vpa: flooded and delivered to the bridge itself
      [host/b]
        arp: 10.0.0.3 is ours: answers 10.0.0.2
      [host/sw]
        bridge br0: fdb hit, c2:84:32:5e:4b:88 is on port vpa: forwarded there
      [host/a]
        arp: 10.0.0.3 is at 26:4a:8c:c3:13:e9
        eth0: sends icmp 10.0.0.2 → 10.0.0.3 echo-request id 44843 seq 0 to 26:4a:8c:c3:13:e9
        veth eth0 → vpa in sw
      [host/sw]
        bridge br0: fdb hit, 26:4a:8c:c3:13:e9 is on port vpb: forwarded there
        veth vpb → eth0 in b
      [host/b]
        eth0: receives icmp 10.0.0.2 → 10.0.0.3 echo-request id 44843 seq 0
        delivered locally: icmp 10.0.0.2 → 10.0.0.3 echo-request id 44843 seq 0
      reply
      [host/b]
        echo reply 10.0.0.3 → 10.0.0.2
        route: 10.0.0.2 directly connected, out eth0, src 10.0.0.3
        eth0: sends icmp 10.0.0.3 → 10.0.0.2 echo-reply id 44843 seq 0 to c2:84:32:5e:4b:88
        veth eth0 → vpb in sw
      [host/sw]
        bridge br0: fdb hit, c2:84:32:5e:4b:88 is on port vpa: forwarded there
        veth vpa → eth0 in a
      [host/a]
        eth0: receives icmp 10.0.0.3 → 10.0.0.2 echo-reply id 44843 seq 0
        delivered locally: icmp 10.0.0.3 → 10.0.0.2 echo-reply id 44843 seq 0
      disposition: delivered (delivered to b (host) on eth0, and the reply came back)
      "
    `);
  });

  it("forwarding through a router: route with next hop, delivered", async () => {
    await world.session("host").exec("ip netns exec a ping -c 1 10.1.0.2");
    expect(await trace({ netns: "a", addr: "10.1.0.2", proto: "icmp" })).toMatchInlineSnapshot(`
      "probe icmp from host (netns a) to 10.1.0.2
      [host/a]
        route: 10.1.0.2 via next hop 10.0.0.1, out eth0, src 10.0.0.2
        eth0: sends icmp 10.0.0.2 → 10.1.0.2 echo-request id 60285 seq 0 to d2:0a:2c:5b:6c:05
        veth eth0 → vpa in sw
      [host/sw]
        bridge br0: fdb hit, d2:0a:2c:5b:6c:05 is on port vpr: forwarded there
        veth vpr → eth0 in r
      [host/r]
        eth0: receives icmp 10.0.0.2 → 10.1.0.2 echo-request id 60285 seq 0
        route: forward 10.1.0.2 by route 10.1.0.0/24, directly connected, out eth1
        eth1: sends icmp 10.0.0.2 → 10.1.0.2 echo-request id 60285 seq 0 to b6:b0:54:5b:23:22
        veth eth1 → eth0 in far
      [host/far]
        eth0: receives icmp 10.0.0.2 → 10.1.0.2 echo-request id 60285 seq 0
        delivered locally: icmp 10.0.0.2 → 10.1.0.2 echo-request id 60285 seq 0
      reply
      [host/far]
        echo reply 10.1.0.2 → 10.0.0.2
        route: 10.0.0.2 via next hop 10.1.0.1, out eth0, src 10.1.0.2
        eth0: sends icmp 10.1.0.2 → 10.0.0.2 echo-reply id 60285 seq 0 to ea:52:30:a1:56:0b
        veth eth0 → eth1 in r
      [host/r]
        eth1: receives icmp 10.1.0.2 → 10.0.0.2 echo-reply id 60285 seq 0
        route: forward 10.0.0.2 by route 10.0.0.0/24, directly connected, out eth0
        eth0: sends icmp 10.1.0.2 → 10.0.0.2 echo-reply id 60285 seq 0 to c2:84:32:5e:4b:88
        veth eth0 → vpr in sw
      [host/sw]
        bridge br0: fdb hit, c2:84:32:5e:4b:88 is on port vpa: forwarded there
        veth vpa → eth0 in a
      [host/a]
        eth0: receives icmp 10.1.0.2 → 10.0.0.2 echo-reply id 60285 seq 0
        delivered locally: icmp 10.1.0.2 → 10.0.0.2 echo-reply id 60285 seq 0
      disposition: delivered (delivered to far (host) on eth0, and the reply came back)
      "
    `);
  });

  it("dropped by a named rule", async () => {
    await sh("ip netns exec r iptables -A FORWARD -d 10.1.0.2 -j DROP");
    expect(await trace({ netns: "a", addr: "10.1.0.2", proto: "icmp" })).toMatchInlineSnapshot(`
      "probe icmp from host (netns a) to 10.1.0.2
      [host/a]
        route: 10.1.0.2 via next hop 10.0.0.1, out eth0, src 10.0.0.2
        arp: who has 10.0.0.1? tell 10.0.0.2 (on eth0)
      [host/sw]
        bridge br0: ff:ff:ff:ff:ff:ff from vpa: flooded and delivered to the bridge itself
      [host/r]
        arp: 10.0.0.1 is ours: answers 10.0.0.2
      [host/sw]
        bridge br0: fdb hit, c2:84:32:5e:4b:88 is on port vpa: forwarded there
      [host/a]
        arp: 10.0.0.1 is at d2:0a:2c:5b:6c:05
        eth0: sends icmp 10.0.0.2 → 10.1.0.2 echo-request id 44843 seq 0 to d2:0a:2c:5b:6c:05
        veth eth0 → vpa in sw
      [host/sw]
        bridge br0: fdb hit, d2:0a:2c:5b:6c:05 is on port vpr: forwarded there
        veth vpr → eth0 in r
      [host/r]
        eth0: receives icmp 10.0.0.2 → 10.1.0.2 echo-request id 44843 seq 0
        route: forward 10.1.0.2 by route 10.1.0.0/24, directly connected, out eth1
        filter FORWARD: FORWARD: 1 rule evaluated, verdict DROP
          -A FORWARD -d 10.1.0.2/32 -j DROP
        dropped: FORWARD: filter FORWARD: -A FORWARD -d 10.1.0.2/32 -j DROP
      reply: none
      disposition: dropped (by the rule filter FORWARD: -A FORWARD -d 10.1.0.2/32 -j DROP)
      "
    `);
  });

  it("dropped by a chain's policy, rules evaluated counted", async () => {
    await sh("ip netns exec r iptables -A FORWARD -s 192.0.2.1 -j ACCEPT\nip netns exec r iptables -A FORWARD -s 192.0.2.2 -j ACCEPT\nip netns exec r iptables -P FORWARD DROP");
    expect(await trace({ netns: "a", addr: "10.1.0.2", proto: "icmp" })).toMatchInlineSnapshot(`
      "probe icmp from host (netns a) to 10.1.0.2
      [host/a]
        route: 10.1.0.2 via next hop 10.0.0.1, out eth0, src 10.0.0.2
        arp: who has 10.0.0.1? tell 10.0.0.2 (on eth0)
      [host/sw]
        bridge br0: ff:ff:ff:ff:ff:ff from vpa: flooded and delivered to the bridge itself
      [host/r]
        arp: 10.0.0.1 is ours: answers 10.0.0.2
      [host/sw]
        bridge br0: fdb hit, c2:84:32:5e:4b:88 is on port vpa: forwarded there
      [host/a]
        arp: 10.0.0.1 is at d2:0a:2c:5b:6c:05
        eth0: sends icmp 10.0.0.2 → 10.1.0.2 echo-request id 44843 seq 0 to d2:0a:2c:5b:6c:05
        veth eth0 → vpa in sw
      [host/sw]
        bridge br0: fdb hit, d2:0a:2c:5b:6c:05 is on port vpr: forwarded there
        veth vpr → eth0 in r
      [host/r]
        eth0: receives icmp 10.0.0.2 → 10.1.0.2 echo-request id 44843 seq 0
        route: forward 10.1.0.2 by route 10.1.0.0/24, directly connected, out eth1
        filter FORWARD: FORWARD: 2 rules evaluated, verdict policy DROP
        dropped: FORWARD: filter FORWARD: policy DROP
      reply: none
      disposition: dropped (by the policy of filter FORWARD)
      "
    `);
  });

  it("SNAT by MASQUERADE with its reverse translation on the reply", async () => {
    await sh("ip netns exec r iptables -t nat -A POSTROUTING -o eth1 -j MASQUERADE");
    expect(await trace({ netns: "a", addr: "10.1.0.2", proto: "icmp" })).toMatchInlineSnapshot(`
      "probe icmp from host (netns a) to 10.1.0.2
      [host/a]
        route: 10.1.0.2 via next hop 10.0.0.1, out eth0, src 10.0.0.2
        arp: who has 10.0.0.1? tell 10.0.0.2 (on eth0)
      [host/sw]
        bridge br0: ff:ff:ff:ff:ff:ff from vpa: flooded and delivered to the bridge itself
      [host/r]
        arp: 10.0.0.1 is ours: answers 10.0.0.2
      [host/sw]
        bridge br0: fdb hit, c2:84:32:5e:4b:88 is on port vpa: forwarded there
      [host/a]
        arp: 10.0.0.1 is at d2:0a:2c:5b:6c:05
        eth0: sends icmp 10.0.0.2 → 10.1.0.2 echo-request id 44843 seq 0 to d2:0a:2c:5b:6c:05
        veth eth0 → vpa in sw
      [host/sw]
        bridge br0: fdb hit, d2:0a:2c:5b:6c:05 is on port vpr: forwarded there
        veth vpr → eth0 in r
      [host/r]
        eth0: receives icmp 10.0.0.2 → 10.1.0.2 echo-request id 44843 seq 0
        PREROUTING: conntrack NEW icmp 10.0.0.2 → 10.1.0.2 id=44843
        route: forward 10.1.0.2 by route 10.1.0.0/24, directly connected, out eth1
        nat POSTROUTING: POSTROUTING: 1 rule evaluated, verdict MASQUERADE
          -A POSTROUTING -o eth1 -j MASQUERADE
        POSTROUTING: source rewritten (SNAT) 10.0.0.2 → 10.1.0.2 becomes 10.1.0.1 → 10.1.0.2
        arp: who has 10.1.0.2? tell 10.1.0.1 (on eth1)
      [host/far]
        arp: 10.1.0.2 is ours: answers 10.1.0.1
      [host/r]
        arp: 10.1.0.2 is at b6:b0:54:5b:23:22
        eth1: sends icmp 10.1.0.1 → 10.1.0.2 echo-request id 44843 seq 0 to b6:b0:54:5b:23:22
        veth eth1 → eth0 in far
      [host/far]
        eth0: receives icmp 10.1.0.1 → 10.1.0.2 echo-request id 44843 seq 0
        delivered locally: icmp 10.1.0.1 → 10.1.0.2 echo-request id 44843 seq 0
      reply
      [host/far]
        echo reply 10.1.0.2 → 10.1.0.1
        route: 10.1.0.1 directly connected, out eth0, src 10.1.0.2
        eth0: sends icmp 10.1.0.2 → 10.1.0.1 echo-reply id 44843 seq 0 to ea:52:30:a1:56:0b
        veth eth0 → eth1 in r
      [host/r]
        eth1: receives icmp 10.1.0.2 → 10.1.0.1 echo-reply id 44843 seq 0
        PREROUTING: conntrack ESTABLISHED (reply direction) icmp 10.0.0.2 → 10.1.0.2 id=44843
        PREROUTING: destination rewritten (DNAT) 10.1.0.2 → 10.1.0.1 becomes 10.1.0.2 → 10.0.0.2 (reverse translation of the connection's NAT)
        route: forward 10.0.0.2 by route 10.0.0.0/24, directly connected, out eth0
        eth0: sends icmp 10.1.0.2 → 10.0.0.2 echo-reply id 44843 seq 0 to c2:84:32:5e:4b:88
        veth eth0 → vpr in sw
      [host/sw]
        bridge br0: fdb hit, c2:84:32:5e:4b:88 is on port vpa: forwarded there
        veth vpa → eth0 in a
      [host/a]
        eth0: receives icmp 10.1.0.2 → 10.0.0.2 echo-reply id 44843 seq 0
        delivered locally: icmp 10.1.0.2 → 10.0.0.2 echo-reply id 44843 seq 0
      disposition: delivered (delivered to far (host) on eth0, and the reply came back)
      "
    `);
  });

  it("TCP to a closed port: reset", async () => {
    expect(await trace({ netns: "b", addr: "10.0.0.2", port: 8080, proto: "tcp" })).toMatchInlineSnapshot(`
      "probe tcp from host (netns b) to 10.0.0.2:8080
      [host/b]
        route: 10.0.0.2 directly connected, out eth0, src 10.0.0.3
        arp: who has 10.0.0.2? tell 10.0.0.3 (on eth0)
      [host/sw]
        bridge br0: ff:ff:ff:ff:ff:ff from vpb: flooded and delivered to the bridge itself
      [host/a]
        arp: 10.0.0.2 is ours: answers 10.0.0.3
      [host/sw]
        bridge br0: fdb hit, 26:4a:8c:c3:13:e9 is on port vpb: forwarded there
      [host/b]
        arp: 10.0.0.2 is at c2:84:32:5e:4b:88
        eth0: sends tcp 10.0.0.3:52085 → 10.0.0.2:8080 [SYN] to c2:84:32:5e:4b:88
        veth eth0 → vpb in sw
      [host/sw]
        bridge br0: fdb hit, c2:84:32:5e:4b:88 is on port vpa: forwarded there
        veth vpa → eth0 in a
      [host/a]
        eth0: receives tcp 10.0.0.3:52085 → 10.0.0.2:8080 [SYN]
        delivered locally: tcp 10.0.0.3:52085 → 10.0.0.2:8080 [SYN]
        tcp port 8080 closed: RST
      reply
      [host/a]
        route: 10.0.0.3 directly connected, out eth0, src 10.0.0.2
        eth0: sends tcp 10.0.0.2:8080 → 10.0.0.3:52085 [RST,ACK] to 26:4a:8c:c3:13:e9
        veth eth0 → vpa in sw
      [host/sw]
        bridge br0: fdb hit, 26:4a:8c:c3:13:e9 is on port vpb: forwarded there
        veth vpb → eth0 in b
      [host/b]
        eth0: receives tcp 10.0.0.2:8080 → 10.0.0.3:52085 [RST,ACK]
        delivered locally: tcp 10.0.0.2:8080 → 10.0.0.3:52085 [RST,ACK]
      disposition: reset (tcp port 8080 closed: RST (a))
      "
    `);
  });

  it("UDP to a closed port: port unreachable", async () => {
    expect(await trace({ netns: "b", addr: "10.0.0.2", proto: "udp" })).toMatchInlineSnapshot(`
      "probe udp from host (netns b) to 10.0.0.2:53
      [host/b]
        route: 10.0.0.2 directly connected, out eth0, src 10.0.0.3
        arp: who has 10.0.0.2? tell 10.0.0.3 (on eth0)
      [host/sw]
        bridge br0: ff:ff:ff:ff:ff:ff from vpb: flooded and delivered to the bridge itself
      [host/a]
        arp: 10.0.0.2 is ours: answers 10.0.0.3
      [host/sw]
        bridge br0: fdb hit, 26:4a:8c:c3:13:e9 is on port vpb: forwarded there
      [host/b]
        arp: 10.0.0.2 is at c2:84:32:5e:4b:88
        eth0: sends udp 10.0.0.3:58780 → 10.0.0.2:53 to c2:84:32:5e:4b:88
        veth eth0 → vpb in sw
      [host/sw]
        bridge br0: fdb hit, c2:84:32:5e:4b:88 is on port vpa: forwarded there
        veth vpa → eth0 in a
      [host/a]
        eth0: receives udp 10.0.0.3:58780 → 10.0.0.2:53
        delivered locally: udp 10.0.0.3:58780 → 10.0.0.2:53
        udp port 53 closed: icmp port unreachable
      reply
      [host/a]
        icmp Destination Port Unreachable → 10.0.0.3
        route: 10.0.0.3 directly connected, out eth0, src 10.0.0.2
        eth0: sends icmp 10.0.0.2 → 10.0.0.3 unreachable code 3 to 26:4a:8c:c3:13:e9
        veth eth0 → vpa in sw
      [host/sw]
        bridge br0: fdb hit, 26:4a:8c:c3:13:e9 is on port vpb: forwarded there
        veth vpb → eth0 in b
      [host/b]
        eth0: receives icmp 10.0.0.2 → 10.0.0.3 unreachable code 3
        delivered locally: icmp 10.0.0.2 → 10.0.0.3 unreachable code 3
      disposition: port-unreachable (udp port 53 closed: icmp port unreachable (a))
      "
    `);
  });

  it("nobody has the address: neighbour unreachable", async () => {
    expect(await trace({ netns: "b", addr: "10.0.0.99", proto: "icmp" })).toMatchInlineSnapshot(`
      "probe icmp from host (netns b) to 10.0.0.99
      [host/b]
        route: 10.0.0.99 directly connected, out eth0, src 10.0.0.3
        arp: who has 10.0.0.99? tell 10.0.0.3 (on eth0)
      [host/sw]
        bridge br0: ff:ff:ff:ff:ff:ff from vpb: flooded and delivered to the bridge itself
      [host/b]
        arp: who has 10.0.0.99? tell 10.0.0.3 (on eth0)
      [host/sw]
        bridge br0: ff:ff:ff:ff:ff:ff from vpb: flooded and delivered to the bridge itself
      [host/b]
        arp: who has 10.0.0.99? tell 10.0.0.3 (on eth0)
      [host/sw]
        bridge br0: ff:ff:ff:ff:ff:ff from vpb: flooded and delivered to the bridge itself
      [host/b]
        dropped: neighbour 10.0.0.99 on eth0 unresolved after 3 ARP probes (FAILED)
      reply
      [host/b]
        icmp Destination Host Unreachable → 10.0.0.3
      disposition: neighbour-unreachable (neighbour 10.0.0.99 on eth0 unresolved after 3 ARP probes (FAILED))
      "
    `);
  });

  it("request delivered, reply without a route back: no-route, the reply's fate decides", async () => {
    await sh("ip -n far route del default");
    expect(await trace({ netns: "a", addr: "10.1.0.2", proto: "icmp" })).toMatchInlineSnapshot(`
      "probe icmp from host (netns a) to 10.1.0.2
      [host/a]
        route: 10.1.0.2 via next hop 10.0.0.1, out eth0, src 10.0.0.2
        arp: who has 10.0.0.1? tell 10.0.0.2 (on eth0)
      [host/sw]
        bridge br0: ff:ff:ff:ff:ff:ff from vpa: flooded and delivered to the bridge itself
      [host/r]
        arp: 10.0.0.1 is ours: answers 10.0.0.2
      [host/sw]
        bridge br0: fdb hit, c2:84:32:5e:4b:88 is on port vpa: forwarded there
      [host/a]
        arp: 10.0.0.1 is at d2:0a:2c:5b:6c:05
        eth0: sends icmp 10.0.0.2 → 10.1.0.2 echo-request id 44843 seq 0 to d2:0a:2c:5b:6c:05
        veth eth0 → vpa in sw
      [host/sw]
        bridge br0: fdb hit, d2:0a:2c:5b:6c:05 is on port vpr: forwarded there
        veth vpr → eth0 in r
      [host/r]
        eth0: receives icmp 10.0.0.2 → 10.1.0.2 echo-request id 44843 seq 0
        route: forward 10.1.0.2 by route 10.1.0.0/24, directly connected, out eth1
        arp: who has 10.1.0.2? tell 10.1.0.1 (on eth1)
      [host/far]
        arp: 10.1.0.2 is ours: answers 10.1.0.1
      [host/r]
        arp: 10.1.0.2 is at b6:b0:54:5b:23:22
        eth1: sends icmp 10.0.0.2 → 10.1.0.2 echo-request id 44843 seq 0 to b6:b0:54:5b:23:22
        veth eth1 → eth0 in far
      [host/far]
        eth0: receives icmp 10.0.0.2 → 10.1.0.2 echo-request id 44843 seq 0
        delivered locally: icmp 10.0.0.2 → 10.1.0.2 echo-request id 44843 seq 0
      reply
      [host/far]
        echo reply 10.1.0.2 → 10.0.0.2
        dropped: no route to 10.0.0.2: ENETUNREACH
      disposition: no-route (delivered to far (host) on eth0, but the reply was lost: no route to 10.0.0.2: ENETUNREACH)
      "
    `);
  });

  it("no route", async () => {
    expect(await trace({ netns: "b", addr: "10.1.0.2", proto: "icmp" })).toMatchInlineSnapshot(`
      "probe icmp from host (netns b) to 10.1.0.2
      reply: none
      disposition: no-route (the sender's kernel refused it: ping: sendto: Network is unreachable)
      "
    `);
  });
});

describe("explain on fixed events", () => {
  it("an empty trace is lost: nothing was sent", () => {
    expect(explain([])).toEqual({ probe: [], reply: [], disposition: { kind: "lost", reason: "no packet was sent" } });
  });

  it("folds one table's rule lines at one hook into one step, with skipped runs counted", () => {
    const ev = (text: string, detail?: Record<string, unknown>) => ({ at: 0, packetId: 1, host: "h", netns: "init", step: "netfilter" as const, text, ...(detail ? { detail } : {}) });
    const t = explain([
      ev("FORWARD: filter FORWARD: -A FORWARD -j KUBE-FORWARD"),
      ev("FORWARD: filter FORWARD: 40 rules of KUBE-FORWARD did not match"),
      ev("FORWARD: filter FORWARD: -A KUBE-FORWARD -s 10.0.0.0/8 -j DROP (no match)"),
      ev("FORWARD: filter FORWARD: policy DROP"),
      { at: 0, packetId: 1, host: "h", netns: "init", step: "drop", text: "FORWARD: filter FORWARD: policy DROP" },
    ]);
    expect(t.probe[0]).toEqual({
      host: "h",
      netns: "init",
      kind: "netfilter",
      hook: "FORWARD",
      table: "filter",
      bridged: false,
      chains: ["FORWARD", "KUBE-FORWARD"],
      matched: ["-A FORWARD -j KUBE-FORWARD"],
      evaluated: 42,
      verdict: "policy DROP",
      text: "filter FORWARD: FORWARD → KUBE-FORWARD: 42 rules evaluated, verdict policy DROP",
    });
    expect(t.disposition).toEqual({ kind: "dropped", reason: "by the policy of filter FORWARD" });
  });
});
