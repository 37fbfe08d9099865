/**
 * Binding sockets as inet_bind does: any address a local route covers (127.0.0.11 through
 * `local 127.0.0.0/8 dev lo`), port 0 for a kernel-picked port, and NAT on the loopback to it.
 */
import { describe, expect, it } from "vitest";
import { oneHost } from "./test-support/topo.js";
import { createNetfilter } from "./netfilter/index.js";
import { KernelError, type NfRule, type NfTable } from "./api.js";

const enc = (s: string) => new TextEncoder().encode(s);
const dec = (b: Uint8Array) => new TextDecoder().decode(b);
const rule = (r: Omit<NfRule, "counters">): NfRule => ({ ...r, counters: { packets: 0, bytes: 0 } });

describe("bind", () => {
  it("a 127/8 address without an address of its own binds; an address nothing routes locally does not", () => {
    const { host } = oneHost();
    const ns = host.netnsCreate("c");
    ns.linkSet("lo", { up: true });
    const h = ns.udpListen("127.0.0.11", 5300, () => enc("x"));
    expect(ns.sockets()).toContainEqual({ proto: "udp", addr: "127.0.0.11", port: 5300 });
    h.close();
    expect(() => ns.udpListen("10.9.9.9", 5300, () => undefined)).toThrow(KernelError);
  });

  it("port 0 takes a free port in ip_local_port_range; the same seed picks the same port", () => {
    const pick = (seed: number) => {
      const ns = oneHost(seed).host.netnsCreate("c");
      ns.linkSet("lo", { up: true });
      ns.sysctlSet("net.ipv4.ip_local_port_range", "40000\t40001");
      const a = ns.udpListen("127.0.0.11", 0, () => undefined);
      const b = ns.udpListen("127.0.0.11", 0, () => undefined);
      expect(() => ns.udpListen("127.0.0.11", 0, () => undefined)).toThrow(KernelError);
      // UDP and TCP ports are separate spaces.
      ns.tcpListen("127.0.0.11", 0, () => new Uint8Array()).close();
      return [a.port, b.port];
    };
    expect(pick(3).sort()).toEqual([40000, 40001]);
    expect(pick(3)).toEqual(pick(3));
  });

  it("DNAT on the loopback to a port-0 socket; conntrack takes the answer back to port 53; SNAT --to-source :53 keeps the address", () => {
    const { host } = oneHost(1, createNetfilter);
    const ns = host.netnsCreate("c");
    ns.linkSet("lo", { up: true });
    const udp = ns.udpListen("127.0.0.11", 0, (q, peer) => enc(`${dec(q)} from ${peer.addr}`));
    const nat = ns.nfTableGet("nat");
    nat.chains.find((c) => c.name === "OUTPUT")!.rules.push(rule({
      dst: { addr: "127.0.0.11", plen: 32, neg: false }, proto: { name: "udp", neg: false },
      matches: [{ kind: "udp", dport: { from: 53, to: 53 } }], target: { kind: "DNAT", toAddr: "127.0.0.11", toPort: udp.port },
    }));
    // A port-only SNAT on every packet from 127.0.0.1 to port 53: the source address stays.
    nat.chains.find((c) => c.name === "POSTROUTING")!.rules.push(rule({
      src: { addr: "127.0.0.1", plen: 32, neg: false }, proto: { name: "udp", neg: false },
      matches: [], target: { kind: "SNAT", toPort: 999 },
    }));
    ns.nfTableReplace("nat", nat as NfTable);
    const r = ns.udpRequest("127.0.0.11", 53, enc("q"));
    expect(r.ok && dec(r.response)).toBe("q from 127.0.0.1");
    expect(r.ok && r.from).toMatchObject({ addr: "127.0.0.11", port: 53 });
    const [ct] = ns.conntrackList();
    expect(ct!.orig).toMatchObject({ src: "127.0.0.1", dst: "127.0.0.11", dport: 53 });
    expect(ct!.reply).toMatchObject({ src: "127.0.0.11", sport: udp.port, dst: "127.0.0.1", dport: 999 });
  });
});
