import { describe, expect, it } from "vitest";
import { createWorld } from "../index.js";
import { oneHost, plug } from "./test-support/topo.js";

const enc = new TextEncoder();
const dec = new TextDecoder();

/**
 * The segments of one exchange, counted by rules in the client's OUTPUT and INPUT chains, against
 * what Linux 6.18 put on a veth for busybox 1.35 wget/httpd/nc (AF_PACKET capture, see tcp.ts).
 */
async function counted(setup: string[], client: string): Promise<{ out: string; counters: string }> {
  const sh = createWorld({ kind: "bare", seed: 1 }).session("host");
  const run = async (cmd: string) => {
    const r = await sh.exec(cmd);
    return r.output;
  };
  for (const cmd of [
    "ip netns add c", "ip netns add s",
    "ip -n c link add eth0 type veth peer name eth0 netns s",
    "ip -n c addr add 10.77.0.1/24 dev eth0", "ip -n s addr add 10.77.0.2/24 dev eth0",
    "ip -n c link set eth0 up", "ip -n s link set eth0 up", "ip -n s link set lo up",
    "ip netns exec c iptables -A OUTPUT -p tcp", "ip netns exec c iptables -A INPUT -p tcp",
    ...setup,
  ]) await run(cmd);
  const out = await run(client);
  const lines = (await run("ip netns exec c iptables -nvxL")).split("\n").filter((l) => /^\s+\d+\s+\d+\s+6 /.test(l));
  return { out, counters: lines.map((l) => l.trim().split(/\s+/).slice(0, 2).join("/")).join(" ") };
}

describe("TCP segments as Linux sends them", () => {
  it("a GET from busybox httpd: 6 segments each way, the headers and the file in two", async () => {
    const r = await counted(
      ["mkdir -p /tmp/w", "echo 'hello from rec-c2' > /tmp/w/index.html", "ip netns exec s httpd -p 80 -h /tmp/w"],
      "ip netns exec c wget -q -O - http://10.77.0.2/",
    );
    expect(r.out).toBe("hello from rec-c2\n");
    // INPUT: SYN,ACK 60, ACK 52, headers 52+209, body 52+18, FIN 52, ACK 52 (captured: 547).
    // OUTPUT: SYN 60, ACK 52, GET 52+72, ACK 52, ACK 52, FIN 52 (captured: 392).
    expect(r.counters).toBe("6/547 6/392");
  });

  it("an error page is one write; a closed port answers the 60-byte SYN with a 40-byte RST", async () => {
    const r = await counted(["mkdir -p /tmp/w", "ip netns exec s httpd -p 80 -h /tmp/w"], "ip netns exec c wget -q -O - http://10.77.0.2/nothere");
    // Captured: in 60+52+283+52+52 (5), out 60+52+131+52+52 (5).
    expect(r.counters).toBe("5/499 5/347");
    const rst = await counted([], "ip netns exec c wget -q -O - http://10.77.0.2:81/");
    expect(rst.counters).toBe("1/40 1/60");
  });

  it("a client with nothing to send shuts its side down; the server answers the FIN", () => {
    const { host } = oneHost(3);
    const root = host.init;
    const cli = host.netnsCreate("cli");
    plug(root, cli, "vc", "10.77.0.1/24");
    root.addrAdd("vc", "10.77.0.2/24");
    const got: string[] = [];
    root.tcpListen("0.0.0.0", 5000, (req) => (got.push(dec.decode(req)), [enc.encode("ans"), enc.encode("wer\n")]));
    expect(cli.tcpRequest("10.77.0.2", 5000, enc.encode("x")).ok).toBe(true); // resolves ARP first
    const before = cli.linkGet("eth0").stats;
    const r = cli.tcpRequest("10.77.0.2", 5000, new Uint8Array(0));
    expect(r.ok && dec.decode(r.response)).toBe("answer\n");
    expect(got).toEqual(["x", ""]);
    const after = cli.linkGet("eth0").stats;
    // Out: SYN 60, ACK 52, FIN 52, an ACK of 52 for each write and the FIN; in: SYN,ACK 60, ACK 52,
    // "ans" 55, "wer\n" 56, FIN 52 (each frame 14 more).
    expect([after.txPackets - before.txPackets, after.txBytes - before.txBytes]).toEqual([6, 320 + 84]);
    expect([after.rxPackets - before.rxPackets, after.rxBytes - before.rxBytes]).toEqual([5, 275 + 70]);
  });
});
