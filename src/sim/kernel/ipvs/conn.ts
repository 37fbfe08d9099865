/**
 * The IPVS connection table (net/netfilter/ipvs/ip_vs_conn.c): one entry per client flow to a
 * virtual service, separate from conntrack, found from either direction by a hash lookup:
 *
 *   in  (client → VIP):          proto, caddr:cport, vaddr:vport   (ip_vs_conn_in_get)
 *   out (real server → client):  proto, daddr:dport, caddr:cport   (ip_vs_conn_out_get)
 *
 * Entries live in virtual time: each packet moves a TCP entry through the state table of
 * ip_vs_proto_tcp.c (tcp_states, INPUT rows for client packets, OUTPUT rows for the server's)
 * and re-arms its timer with that state's timeout; UDP entries (ip_vs_proto_udp.c) re-arm 300 s.
 * A new entry is inactive (IP_VS_CONN_F_INACTIVE, counted in InActConn) until it reaches
 * ESTABLISHED, and goes back to inactive when it leaves it.
 */
import type { IpvsConnInfo, IpvsProto } from "../api.js";
import type { Packet } from "../packet.js";

/** What a connection needs of its real server: the counters ipvsadm prints. */
export interface ConnDest {
  addr: string;
  port: number;
  activeConns: number;
  inactConns: number;
}

export interface IpvsConn<D extends ConnDest = ConnDest> {
  proto: IpvsProto;
  caddr: string;
  cport: number;
  vaddr: string;
  vport: number;
  daddr: string;
  dport: number;
  dest: D;
  /** Service key, for the statistics of both directions. */
  svcKey: string;
  state: TcpState | "UDP";
  inactive: boolean;
  expiresAt: number;
  /** Creation order (connections and persistence templates share it), for listings. */
  seq: number;
}

type TcpState = "NONE" | "ESTABLISHED" | "SYN_SENT" | "SYN_RECV" | "FIN_WAIT" | "TIME_WAIT" | "CLOSE" | "CLOSE_WAIT" | "LAST_ACK" | "LISTEN" | "SYNACK";

const ORDER: TcpState[] = ["NONE", "ESTABLISHED", "SYN_SENT", "SYN_RECV", "FIN_WAIT", "TIME_WAIT", "CLOSE", "CLOSE_WAIT", "LAST_ACK", "LISTEN", "SYNACK"];

/** tcp_timeouts, seconds. ESTABLISHED, FIN_WAIT and UDP are what `ipvsadm --set tcp tcpfin udp` changes. */
const TCP_TIMEOUTS: Record<TcpState, number> = {
  NONE: 2, ESTABLISHED: 900, SYN_SENT: 120, SYN_RECV: 60, FIN_WAIT: 120, TIME_WAIT: 120,
  CLOSE: 10, CLOSE_WAIT: 60, LAST_ACK: 30, LISTEN: 120, SYNACK: 120,
};

/** tcp_states (not the secure_tcp table): [direction][syn,fin,ack,rst] → next state by current state. */
const S = (row: string): TcpState[] => row.split(" ").map((x) => ({ NO: "NONE", ES: "ESTABLISHED", SS: "SYN_SENT", SR: "SYN_RECV", FW: "FIN_WAIT", TW: "TIME_WAIT", CL: "CLOSE", CW: "CLOSE_WAIT", LA: "LAST_ACK", LI: "LISTEN", SA: "SYNACK" })[x] as TcpState);
const TCP_STATES: Record<"in" | "out", TcpState[][]> = {
  in: [
    S("SR ES ES SR SR SR SR SR SR SR SR"),
    S("CL CW SS TW TW TW CL CW LA LI TW"),
    S("CL ES SS ES FW TW CL CW CL LI ES"),
    S("CL CL CL SR CL CL CL CL LA LI SR"),
  ],
  out: [
    S("SS ES SS SR SS SS SS SS SS LI SR"),
    S("TW FW SS TW FW TW CL TW LA LI TW"),
    S("ES ES SS ES FW TW CL CW LA ES ES"),
    S("CL CL SS CL CL TW CL CL CL CL CL"),
  ],
};

/** tcp_state_idx: RST first, then SYN, FIN, ACK; -1 for none of them. */
function tcpIdx(flags: readonly string[]): number {
  if (flags.includes("RST")) return 3;
  if (flags.includes("SYN")) return 0;
  if (flags.includes("FIN")) return 1;
  if (flags.includes("ACK")) return 2;
  return -1;
}

const inKey = (proto: string, caddr: string, cport: number, vaddr: string, vport: number) => `${proto} ${caddr}:${cport} ${vaddr}:${vport}`;
const outKey = (proto: string, daddr: string, dport: number, caddr: string, cport: number) => `${proto} ${daddr}:${dport} ${caddr}:${cport}`;

/** The connection table of one namespace. */
export class ConnTable<D extends ConnDest = ConnDest> {
  private readonly byIn = new Map<string, IpvsConn<D>>();
  private readonly byOut = new Map<string, IpvsConn<D>>();
  private seq = 0;

  /** The next creation number (persistence templates take theirs here too). */
  nextSeq(): number {
    return ++this.seq;
  }
  /** Timeouts `ipvsadm --set` changes (seconds). */
  readonly timeouts = { tcp: TCP_TIMEOUTS.ESTABLISHED, tcpFin: TCP_TIMEOUTS.FIN_WAIT, udp: 300 };

  /** ip_vs_conn_in_get: the entry of a client's packet to a VIP. */
  getIn(proto: IpvsProto, caddr: string, cport: number, vaddr: string, vport: number, now: number): IpvsConn<D> | undefined {
    return this.live(this.byIn.get(inKey(proto, caddr, cport, vaddr, vport)), now);
  }

  /** ip_vs_conn_out_get: the entry of a real server's reply to a client. */
  getOut(proto: IpvsProto, daddr: string, dport: number, caddr: string, cport: number, now: number): IpvsConn<D> | undefined {
    return this.live(this.byOut.get(outKey(proto, daddr, dport, caddr, cport)), now);
  }

  /** ip_vs_conn_new + ip_vs_bind_dest: a new, inactive entry (its first packet sets its state). */
  create(c: Omit<IpvsConn<D>, "state" | "inactive" | "expiresAt" | "seq">, now: number): IpvsConn<D> {
    const conn: IpvsConn<D> = { ...c, state: c.proto === "udp" ? "UDP" : "NONE", inactive: true, expiresAt: now + TCP_TIMEOUTS.NONE * 1000, seq: this.nextSeq() };
    conn.dest.inactConns++;
    this.byIn.set(inKey(c.proto, c.caddr, c.cport, c.vaddr, c.vport), conn);
    this.byOut.set(outKey(c.proto, c.daddr, c.dport, c.caddr, c.cport), conn);
    return conn;
  }

  /** tcp_state_transition / udp_state_transition for one packet in direction `dir`. */
  transition(conn: IpvsConn<D>, dir: "in" | "out", pkt: Packet, now: number): void {
    if (conn.proto === "udp") {
      conn.expiresAt = now + this.timeouts.udp * 1000;
      return;
    }
    const idx = pkt.tcp ? tcpIdx(pkt.tcp.flags) : -1;
    const cur = conn.state as TcpState;
    const next: TcpState = idx < 0 ? "CLOSE" : TCP_STATES[dir][idx]![ORDER.indexOf(cur)]!;
    if (next !== cur) {
      if (!conn.inactive && next !== "ESTABLISHED") {
        conn.dest.activeConns--;
        conn.dest.inactConns++;
        conn.inactive = true;
      } else if (conn.inactive && next === "ESTABLISHED") {
        conn.dest.activeConns++;
        conn.dest.inactConns--;
        conn.inactive = false;
      }
    }
    conn.state = next;
    conn.expiresAt = now + this.timeoutOf(next) * 1000;
  }

  private timeoutOf(s: TcpState): number {
    if (s === "ESTABLISHED") return this.timeouts.tcp;
    if (s === "FIN_WAIT") return this.timeouts.tcpFin;
    return TCP_TIMEOUTS[s];
  }

  /** Entries still alive, in creation order (the kernel lists its hash buckets; order differs), with their creation numbers. */
  list(now: number): Array<IpvsConnInfo & { seq: number }> {
    this.sweep(now);
    return [...this.byIn.values()].map((c) => ({
      seq: c.seq,
      proto: c.proto,
      client: { addr: c.caddr, port: c.cport },
      virtual: { addr: c.vaddr, port: c.vport },
      dest: { addr: c.daddr, port: c.dport },
      state: c.state,
      expiresSec: Math.max(0, Math.floor((c.expiresAt - now) / 1000)),
    }));
  }

  /** ip_vs_conn_expire for every entry whose timer ran out. */
  sweep(now: number): void {
    for (const c of this.byIn.values()) if (c.expiresAt <= now) this.expire(c);
  }

  /** ip_vs_conn_expire_now. */
  expireNow(c: IpvsConn<D>): void {
    if (this.byIn.get(inKey(c.proto, c.caddr, c.cport, c.vaddr, c.vport)) === c) this.expire(c);
  }

  /** Drops entries bound to `pred` (a deleted service's, on flush). */
  dropWhere(pred: (c: IpvsConn<D>) => boolean): void {
    for (const c of [...this.byIn.values()]) if (pred(c)) this.expire(c);
  }

  get size(): number {
    return this.byIn.size;
  }

  private live(c: IpvsConn<D> | undefined, now: number): IpvsConn<D> | undefined {
    if (!c) return undefined;
    if (c.expiresAt <= now) {
      this.expire(c);
      return undefined;
    }
    return c;
  }

  private expire(c: IpvsConn<D>): void {
    this.byIn.delete(inKey(c.proto, c.caddr, c.cport, c.vaddr, c.vport));
    this.byOut.delete(outKey(c.proto, c.daddr, c.dport, c.caddr, c.cport));
    if (c.inactive) c.dest.inactConns--;
    else c.dest.activeConns--;
  }
}
