// Kernel packet path speed: ICMP echo through a bridge, UDP through bridge + DNAT + conntrack
// (the real netfilter engine), and a ping across a VXLAN overlay between two hosts.
// Needs a build (npm run build). Prints a table; tracing is off while measuring.
import { performance } from "node:perf_hooks";
import { createKernelWorld } from "../dist/sim/kernel/index.js";
import { createVirtualClock, createRng } from "../dist/core/index.js";

const enc = new TextEncoder();

function plug(root, ns, hostIf, cidr, bridge) {
  root.linkAdd({ name: hostIf, kind: "veth", peer: { name: "eth0", netns: { id: ns.id } } });
  ns.linkSet("lo", { up: true });
  ns.linkSet("eth0", { up: true });
  ns.addrAdd("eth0", cidr);
  root.linkSet(hostIf, { master: bridge, up: true });
}

function bridgeWorld() {
  const world = createKernelWorld({ clock: createVirtualClock(), rng: createRng(1) });
  const host = world.addHost("host");
  const root = host.init;
  root.linkAdd({ name: "br0", kind: "bridge" });
  root.linkSet("br0", { up: true });
  root.addrAdd("br0", "172.17.0.1/16");
  root.sysctlSet("net.ipv4.ip_forward", "1");
  const a = host.netnsCreate("a");
  const b = host.netnsCreate("b");
  plug(root, a, "veth-a", "172.17.0.2/16", "br0");
  plug(root, b, "veth-b", "172.17.0.3/16", "br0");
  for (const ns of [a, b]) ns.routeAdd({ dst: "default", via: "172.17.0.1" });
  return { world, host, root, a, b };
}

function measure(name, world, count, fn) {
  world.setTracing(false);
  fn(0); // warm-up (ARP, conntrack)
  const c0 = world.counters();
  const t0 = performance.now();
  for (let i = 1; i <= count; i++) fn(i);
  const ms = performance.now() - t0;
  const c1 = world.counters();
  const frames = c1.frames - c0.frames;
  return {
    case: name,
    exchanges: count,
    "wall ms": ms.toFixed(1),
    "exchanges/s": Math.round((count * 1000) / ms),
    "frames/s": Math.round((frames * 1000) / ms),
    "frames/exchange": (frames / count).toFixed(1),
  };
}

const rows = [];
{
  const { world, a } = bridgeWorld();
  rows.push(measure("ping over a bridge (no rules)", world, 20000, (i) => {
    const r = a.ping("172.17.0.3", { seq: i, id: 7 });
    if (!r.ok) throw new Error("ping failed");
  }));
}
{
  const { world, host, root, b } = bridgeWorld();
  b.udpListen("0.0.0.0", 53, (q) => q);
  const out = host.netnsAddNamed("outside");
  root.linkAdd({ name: "vo", kind: "veth", peer: { name: "eth0", netns: { name: "outside" } } });
  root.addrAdd("vo", "198.51.100.1/24");
  root.linkSet("vo", { up: true });
  out.linkSet("eth0", { up: true });
  out.addrAdd("eth0", "198.51.100.2/24");
  const nat = root.nfTableGet("nat");
  nat.chains.find((c) => c.name === "PREROUTING").rules.push({ dst: { addr: "198.51.100.1", plen: 32, neg: false }, proto: { name: "udp", neg: false }, matches: [{ kind: "udp", dport: { from: 5353, to: 5353 } }], target: { kind: "DNAT", toAddr: "172.17.0.3", toPort: 53 }, counters: { packets: 0, bytes: 0 } });
  root.nfTableReplace("nat", nat);
  const filter = root.nfTableGet("filter");
  const fwd = filter.chains.find((c) => c.name === "FORWARD");
  fwd.policy = "DROP";
  fwd.rules.push({ matches: [{ kind: "conntrack", ctstate: { states: ["RELATED", "ESTABLISHED"], neg: false } }], target: { kind: "ACCEPT" }, counters: { packets: 0, bytes: 0 } });
  fwd.rules.push({ dst: { addr: "172.17.0.3", plen: 32, neg: false }, proto: { name: "udp", neg: false }, matches: [{ kind: "udp", dport: { from: 53, to: 53 } }], target: { kind: "ACCEPT" }, counters: { packets: 0, bytes: 0 } });
  root.nfTableReplace("filter", filter);
  rows.push(measure("udp via DNAT + conntrack + FORWARD rules", world, 5000, () => {
    const r = out.udpRequest("198.51.100.1", 5353, enc.encode("q"));
    if (!r.ok) throw new Error(`udp failed: ${JSON.stringify(r.disposition)}`);
  }));
}
{
  const world = createKernelWorld({ clock: createVirtualClock(), rng: createRng(2) });
  world.addSegment("underlay");
  const cs = ["node1", "node2"].map((name, i) => {
    const h = world.addHost(name);
    world.attach(name, "eth0", "underlay");
    h.init.linkSet("eth0", { up: true });
    h.init.addrAdd("eth0", `192.168.0.${i + 1}/24`);
    h.init.linkAdd({ name: "br0", kind: "bridge" });
    h.init.linkSet("br0", { up: true });
    h.init.linkAdd({ name: "vxlan0", kind: "vxlan", vxlan: { vni: 1, dstport: 4789, dev: "eth0", local: `192.168.0.${i + 1}` } });
    h.init.linkSet("vxlan0", { master: "br0", up: true });
    h.init.fdbAdd({ mac: "00:00:00:00:00:00", dev: "vxlan0", dst: `192.168.0.${2 - i}`, self: true }, { append: true });
    const c = h.netnsCreate("c");
    plug(h.init, c, "veth0", `10.244.0.${i + 2}/24`, "br0");
    return c;
  });
  let rtt = 0;
  rows.push(measure("ping across a VXLAN overlay (2 hosts)", world, 10000, (i) => {
    const r = cs[0].ping("10.244.0.3", { seq: i, id: 9 });
    if (!r.ok) throw new Error("vxlan ping failed");
    rtt = r.reply.rttMs;
  }));
  rows[rows.length - 1]["virtual rtt ms"] = rtt;
}
console.table(rows);
