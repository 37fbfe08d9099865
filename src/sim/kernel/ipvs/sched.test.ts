/**
 * Schedulers, the connection table's TCP state machine and the rate estimator, against the
 * kernel sources they follow (ip_vs_rr.c, ip_vs_wrr.c, ip_vs_lc.c, ip_vs_wlc.c,
 * ip_vs_proto_tcp.c tcp_states, ip_vs_est.c).
 */
import { describe, expect, it } from "vitest";
import type { Packet } from "../packet.js";
import { ConnTable } from "./conn.js";
import { makeScheduler, type SchedDest } from "./sched.js";
import { IpvsCounters } from "./stats.js";

const dest = (name: string, weight: number, activeConns = 0, inactConns = 0): SchedDest & { name: string } => ({ name, weight, activeConns, inactConns, upperThreshold: 0 });
const picks = (sched: string, dests: Array<SchedDest & { name: string }>, n: number) => {
  const s = makeScheduler(sched)!;
  return Array.from({ length: n }, () => s.schedule(dests)?.name ?? "-").join("");
};

describe("schedulers", () => {
  it("rr cycles over servers with weight > 0 and resumes after a removed cursor", () => {
    const d = [dest("a", 1), dest("b", 0), dest("c", 5)];
    expect(picks("rr", d, 5)).toBe("acaca");
    const s = makeScheduler("rr")!;
    const list = [dest("a", 1), dest("b", 1), dest("c", 1)];
    expect([s.schedule(list)!.name, s.schedule(list)!.name]).toEqual(["a", "b"]);
    s.removed(list, list[1]!);
    list.splice(1, 1);
    expect(s.schedule(list)!.name).toBe("c");
  });

  it("wrr interleaves by weight (4,3,2 → aababcabc), and gives nothing when every weight is 0", () => {
    expect(picks("wrr", [dest("a", 4), dest("b", 3), dest("c", 2)], 18)).toBe("aababcabcaababcabc");
    expect(picks("wrr", [dest("a", 0), dest("b", 0)], 2)).toBe("--");
  });

  it("lc picks the least active*256+inactive; wlc divides that by weight", () => {
    expect(picks("lc", [dest("a", 1, 1, 0), dest("b", 1, 0, 200), dest("c", 1, 0, 300)], 1)).toBe("b");
    expect(picks("wlc", [dest("a", 1, 1, 0), dest("b", 4, 2, 0), dest("c", 1, 0, 300)], 1)).toBe("b");
    expect(picks("wlc", [dest("a", 0, 0, 0), dest("b", 1, 9, 0)], 1)).toBe("b");
    expect(makeScheduler("sip")).toBeUndefined();
  });
});

const seg = (flags: Array<"SYN" | "ACK" | "FIN" | "RST" | "PSH">): Packet => ({ id: 1, ip: { src: "a", dst: "b", ttl: 64, proto: "tcp", len: 52 }, tcp: { sport: 1, dport: 2, flags }, mark: 0 });

describe("IPVS connection table", () => {
  it("walks tcp_states through a whole connection, moving it between InActConn and ActiveConn", () => {
    const t = new ConnTable();
    const d = { addr: "10.0.0.2", port: 80, activeConns: 0, inactConns: 0 };
    const c = t.create({ proto: "tcp", caddr: "10.0.0.9", cport: 5000, vaddr: "10.96.0.1", vport: 80, daddr: "10.0.0.2", dport: 80, dest: d, svcKey: "k" }, 0);
    const trail: string[] = [];
    const step = (dir: "in" | "out", f: Array<"SYN" | "ACK" | "FIN" | "RST" | "PSH">) => {
      t.transition(c, dir, seg(f), 0);
      trail.push(`${c.state}/${d.activeConns}/${d.inactConns}/${(c.expiresAt / 1000).toFixed(0)}`);
    };
    step("in", ["SYN"]);
    step("out", ["SYN", "ACK"]);
    step("in", ["ACK"]);
    step("in", ["PSH", "ACK"]);
    step("in", ["FIN", "ACK"]);
    step("out", ["FIN", "ACK"]);
    step("in", ["ACK"]);
    expect(trail).toEqual(["SYN_RECV/0/1/60", "SYN_RECV/0/1/60", "ESTABLISHED/1/0/900", "ESTABLISHED/1/0/900", "CLOSE_WAIT/0/1/60", "TIME_WAIT/0/1/120", "TIME_WAIT/0/1/120"]);
    expect(t.getOut("tcp", "10.0.0.2", 80, "10.0.0.9", 5000, 119_000)).toBe(c);
    expect(t.getIn("tcp", "10.0.0.9", 5000, "10.96.0.1", 80, 120_000)).toBeUndefined();
    expect([t.size, d.activeConns, d.inactConns]).toEqual([0, 0, 0]);
  });
});

describe("rate estimator", () => {
  it("moves a quarter of the way to each 2-second rate, as ip_vs_est.c", () => {
    const c = new IpvsCounters(0);
    for (let i = 0; i < 100; i++) {
      c.conn(i * 10);
      c.count("in", 1000, i * 10);
    }
    // At t=2 s: 100 conns in 2 s = 50/s; the average moves a quarter of the way, 12.5/s, which the kernel reads
    // as (12800 + 0x1FF) >> 10 = 12.
    expect(c.read(2000)).toMatchObject({ conns: 100, inPkts: 100, inBytes: 100000, cps: 12, inPps: 12, inBps: 12500 });
    expect(c.read(4000)).toMatchObject({ cps: 9, inPps: 9, inBps: 9375 });
    // Quiet, the averages decay by a quarter per tick: still 3 B/s after a minute, 0 after a few.
    expect(c.read(60_000)).toMatchObject({ cps: 0, inPps: 0, inBps: 3 });
    expect(c.read(200_000)).toMatchObject({ cps: 0, inPps: 0, inBps: 0 });
    c.zero(60_000);
    expect(c.read(60_000)).toMatchObject({ conns: 0, inPkts: 0, cps: 0 });
  });
});
