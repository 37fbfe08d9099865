/**
 * IPVS statistics (struct ip_vs_stats) and the rate estimator of net/netfilter/ipvs/ip_vs_est.c
 * (kernel 6.1: a timer every 2 seconds folds the counters' deltas into moving averages with
 * weight 1/4, kept scaled: cps/pps << 10, bps << 5). Here the timer runs lazily: before a
 * counter changes or a rate is read, every 2-second tick that elapsed is applied in order,
 * which gives the same numbers as a periodic timer because the deltas of skipped ticks are 0.
 */
import type { IpvsStats } from "../api.js";

const TICK_MS = 2000;

/** Counters and estimator of one service or real server. */
export class IpvsCounters {
  conns = 0;
  inPkts = 0;
  outPkts = 0;
  inBytes = 0;
  outBytes = 0;
  private last = { conns: 0, inPkts: 0, outPkts: 0, inBytes: 0, outBytes: 0 };
  private est = { cps: 0, inPps: 0, outPps: 0, inBps: 0, outBps: 0 };
  private nextTick: number;

  constructor(now: number) {
    this.nextTick = now + TICK_MS;
  }

  /** Applies the estimator ticks due by `now` (estimation_timer). */
  tick(now: number): void {
    if (now < this.nextTick) return;
    // After a long quiet spell every further tick only decays the averages towards 0; stop when they are 0.
    while (now >= this.nextTick) {
      const e = this.est;
      const l = this.last;
      // rate = delta << 9 (per 2 s, so per second << 10); avg += (rate - avg) >> 2. Arithmetic kept in doubles (no 32-bit wrap).
      e.cps += Math.floor(((this.conns - l.conns) * 512 - e.cps) / 4);
      e.inPps += Math.floor(((this.inPkts - l.inPkts) * 512 - e.inPps) / 4);
      e.outPps += Math.floor(((this.outPkts - l.outPkts) * 512 - e.outPps) / 4);
      e.inBps += Math.floor(((this.inBytes - l.inBytes) * 16 - e.inBps) / 4);
      e.outBps += Math.floor(((this.outBytes - l.outBytes) * 16 - e.outBps) / 4);
      this.last = { conns: this.conns, inPkts: this.inPkts, outPkts: this.outPkts, inBytes: this.inBytes, outBytes: this.outBytes };
      this.nextTick += TICK_MS;
      if (e.cps === 0 && e.inPps === 0 && e.outPps === 0 && e.inBps === 0 && e.outBps === 0 && now >= this.nextTick) {
        this.nextTick += Math.floor((now - this.nextTick) / TICK_MS + 1) * TICK_MS;
      }
    }
  }

  /** A packet from the client (in) or from the real server (out). */
  count(dir: "in" | "out", bytes: number, now: number): void {
    this.tick(now);
    if (dir === "in") {
      this.inPkts++;
      this.inBytes += bytes;
    } else {
      this.outPkts++;
      this.outBytes += bytes;
    }
  }

  /** A new connection scheduled. */
  conn(now: number): void {
    this.tick(now);
    this.conns++;
  }

  /** IPVS_CMD_ZERO (ip_vs_zero_stats): counters and estimator restart from 0. */
  zero(now: number): void {
    this.conns = this.inPkts = this.outPkts = this.inBytes = this.outBytes = 0;
    this.last = { conns: 0, inPkts: 0, outPkts: 0, inBytes: 0, outBytes: 0 };
    this.est = { cps: 0, inPps: 0, outPps: 0, inBps: 0, outBps: 0 };
    this.nextTick = now + TICK_MS;
  }

  /** struct ip_vs_stats_user as ip_vs_read_estimator rounds it. */
  read(now: number): IpvsStats {
    this.tick(now);
    const e = this.est;
    return {
      conns: this.conns, inPkts: this.inPkts, outPkts: this.outPkts, inBytes: this.inBytes, outBytes: this.outBytes,
      cps: Math.floor((e.cps + 0x1ff) / 1024), inPps: Math.floor((e.inPps + 0x1ff) / 1024), outPps: Math.floor((e.outPps + 0x1ff) / 1024),
      inBps: Math.floor((e.inBps + 0xf) / 32), outBps: Math.floor((e.outBps + 0xf) / 32),
    };
  }
}
