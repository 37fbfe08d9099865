/**
 * IPVS through the simulated kernel, packet by packet: a ClusterIP-like VIP on a dummy device
 * (kube-ipvs0), clients in other namespaces behind a bridge, real servers on the same bridge.
 * Replies between two pods of one bridge are bridged, so they meet IPVS at the bridged FORWARD
 * hook (br_netfilter) as on a node with bridge-nf-call-iptables=1.
 */
import { describe, expect, it } from "vitest";
import { createRng } from "../../../core/random.js";
import { createVirtualClock } from "../../../core/clock.js";
import type { NetnsApi, NfRule } from "../api.js";
import { createNetfilter } from "../netfilter/index.js";
import { ipvsNode, plug } from "../test-support/topo.js";
import { createKernelWorld } from "../world.js";
import type { HookContext, Packet } from "../packet.js";
import { Ipvs } from "./index.js";

const enc = (s: string) => new TextEncoder().encode(s);
const dec = (b: Uint8Array) => new TextDecoder().decode(b);

function cluster() {
  const clock = createVirtualClock();
  const world = createKernelWorld({ clock, rng: createRng(5), netfilter: createNetfilter });
  const host = world.addHost("node1");
  const root = host.init;
  ipvsNode(root);
  root.addrAdd("kube-ipvs0", "10.96.0.10/32");
  const pod = (name: string, ip: string): NetnsApi => {
    const ns = host.netnsAddNamed(name);
    plug(root, ns, `veth-${name}`, `${ip}/24`, "cni0");
    ns.routeAdd({ dst: "default", via: "10.244.0.1" });
    return ns;
  };
  const client = pod("client", "10.244.0.2");
  const rs1 = pod("rs1", "10.244.0.3");
  const rs2 = pod("rs2", "10.244.0.4");
  const seen: string[] = [];
  for (const [ns, name] of [[rs1, "rs1"], [rs2, "rs2"]] as const) {
    ns.tcpListen("0.0.0.0", 8080, (_req, peer) => {
      seen.push(`${name} from ${peer.addr}`);
      return enc(name);
    });
    ns.udpListen("0.0.0.0", 5353, (p) => enc(`${name}:${dec(p)}`));
  }
  return { clock, host, root, client, rs1, rs2, seen };
}

function get(ns: NetnsApi, addr: string, port: number): string {
  const r = ns.tcpRequest(addr, port, enc("GET"), { timeoutMs: 3000 });
  return r.ok ? dec(r.response) : `failed: ${JSON.stringify(r.disposition)}`;
}

describe("IPVS masquerading to real servers", () => {
  it("round-robins a pod's connections to the VIP, newest real server first, and de-NATs the bridged replies", () => {
    const { root, client, seen } = cluster();
    root.ipvsServiceAdd({ proto: "tcp", addr: "10.96.0.10", port: 80, scheduler: "rr" });
    root.ipvsDestAdd({ proto: "tcp", addr: "10.96.0.10", port: 80 }, { addr: "10.244.0.3", port: 8080, weight: 1, fwd: "masq" });
    root.ipvsDestAdd({ proto: "tcp", addr: "10.96.0.10", port: 80 }, { addr: "10.244.0.4", port: 8080, weight: 1, fwd: "masq" });
    expect([1, 2, 3, 4].map(() => get(client, "10.96.0.10", 80))).toEqual(["rs2", "rs1", "rs2", "rs1"]);
    // No masquerade rule: the real servers see the client's own address.
    expect(seen).toEqual(["rs2 from 10.244.0.2", "rs1 from 10.244.0.2", "rs2 from 10.244.0.2", "rs1 from 10.244.0.2"]);
    const svc = root.ipvsServiceGet({ proto: "tcp", addr: "10.96.0.10", port: 80 });
    expect(svc.stats.conns).toBe(4);
    expect(svc.dests.map((d) => [d.addr, d.stats.conns, d.activeConns, d.inactConns])).toEqual([["10.244.0.4", 2, 0, 2], ["10.244.0.3", 2, 0, 2]]);
    // Every packet of both directions went through IPVS: in = client → VIP, out = replies.
    expect(svc.stats.inPkts).toBe(svc.dests[0]!.stats.inPkts + svc.dests[1]!.stats.inPkts);
    expect(svc.stats.inPkts).toBeGreaterThanOrEqual(4 * 3);
    expect(svc.stats.outPkts).toBeGreaterThanOrEqual(4 * 2);
    const conns = root.ipvsConnList();
    expect(conns.map((c) => [c.proto, c.state, c.virtual.addr, c.virtual.port, c.dest.addr, c.dest.port, c.client.addr])).toEqual([
      ["tcp", "TIME_WAIT", "10.96.0.10", 80, "10.244.0.4", 8080, "10.244.0.2"],
      ["tcp", "TIME_WAIT", "10.96.0.10", 80, "10.244.0.3", 8080, "10.244.0.2"],
      ["tcp", "TIME_WAIT", "10.96.0.10", 80, "10.244.0.4", 8080, "10.244.0.2"],
      ["tcp", "TIME_WAIT", "10.96.0.10", 80, "10.244.0.3", 8080, "10.244.0.2"],
    ]);
    expect(conns.every((c) => c.expiresSec > 110 && c.expiresSec <= 120)).toBe(true);
  });

  it("works with conntrack and NAT on (net.ipv4.vs.conntrack=1): a marked connection is masqueraded to the real server, an unmarked one keeps its source", () => {
    const { root, client, seen } = cluster();
    root.sysctlSet("net.ipv4.vs.conntrack", "1");
    root.ipvsServiceAdd({ proto: "tcp", addr: "10.96.0.10", port: 80, scheduler: "rr" });
    root.ipvsDestAdd({ proto: "tcp", addr: "10.96.0.10", port: 80 }, { addr: "10.244.0.3", port: 8080, weight: 1, fwd: "masq" });
    const nat = root.nfTableGet("nat");
    const rule = (r: Partial<NfRule>): NfRule => ({ matches: [], counters: { packets: 0, bytes: 0 }, ...r });
    // kube-proxy's pattern: mark in PREROUTING (KUBE-MARK-MASQ), masquerade the mark in POSTROUTING.
    nat.chains.find((c) => c.name === "PREROUTING")!.rules.push(rule({ dst: { addr: "10.96.0.10", plen: 32, neg: false }, src: { addr: "10.244.0.2", plen: 32, neg: true }, target: { kind: "MARK", value: 0x4000, mask: 0x4000 } }));
    nat.chains.find((c) => c.name === "POSTROUTING")!.rules.push(rule({ matches: [{ kind: "mark", value: 0x4000, mask: 0x4000, neg: false }], target: { kind: "MASQUERADE" } }));
    root.nfTableReplace("nat", nat);
    expect(get(client, "10.96.0.10", 80)).toBe("rs1");
    nat.chains.find((c) => c.name === "PREROUTING")!.rules[0]!.src = undefined;
    root.nfTableReplace("nat", nat);
    expect(get(client, "10.96.0.10", 80)).toBe("rs1");
    expect(seen).toEqual(["rs1 from 10.244.0.2", "rs1 from 10.244.0.1"]);
    // One conntrack entry per connection, client → VIP, its reply altered by IPVS to come from the real
    // server (ip_vs_update_conntrack), the second masqueraded to the node's address; no DNAT status.
    expect(root.conntrackList().map((e) => `${e.orig.src} → ${e.orig.dst}:${e.orig.dport} / ${e.reply.src}:${e.reply.sport} → ${e.reply.dst} ${e.state}`)).toEqual([
      "10.244.0.2 → 10.96.0.10:80 / 10.244.0.3:8080 → 10.244.0.2 TIME_WAIT",
      "10.244.0.2 → 10.96.0.10:80 / 10.244.0.3:8080 → 10.244.0.1 TIME_WAIT",
    ]);
  });

  it("with net.ipv4.vs.conntrack=0 (the default) IPVS's packets leave conntrack: no masquerade, no entry", () => {
    const { root, client, seen } = cluster();
    root.ipvsServiceAdd({ proto: "tcp", addr: "10.96.0.10", port: 80, scheduler: "rr" });
    root.ipvsDestAdd({ proto: "tcp", addr: "10.96.0.10", port: 80 }, { addr: "10.244.0.3", port: 8080, weight: 1, fwd: "masq" });
    const nat = root.nfTableGet("nat");
    nat.chains.find((c) => c.name === "POSTROUTING")!.rules.push({ matches: [], dst: { addr: "10.244.0.3", plen: 32, neg: false }, target: { kind: "MASQUERADE" }, counters: { packets: 0, bytes: 0 } });
    root.nfTableReplace("nat", nat);
    expect(get(client, "10.96.0.10", 80)).toBe("rs1");
    expect(seen).toEqual(["rs1 from 10.244.0.2"]);
    expect(root.conntrackList()).toEqual([]);
  });

  it("serves a local client (the node itself) from LOCAL_OUT; the route to the VIP is local, so the VIP is also the source", () => {
    const { root, seen } = cluster();
    root.ipvsServiceAdd({ proto: "tcp", addr: "10.96.0.10", port: 80, scheduler: "rr" });
    root.ipvsDestAdd({ proto: "tcp", addr: "10.96.0.10", port: 80 }, { addr: "10.244.0.3", port: 8080, weight: 1, fwd: "masq" });
    expect(get(root, "10.96.0.10", 80)).toBe("rs1");
    // As on a real IPVS node: without kube-proxy's KUBE-MARK-MASQ + MASQUERADE the real server sees the ClusterIP as
    // its client; its reply comes back to the node (LOCAL_IN), where IPVS gives it the VIP:port as source.
    expect(seen).toEqual(["rs1 from 10.96.0.10"]);
  });

  it("keeps a client's network on one real server with persistence, and lists the template beside the connections", () => {
    const { root, client, clock } = cluster();
    const key = { proto: "tcp" as const, addr: "10.96.0.10", port: 80 };
    root.ipvsServiceAdd({ ...key, scheduler: "rr", persistent: { timeoutSec: 300, netmask: "255.255.255.0" } });
    root.ipvsDestAdd(key, { addr: "10.244.0.3", port: 8080, weight: 1, fwd: "masq" });
    root.ipvsDestAdd(key, { addr: "10.244.0.4", port: 8080, weight: 1, fwd: "masq" });
    expect([1, 2, 3].map(() => get(client, "10.96.0.10", 80))).toEqual(["rs2", "rs2", "rs2"]);
    const list = root.ipvsConnList();
    expect(list.map((c) => [c.template ?? false, c.state, c.client.addr, c.client.port === 0, c.dest.addr, c.dest.port])).toEqual([
      [true, "NONE", "10.244.0.0", true, "10.244.0.4", 8080],
      [false, "TIME_WAIT", "10.244.0.2", false, "10.244.0.4", 8080],
      [false, "TIME_WAIT", "10.244.0.2", false, "10.244.0.4", 8080],
      [false, "TIME_WAIT", "10.244.0.2", false, "10.244.0.4", 8080],
    ]);
    expect(list[0]!.expiresSec).toBe(299);
    expect(root.ipvsServiceGet(key).dests.map((d) => [d.addr, d.persistConns])).toEqual([["10.244.0.4", 1], ["10.244.0.3", 0]]);
    clock.advance(301_000);
    expect(root.ipvsConnList()).toEqual([]);
    expect(get(client, "10.96.0.10", 80)).toBe("rs1");
  });

  it("registers net.ipv4.vs.* on first use; expire_nodest_conn ends a deleted server's connection at its next packet", () => {
    const { root, client } = cluster();
    expect(() => root.sysctlGet("net.ipv4.vs.expire_nodest_conn")).toThrow("ENOENT");
    const key = { proto: "udp" as const, addr: "10.96.0.10", port: 53 };
    root.ipvsServiceAdd({ ...key, scheduler: "rr" });
    expect(root.sysctlList("net.ipv4.vs.")).toEqual([["net.ipv4.vs.conntrack", "0"], ["net.ipv4.vs.expire_nodest_conn", "0"], ["net.ipv4.vs.expire_quiescent_template", "0"]]);
    root.ipvsDestAdd(key, { addr: "10.244.0.3", port: 5353, weight: 1, fwd: "masq" });
    root.ipvsDestAdd(key, { addr: "10.244.0.4", port: 5353, weight: 1, fwd: "masq" });
    const ask = () => {
      const r = client.udpRequest("10.96.0.10", 53, enc("q"), { timeoutMs: 1000, src: "10.244.0.2" });
      return r.ok ? dec(r.response) : "no answer";
    };
    expect(ask()).toBe("rs2:q");
    root.ipvsDestDel(key, { addr: "10.244.0.4", port: 5353 });
    expect(root.ipvsConnList().map((c) => c.dest.addr)).toEqual(["10.244.0.4"]);
    expect(ask()).toBe("rs1:q");
  });

  it("expire_nodest_conn: the next packet of a connection to a deleted server ends it (a SYN starts anew, others drop)", () => {
    const sysctls = new Map<string, number>();
    const ipvs = new Ipvs(() => 0, (k) => sysctls.get(k) ?? 0);
    const key = { proto: "tcp" as const, addr: "10.96.0.10", port: 80 };
    ipvs.addService({ ...key, scheduler: "rr" });
    ipvs.addDest(key, { addr: "10.0.0.1", port: 80, weight: 1, fwd: "masq" });
    ipvs.addDest(key, { addr: "10.0.0.2", port: 80, weight: 1, fwd: "masq" });
    const ctx = { hook: "INPUT", now: 0 } as HookContext;
    const seg = (flags: Array<"SYN" | "ACK">): Packet => ({ id: 1, ip: { src: "10.244.0.2", dst: "10.96.0.10", ttl: 64, proto: "tcp", len: 60 }, tcp: { sport: 4000, dport: 80, flags }, mark: 0 });
    const to = (r: ReturnType<Ipvs["hook"]>) => (r.verdict === "xmit" ? r.pkt.ip.dst : r.verdict);
    expect(to(ipvs.hook("request", seg(["SYN"]), ctx))).toBe("10.0.0.2");
    ipvs.delDest(key, { addr: "10.0.0.2", port: 80 });
    expect(to(ipvs.hook("request", seg(["ACK"]), ctx))).toBe("10.0.0.2");
    sysctls.set("net.ipv4.vs.expire_nodest_conn", 1);
    expect(to(ipvs.hook("request", seg(["ACK"]), ctx))).toBe("drop");
    expect(ipvs.connList()).toEqual([]);
    expect(to(ipvs.hook("request", seg(["SYN"]), ctx))).toBe("10.0.0.1");
  });

  it("balances UDP and keeps one connection per client port", () => {
    const { root, client } = cluster();
    const svc = { proto: "udp" as const, addr: "10.96.0.10", port: 53 };
    root.ipvsServiceAdd({ ...svc, scheduler: "rr" });
    root.ipvsDestAdd(svc, { addr: "10.244.0.3", port: 5353, weight: 1, fwd: "masq" });
    root.ipvsDestAdd(svc, { addr: "10.244.0.4", port: 5353, weight: 1, fwd: "masq" });
    const ask = (q: string) => {
      const r = client.udpRequest("10.96.0.10", 53, enc(q), { timeoutMs: 2000 });
      return r.ok ? `${dec(r.response)} from ${r.from.addr}:${r.from.port}` : "failed";
    };
    expect([ask("a"), ask("b")]).toEqual(["rs2:a from 10.96.0.10:53", "rs1:b from 10.96.0.10:53"]);
    // 300 s from the reply, less the virtual milliseconds the second exchange took.
    expect(root.ipvsConnList().map((c) => [c.state, c.expiresSec, c.dest.addr])).toEqual([["UDP", 299, "10.244.0.4"], ["UDP", 299, "10.244.0.3"]]);
  });

  it("answers a SYN with ICMP port unreachable when no real server is available (weight 0 or none)", () => {
    const { root, client, host } = cluster();
    const key = { proto: "tcp" as const, addr: "10.96.0.10", port: 80 };
    root.ipvsServiceAdd({ ...key, scheduler: "wlc" });
    host.traceTake();
    // TCP's connect() reports ICMP port unreachable as ECONNREFUSED.
    expect(get(client, "10.96.0.10", 80)).toBe('failed: {"kind":"refused"}');
    const steps = host.traceTake().filter((e) => e.netns === "init" && (e.step === "drop" || e.text.includes("ipvs")));
    expect(steps.map((e) => `${e.step} ${e.text}`)).toEqual([
      "nat INPUT: ipvs INPUT: TCP 10.96.0.10:80 (wlc): no destination available",
      "drop INPUT: TCP 10.96.0.10:80 (wlc): no destination available (rejected with icmp-port-unreachable)",
    ]);
    root.ipvsDestAdd(key, { addr: "10.244.0.3", port: 8080, weight: 0, fwd: "masq" });
    expect(get(client, "10.96.0.10", 80)).toBe('failed: {"kind":"refused"}');
    root.ipvsDestEdit(key, { addr: "10.244.0.3", port: 8080, weight: 1, fwd: "masq" });
    expect(get(client, "10.96.0.10", 80)).toBe("rs1");
  });

  it("traces the scheduling at INPUT and each reply's de-NAT at the bridged FORWARD hook", () => {
    const { root, client, host } = cluster();
    root.ipvsServiceAdd({ proto: "tcp", addr: "10.96.0.10", port: 80, scheduler: "rr" });
    root.ipvsDestAdd({ proto: "tcp", addr: "10.96.0.10", port: 80 }, { addr: "10.244.0.3", port: 8080, weight: 1, fwd: "masq" });
    host.traceTake();
    expect(get(client, "10.96.0.10", 80)).toBe("rs1");
    const lines = host.traceTake().filter((e) => e.step !== "route" && e.text.includes("ipvs")).map((e) => e.text.replace(/:\d{5}\b/g, ":CPORT"));
    const request = "INPUT: ipvs INPUT: TCP 10.244.0.2:CPORT → virtual service 10.96.0.10:80 (rr): real server 10.244.0.3:8080, masq: destination rewritten, sent out through LOCAL_OUT";
    const reply = "FORWARD (bridged): ipvs FORWARD: TCP reply 10.244.0.3:8080 → 10.244.0.2:CPORT of virtual service 10.96.0.10:80: source rewritten to 10.96.0.10:80";
    // The exchange as Linux sends it (tcp.ts): SYN, SYN-ACK, ACK, request; the server's ACK, response
    // and FIN leave together; the client's ACK of the response, its FIN, the last ACK.
    expect(lines).toEqual([request, reply, request, request, reply, reply, reply, request, request, reply]);
  });

  it("looks up a virtual service with one hash lookup per new flow, whatever the number of services", () => {
    const { root, client } = cluster();
    for (let i = 0; i < 2000; i++) {
      const addr = `10.97.${i >> 8}.${i & 255}`;
      root.ipvsServiceAdd({ proto: "tcp", addr, port: 80, scheduler: "rr" });
    }
    root.ipvsServiceAdd({ proto: "tcp", addr: "10.96.0.10", port: 80, scheduler: "rr" });
    root.ipvsDestAdd({ proto: "tcp", addr: "10.96.0.10", port: 80 }, { addr: "10.244.0.3", port: 8080, weight: 1, fwd: "masq" });
    const before = root.ipvsLookups;
    expect(get(client, "10.96.0.10", 80)).toBe("rs1");
    // One lookup for the SYN; later packets of the flow hit the connection table first.
    expect(root.ipvsLookups - before).toBe(1);
  });
});
