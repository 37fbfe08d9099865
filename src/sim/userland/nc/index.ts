/**
 * busybox 1.35 `nc` (networking/nc.c, the small variant this build has): a TCP client that sends
 * its stdin and prints what the server answers until it closes, and `nc -l -p PORT`, a server for
 * one connection that prints what the client sent and answers with its own stdin. On the kernel's
 * request/response sockets a client exchange is one tcpRequest; a listener is a tcpListen whose
 * first connection ends the process (until then its promise stays pending, as a real `nc -l`
 * blocks).
 *
 *   nc: can't connect to remote host (10.0.0.1): Connection refused
 *   nc: bad address 'nosuch.invalid'
 */
import { strerror } from "../lib/errno.js";
import { busyboxGetopt, busyboxUsage } from "../lib/busybox.js";
import { resolveIpv4 } from "../lib/resolver.js";
import { pastDeadline, waitMs, waitOrDie } from "../lib/deadline.js";
import type { ProgramSpec, Proc } from "../types.js";

const enc = new TextEncoder();
const dec = new TextDecoder();

function port(p: Proc, text: string): number | undefined {
  if (!/^\d+$/.test(text) || Number(text) > 65535) {
    p.err(`nc: bad port '${text}'\n`);
    return undefined;
  }
  return Number(text);
}

function run(p: Proc): number | Promise<number> {
  const g = busyboxGetopt("nc", p.argv.slice(1), { l: "flag", p: "arg", w: "arg", i: "arg", f: "arg", e: "arg" });
  if (!g.ok) {
    p.err(g.message + busyboxUsage("nc"));
    return 1;
  }
  const o = (k: string) => g.opts.get(k)?.at(-1);
  if (o("f") !== undefined || o("e") !== undefined) {
    p.err(`lab: nc ${o("f") !== undefined ? "-f" : "-e"}: not available in the simulator\n`);
    return 127;
  }
  const wait = o("w");
  if (wait !== undefined && !/^\d+$/.test(wait)) {
    p.err(`nc: invalid number '${wait}'\n`);
    return 1;
  }
  const ns = p.ctx.netns;
  if (g.opts.has("l")) {
    if (g.operands.length > 0) {
      p.err(busyboxUsage("nc"));
      return 1;
    }
    const lport = o("p") !== undefined ? port(p, o("p")!) : 0;
    if (lport === undefined) return 1;
    // Serves one connection: prints what the client sent, answers with this process's stdin.
    let served: ((code: number) => void) | undefined;
    let done = false;
    let handle: { close(): void } | undefined;
    try {
      handle = ns.tcpListen("0.0.0.0", lport, (request) => {
        if (done) return new Uint8Array(0);
        done = true;
        p.out(dec.decode(request));
        handle?.close();
        served?.(0);
        return enc.encode(p.stdin);
      });
    } catch {
      p.err("nc: bind: Address already in use\n");
      return 1;
    }
    const wait = new Promise<number>((resolve) => (served = resolve));
    return waitOrDie(p, wait);
  }
  if (g.operands.length === 0 || g.operands.length > 2) {
    p.err(busyboxUsage("nc"));
    return 1;
  }
  const host = g.operands[0]!;
  const rport = g.operands[1] !== undefined ? port(p, g.operands[1]) : 0;
  if (rport === undefined) return 1;
  const ip = resolveIpv4(ns, p.ctx.fs, host, undefined, (ms) => waitMs(p, ms));
  if (!ip) {
    if (pastDeadline(p)) return 124;
    p.err(`nc: bad address '${host}'\n`);
    return 1;
  }
  const res = ns.tcpRequest(ip, rport, enc.encode(p.stdin), { timeoutMs: waitMs(p, wait !== undefined ? Number(wait) * 1000 : 130_000) });
  if (!res.ok && pastDeadline(p)) return 124;
  if (!res.ok) {
    const d = res.disposition;
    if (d.kind === "timeout") {
      p.err(wait !== undefined ? "nc: timed out\n" : `nc: can't connect to remote host (${ip}): Connection timed out\n`);
      return 1;
    }
    const errno = d.kind === "refused" ? "ECONNREFUSED" : d.kind === "unreachable" ? d.errno : "EHOSTUNREACH";
    p.err(`nc: can't connect to remote host (${ip}): ${strerror(errno)}\n`);
    return 1;
  }
  p.out(dec.decode(res.response));
  return 0;
}

/** The busybox `nc` program. */
export const nc: ProgramSpec = { name: "nc", summary: "TCP client and one-shot server (busybox 1.35)", run };

/** Programs this folder provides. */
export const programs: ProgramSpec[] = [nc];
