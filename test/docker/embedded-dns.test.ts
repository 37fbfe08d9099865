/**
 * The embedded DNS server as dockerd 20.10 runs it in a container on a user-defined network: a
 * UDP and a TCP socket at 127.0.0.11 on kernel-picked ports, and nat chains DOCKER_OUTPUT /
 * DOCKER_POSTROUTING that DNAT port 53 to them (captured with nsenter … iptables-save on the
 * real engine). Containers on the default bridge have none of it.
 */
import { describe, expect, test } from "vitest";
import { programs as iptablesPrograms } from "../../src/sim/userland/iptables/index.js";
import { programs as conntrackPrograms } from "../../src/sim/userland/conntrack/index.js";
import { programs as nslookupPrograms } from "../../src/sim/userland/nslookup/index.js";
import type { ProcContext } from "../../src/sim/userland/types.js";
import { harness } from "./harness.js";

const tools = [...iptablesPrograms, ...conntrackPrograms, ...nslookupPrograms];

/** Two containers on `labnet` and one on the default bridge. */
async function world(seed = 1) {
  const h = harness(tools, seed);
  await h.run(["docker", "network", "create", "labnet"]);
  for (const [name, net] of [["dn1", "labnet"], ["dn2", "labnet"], ["dn3", "bridge"]] as const) {
    await h.run(["docker", "run", "-dit", "--name", name, "--network", net, "busybox"]);
  }
  /** The container's namespace as nsenter -n sees it: the host's programs, the container's network. */
  const inNs = (name: string): ProcContext => ({ ...h.docker.contextOf(name), available: undefined });
  const run = async (name: string, argv: string[]) => h.run(argv, inNs(name));
  const ports = (name: string) => h.docker.contextOf(name).netns.sockets().filter((x) => x.addr === "127.0.0.11");
  return { h, run, ports };
}

const body = (save: string) => save.split("\n").filter((l) => !l.startsWith("#")).join("\n");

describe("embedded DNS in the container's namespace", () => {
  test("iptables-save shows the DNAT/SNAT chains to the resolver's own ports; the default bridge has none", async () => {
    const { run, ports } = await world();
    const p = ports("dn1");
    expect(p.map((x) => x.proto).sort()).toEqual(["tcp", "udp"]);
    const udp = p.find((x) => x.proto === "udp")!.port;
    const tcp = p.find((x) => x.proto === "tcp")!.port;
    for (const port of [udp, tcp]) {
      expect(port).toBeGreaterThanOrEqual(32768);
      expect(port).toBeLessThanOrEqual(60999);
    }
    expect(body((await run("dn1", ["iptables-save"])).out)).toBe([
      "*nat",
      ":PREROUTING ACCEPT [0:0]",
      ":INPUT ACCEPT [0:0]",
      ":OUTPUT ACCEPT [0:0]",
      ":POSTROUTING ACCEPT [0:0]",
      ":DOCKER_OUTPUT - [0:0]",
      ":DOCKER_POSTROUTING - [0:0]",
      "-A OUTPUT -d 127.0.0.11/32 -j DOCKER_OUTPUT",
      "-A POSTROUTING -d 127.0.0.11/32 -j DOCKER_POSTROUTING",
      `-A DOCKER_OUTPUT -d 127.0.0.11/32 -p tcp -m tcp --dport 53 -j DNAT --to-destination 127.0.0.11:${tcp}`,
      `-A DOCKER_OUTPUT -d 127.0.0.11/32 -p udp -m udp --dport 53 -j DNAT --to-destination 127.0.0.11:${udp}`,
      `-A DOCKER_POSTROUTING -s 127.0.0.11/32 -p tcp -m tcp --sport ${tcp} -j SNAT --to-source :53`,
      `-A DOCKER_POSTROUTING -s 127.0.0.11/32 -p udp -m udp --sport ${udp} -j SNAT --to-source :53`,
      "COMMIT",
      "",
    ].join("\n"));
    // Each container's resolver has ports of its own; nothing listens on port 53 itself.
    const p2 = ports("dn2");
    expect(p2.map((x) => x.port)).not.toEqual(p.map((x) => x.port));
    expect([...p, ...p2].some((x) => x.port === 53)).toBe(false);
    // The default bridge: no resolver, no nat table, the host's resolv.conf.
    expect(ports("dn3")).toEqual([]);
    expect(await run("dn3", ["iptables-save"])).toEqual({ code: 0, out: "" });
  });

  test("the SNAT rule prints as to::53 in iptables -L", async () => {
    const { run, ports } = await world();
    const udp = ports("dn1").find((x) => x.proto === "udp")!.port;
    const out = (await run("dn1", ["iptables", "-t", "nat", "-nL", "DOCKER_POSTROUTING"])).out;
    expect(out).toContain(`SNAT       17   --  127.0.0.11           0.0.0.0/0            udp spt:${udp} to::53\n`);
  });

  test("nslookup of another container answers through the DNAT: counters move, conntrack shows the redirect", async () => {
    const { run, ports } = await world();
    const udp = ports("dn1").find((x) => x.proto === "udp")!.port;
    const r = await run("dn1", ["nslookup", "dn2"]);
    expect(r.code).toBe(0);
    expect(r.out).toContain("Server:\t\t127.0.0.11\nAddress:\t127.0.0.11:53\n");
    expect(r.out).toContain("Name:\tdn2\nAddress: 172.18.0.3\n");
    const nat = (await run("dn1", ["iptables", "-t", "nat", "-nvxL"])).out;
    const line = (re: RegExp) => nat.split("\n").find((l) => re.test(l)) ?? "";
    // The A query: 20 (IP) + 8 (UDP) + 21 (DNS: header 12, "\x03dn2\0" 5, type and class 4) bytes.
    const counted = (l: string) => l.trim().split(/\s+/).slice(0, 2).map(Number);
    // busybox sends A and AAAA from one socket: one flow, so the nat rules count its first packet once.
    const [pkts, bytes] = counted(line(/DOCKER_OUTPUT +0 +-- .*127\.0\.0\.11 *$/));
    expect([pkts, bytes]).toEqual([1, 49]);
    expect(counted(line(/DNAT +17 .*udp dpt:53 to:127\.0\.0\.11:/))).toEqual([pkts, bytes]);
    expect(counted(line(/DNAT +6 .*tcp dpt:53/))).toEqual([0, 0]);
    // The query comes from 127.0.0.1 (the local route's source), so the SNAT rules never match.
    expect(counted(line(/DOCKER_POSTROUTING +0 +-- .*127\.0\.0\.11 *$/))).toEqual([pkts, bytes]);
    expect(counted(line(/SNAT +17 .*udp spt:/))).toEqual([0, 0]);
    const ct = (await run("dn1", ["conntrack", "-L"])).out;
    expect(ct).toMatch(new RegExp(`^udp +17 \\d+ src=127\\.0\\.0\\.1 dst=127\\.0\\.0\\.11 sport=(\\d+) dport=53 src=127\\.0\\.0\\.11 dst=127\\.0\\.0\\.1 sport=${udp} dport=\\1 `, "m"));
    expect(ct.split("\n").filter((l) => l.includes("dport=53")).length).toBe(1);
  });

  test("without the DNAT rule nothing answers on port 53", async () => {
    const { h, run } = await world();
    expect((await run("dn1", ["iptables", "-t", "nat", "-F", "DOCKER_OUTPUT"])).code).toBe(0);
    const q = Uint8Array.from([0x12, 0x34, 1, 0, 0, 1, 0, 0, 0, 0, 0, 0, 3, 0x64, 0x6e, 0x32, 0, 0, 1, 0, 1]);
    const r = h.docker.contextOf("dn1").netns.udpRequest("127.0.0.11", 53, q, { timeoutMs: 1000 });
    expect(r.ok).toBe(false);
  });

  test("the resolver answers over TCP too, through the tcp DNAT", async () => {
    const { h, run } = await world();
    const q = Uint8Array.from([0, 21, 0x12, 0x34, 1, 0, 0, 1, 0, 0, 0, 0, 0, 0, 3, 0x64, 0x6e, 0x32, 0, 0, 1, 0, 1]);
    const r = h.docker.contextOf("dn1").netns.tcpRequest("127.0.0.11", 53, q);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect((r.response[0]! << 8) | r.response[1]!).toBe(r.response.length - 2);
    expect([...r.response.slice(-4)]).toEqual([172, 18, 0, 3]);
    const nat = (await run("dn1", ["iptables", "-t", "nat", "-nvL", "DOCKER_OUTPUT"])).out;
    expect(nat).toMatch(/^ +1 +\d+ DNAT +6 .*tcp dpt:53/m);
  });

  test("network connect starts the resolver in a default-bridge container; a restart brings new ports", async () => {
    const { h, run, ports } = await world();
    expect(ports("dn3")).toEqual([]);
    expect((await h.run(["docker", "network", "connect", "labnet", "dn3"])).code).toBe(0);
    expect(h.docker.contextOf("dn3").fs.readFile("/etc/resolv.conf")).toBe("nameserver 127.0.0.11\noptions ndots:0\n");
    const udp = ports("dn3").find((x) => x.proto === "udp")!.port;
    expect((await run("dn3", ["iptables-save"])).out).toContain(`--dport 53 -j DNAT --to-destination 127.0.0.11:${udp}\n`);
    expect((await run("dn3", ["nslookup", "dn1"])).out).toContain("Name:\tdn1\nAddress: 172.18.0.2\n");
    const before = ports("dn1");
    expect((await h.run(["docker", "restart", "-t", "0", "dn1"])).code).toBe(0);
    const after = ports("dn1");
    expect(after).toHaveLength(2);
    expect(after).not.toEqual(before);
  });

  test("the ports come from the world's seeded random numbers: same seed, same ports", async () => {
    const a = await world(7);
    const b = await world(7);
    expect(b.ports("dn1")).toEqual(a.ports("dn1"));
    expect(b.ports("dn2")).toEqual(a.ports("dn2"));
  });
});
