/**
 * ipsets in the kernel: element semantics per type, timeouts in virtual time, references held
 * by iptables rules, and `-m set` deciding packets' fate through the netfilter engine.
 */
import { describe, expect, it } from "vitest";
import { createRng } from "../../../core/random.js";
import { createVirtualClock } from "../../../core/clock.js";
import { KernelError, type NfRule, type NfTable } from "../api.js";
import { createNetfilter } from "../netfilter/index.js";
import type { Packet } from "../packet.js";
import { plug } from "../test-support/topo.js";
import { createKernelWorld } from "../world.js";
import { IpsetStore } from "./store.js";

function store() {
  let now = 0;
  const s = new IpsetStore(() => now, createRng(3));
  return { s, advance: (ms: number) => (now += ms) };
}

const tcp = (src: string, sport: number, dst: string, dport: number): Packet => ({ id: 1, ip: { src, dst, ttl: 64, proto: "tcp", len: 60 }, tcp: { sport, dport, flags: ["SYN"] }, mark: 0 });

describe("ipset store", () => {
  it("hash:net answers for any address of its nets, longest prefix first, and keeps nets canonical", () => {
    const { s } = store();
    s.create({ name: "n", type: "hash:net" });
    s.add("n", { ip: "10.1.2.3", cidr: 16 });
    s.add("n", { ip: "10.1.2.0", cidr: 24 });
    expect(() => s.add("n", { ip: "10.1.0.0", cidr: 16 })).toThrow(new KernelError("EEXIST", "IPSET_ERR_EXIST"));
    expect(s.list("n")[0]!.members).toEqual([{ ip: "10.1.0.0", cidr: 16 }, { ip: "10.1.2.0", cidr: 24 }]);
    expect([s.test("n", { ip: "10.1.200.1" }), s.test("n", { ip: "10.2.0.1" }), s.test("n", { ip: "10.1.2.9", cidr: 24 })]).toEqual([true, false, true]);
    s.del("n", { ip: "10.1.0.0", cidr: 16 });
    expect([s.test("n", { ip: "10.1.200.1" }), s.test("n", { ip: "10.1.2.200" })]).toEqual([false, true]);
  });

  it("matches packets by the directions of --match-set, dimension by dimension", () => {
    const { s } = store();
    s.create({ name: "svc", type: "hash:ip,port" });
    s.add("svc", { ip: "10.96.0.1", proto: "tcp", port: 443 });
    s.create({ name: "loop", type: "hash:ip,port,ip" });
    s.add("loop", { ip: "10.244.1.5", proto: "tcp", port: 8080, ip2: "10.244.1.5" });
    const p = tcp("10.244.1.7", 40000, "10.96.0.1", 443);
    expect([s.matchPacket("svc", ["dst", "dst"], p), s.matchPacket("svc", ["src", "dst"], p), s.matchPacket("svc", ["dst"], p)]).toEqual([true, false, false]);
    expect(s.matchPacket("svc", ["dst", "dst"], { ...p, ip: { ...p.ip, proto: "udp" }, tcp: undefined, udp: { sport: 40000, dport: 443 } })).toBe(false);
    const hairpin = tcp("10.244.1.5", 40000, "10.244.1.5", 8080);
    expect([s.matchPacket("loop", ["dst", "dst", "src"], hairpin), s.matchPacket("loop", ["dst", "dst", "src"], tcp("10.244.1.6", 1, "10.244.1.5", 8080))]).toEqual([true, false]);
    expect(s.matchPacket("nosuch", ["dst"], p)).toBe(false);
  });

  it("counts matched packets on the member they matched, unless ! --update-counters", () => {
    const { s } = store();
    s.create({ name: "c", type: "hash:net", counters: true });
    s.add("c", { ip: "10.0.0.0", cidr: 8 });
    s.add("c", { ip: "10.1.0.0", cidr: 16 });
    const p = tcp("10.1.2.3", 1000, "192.168.0.1", 80);
    expect([s.matchPacket("c", ["src"], p), s.matchPacket("c", ["src"], p, false), s.matchPacket("c", ["src"], tcp("10.9.9.9", 1, "1.1.1.1", 2))]).toEqual([true, true, true]);
    expect(s.list("c")[0]!.members).toEqual([{ ip: "10.0.0.0", cidr: 8, packets: 1, bytes: 60 }, { ip: "10.1.0.0", cidr: 16, packets: 1, bytes: 60 }]);
  });

  it("bitmap:port refuses ports outside its range; entries with a timeout expire in virtual time", () => {
    const { s, advance } = store();
    s.create({ name: "np", type: "bitmap:port", range: { from: 32767, to: 30000 } });
    expect(s.list("np")[0]!.range).toEqual({ from: 30000, to: 32767 });
    expect(() => s.add("np", { port: 80 })).toThrow(new KernelError("ERANGE", "IPSET_ERR_BITMAP_RANGE"));
    s.add("np", { port: 30080 });
    expect(s.matchPacket("np", ["dst"], tcp("1.1.1.1", 5, "2.2.2.2", 30080))).toBe(true);
    s.create({ name: "t", type: "hash:ip", timeout: 10 });
    s.add("t", { ip: "1.2.3.4" });
    s.add("t", { ip: "1.2.3.5", timeout: 100 });
    advance(4500);
    expect(s.list("t")[0]!.members).toEqual([{ ip: "1.2.3.4", timeout: 5 }, { ip: "1.2.3.5", timeout: 95 }]);
    advance(6000);
    expect(s.list("t")[0]!.members).toEqual([{ ip: "1.2.3.5", timeout: 89 }]);
    expect(s.test("t", { ip: "1.2.3.4" })).toBe(false);
  });

  it("swap exchanges contents but references stay with the names; a referenced set cannot be destroyed or renamed", () => {
    const { s } = store();
    s.create({ name: "a", type: "hash:ip" });
    s.create({ name: "b", type: "hash:ip" });
    s.add("b", { ip: "9.9.9.9" });
    s.setReferences(new Map([["a", 2]]));
    s.swap("a", "b");
    expect(s.list().map((x) => [x.name, x.references, x.members.length])).toEqual([["a", 2, 1], ["b", 0, 0]]);
    expect(() => s.destroy("a")).toThrow(new KernelError("EBUSY", "IPSET_ERR_BUSY"));
    expect(() => s.rename("a", "c")).toThrow(new KernelError("EBUSY", "IPSET_ERR_REFERENCED"));
    expect(() => s.destroy()).toThrow(new KernelError("EBUSY", "IPSET_ERR_BUSY"));
    s.create({ name: "n", type: "hash:net" });
    expect(() => s.swap("a", "n")).toThrow(new KernelError("EINVAL", "IPSET_ERR_TYPE_MISMATCH"));
  });
});

describe("-m set in the netfilter engine", () => {
  it("drops what the set holds, follows the set's changes without a rule change, and counts references", () => {
    const world = createKernelWorld({ clock: createVirtualClock(), rng: createRng(9), netfilter: createNetfilter });
    const host = world.addHost("h");
    const root = host.init;
    const client = host.netnsAddNamed("c");
    plug(root, client, "vc", "10.0.0.2/24");
    root.addrAdd("vc", "10.0.0.1/24");
    root.ipsetCreate({ name: "BLOCK", type: "hash:ip" });
    const rule: NfRule = { matches: [{ kind: "set", name: "BLOCK", flags: ["src"], neg: false }], target: { kind: "DROP" }, counters: { packets: 0, bytes: 0 } };
    const filter: NfTable = root.nfTableGet("filter");
    filter.chains.find((c) => c.name === "INPUT")!.rules.push(rule);
    root.nfTableReplace("filter", filter);
    expect(root.ipsetList("BLOCK")[0]!.references).toBe(1);
    expect(client.ping("10.0.0.1").ok).toBe(true);
    root.ipsetAdd("BLOCK", { ip: "10.0.0.2" });
    expect(client.ping("10.0.0.1", { timeoutMs: 1000 }).ok).toBe(false);
    expect(root.nfTableGet("filter").chains.find((c) => c.name === "INPUT")!.rules[0]!.counters.packets).toBe(1);
    root.ipsetDel("BLOCK", { ip: "10.0.0.2" });
    expect(client.ping("10.0.0.1").ok).toBe(true);
    const missing: NfTable = root.nfTableGet("filter");
    missing.chains.find((c) => c.name === "INPUT")!.rules.push({ ...rule, matches: [{ kind: "set", name: "NOPE", flags: ["src"], neg: false }] });
    expect(() => root.nfTableReplace("filter", missing)).toThrow(new KernelError("ENOENT", "Set NOPE doesn't exist"));
    filter.chains.find((c) => c.name === "INPUT")!.rules = [];
    root.nfTableReplace("filter", filter);
    expect(root.ipsetList("BLOCK")[0]!.references).toBe(0);
    root.ipsetDestroy("BLOCK");
    expect(root.ipsetList()).toEqual([]);
  });
});
