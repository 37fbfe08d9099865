/**
 * A TCP connect whose SYN the OUTPUT chain filters, as the real kernel answers it (captured on
 * the reference machine, kernel 6.18, busybox 1.35 `nc -w 3`, session 5): DROP makes the connect
 * wait and time out (tcp_connect ignores the EPERM of the SYN's transmit and retransmits), and
 * REJECT (icmp-port-unreachable or tcp-reset) is answered by the REJECT's own ICMP error or
 * RST, delivered to the local socket: `Connection refused`. Not "Operation not permitted",
 * which is what a UDP send or a ping gets from an OUTPUT drop.
 */
import { expect, test } from "vitest";
import { createWorld } from "../src/sim/index.js";

const SETUP = [
  "ip netns add rj",
  "ip netns add rj2",
  "ip -n rj link set lo up",
  "ip link add rjv0 netns rj type veth peer name rjv1 netns rj2",
  "ip -n rj addr add 10.1.0.2/24 dev rjv0",
  "ip -n rj link set rjv0 up",
  "ip -n rj2 link set rjv1 up",
  "ip -n rj route add default via 10.1.0.1",
];

test.each([
  ["DROP", "nc: timed out\n", 3000],
  ["REJECT", "nc: can't connect to remote host (10.99.0.5): Connection refused\n", 0],
  ["REJECT --reject-with tcp-reset", "nc: can't connect to remote host (10.99.0.5): Connection refused\n", 0],
])("OUTPUT -j %s", async (target, output, ms) => {
  const w = createWorld({ kind: "bare" });
  const s = w.session("host");
  for (const c of SETUP) expect((await s.exec(c)).exitCode, c).toBe(0);
  await s.exec(`ip netns exec rj iptables -A OUTPUT -d 10.99.0.5 -p tcp --dport 80 -j ${target}`);
  const t0 = w.now();
  const r = await s.exec("ip netns exec rj nc -w 3 10.99.0.5 80 </dev/null");
  expect({ exitCode: r.exitCode, output: r.output }).toEqual({ exitCode: 1, output });
  expect(Math.round((w.now() - t0) / 1000)).toBe(ms / 1000);
});
