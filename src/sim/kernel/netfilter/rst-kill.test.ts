/**
 * conntrack forgets a TCP flow whose first answer is a RST (tcp_packet: "If only reply is a RST
 * [...] we can delete the conntrack immediately"), in every namespace the RST passes, also where
 * a later rule drops it; a flow that was answered before keeps its entry (CLOSE, 10 s).
 */
import { expect, it } from "vitest";
import { createWorld } from "../../index.js";

/** Tracking on everywhere; a (10.1.0.2) ── r (forwards; FORWARD drops what comes back from b when asked) ── b (10.2.0.2, nothing on 8888, a server on 80). */
async function world(dropReturn: boolean) {
  const w = createWorld({ kind: "bare", seed: 1 });
  const sh = w.session("host");
  const setup = [
    "ip netns add a; ip netns add r; ip netns add b",
    "ip -n r link add ra type veth peer name eth0 netns a; ip -n r link add rb type veth peer name eth0 netns b",
    "ip -n r addr add 10.1.0.1/24 dev ra; ip -n r addr add 10.2.0.1/24 dev rb; ip -n r link set ra up; ip -n r link set rb up",
    "ip netns exec r sysctl -q -w net.ipv4.ip_forward=1",
    "ip -n a addr add 10.1.0.2/24 dev eth0; ip -n a link set eth0 up; ip -n a route add default via 10.1.0.1",
    "ip -n b addr add 10.2.0.2/24 dev eth0; ip -n b link set eth0 up; ip -n b route add default via 10.2.0.1",
    // A rule that needs conntrack turns tracking on in a namespace (as nf_tables registers it on demand).
    "for n in a r b; do ip netns exec $n iptables -A INPUT -m conntrack --ctstate INVALID; done",
    "mkdir -p /tmp/www; echo hi > /tmp/www/index.html; ip netns exec b httpd -p 80 -h /tmp/www",
    ...(dropReturn ? ["ip netns exec r iptables -A FORWARD -s 10.2.0.0/24 -p tcp --sport 8888 -j DROP"] : []),
  ];
  for (const c of setup) expect((await sh.exec(c)).exitCode, c).toBe(0);
  const flows = async (ns: string) => (await sh.exec(`ip netns exec ${ns} conntrack -L 2>/dev/null | grep -c 'dport=8888'`)).output.trim();
  return { sh, flows };
}

it("a refused connection leaves no entry on the router, the server or the client", async () => {
  const { sh, flows } = await world(false);
  expect((await sh.exec("ip netns exec a wget -q -O - http://10.2.0.2:8888/")).output).toBe("wget: can't connect to remote host (10.2.0.2): Connection refused\n");
  expect([await flows("a"), await flows("r"), await flows("b")]).toEqual(["0", "0", "0"]);
});

it("a RST dropped on the way back still ends the router's and the server's entries; the client's stays unreplied", async () => {
  const { sh, flows } = await world(true);
  expect((await sh.exec("ip netns exec a wget -q -O - http://10.2.0.2:8888/", { timeoutMs: 1500 })).exitCode).toBe(124);
  expect([await flows("a"), await flows("r"), await flows("b")]).toEqual(["1", "0", "0"]);
  expect((await sh.exec("ip netns exec a conntrack -L 2>/dev/null")).output).toMatch(/SYN_SENT .*dport=8888 \[UNREPLIED\]/);
});

it("an answered connection keeps its entries after it ends", async () => {
  const { sh } = await world(false);
  expect((await sh.exec("ip netns exec a wget -q -O - http://10.2.0.2/")).output).toBe("hi\n");
  expect((await sh.exec("ip netns exec r conntrack -L 2>/dev/null | grep -c 'dport=80 '")).output).toBe("1\n");
});
