/**
 * A connected UDP socket (NetnsApi.udpSocket): datagrams queue until read; an ICMP port
 * unreachable is the pending error the next send or recv reports once (ECONNREFUSED); a host
 * unreachable is not reported at all to a socket without IP_RECVERR (__udp4_lib_err keeps only
 * icmp_err_convert's fatal codes), so the reader only sees its wait run out.
 */
import { expect, it } from "vitest";
import { KernelError } from "./api.js";
import { oneHost } from "./test-support/topo.js";

const enc = (s: string) => new TextEncoder().encode(s);
const dec = (b: Uint8Array) => new TextDecoder().decode(b);

function loopback() {
  const { host } = oneHost();
  const ns = host.netnsCreate("c");
  ns.linkSet("lo", { up: true });
  return ns;
}

it("answers queue up and are read in order; several sends share one local port", () => {
  const ns = loopback();
  let n = 0;
  ns.udpListen("127.0.0.1", 53, (q) => enc(`${dec(q)}#${++n}`));
  const s = ns.udpSocket("127.0.0.1", 53);
  expect(s.send(enc("a"))).toEqual({ ok: true });
  expect(s.send(enc("b"))).toEqual({ ok: true });
  const got = [s.recv(1000), s.recv(1000)].map((r) => (r && "data" in r ? dec(r.data) : r));
  expect(got).toEqual(["a#1", "b#2"]);
  expect(s.recv(1000)).toBeUndefined();
  s.close();
});

it("a refusal is reported once, by whichever call comes next", () => {
  const ns = loopback();
  const s = ns.udpSocket("127.0.0.1", 5353);
  expect(s.send(enc("q1"))).toEqual({ ok: true });
  expect(s.send(enc("q2"))).toEqual({ ok: false, errno: "ECONNREFUSED" });
  expect(s.recv(500)).toBeUndefined();
  expect(s.send(enc("q3"))).toEqual({ ok: true });
  expect(s.recv(500)).toEqual({ errno: "ECONNREFUSED" });
  s.close();
});

it("a host unreachable (no ARP answer) is not an error for the socket; no route fails the connect", () => {
  const { host } = oneHost();
  const ns = host.netnsCreate("c");
  ns.linkAdd({ name: "v1", kind: "veth", peer: { name: "v2" } });
  ns.addrAdd("v1", "10.7.0.1/24");
  ns.linkSet("v1", { up: true });
  const s = ns.udpSocket("10.7.0.9", 53);
  expect(s.send(enc("q"))).toEqual({ ok: true });
  expect(s.recv(5000)).toBeUndefined();
  expect(s.send(enc("q"))).toEqual({ ok: true });
  s.close();
  expect(() => ns.udpSocket("192.0.2.1", 53)).toThrow(KernelError);
});
