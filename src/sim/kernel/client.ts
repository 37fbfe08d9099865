/**
 * The client side of ping, TCP and UDP exchanges, in virtual time: send, let the world run
 * (frames are processed at once; ARP retries and TCP SYN retransmissions wait on the clock),
 * and report the reply or the disposition with its reason and the exchange's trace.
 */
import { KernelError, type DatagramResult, type Disposition, type ErrnoName, type PingResult, type StreamResult, type UdpSocket } from "./api.js";
import type { Netns } from "./netns.js";
import type { ClientState } from "./sockets.js";
import { HOP_MS } from "./engine.js";
import { ipLocalOut, sourceFor } from "./ip.js";
import { formatIp, parseIp } from "./wire/ipv4.js";

const STEP_MS = 100;
/** TCP SYN retransmissions (tcp_syn_retries = 6): 1, 3, 7, 15, 31, 63 s after the first SYN; gives up at 127 s. */
const SYN_RETRY_AT = [1000, 3000, 7000, 15000, 31000, 63000];
const SYN_GIVE_UP = 127000;

const NEVER: readonly number[] = [];

/**
 * Lets virtual time run in small steps until `st` is done or `timeoutMs` passed; calls `due` at
 * each of the times `at` (ms after the start, ascending) reached while not done.
 */
function wait(ns: Netns, st: ClientState, timeoutMs: number, at: readonly number[] = NEVER, due?: () => void): void {
  const clock = ns.engine.clock;
  const start = clock.now();
  const deadline = start + timeoutMs;
  let next = 0;
  // Called from a socket handler (the engine is mid-drain): run our own frames now (nested drain).
  const nested = ns.engine.draining;
  if (nested) ns.engine.drain();
  while (!st.done && clock.now() < deadline) {
    const nextDue = next < at.length ? start + at[next]! : Infinity;
    const target = Math.min(deadline, clock.now() + STEP_MS, nextDue);
    clock.advance(Math.max(0, target - clock.now()));
    if (next < at.length && clock.now() >= start + at[next]! && !st.done) {
      next++;
      due!();
    }
    if (nested) ns.engine.drain();
  }
}

/** Picks the source address: the bound one (must be local) or the route's. */
function pickSource(ns: Netns, dst: number, bound?: string): { src: string } | { errno: ErrnoName; reason: string } {
  const r = ns.fib.lookup(dst);
  // ip_route_output_key: an unreachable route is EHOSTUNREACH, a blackhole one EINVAL, none ENETUNREACH.
  if (!r || r.type === "unreachable" || r.type === "blackhole") return { errno: r?.type === "unreachable" ? "EHOSTUNREACH" : r?.type === "blackhole" ? "EINVAL" : "ENETUNREACH", reason: r?.type === "blackhole" ? `blackhole route to ${formatIp(dst)}` : `no route to host ${formatIp(dst)}` };
  if (bound !== undefined) {
    const b = parseIp(bound);
    if (b === undefined || !ns.addrs.isLocal(b)) throw new KernelError("EADDRNOTAVAIL");
    return { src: bound };
  }
  return { src: formatIp(sourceFor(ns, r, dst)) };
}

function unreachable(errno: ErrnoName, reason: string): Disposition {
  return { kind: "unreachable", errno, reason };
}

/** One ICMP echo request and its reply. */
export function ping(ns: Netns, dstText: string, opts: { timeoutMs?: number; ttl?: number; size?: number; src?: string; seq?: number; id?: number } = {}): PingResult {
  const tracer = ns.engine.tracer;
  const mark = tracer.mark();
  const dst = parseIp(dstText);
  if (dst === undefined) throw new KernelError("EINVAL");
  const picked = pickSource(ns, dst, opts.src);
  if ("errno" in picked) return { ok: false, disposition: unreachable(picked.errno, picked.reason), trace: tracer.since(mark) };
  const id = opts.id ?? ns.engine.rng.int(65536);
  const st = ns.sockets.pingOpen(id);
  const hops0 = ns.engine.hops;
  const size = opts.size ?? 56;
  try {
    const res = ipLocalOut(ns, {
      id: ns.engine.packetId(),
      ip: { src: picked.src, dst: dstText, ttl: opts.ttl ?? 64, proto: "icmp", len: 20 + 8 + size, df: true },
      icmp: { type: 8, code: 0, id, seq: opts.seq ?? 1 },
      mark: 0,
    });
    if (!res.ok) return { ok: false, disposition: unreachable(res.errno, res.reason), trace: tracer.since(mark) };
    const t0 = ns.engine.clock.now();
    wait(ns, st, opts.timeoutMs ?? 10000);
    if (st.reply) {
      const waited = ns.engine.clock.now() - t0;
      const rtt = waited + (ns.engine.hops - hops0) * HOP_MS;
      ns.engine.clock.advance((ns.engine.hops - hops0) * HOP_MS);
      return { ok: true, reply: { from: st.reply.from, ttl: st.reply.ttl, rttMs: Math.round(rtt * 1000) / 1000 }, trace: tracer.since(mark) };
    }
    if (st.icmpError) {
      const e = st.icmpError;
      const errno: ErrnoName = e.type === 3 && e.code === 0 ? "ENETUNREACH" : "EHOSTUNREACH";
      return { ok: false, disposition: unreachable(errno, `${e.text} from ${e.from}`), trace: tracer.since(mark), icmpError: { from: e.from, text: e.text } };
    }
    return { ok: false, disposition: { kind: "timeout", reason: lastDrop(ns, mark) ?? "no echo reply" }, trace: tracer.since(mark) };
  } finally {
    ns.sockets.pingClose(id);
  }
}

/** The last drop reason in the trace since `mark`. */
function lastDrop(ns: Netns, mark: number): string | undefined {
  const evs = ns.engine.tracer.since(mark);
  for (let i = evs.length - 1; i >= 0; i--) if (evs[i]!.step === "drop") return evs[i]!.text;
  return undefined;
}

/** A TCP request/response exchange. */
export function tcpRequest(ns: Netns, dstText: string, port: number, request: Uint8Array, opts: { timeoutMs?: number; src?: string } = {}): StreamResult {
  const tracer = ns.engine.tracer;
  const mark = tracer.mark();
  const dst = parseIp(dstText);
  if (dst === undefined) throw new KernelError("EINVAL");
  const picked = pickSource(ns, dst, opts.src);
  if ("errno" in picked) return { ok: false, disposition: unreachable(picked.errno, picked.reason), trace: tracer.since(mark) };
  const c = ns.sockets.tcpOpen({ addr: picked.src, port: ns.ephemeralPort() }, { addr: dstText, port }, request);
  const hops0 = ns.engine.hops;
  try {
    const first = ns.sockets.tcpSyn(c);
    // tcp_connect ignores a transmit error other than ECONNREFUSED: a SYN that OUTPUT dropped
    // (EPERM) is retransmitted until the connect times out, and one OUTPUT REJECTed is answered
    // by the REJECT's own ICMP error or RST, delivered here (Connection refused), as recorded.
    if (!first.ok && first.errno !== "EPERM") return { ok: false, disposition: unreachable(first.errno, first.reason), trace: tracer.since(mark) };
    const timeout = Math.min(opts.timeoutMs ?? SYN_GIVE_UP, SYN_GIVE_UP);
    wait(ns, c, timeout, SYN_RETRY_AT, () => {
      if (c.phase === "syn-sent") ns.sockets.tcpSyn(c);
    });
    ns.engine.clock.advance((ns.engine.hops - hops0) * HOP_MS);
    if (c.reset) return { ok: false, disposition: { kind: "refused" }, trace: tracer.since(mark) };
    if (c.icmpError) {
      const e = c.icmpError;
      const errno: ErrnoName = e.type === 3 && e.code === 3 ? "ECONNREFUSED" : e.type === 3 && e.code === 0 ? "ENETUNREACH" : "EHOSTUNREACH";
      if (errno === "ECONNREFUSED") return { ok: false, disposition: { kind: "refused" }, trace: tracer.since(mark) };
      return { ok: false, disposition: unreachable(errno, `${e.text} from ${e.from}`), trace: tracer.since(mark) };
    }
    if (c.response !== undefined) return { ok: true, response: c.response, local: c.local, trace: tracer.since(mark) };
    return { ok: false, disposition: { kind: "timeout", reason: lastDrop(ns, mark) ?? "no answer to SYN" }, trace: tracer.since(mark) };
  } finally {
    ns.sockets.tcpClose(c);
  }
}

/** One UDP datagram and its reply. */
export function udpRequest(ns: Netns, dstText: string, port: number, payload: Uint8Array, opts: { timeoutMs?: number; src?: string } = {}): DatagramResult {
  const tracer = ns.engine.tracer;
  const mark = tracer.mark();
  const dst = parseIp(dstText);
  if (dst === undefined) throw new KernelError("EINVAL");
  const picked = pickSource(ns, dst, opts.src);
  if ("errno" in picked) return { ok: false, disposition: unreachable(picked.errno, picked.reason), trace: tracer.since(mark) };
  const sport = ns.ephemeralPort();
  const st = ns.sockets.udpOpen(sport);
  const hops0 = ns.engine.hops;
  try {
    const res = ns.sockets.udpSend(picked.src, sport, dstText, port, payload);
    if (!res.ok) return { ok: false, disposition: unreachable(res.errno, res.reason), trace: tracer.since(mark) };
    wait(ns, st, opts.timeoutMs ?? 5000);
    ns.engine.clock.advance((ns.engine.hops - hops0) * HOP_MS);
    if (st.response !== undefined) return { ok: true, response: st.response, from: st.from!, trace: tracer.since(mark) };
    if (st.icmpError) {
      const e = st.icmpError;
      if (e.type === 3 && e.code === 3) return { ok: false, disposition: { kind: "refused" }, trace: tracer.since(mark) };
      return { ok: false, disposition: unreachable("EHOSTUNREACH", `${e.text} from ${e.from}`), trace: tracer.since(mark) };
    }
    return { ok: false, disposition: { kind: "timeout", reason: lastDrop(ns, mark) ?? "no reply" }, trace: tracer.since(mark) };
  } finally {
    ns.sockets.udpClose(sport);
  }
}

/**
 * The error a connected UDP socket without IP_RECVERR is given for an ICMP error, or undefined:
 * __udp4_lib_err keeps only icmp_err_convert's fatal codes (port and protocol unreachable, net/
 * host unknown, administratively prohibited, ...); net and host unreachable, time exceeded and
 * the rest are ignored, so the program just sees no answer.
 */
function udpSocketErrno(e: { type: number; code: number }): ErrnoName | undefined {
  if (e.type !== 3) return undefined;
  if (e.code === 3 || e.code === 2) return "ECONNREFUSED";
  if (e.code === 6 || e.code === 9) return "ENETUNREACH";
  if (e.code === 7 || e.code === 8 || e.code === 10 || e.code === 13 || e.code === 15) return "EHOSTUNREACH";
  return undefined;
}

/**
 * A connected UDP socket (api.ts UdpSocket): datagrams from the peer queue up until `recv`; an
 * ICMP error is the pending error the next send or recv reports. Frames are processed at once,
 * so a refusal of the first datagram is pending before the program sends the second.
 */
export function udpSocket(ns: Netns, dstText: string, port: number, opts: { src?: string } = {}): UdpSocket {
  const dst = parseIp(dstText);
  if (dst === undefined) throw new KernelError("EINVAL");
  const picked = pickSource(ns, dst, opts.src);
  if ("errno" in picked) throw new KernelError(picked.errno);
  const sport = ns.ephemeralPort();
  const st = ns.sockets.udpOpen(sport);
  st.queue = [];
  const pending = (): ErrnoName | undefined => {
    const e = st.icmpError;
    if (!e) return undefined;
    st.icmpError = undefined;
    st.done = st.queue!.length > 0;
    return udpSocketErrno(e);
  };
  let hops = ns.engine.hops;
  return {
    port: sport,
    send(payload) {
      const err = pending();
      if (err) return { ok: false, errno: err };
      const r = ns.sockets.udpSend(picked.src, sport, dstText, port, payload);
      return r.ok ? { ok: true } : { ok: false, errno: r.errno };
    },
    recv(timeoutMs) {
      const err = pending();
      if (err) return { errno: err };
      if (st.queue!.length === 0) {
        st.done = false;
        wait(ns, st, timeoutMs);
        // The replies' hops, as udpRequest counts them: the answer is later by its path's latency.
        ns.engine.clock.advance((ns.engine.hops - hops) * HOP_MS);
        hops = ns.engine.hops;
      }
      const got = st.queue!.shift();
      if (got) {
        st.done = st.queue!.length > 0 || st.icmpError !== undefined;
        return { data: got.data };
      }
      const late = pending();
      return late ? { errno: late } : undefined;
    },
    close() {
      ns.sockets.udpClose(sport);
    },
  };
}
