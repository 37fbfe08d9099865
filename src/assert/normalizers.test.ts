import { describe, expect, it } from "vitest";
import { expectedLine } from "../lesson/transcript.js";
import type { ExpectedLine } from "../lesson/types.js";
import { matchOutput } from "./match.js";
import { NORMALIZER_NAMES } from "./normalizers.js";

const line = (t: string): ExpectedLine => expectedLine(t, 1) as ExpectedLine;
const ok = (expected: string, actual: string, names: string[]) => matchOutput([line(expected)], actual, {}, names).ok;

describe("normalizers", () => {
  it("has the documented set", () => {
    expect(NORMALIZER_NAMES).toEqual(["mac", "rtt", "counters", "ifindex", "id", "age", "time", "space"]);
  });

  it("mac: any unicast MAC for any other, broadcast and zero stay literal", () => {
    const e = "    link/ether 02:42:ac:11:00:02 brd ff:ff:ff:ff:ff:ff link-netnsid 0";
    const a = "    link/ether 9e:1b:77:0c:aa:41 brd ff:ff:ff:ff:ff:ff link-netnsid 0";
    expect(ok(e, a, [])).toBe(false);
    expect(ok(e, a, ["mac"])).toBe(true);
    expect(ok(e, a.replace("brd ff:ff:ff:ff:ff:ff", "brd 00:00:00:00:00:00"), ["mac"])).toBe(false);
  });

  it("rtt: ping times and summaries (iputils and busybox)", () => {
    expect(ok("64 bytes from 172.17.0.2: seq=0 ttl=64 time=0.081 ms", "64 bytes from 172.17.0.2: seq=0 ttl=64 time=12.5 ms", ["rtt"])).toBe(true);
    expect(ok("64 bytes from 172.17.0.2: seq=0 ttl=64 time=0.081 ms", "64 bytes from 172.17.0.3: seq=0 ttl=64 time=12.5 ms", ["rtt"])).toBe(false);
    expect(ok("round-trip min/avg/max = 0.045/0.063/0.081 ms", "round-trip min/avg/max = 1.1/2/3.000 ms", ["rtt"])).toBe(true);
    expect(ok("rtt min/avg/max/mdev = 0.030/0.040/0.050/0.010 ms", "rtt min/avg/max/mdev = 0.1/0.2/0.3/0.4 ms", ["rtt"])).toBe(true);
    expect(ok("2 packets transmitted, 2 received, 0% packet loss, time 1001ms", "2 packets transmitted, 2 received, 0% packet loss, time 1023ms", ["rtt"])).toBe(true);
  });

  it("counters: iptables -v rows and policies, iptables-save, conntrack, ip -s rows", () => {
    const row = "    0     0 MASQUERADE  all  --  *      !docker0  172.17.0.0/16        0.0.0.0/0";
    const got = "   12  1008 MASQUERADE  all  --  *      !docker0  172.17.0.0/16        0.0.0.0/0";
    expect(ok(row, got, [])).toBe(false);
    expect(ok(row, got, ["counters"])).toBe(true);
    expect(ok(row, got.replace("MASQUERADE", "ACCEPT    "), ["counters"])).toBe(false);
    expect(ok("Chain POSTROUTING (policy ACCEPT 0 packets, 0 bytes)", "Chain POSTROUTING (policy ACCEPT 3 packets, 180 bytes)", ["counters"])).toBe(true);
    expect(ok(":PREROUTING ACCEPT [0:0]", ":PREROUTING ACCEPT [7:420]", ["counters"])).toBe(true);
    expect(ok("src=10.0.0.1 dst=10.0.0.2 packets=1 bytes=84", "src=10.0.0.1 dst=10.0.0.2 packets=3 bytes=252", ["counters"])).toBe(true);
    expect(ok("    RX:  bytes packets errors dropped  missed   mcast", "    RX:    bytes packets errors dropped  missed   mcast", ["counters"])).toBe(true);
    expect(ok("             0       0      0       0       0       0", "          1260      15      0       0       0       0", ["counters"])).toBe(true);
    expect(ok("             0       0      0       0       0       0", "          1260      15      0       0       0", ["counters"])).toBe(false);
  });

  it("ifindex: leading index, @ifN, link-netnsid", () => {
    expect(ok("5: veth1@if4: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500", "17: veth1@if16: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500", ["ifindex"])).toBe(true);
    expect(ok("5: veth1@if4: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500", "17: veth2@if16: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500", ["ifindex"])).toBe(false);
  });

  it("id: 64 and 12 hex digit ids", () => {
    const long = "4f1c0a2b3d4e5f60718293a4b5c6d7e8f90112233445566778899aabbccddeef";
    expect(ok(long, "a".repeat(64), ["id"])).toBe(true);
    expect(ok("4f1c0a2b3d4e   busybox   \"sh\"", "0123456789ab   busybox   \"sh\"", ["id"])).toBe(true);
    expect(ok("4f1c0a2b3d4e", "0123456789a", ["id"])).toBe(false);
  });

  it("age and time", () => {
    expect(ok("web-1   1/1     Running   0          5s", "web-1   1/1     Running   0          3m2s", ["age"])).toBe(true);
    expect(ok("Up 3 seconds", "Up About a minute", ["age"])).toBe(true);
    expect(ok("Created 2 seconds ago", "Created 10 days ago", ["age"])).toBe(true);
    expect(ok("at 2026-01-01T00:00:00Z", "at 2026-11-25T17:29:33.123456789+00:00", ["time"])).toBe(true);
    expect(ok("12:00:01.123 IP 10.0.0.1 > 10.0.0.2", "17:29:33.000 IP 10.0.0.1 > 10.0.0.2", ["time"])).toBe(true);
  });

  it("space: any run of blanks for any other", () => {
    expect(ok("NAME   READY", "NAME      READY", ["space"])).toBe(true);
    expect(ok("NAME   READY", "NAMEREADY", ["space"])).toBe(false);
  });

  it("captures still bind the real value under a normalizer", () => {
    const r = matchOutput([line("{{cid}} 02:42:ac:11:00:02")], "abc 9e:1b:77:0c:aa:41\n", {}, ["mac"]);
    expect(r).toMatchObject({ ok: true, bound: { cid: "abc" } });
  });
});
