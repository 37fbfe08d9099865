import { describe, expect, it } from "vitest";
import { oneHost, plug } from "./test-support/topo.js";
import { createNetfilter } from "./netfilter/index.js";
import type { NfTable } from "./api.js";

const enc = (s: string) => new TextEncoder().encode(s);
const dec = (b: Uint8Array) => new TextDecoder().decode(b);

function twoContainers(nf = false) {
  const t = nf ? oneHost(5, createNetfilter) : oneHost(5);
  const root = t.host.init;
  root.linkAdd({ name: "br0", kind: "bridge" });
  root.linkSet("br0", { up: true });
  root.addrAdd("br0", "172.17.0.1/16");
  const web = t.host.netnsCreate("web");
  const cli = t.host.netnsCreate("cli");
  plug(root, web, "vethw", "172.17.0.2/16", "br0");
  plug(root, cli, "vethc", "172.17.0.3/16", "br0");
  web.routeAdd({ dst: "default", via: "172.17.0.1" });
  cli.routeAdd({ dst: "default", via: "172.17.0.1" });
  return { ...t, root, web, cli };
}

describe("TCP and UDP", () => {
  it("a listener answers; a closed port resets; UDP to a closed port is refused", () => {
    const { web, cli } = twoContainers();
    web.tcpListen("0.0.0.0", 80, (req) => enc(`got ${dec(req)}`));
    web.udpListen("0.0.0.0", 53, (q) => enc(`dns ${dec(q)}`));
    const ok = cli.tcpRequest("172.17.0.2", 80, enc("GET /"));
    expect(ok.ok && dec(ok.response)).toBe("got GET /");
    expect(ok.ok && ok.local.addr).toBe("172.17.0.3");
    const rst = cli.tcpRequest("172.17.0.2", 81, enc("x"));
    expect(rst.ok ? "ok" : rst.disposition).toEqual({ kind: "refused" });
    const u = cli.udpRequest("172.17.0.2", 53, enc("q"));
    expect(u.ok && [dec(u.response), u.from]).toEqual(["dns q", { addr: "172.17.0.2", port: 53 }]);
    const uc = cli.udpRequest("172.17.0.2", 54, enc("q"));
    expect(uc.ok ? "ok" : uc.disposition).toEqual({ kind: "refused" });
    expect(web.sockets()).toEqual([{ proto: "tcp", addr: "0.0.0.0", port: 80 }, { proto: "udp", addr: "0.0.0.0", port: 53 }]);
  });

  it("DNAT in the host's PREROUTING reaches the container, and the reply is translated back (real netfilter)", () => {
    const { host, root, web } = twoContainers(true);
    web.tcpListen("0.0.0.0", 80, () => enc("hello"));
    root.sysctlSet("net.ipv4.ip_forward", "1");
    const outside = host.netnsAddNamed("outside");
    root.linkAdd({ name: "vo", kind: "veth", peer: { name: "eth0", netns: { name: "outside" } } });
    root.addrAdd("vo", "198.51.100.1/24");
    root.linkSet("vo", { up: true });
    outside.linkSet("eth0", { up: true });
    outside.addrAdd("eth0", "198.51.100.2/24");
    const nat: NfTable = root.nfTableGet("nat");
    const pre = nat.chains.find((c) => c.name === "PREROUTING")!;
    pre.rules.push({ dst: { addr: "198.51.100.1", plen: 32, neg: false }, proto: { name: "tcp", neg: false }, matches: [{ kind: "tcp", dport: { from: 8080, to: 8080 } }], target: { kind: "DNAT", toAddr: "172.17.0.2", toPort: 80 }, counters: { packets: 0, bytes: 0 } });
    root.nfTableReplace("nat", nat);
    const r = outside.tcpRequest("198.51.100.1", 8080, enc("GET /"));
    expect(r.ok && dec(r.response)).toBe("hello");
    const ct = root.conntrackList().map((e) => [e.proto, e.orig.dst, e.orig.dport, e.reply.src, e.reply.sport]);
    expect(ct).toEqual([["tcp", "198.51.100.1", 8080, "172.17.0.2", 80]]);
  });

  it("FORWARD DROP on bridged traffic (bridge-nf-call-iptables=1) stops a container-to-container ping, and the trace names it", () => {
    const { world, root, cli } = twoContainers(true);
    const filter = root.nfTableGet("filter");
    filter.chains.find((c) => c.name === "FORWARD")!.policy = "DROP";
    root.nfTableReplace("filter", filter);
    world.traceTake();
    const r = cli.ping("172.17.0.2", { timeoutMs: 2000 });
    expect(r.ok ? "ok" : r.disposition.kind).toBe("timeout");
    const drops = world.traceTake().filter((e) => e.step === "drop");
    expect(drops.length).toBe(1);
    expect(drops[0]!.text).toMatch(/^FORWARD: /);
    root.sysctlSet("net.bridge.bridge-nf-call-iptables", "0");
    expect(cli.ping("172.17.0.2").ok).toBe(true);
  });
});

describe("re-entrant handlers", () => {
  it("a TCP listener that relays to another listener (docker-proxy) answers within the same exchange", () => {
    const { clock, root, web, cli } = twoContainers();
    web.tcpListen("0.0.0.0", 80, (req, from) => enc(`web got ${dec(req)} from ${from.addr}`));
    root.tcpListen("0.0.0.0", 8080, (req) => {
      const inner = root.tcpRequest("172.17.0.2", 80, req);
      return inner.ok ? inner.response : enc("relay failed");
    });
    root.udpListen("0.0.0.0", 5353, (q) => {
      const inner = root.udpRequest("172.17.0.2", 53, q, { timeoutMs: 500 });
      return inner.ok ? inner.response : enc(`relay ${inner.disposition.kind}`);
    });
    const t0 = clock.now();
    const r = cli.tcpRequest("172.17.0.1", 8080, enc("GET /"));
    expect(r.ok ? dec(r.response) : r.disposition).toBe("web got GET / from 172.17.0.1");
    expect(clock.now() - t0).toBeLessThan(1);
    const u = cli.udpRequest("172.17.0.1", 5353, enc("q"));
    expect(u.ok ? dec(u.response) : u.disposition).toBe("relay refused");
  });
});
