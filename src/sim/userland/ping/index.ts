/**
 * busybox 1.35 `ping` (networking/ping.c, the FEATURE_FANCY_PING variant), in virtual time:
 *
 *   PING 10.0.0.1 (10.0.0.1): 56 data bytes
 *   64 bytes from 10.0.0.1: seq=0 ttl=64 time=0.190 ms
 *
 *   --- 10.0.0.1 ping statistics ---
 *   2 packets transmitted, 2 packets received, 0% packet loss
 *   round-trip min/avg/max = 0.106/0.148/0.190 ms
 *
 * One echo request every -i seconds (default 1); with -c it stops after CNT and then waits -W
 * seconds (default 10) for a missing reply; -w ends it at a deadline; without either it runs
 * until the shell's deadline. A local routing failure is `ping: sendto: ...` and exit 1.
 * Exit status: `nrecv == 0 || (deadline && nrecv < count)` as in print_stats_and_exit().
 */
import { strerror } from "../lib/errno.js";
import { busyboxGetopt, busyboxUsage } from "../lib/busybox.js";
import { resolveIpv4 } from "../lib/resolver.js";
import { pastDeadline, waitMs } from "../lib/deadline.js";
import type { ProgramSpec, Proc } from "../types.js";

/** Safety bound when neither -c, -w nor a shell deadline ends the run. */
const MAX_PINGS = 100_000;

function fmtUs(us: number): string {
  return `${Math.floor(us / 1000)}.${String(us % 1000).padStart(3, "0")}`;
}

/** xatou-style numeric option; busybox prints `invalid number 'x'`. */
function num(p: Proc, v: string, float: boolean): number | undefined {
  const ok = float ? /^\d+(\.\d*)?$|^\.\d+$/.test(v) : /^\d+$/.test(v);
  if (!ok) {
    p.err(`ping: invalid number '${v}'\n`);
    return undefined;
  }
  return Number(v);
}

async function run(p: Proc): Promise<number> {
  const g = busyboxGetopt("ping", p.argv.slice(1), {
    "4": "flag", "6": "flag", c: "arg", s: "arg", t: "arg", w: "arg", W: "arg", i: "arg", A: "flag", I: "arg", p: "arg", q: "flag", m: "arg", M: "arg",
  });
  if (!g.ok) {
    p.err(g.message + busyboxUsage("ping"));
    return 1;
  }
  if (g.operands.length !== 1) {
    p.err(busyboxUsage("ping"));
    return 1;
  }
  const o = (k: string) => g.opts.get(k)?.at(-1);
  const count = o("c") !== undefined ? num(p, o("c")!, false) : 0;
  const size = o("s") !== undefined ? num(p, o("s")!, false) : 56;
  const deadlineSec = o("w") !== undefined ? num(p, o("w")!, false) : 0;
  const timeoutSec = o("W") !== undefined ? num(p, o("W")!, false) : 10;
  const intervalSec = o("i") !== undefined ? num(p, o("i")!, true) : 1;
  const ttl = o("t") !== undefined ? num(p, o("t")!, false) : undefined;
  if ([count, size, deadlineSec, timeoutSec, intervalSec].includes(undefined) || (o("t") !== undefined && ttl === undefined)) return 1;
  const quiet = g.opts.has("q");
  const host = g.operands[0]!;
  const ns = p.ctx.netns;
  const dst = resolveIpv4(ns, p.ctx.fs, host, undefined, (ms) => waitMs(p, ms));
  if (!dst) {
    if (pastDeadline(p)) return 124;
    p.err(`ping: bad address '${host}'\n`);
    return 1;
  }
  // -I: an interface name binds to the device (its first address is the source), else it must
  // be an address (busybox: `bad address` otherwise).
  let src: string | undefined;
  const iface = o("I");
  if (iface !== undefined) {
    if (ns.linkList().some((l) => l.name === iface)) {
      src = ns.addrList().find((x) => x.dev === iface)?.cidr.split("/")[0];
    } else {
      src = resolveIpv4(ns, p.ctx.fs, iface);
      if (src === undefined) {
        p.err(`ping: bad address '${iface}'\n`);
        return 1;
      }
    }
  }
  p.out(`PING ${host} (${dst}): ${size} data bytes\n`);

  const clock = p.world.clock;
  const start = clock.now();
  const shellDeadline = (p as Proc & { deadline?: number }).deadline;
  const deadlineAt = deadlineSec ? start + deadlineSec * 1000 : undefined;
  const stopAt = Math.min(deadlineAt ?? Infinity, shellDeadline ?? Infinity);
  const interval = intervalSec! * 1000;
  const advanceTo = (t: number) => {
    if (t > clock.now()) clock.advance(t - clock.now());
  };
  let sent = 0;
  let recv = 0;
  const rtts: number[] = [];
  const stats = (): string => {
    let s = `\n--- ${host} ping statistics ---\n`;
    s += `${sent} packets transmitted, ${recv} packets received, ${sent ? Math.floor(((sent - recv) * 100) / sent) : 0}% packet loss\n`;
    if (recv > 0) {
      const sum = rtts.reduce((a, b) => a + b, 0);
      s += `round-trip min/avg/max = ${fmtUs(Math.min(...rtts))}/${fmtUs(Math.floor(sum / recv))}/${fmtUs(Math.max(...rtts))} ms\n`;
    }
    return s;
  };
  const finish = (): number => {
    p.out(stats());
    return recv === 0 || (deadlineAt !== undefined && count! > 0 && recv < count!) ? 1 : 0;
  };

  for (let seq = 0; count === 0 ? seq < MAX_PINGS : seq < count!; seq++) {
    const sendAt = start + seq * interval;
    if (sendAt >= stopAt) break;
    advanceTo(sendAt);
    const last = count! > 0 && seq === count! - 1;
    const waitMs = Math.max(0, Math.min(last ? timeoutSec! * 1000 : interval, stopAt - clock.now()));
    const opts: { timeoutMs: number; size: number; seq: number; ttl?: number; src?: string } = { timeoutMs: waitMs, size: size!, seq };
    if (ttl !== undefined) opts.ttl = ttl;
    if (src !== undefined) opts.src = src;
    const before = clock.now();
    const res = ns.ping(dst, opts);
    sent++;
    if (res.ok) {
      recv++;
      const us = Math.max(0, Math.round(res.reply.rttMs * 1000));
      rtts.push(us);
      advanceTo(before + res.reply.rttMs);
      if (!quiet) p.out(`${size! + 8} bytes from ${res.reply.from}: seq=${seq} ttl=${res.reply.ttl} time=${fmtUs(us)} ms\n`);
      if (last) return finish();
    } else {
      const d = res.disposition;
      // A refusal by the local stack (no route, a blackhole/unreachable route, a local
      // firewall) fails sendto() at once; a remote ICMP error or a neighbour that never
      // answers ARP is just a missing reply.
      if (d.kind === "unreachable" && !res.icmpError && ["ENETUNREACH", "EHOSTUNREACH", "EINVAL", "EPERM"].includes(d.errno)) {
        p.err(`ping: sendto: ${strerror(d.errno)}\n`);
        return 1;
      }
      advanceTo(before + waitMs);
    }
  }
  advanceTo(stopAt === Infinity ? clock.now() : Math.min(stopAt, clock.now()));
  if (shellDeadline !== undefined && clock.now() >= shellDeadline && (deadlineAt === undefined || shellDeadline < deadlineAt)) {
    // The shell's timeout ends ping like a signal: no statistics.
    return 124;
  }
  return finish();
}

/** The busybox `ping` program. */
export const ping: ProgramSpec = { name: "ping", summary: "send ICMP echo requests (busybox 1.35)", run };

/** Programs this folder provides. */
export const programs: ProgramSpec[] = [ping];
