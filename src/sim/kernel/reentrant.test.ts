import { describe, expect, it } from "vitest";
import { oneHost, plug } from "./test-support/topo.js";

const enc = (s: string) => new TextEncoder().encode(s);
const dec = (b: Uint8Array) => new TextDecoder().decode(b);

/** host (root ns, br0 172.17.0.1) with a container `web` 172.17.0.2 behind the bridge. */
function proxyWorld() {
  const t = oneHost(5);
  const root = t.host.init;
  root.linkSet("lo", { up: true });
  root.linkAdd({ name: "br0", kind: "bridge" });
  root.linkSet("br0", { up: true });
  root.addrAdd("br0", "172.17.0.1/16");
  const web = t.host.netnsCreate("web");
  plug(root, web, "vethw", "172.17.0.2/16", "br0");
  web.routeAdd({ dst: "default", via: "172.17.0.1" });
  return { ...t, root, web };
}

describe("re-entrant sockets: a handler opens its own connection (docker-proxy)", () => {
  it("TCP: a listener on the host relays to the container; both exchanges complete at once", () => {
    const { root, web, world, clock } = proxyWorld();
    web.tcpListen("0.0.0.0", 80, (req, from) => enc(`web got ${dec(req)} from ${from.addr}`));
    root.tcpListen("0.0.0.0", 1234, (req) => {
      const r = root.tcpRequest("172.17.0.2", 80, req);
      return r.ok ? r.response : enc(`inner failed: ${JSON.stringify(r.disposition)}`);
    });
    world.traceTake();
    const t0 = clock.now();
    const r = root.tcpRequest("127.0.0.1", 1234, enc("GET /"));
    expect(r.ok ? dec(r.response) : r.disposition).toBe("web got GET / from 172.17.0.1");
    // No SYN retransmission: well under a second of virtual time.
    expect(clock.now() - t0).toBeLessThan(5);
    // The inner exchange's packets have their own ids: none of the packets seen in the
    // container's namespace is one of the loopback exchange's.
    const trace = world.traceTake();
    const ids = (pred: (e: (typeof trace)[number]) => boolean) => new Set(trace.filter(pred).map((e) => e.packetId));
    const inner = ids((e) => e.netns === "web");
    const outer = ids((e) => e.dev === "lo");
    expect(inner.size).toBeGreaterThanOrEqual(5);
    expect(outer.size).toBeGreaterThanOrEqual(5);
    for (const id of inner) expect(outer.has(id)).toBe(false);
    // The world is idle afterwards: a plain request still works.
    const again = root.tcpRequest("172.17.0.2", 80, enc("x"));
    expect(again.ok && dec(again.response)).toBe("web got x from 172.17.0.1");
  });

  it("UDP: a datagram handler relays, and a relay to a closed port reports refused inside the handler", () => {
    const { root, web } = proxyWorld();
    web.udpListen("0.0.0.0", 53, (q) => enc(`dns ${dec(q)}`));
    const seen: string[] = [];
    root.udpListen("0.0.0.0", 5353, (q) => {
      const r = root.udpRequest("172.17.0.2", 53, q);
      return r.ok ? r.response : undefined;
    });
    root.udpListen("0.0.0.0", 5354, (q) => {
      const r = root.udpRequest("172.17.0.2", 54, q);
      seen.push(r.ok ? "ok" : r.disposition.kind);
      return enc("relay failed");
    });
    const u = root.udpRequest("127.0.0.1", 5353, enc("q"));
    expect(u.ok && dec(u.response)).toBe("dns q");
    const v = root.udpRequest("127.0.0.1", 5354, enc("q"));
    expect(v.ok && dec(v.response)).toBe("relay failed");
    expect(seen).toEqual(["refused"]);
  });

  it("two levels of nesting (proxy to a proxy) still complete", () => {
    const { root, web } = proxyWorld();
    web.tcpListen("0.0.0.0", 80, () => enc("deep"));
    web.tcpListen("0.0.0.0", 8080, (req) => {
      const r = web.tcpRequest("127.0.0.1", 80, req);
      return r.ok ? r.response : enc("fail");
    });
    root.tcpListen("0.0.0.0", 1234, (req) => {
      const r = root.tcpRequest("172.17.0.2", 8080, req);
      return r.ok ? r.response : enc("fail");
    });
    const r = root.tcpRequest("127.0.0.1", 1234, enc("GET /"));
    expect(r.ok && dec(r.response)).toBe("deep");
  });
});
