import { describe, expect, it } from "vitest";
import { createRng } from "../../../core/random.js";
import { KernelError, type NfRule, type NfTable, type NfTableName } from "../api.js";
import type { HookContext, NetfilterEngine, Packet } from "../packet.js";
import { createNetfilter } from "./index.js";

const LOCAL = new Set(["192.168.1.10", "172.17.0.1", "127.0.0.1"]);

function ctx(hook: HookContext["hook"], extra: Partial<HookContext> = {}, now = 0): HookContext {
  return {
    hook,
    addrType: (a) => (LOCAL.has(a) ? ["LOCAL"] : ["UNICAST"]),
    primaryAddr: (dev) => (dev === "eth0" ? "192.168.1.10" : dev === "docker0" ? "172.17.0.1" : undefined),
    now,
    ...extra,
  };
}

let nextId = 1;
function tcp(src: string, sport: number, dst: string, dport: number, flags: Array<"SYN" | "ACK" | "RST" | "FIN" | "PSH">): Packet {
  return { id: nextId++, ip: { src, dst, ttl: 64, proto: "tcp", len: 60 }, tcp: { sport, dport, flags }, mark: 0 };
}

function rule(r: Partial<NfRule>): NfRule {
  return { matches: [], counters: { packets: 0, bytes: 0 }, ...r };
}

function edit(nf: NetfilterEngine, name: NfTableName, f: (t: NfTable) => void): void {
  const t = nf.tableGet(name);
  f(t);
  nf.tableReplace(name, t);
}

function chain(t: NfTable, name: string) {
  let c = t.chains.find((x) => x.name === name);
  if (!c) {
    c = { name, rules: [], counters: { packets: 0, bytes: 0 } };
    t.chains.push(c);
  }
  return c;
}

/** Docker's port publishing: nat DOCKER chain with DNAT, MASQUERADE for the bridge subnet. */
function docker(nf: NetfilterEngine): void {
  edit(nf, "nat", (t) => {
    chain(t, "DOCKER").rules.push(
      rule({ inIface: { name: "docker0", neg: false }, target: { kind: "RETURN" } }),
      rule({ inIface: { name: "docker0", neg: true }, proto: { name: "tcp", neg: false }, matches: [{ kind: "tcp", dport: { from: 8080, to: 8080 } }], target: { kind: "DNAT", toAddr: "172.17.0.2", toPort: 80 } }),
    );
    chain(t, "PREROUTING").rules.push(rule({ matches: [{ kind: "addrtype", dstType: { types: ["LOCAL"], neg: false } }], target: { kind: "jump", chain: "DOCKER" } }));
    chain(t, "POSTROUTING").rules.push(rule({ src: { addr: "172.17.0.0", plen: 16, neg: false }, outIface: { name: "docker0", neg: true }, target: { kind: "MASQUERADE" } }));
  });
}

describe("netfilter engine", () => {
  it("DNATs a flow's first packet from the nat table and later packets and replies from conntrack", () => {
    const nf = createNetfilter({ rng: createRng(1), nsLabel: "host" });
    docker(nf);
    const syn = tcp("10.0.0.5", 40000, "192.168.1.10", 8080, ["SYN"]);
    const pre = nf.runHook(syn, ctx("PREROUTING", { inDev: "eth0" }));
    expect(pre.verdict).toBe("accept");
    const p1 = (pre as { pkt: Packet }).pkt;
    expect([p1.ip.dst, p1.tcp!.dport]).toEqual(["172.17.0.2", 80]);
    expect(nf.takeTrace().map((l) => l.text)).toEqual([
      "conntrack: NEW tcp 10.0.0.5:40000 → 192.168.1.10:8080",
      "nat PREROUTING: -A PREROUTING -m addrtype --dst-type LOCAL -j DOCKER",
      "nat PREROUTING: -A DOCKER -i docker0 -j RETURN (no match)",
      "nat PREROUTING: -A DOCKER ! -i docker0 -p tcp -m tcp --dport 8080 -j DNAT --to-destination 172.17.0.2:80",
      "nat PREROUTING: destination 10.0.0.5:40000 → 192.168.1.10:8080 → 10.0.0.5:40000 → 172.17.0.2:80",
    ]);
    nf.runHook(p1, ctx("FORWARD", { inDev: "eth0", outDev: "docker0" }));
    const post = nf.runHook(p1, ctx("POSTROUTING", { outDev: "docker0" }));
    expect(post.verdict).toBe("accept");
    expect(nf.conntrackList(0)).toEqual([
      {
        proto: "tcp", state: "SYN_SENT", timeoutSec: 119, flags: ["UNREPLIED"], mark: 0, use: 1,
        orig: { src: "10.0.0.5", dst: "192.168.1.10", sport: 40000, dport: 8080 },
        reply: { src: "172.17.0.2", dst: "10.0.0.5", sport: 80, dport: 40000 },
      },
    ]);
    // The reply: un-DNAT at POSTROUTING.
    const synack = tcp("172.17.0.2", 80, "10.0.0.5", 40000, ["SYN", "ACK"]);
    const r1 = nf.runHook(synack, ctx("PREROUTING", { inDev: "docker0" }, 1000));
    const r1p = (r1 as { pkt: Packet }).pkt;
    expect(r1p.ip.src).toBe("172.17.0.2");
    const r2 = nf.runHook(r1p, ctx("POSTROUTING", { outDev: "eth0" }, 1000));
    const r2p = (r2 as { pkt: Packet }).pkt;
    expect([r2p.ip.src, r2p.tcp!.sport, r2p.ip.dst]).toEqual(["192.168.1.10", 8080, "10.0.0.5"]);
    // The third packet of the handshake is translated without walking nat again.
    const natBefore = nf.tableGet("nat").chains.find((c) => c.name === "PREROUTING")!.rules[0]!.counters.packets;
    const ack = tcp("10.0.0.5", 40000, "192.168.1.10", 8080, ["ACK"]);
    const a1 = nf.runHook(ack, ctx("PREROUTING", { inDev: "eth0" }, 2000));
    expect((a1 as { pkt: Packet }).pkt.ip.dst).toBe("172.17.0.2");
    expect(nf.tableGet("nat").chains.find((c) => c.name === "PREROUTING")!.rules[0]!.counters.packets).toBe(natBefore);
    expect(nf.conntrackList(2000)[0]).toMatchObject({ state: "ESTABLISHED", timeoutSec: 431999, flags: ["ASSURED"] });
  });

  it("MASQUERADEs to the output device's address and un-SNATs the reply", () => {
    const nf = createNetfilter({ rng: createRng(1), nsLabel: "host" });
    docker(nf);
    const p = tcp("172.17.0.2", 33000, "8.8.8.8", 53, ["SYN"]);
    const a = (nf.runHook(p, ctx("PREROUTING", { inDev: "docker0" })) as { pkt: Packet }).pkt;
    nf.runHook(a, ctx("FORWARD", { inDev: "docker0", outDev: "eth0" }));
    const b = (nf.runHook(a, ctx("POSTROUTING", { outDev: "eth0" })) as { pkt: Packet }).pkt;
    expect([b.ip.src, b.tcp!.sport]).toEqual(["192.168.1.10", 33000]);
    const reply = tcp("8.8.8.8", 53, "192.168.1.10", 33000, ["SYN", "ACK"]);
    const c = (nf.runHook(reply, ctx("PREROUTING", { inDev: "eth0" })) as { pkt: Packet }).pkt;
    expect([c.ip.dst, c.tcp!.dport]).toEqual(["172.17.0.2", 33000]);
  });

  it("drops at a FORWARD policy and names the rule that dropped", () => {
    const nf = createNetfilter({ rng: createRng(1), nsLabel: "host" });
    edit(nf, "filter", (t) => {
      chain(t, "FORWARD").policy = "DROP";
      chain(t, "FORWARD").countersOn = true;
      chain(t, "DOCKER-ISOLATION-STAGE-2").rules.push(rule({ outIface: { name: "docker0", neg: false }, target: { kind: "DROP" } }));
      chain(t, "FORWARD").rules.push(rule({ target: { kind: "jump", chain: "DOCKER-ISOLATION-STAGE-2" } }));
    });
    const v = nf.runHook(tcp("172.18.0.2", 1, "172.17.0.2", 80, ["SYN"]), ctx("FORWARD", { inDev: "br-1", outDev: "docker0" }));
    expect(v).toEqual({ verdict: "drop", reason: "filter FORWARD: -A DOCKER-ISOLATION-STAGE-2 -o docker0 -j DROP" });
    const w = nf.runHook(tcp("172.18.0.2", 1, "10.1.1.1", 80, ["SYN"]), ctx("FORWARD", { inDev: "br-1", outDev: "eth0" }));
    expect(w).toEqual({ verdict: "drop", reason: "filter FORWARD: policy DROP" });
    expect(nf.tableGet("filter").chains[1]!.counters).toEqual({ packets: 1, bytes: 60 });
    expect(nf.rulesEvaluated).toBe(4);
  });

  it("returns REJECT with its icmp type and walks goto/RETURN like the kernel", () => {
    const nf = createNetfilter({ rng: createRng(1), nsLabel: "host" });
    edit(nf, "filter", (t) => {
      chain(t, "A").rules.push(rule({ target: { kind: "goto", chain: "B" } }), rule({ target: { kind: "DROP" } }));
      chain(t, "B").rules.push(rule({ target: { kind: "RETURN" } }));
      chain(t, "INPUT").rules.push(rule({ target: { kind: "jump", chain: "A" } }), rule({ proto: { name: "tcp", neg: false }, target: { kind: "REJECT", rejectWith: "icmp-port-unreachable" } }));
    });
    const v = nf.runHook(tcp("1.1.1.1", 1, "192.168.1.10", 22, ["SYN"]), ctx("INPUT", { inDev: "eth0" }));
    expect(v).toEqual({ verdict: "reject", reason: "filter INPUT: -A INPUT -p tcp -j REJECT --reject-with icmp-port-unreachable", with: "icmp-port-unreachable" });
  });

  it("refuses tables the kernel refuses, with its errno", () => {
    const nf = createNetfilter({ rng: createRng(1), nsLabel: "host" });
    const errno = (f: () => void) => {
      try {
        f();
        return "ok";
      } catch (e) {
        return (e as KernelError).errno;
      }
    };
    // An unbound loop is accepted; binding it to INPUT is not (EMLINK, "Too many links").
    expect(errno(() => edit(nf, "filter", (t) => chain(t, "FOO").rules.push(rule({ target: { kind: "jump", chain: "FOO" } }))))).toBe("ok");
    expect(errno(() => edit(nf, "filter", (t) => chain(t, "INPUT").rules.push(rule({ target: { kind: "jump", chain: "FOO" } }))))).toBe("EMLINK");
    expect(errno(() => edit(nf, "filter", (t) => chain(t, "INPUT").rules.push(rule({ target: { kind: "jump", chain: "NOPE" } }))))).toBe("ENOENT");
    expect(errno(() => edit(nf, "filter", (t) => chain(t, "INPUT").rules.push(rule({ target: { kind: "jump", chain: "OUTPUT" } }))))).toBe("EOPNOTSUPP");
    expect(errno(() => edit(nf, "filter", (t) => chain(t, "INPUT").rules.push(rule({ target: { kind: "MASQUERADE" } }))))).toBe("EINVAL");
    expect(errno(() => edit(nf, "nat", (t) => chain(t, "INPUT").rules.push(rule({ target: { kind: "DNAT", toAddr: "1.2.3.4" } }))))).toBe("EINVAL");
    expect(errno(() => edit(nf, "nat", (t) => chain(t, "X").rules.push(rule({ target: { kind: "DNAT", toAddr: "1.2.3.4" } }))))).toBe("ok");
    expect(errno(() => edit(nf, "nat", (t) => chain(t, "POSTROUTING").rules.push(rule({ target: { kind: "jump", chain: "X" } }))))).toBe("EINVAL");
    expect(errno(() => edit(nf, "nat", (t) => chain(t, "OUTPUT").rules.push(rule({ target: { kind: "jump", chain: "X" } }))))).toBe("ok");
    expect(errno(() => edit(nf, "mangle", (t) => chain(t, "PREROUTING").rules.push(rule({ target: { kind: "REJECT", rejectWith: "icmp-port-unreachable" } }))))).toBe("EINVAL");
    expect(nf.tableGet("raw").absent).toBe(true);
    expect(nf.tableGet("nat").absent).toBeUndefined();
  });

  it("splits flows by statistic random with the seeded generator, as kube-proxy's endpoint chains do", () => {
    const run = (seed: number) => {
      const nf = createNetfilter({ rng: createRng(seed), nsLabel: "node" });
      edit(nf, "nat", (t) => {
        chain(t, "SVC").rules.push(
          rule({ matches: [{ kind: "statistic", mode: "random", probabilityU32: Math.round(0x80000000 * 0.5), neg: false }], target: { kind: "DNAT", toAddr: "10.244.1.2", toPort: 80 } }),
          rule({ target: { kind: "DNAT", toAddr: "10.244.2.3", toPort: 80 } }),
        );
        chain(t, "OUTPUT").rules.push(rule({ dst: { addr: "10.96.0.10", plen: 32, neg: false }, target: { kind: "jump", chain: "SVC" } }));
      });
      const hits: Record<string, number> = {};
      for (let i = 0; i < 1000; i++) {
        const v = nf.runHook(tcp("10.244.1.1", 20000 + i, "10.96.0.10", 80, ["SYN"]), ctx("OUTPUT", { outDev: "eth0" }));
        const d = (v as { pkt: Packet }).pkt.ip.dst;
        hits[d] = (hits[d] ?? 0) + 1;
      }
      return hits;
    };
    const a = run(7);
    expect(run(7)).toEqual(a);
    expect(a["10.244.1.2"]! + a["10.244.2.3"]!).toBe(1000);
    expect(a["10.244.1.2"]).toBeGreaterThan(440);
    expect(a["10.244.1.2"]).toBeLessThan(560);
  });

  it("tracks ping flows, names replies ESTABLISHED and unknown replies INVALID", () => {
    const nf = createNetfilter({ rng: createRng(1), nsLabel: "host" });
    edit(nf, "filter", (t) => {
      chain(t, "INPUT").policy = "DROP";
      chain(t, "INPUT").rules.push(rule({ matches: [{ kind: "conntrack", ctstate: { states: ["RELATED", "ESTABLISHED"], neg: false } }], target: { kind: "ACCEPT" } }));
    });
    const echo: Packet = { id: nextId++, ip: { src: "192.168.1.10", dst: "10.0.0.9", ttl: 64, proto: "icmp", len: 84 }, icmp: { type: 8, code: 0, id: 7, seq: 1 }, mark: 0 };
    const out = (nf.runHook(echo, ctx("OUTPUT", { outDev: "eth0" })) as { pkt: Packet }).pkt;
    nf.runHook(out, ctx("POSTROUTING", { outDev: "eth0" }));
    const reply: Packet = { id: nextId++, ip: { src: "10.0.0.9", dst: "192.168.1.10", ttl: 64, proto: "icmp", len: 84 }, icmp: { type: 0, code: 0, id: 7, seq: 1 }, mark: 0 };
    const r = nf.runHook(reply, ctx("PREROUTING", { inDev: "eth0" }, 5));
    expect(r.verdict).toBe("accept");
    expect(nf.runHook((r as { pkt: Packet }).pkt, ctx("INPUT", { inDev: "eth0" }, 5)).verdict).toBe("accept");
    expect(nf.conntrackList(5000)).toEqual([
      { proto: "icmp", state: undefined, timeoutSec: 25, flags: [], mark: 0, use: 1, orig: { src: "192.168.1.10", dst: "10.0.0.9", type: 8, code: 0, id: 7 }, reply: { src: "10.0.0.9", dst: "192.168.1.10", type: 0, code: 0, id: 7 } },
    ]);
    const stray: Packet = { ...reply, id: nextId++, icmp: { type: 0, code: 0, id: 99 } };
    nf.runHook(stray, ctx("PREROUTING", { inDev: "eth0" }, 6));
    expect(nf.runHook(stray, ctx("INPUT", { inDev: "eth0" }, 6))).toEqual({ verdict: "drop", reason: "filter INPUT: policy DROP" });
    expect(nf.conntrackList(31000)).toEqual([]);
  });
});

describe("netfilter engine: conntrack details", () => {
  const udp = (src: string, sport: number, dst: string, dport: number): Packet => ({ id: nextId++, ip: { src, dst, ttl: 64, proto: "udp", len: 40 }, udp: { sport, dport }, mark: 0 });
  const through = (nf: NetfilterEngine, p: Packet, pre: Partial<HookContext>, post: Partial<HookContext>, now: number): Packet => {
    const a = nf.runHook(p, ctx("PREROUTING", pre, now));
    if (a.verdict !== "accept") throw new Error(`dropped: ${JSON.stringify(a)}`);
    const b = nf.runHook(a.pkt, ctx("FORWARD", { ...pre, ...post }, now));
    if (b.verdict !== "accept") throw new Error(`dropped: ${JSON.stringify(b)}`);
    const c = nf.runHook(b.pkt, ctx("POSTROUTING", post, now));
    if (c.verdict !== "accept") throw new Error(`dropped: ${JSON.stringify(c)}`);
    return c.pkt;
  };

  it("tracks nothing while no table needs conntrack (plain filter rules), as a fresh namespace", () => {
    const nf = createNetfilter({ rng: createRng(1), nsLabel: "host" });
    edit(nf, "filter", (t) => chain(t, "FORWARD").rules.push(rule({ proto: { name: "udp", neg: false } })));
    through(nf, udp("10.0.0.5", 5000, "10.1.0.9", 53), { inDev: "eth0" }, { outDev: "eth1" }, 0);
    expect(nf.conntrackList(0)).toEqual([]);
    edit(nf, "filter", (t) => chain(t, "FORWARD").rules.push(rule({ matches: [{ kind: "state", states: ["INVALID"], neg: false }], target: { kind: "DROP" } })));
    through(nf, udp("10.0.0.5", 5000, "10.1.0.9", 53), { inDev: "eth0" }, { outDev: "eth1" }, 0);
    expect(nf.conntrackList(0).map((e) => [e.proto, e.flags, e.timeoutSec])).toEqual([["udp", ["UNREPLIED"], 29]]);
  });

  it("UDP: a reply within 2 s keeps 30 s, traffic after 2 s makes the flow ASSURED with 120 s", () => {
    const nf = createNetfilter({ rng: createRng(1), nsLabel: "host" });
    docker(nf);
    through(nf, udp("10.0.0.5", 5000, "10.1.0.9", 53), { inDev: "eth0" }, { outDev: "eth1" }, 0);
    through(nf, udp("10.1.0.9", 53, "10.0.0.5", 5000), { inDev: "eth1" }, { outDev: "eth0" }, 100);
    expect(nf.conntrackList(100).map((e) => [e.flags, e.timeoutSec])).toEqual([[[], 29]]);
    through(nf, udp("10.0.0.5", 5000, "10.1.0.9", 53), { inDev: "eth0" }, { outDev: "eth1" }, 3000);
    expect(nf.conntrackList(3000).map((e) => [e.flags, e.timeoutSec])).toEqual([[["ASSURED"], 119]]);
  });

  it("an ICMP error about a DNATed flow is RELATED and translated back, quoted packet included", () => {
    const nf = createNetfilter({ rng: createRng(1), nsLabel: "host" });
    docker(nf);
    const syn = tcp("10.0.0.5", 40000, "192.168.1.10", 8080, ["SYN"]);
    const out = through(nf, syn, { inDev: "eth0" }, { outDev: "docker0" }, 0);
    expect([out.ip.dst, out.tcp!.dport]).toEqual(["172.17.0.2", 80]);
    const err: Packet = {
      id: nextId++, ip: { src: "172.17.0.2", dst: "10.0.0.5", ttl: 64, proto: "icmp", len: 88 },
      icmp: { type: 3, code: 3, inner: out }, mark: 0,
    };
    const back = through(nf, err, { inDev: "docker0" }, { outDev: "eth0" }, 10);
    expect([back.ip.src, back.ip.dst]).toEqual(["192.168.1.10", "10.0.0.5"]);
    const inner = back.icmp!.inner!;
    expect([inner.ip.src, inner.tcp!.sport, inner.ip.dst, inner.tcp!.dport]).toEqual(["10.0.0.5", 40000, "192.168.1.10", 8080]);
  });

  it("an ICMP error from a router about a MASQUERADEd flow reaches the inside host, quoted packet un-SNATed", () => {
    const nf = createNetfilter({ rng: createRng(1), nsLabel: "host" });
    docker(nf);
    const out = through(nf, udp("172.17.0.2", 33434, "8.8.8.8", 33434), { inDev: "docker0" }, { outDev: "eth0" }, 0);
    expect(out.ip.src).toBe("192.168.1.10");
    const err: Packet = { id: nextId++, ip: { src: "10.99.0.1", dst: "192.168.1.10", ttl: 64, proto: "icmp", len: 56 }, icmp: { type: 11, code: 0, inner: out }, mark: 0 };
    const back = through(nf, err, { inDev: "eth0" }, { outDev: "docker0" }, 5);
    expect([back.ip.src, back.ip.dst, back.icmp!.inner!.ip.src, back.icmp!.inner!.udp!.sport]).toEqual(["10.99.0.1", "172.17.0.2", "172.17.0.2", 33434]);
  });

  it("counts a base chain's policy hits only once the chain has counters (-P / -Z), as nf_tables", () => {
    const nf = createNetfilter({ rng: createRng(1), nsLabel: "host" });
    edit(nf, "filter", (t) => chain(t, "INPUT").rules.push(rule({ proto: { name: "udp", neg: false } })));
    nf.runHook(udp("10.0.0.5", 1, "192.168.1.10", 2), ctx("INPUT", { inDev: "eth0" }));
    expect(nf.tableGet("filter").chains[0]!.counters).toEqual({ packets: 0, bytes: 0 });
    expect(nf.tableGet("filter").chains[0]!.rules[0]!.counters).toEqual({ packets: 1, bytes: 40 });
    edit(nf, "filter", (t) => (chain(t, "INPUT").countersOn = true));
    nf.runHook(udp("10.0.0.5", 1, "192.168.1.10", 2), ctx("INPUT", { inDev: "eth0" }));
    expect(nf.tableGet("filter").chains[0]!.counters).toEqual({ packets: 1, bytes: 40 });
  });

  it("statistic nth matches every n-th packet from --packet; long chains are summarised in traces", () => {
    const nf = createNetfilter({ rng: createRng(1), nsLabel: "host" });
    edit(nf, "filter", (t) => {
      const c = chain(t, "INPUT");
      for (let i = 0; i < 100; i++) c.rules.push(rule({ src: { addr: `10.9.0.${i}`, plen: 32, neg: false }, target: { kind: "DROP" } }));
      c.rules.push(rule({ matches: [{ kind: "statistic", mode: "nth", every: 3, packet: 0, neg: false }], target: { kind: "DROP" } }));
    });
    const verdicts = [0, 1, 2, 3, 4, 5].map(() => nf.runHook(udp("10.0.0.5", 1, "192.168.1.10", 2), ctx("INPUT", { inDev: "eth0" })).verdict);
    expect(verdicts).toEqual(["accept", "accept", "drop", "accept", "accept", "drop"]);
    expect(nf.takeTrace().map((l) => l.text)).toEqual([
      "filter INPUT: 100 rules of INPUT did not match",
      "filter INPUT: -A INPUT -m statistic --mode nth --every 3 --packet 0 -j DROP",
    ]);
  });

  it("with tracing off records no lines and decides exactly as with tracing on (verdicts, NAT, conntrack, counters)", () => {
    const run = (tracing: boolean) => {
      const nf = createNetfilter({ rng: createRng(1), nsLabel: "host" });
      docker(nf);
      edit(nf, "mangle", (t) => chain(t, "PREROUTING").rules.push(rule({ proto: { name: "tcp", neg: false }, target: { kind: "MARK", value: 7, mask: 0xffffffff } })));
      const syn = tcp("10.0.0.5", 40000, "192.168.1.10", 8080, ["SYN"]);
      const pre = nf.runHook(syn, ctx("PREROUTING", { inDev: "eth0", tracing }));
      const p1 = (pre as { pkt: Packet }).pkt;
      const lines = nf.takeTrace().length;
      nf.runHook(p1, ctx("POSTROUTING", { outDev: "docker0", tracing }));
      return { p1, syn, lines, ct: nf.conntrackList(0), nat: nf.tableGet("nat"), mangle: nf.tableGet("mangle") };
    };
    const on = run(true);
    const off = run(false);
    expect(on.lines).toBeGreaterThan(0);
    expect(off.lines).toBe(0);
    expect({ ...off, lines: 0, syn: undefined, p1: { ...off.p1, id: 0 } }).toEqual({ ...on, lines: 0, syn: undefined, p1: { ...on.p1, id: 0 } });
    // MARK wrote to a copy: the caller's packet keeps its mark.
    expect([on.p1.mark, on.syn.mark]).toEqual([7, 0]);
  });
});
