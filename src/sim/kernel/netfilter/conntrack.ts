/**
 * Connection tracking (nf_conntrack): flows keyed by their original and reply tuples, the
 * per-packet state that `-m conntrack --ctstate` sees, the TCP state machine in the names
 * `conntrack -L` prints, and the timeouts of Linux 6.x defaults (net.netfilter.nf_conntrack_*:
 * udp 30/120 s, icmp 30 s, tcp syn_sent 120, syn_recv 60, established 432000, fin_wait 120,
 * close_wait 60, last_ack 30, time_wait 120, close 10), all in virtual time.
 *
 * An entry is created unconfirmed by the first packet (at PREROUTING or OUTPUT) and enters the
 * table only when that packet leaves the last hook (POSTROUTING or INPUT), as
 * __nf_conntrack_confirm does; a packet dropped on the way leaves nothing behind.
 */
import type { ConntrackEntry, ConntrackTuple } from "../api.js";
import type { Packet } from "../packet.js";
import { TupleIndex } from "./ct-index.js";

export type CtDir = "orig" | "reply";

/** Conntrack state a packet carries between hooks (skb->_nfct). */
export interface PacketCt {
  flow?: CtFlow;
  dir: CtDir;
  /** ctstate names that hold, as CT_* bits: NEW, ESTABLISHED, RELATED, INVALID (+ SNAT/DNAT for the conntrack match). */
  states: number;
  related: boolean;
  untracked: boolean;
}

/** ctstate names as bits (`--ctstate`/`--state` test a packet's bits against a rule's). */
export const CT_NEW = 1, CT_ESTABLISHED = 2, CT_RELATED = 4, CT_INVALID = 8, CT_UNTRACKED = 16, CT_SNAT = 32, CT_DNAT = 64;
const CT_BIT = new Map<string, number>([["NEW", CT_NEW], ["ESTABLISHED", CT_ESTABLISHED], ["RELATED", CT_RELATED], ["INVALID", CT_INVALID], ["UNTRACKED", CT_UNTRACKED], ["SNAT", CT_SNAT], ["DNAT", CT_DNAT]]);

/** The bits of a rule's list of ctstate names (a name that is none of them never holds). */
export function ctBits(names: readonly string[]): number {
  let b = 0;
  for (const n of names) b |= CT_BIT.get(n) ?? 0;
  return b;
}

/** A packet seen while conntrack is off in the namespace: no flow (shared, frozen; the walk sees it as UNTRACKED). */
export const UNTRACKED: PacketCt = Object.freeze({ dir: "orig", states: 0, related: false, untracked: true }) as PacketCt;

/** `state` (CT_NEW, CT_ESTABLISHED or CT_RELATED) plus the NAT statuses of `f` (SNAT: the reply goes elsewhere; DNAT: it comes from elsewhere, IPVS aside). */
export function ctStates(state: number, f: CtFlow): number {
  return state | (f.reply.dst !== f.orig.src ? CT_SNAT : 0) | (f.reply.src !== f.orig.dst && !f.ipvs ? CT_DNAT : 0);
}

export interface CtFlow {
  proto: "tcp" | "udp" | "icmp";
  orig: ConntrackTuple;
  /** Starts as the inverse of `orig`; NAT rewrites it (DNAT: reply.src, SNAT: reply.dst). */
  reply: ConntrackTuple;
  tcpState?: TcpState;
  expiresAt: number;
  seenReply: boolean;
  assured: boolean;
  /** NAT decided for the destination (PREROUTING/OUTPUT) and source (POSTROUTING/INPUT) manip. */
  natDone: { dst: boolean; src: boolean };
  confirmed: boolean;
  mark: number;
  /** UDP: time after which a replied flow counts as a stream (ASSURED, 120 s timeout). */
  streamAt: number;
  /** Creation order, for listings. */
  seq: number;
  /** IPVS altered the reply tuple (ip_vs_update_conntrack): it differs from the original without a DNAT status. */
  ipvs?: boolean;
}

/** ip_vs_update_conntrack: the reply of an unconfirmed flow comes from IPVS's real server, with no NAT status for it. */
export function ipvsAlterReply(flow: CtFlow, realServer: string, port: number | undefined): void {
  flow.reply = { ...flow.reply, src: realServer, ...(port !== undefined ? { sport: port } : {}) };
  flow.ipvs = true;
}

export type TcpState = "SYN_SENT" | "SYN_RECV" | "ESTABLISHED" | "FIN_WAIT" | "CLOSE_WAIT" | "LAST_ACK" | "TIME_WAIT" | "CLOSE";

const TCP_TIMEOUT_S: Record<TcpState, number> = {
  SYN_SENT: 120, SYN_RECV: 60, ESTABLISHED: 432000, FIN_WAIT: 120, CLOSE_WAIT: 60, LAST_ACK: 30, TIME_WAIT: 120, CLOSE: 10,
};
const UDP_TIMEOUT_S = 30;
const UDP_STREAM_TIMEOUT_S = 120;
const ICMP_TIMEOUT_S = 30;

/** ICMP query types and their replies (nf_conntrack_proto_icmp invmap). */
const ICMP_INVERSE: Record<number, number> = { 8: 0, 0: 8, 13: 14, 14: 13, 15: 16, 16: 15, 17: 18, 18: 17 };
/** ICMP error types whose payload names a tracked flow (RELATED). */
export const ICMP_ERRORS = new Set([3, 4, 5, 11, 12]);

/** The tuple of a packet as it is now (before any translation at this hook). */
export function packetTuple(p: Packet): ConntrackTuple | undefined {
  if (p.ip.proto === "icmp") {
    if (!p.icmp) return undefined;
    return { src: p.ip.src, dst: p.ip.dst, type: p.icmp.type, code: p.icmp.code, id: p.icmp.id ?? 0 };
  }
  const l4 = p.tcp ?? p.udp;
  if (!l4) return undefined;
  return { src: p.ip.src, dst: p.ip.dst, sport: l4.sport, dport: l4.dport };
}

/** The tuple a reply to `t` carries. */
export function invertTuple(proto: CtFlow["proto"], t: ConntrackTuple): ConntrackTuple {
  if (proto === "icmp") return { src: t.dst, dst: t.src, type: ICMP_INVERSE[t.type ?? 8] ?? 0, code: t.code, id: t.id };
  return { src: t.dst, dst: t.src, sport: t.dport, dport: t.sport };
}

/** The conntrack table of one namespace. */
export class ConntrackTable {
  /** Each confirmed flow under its original and its reply tuple. */
  private byKey = new TupleIndex<{ flow: CtFlow; dir: CtDir }>();
  private flows = new Set<CtFlow>();
  private seq = 0;

  /** Finds the confirmed flow a tuple belongs to, expiring stale flows on the way. */
  find(proto: string, t: ConntrackTuple, now: number): { flow: CtFlow; dir: CtDir } | undefined {
    const hit = this.byKey.get(proto, t);
    if (!hit) return undefined;
    if (hit.flow.expiresAt <= now) {
      this.remove(hit.flow);
      return undefined;
    }
    return hit;
  }

  /** `find` for the tuple a (well-formed) packet has now, without building the tuple. */
  findPacket(p: Packet, now: number): { flow: CtFlow; dir: CtDir } | undefined {
    const hit = this.byKey.getPacket(p);
    if (!hit) return undefined;
    if (hit.flow.expiresAt <= now) {
      this.remove(hit.flow);
      return undefined;
    }
    return hit;
  }

  /** A new unconfirmed flow for a first packet. */
  create(proto: CtFlow["proto"], t: ConntrackTuple, now: number): CtFlow {
    return {
      proto, orig: { ...t }, reply: invertTuple(proto, t), expiresAt: now, seenReply: false, assured: false,
      natDone: { dst: false, src: false }, confirmed: false, mark: 0, streamAt: now + 2000, seq: ++this.seq,
    };
  }

  /** Inserts a flow under both tuples (__nf_conntrack_confirm). Returns false on a clash with an existing flow. */
  confirm(flow: CtFlow): boolean {
    if (this.byKey.has(flow.proto, flow.orig) || this.byKey.has(flow.proto, flow.reply)) return false;
    flow.confirmed = true;
    this.byKey.set(flow.proto, flow.orig, { flow, dir: "orig" });
    this.byKey.set(flow.proto, flow.reply, { flow, dir: "reply" });
    this.flows.add(flow);
    return true;
  }

  remove(flow: CtFlow): void {
    if (!this.flows.delete(flow)) return;
    if (this.byKey.get(flow.proto, flow.orig)?.flow === flow) this.byKey.delete(flow.proto, flow.orig);
    if (this.byKey.get(flow.proto, flow.reply)?.flow === flow) this.byKey.delete(flow.proto, flow.reply);
  }

  flush(): void {
    this.byKey.clear();
    this.flows.clear();
  }

  /**
   * Live flows as `conntrack -L` reports them, oldest first. The timeout is rounded down as the
   * kernel's jiffies are: a flow listed the moment it was made shows 119 of 120 s, as on Linux.
   */
  list(now: number): ConntrackEntry[] {
    const out: ConntrackEntry[] = [];
    for (const f of [...this.flows]) {
      if (f.expiresAt <= now) {
        this.remove(f);
        continue;
      }
      const flags: string[] = [];
      if (!f.seenReply) flags.push("UNREPLIED");
      if (f.assured) flags.push("ASSURED");
      out.push({
        proto: f.proto, state: f.tcpState, timeoutSec: Math.max(0, Math.floor((f.expiresAt - now - 1) / 1000)),
        orig: { ...f.orig }, reply: { ...f.reply }, flags, mark: f.mark, use: 1,
      });
    }
    return out;
  }
}

/**
 * Decides whether a packet without a flow may start one (tcp_new: a lone SYN/ACK or RST is
 * INVALID; nf_conntrack_tcp_loose=1 picks up a mid-stream ACK as ESTABLISHED) and an ICMP
 * packet that is not a query (an echo reply without request) is INVALID.
 */
export function canCreate(p: Packet): boolean {
  if (p.tcp) {
    const f = p.tcp.flags;
    if (f.includes("RST")) return false;
    if (f.includes("SYN") && f.includes("ACK")) return false;
    return true;
  }
  if (p.icmp) return p.icmp.type === 8 || p.icmp.type === 13 || p.icmp.type === 15 || p.icmp.type === 17;
  return true;
}

/** Updates a flow's protocol state and timeout for one packet in direction `dir` (the *_packet handlers). */
export function updateFlow(flow: CtFlow, p: Packet, dir: CtDir, now: number): void {
  if (dir === "reply") flow.seenReply = true;
  if (flow.proto === "udp") {
    if (flow.seenReply) {
      let timeout = UDP_TIMEOUT_S;
      if (now > flow.streamAt) {
        timeout = UDP_STREAM_TIMEOUT_S;
        flow.assured = true;
      }
      flow.expiresAt = now + timeout * 1000;
    } else flow.expiresAt = now + UDP_TIMEOUT_S * 1000;
    return;
  }
  if (flow.proto === "icmp") {
    flow.expiresAt = now + ICMP_TIMEOUT_S * 1000;
    return;
  }
  const f = p.tcp?.flags ?? [];
  const old = flow.tcpState;
  let next: TcpState | undefined = old;
  if (f.includes("RST")) next = "CLOSE";
  else if (old === undefined) next = f.includes("SYN") ? "SYN_SENT" : "ESTABLISHED";
  else if (f.includes("SYN") && f.includes("ACK")) next = dir === "reply" && (old === "SYN_SENT" || old === "SYN_RECV") ? "SYN_RECV" : old;
  else if (f.includes("SYN")) next = old === "TIME_WAIT" || old === "CLOSE" ? "SYN_SENT" : old;
  else if (f.includes("FIN")) {
    if (old === "ESTABLISHED" || old === "SYN_RECV") next = "FIN_WAIT";
    else if (old === "FIN_WAIT" || old === "CLOSE_WAIT") next = "LAST_ACK";
  } else if (f.includes("ACK")) {
    if (old === "SYN_RECV" && dir === "orig") next = "ESTABLISHED";
    else if (old === "FIN_WAIT") next = "CLOSE_WAIT";
    else if (old === "LAST_ACK") next = "TIME_WAIT";
  }
  if (next && (old === "SYN_RECV" || old === "ESTABLISHED") && next === "ESTABLISHED") flow.assured = true;
  if (next === "ESTABLISHED" && old === undefined) flow.assured = false;
  flow.tcpState = next;
  if (next) flow.expiresAt = now + TCP_TIMEOUT_S[next] * 1000;
}
