/**
 * The segments of one simulated TCP exchange, as Linux 6.x and busybox 1.35 put them on the wire
 * (captured with an AF_PACKET socket on a veth: busybox wget against busybox httpd, and a port
 * nobody listens on):
 *
 *   client SYN (60) ─► server SYN,ACK (60) ─► client ACK (52)
 *   client PSH,ACK request (52+n) ─► server ACK (52)             (quickack: at once)
 *   server PSH,ACK per write() (52+n) ─► client ACK each (52)
 *   server FIN,ACK (52) ─► client FIN,ACK (52) ─► server ACK (52)
 *   closed port: client SYN (60) ─► RST,ACK (40)
 *
 * A SYN and a SYN,ACK carry MSS, SACK-permitted, timestamps, NOP and window scale (20 option
 * bytes); every later segment carries NOP,NOP,timestamps (12); a RST none. So one GET of an
 * 18-byte file through busybox httpd (headers and body written separately) is 12 packets.
 * A client with nothing to send shuts its side down after the handshake (busybox nc at EOF of
 * stdin): its FIN takes the place of the request and the server answers it.
 */
import type { StreamHandler } from "./api.js";
import type { Packet } from "./packet.js";

type Flags = NonNullable<Packet["tcp"]>["flags"];
export const SYN = 1, ACK = 2, RST = 4, FIN = 8, PSH = 16;
const FLAG_BIT: Record<Flags[number], number> = { SYN, ACK, RST, FIN, PSH };

// Shared flag lists (never mutated): a segment allocates no array of its own.
export const F_SYN: Flags = ["SYN"];
const F_SYN_ACK: Flags = ["SYN", "ACK"];
const F_ACK: Flags = ["ACK"];
const F_PSH_ACK: Flags = ["PSH", "ACK"];
const F_FIN_ACK: Flags = ["FIN", "ACK"];
export const F_RST_ACK: Flags = ["RST", "ACK"];

/** A segment's flags as a bit set (SYN|ACK|...), read without building a Set per segment. */
export function flagBits(flags: readonly Flags[number][]): number {
  let b = 0;
  for (const f of flags) b |= FLAG_BIT[f];
  return b;
}

/** TCP header bytes of a segment Linux sends: 40 with the SYN options, 20 for a RST, 32 with timestamps. */
export function tcpHeaderLen(flags: readonly Flags[number][]): number {
  const f = flagBits(flags);
  return f & SYN ? 40 : f & RST ? 20 : 32;
}

/** What a client socket has seen so far. */
export interface ClientState {
  done: boolean;
  /** A connected UDP socket's datagrams not read yet (client.ts udpSocket); absent: one reply, in `response`. */
  queue?: Array<{ data: Uint8Array; from: { addr: string; port: number } }>;
  response?: Uint8Array;
  from?: { addr: string; port: number };
  reset?: boolean;
  icmpError?: { from: string; type: number; code: number; text: string };
  reply?: { from: string; ttl: number };
}

/** A client connection: its request, the response segments received, where it is in the exchange. */
export interface TcpClient extends ClientState {
  local: { addr: string; port: number };
  remote: { addr: string; port: number };
  request: Uint8Array;
  /** Payloads received, in order; joined into `response` when the server's FIN arrives. */
  chunks: Uint8Array[];
  /** half-closed: sent its FIN instead of a request; last-ack: answered the server's FIN with its own. */
  phase: "syn-sent" | "established" | "half-closed" | "last-ack" | "closed";
}

/** The server end of one connection (a listener's accepted socket). */
export interface TcpServerConn {
  answered: boolean;
  /** The client sent its FIN (before or after the answer). */
  peerFin: boolean;
}

/** Sends a segment with these flags and payload back to the sender of `to`. */
export type TcpReply = (to: Packet, flags: Flags, payload?: Uint8Array) => void;

/** Builds a client for `request` (the SYN is sent by the caller). */
export function newClient(local: TcpClient["local"], remote: TcpClient["remote"], request: Uint8Array): TcpClient {
  return { done: false, local, remote, request, chunks: [], phase: "syn-sent" };
}

/** A segment for a client socket. */
export function clientSegment(c: TcpClient, pkt: Packet, f: number, reply: TcpReply): void {
  if (f & RST) {
    c.reset = true;
    c.done = true;
    c.phase = "closed";
    return;
  }
  if (c.phase === "syn-sent") {
    if (!(f & SYN && f & ACK)) return;
    reply(pkt, F_ACK);
    if (c.request.length > 0) {
      c.phase = "established";
      reply(pkt, F_PSH_ACK, c.request);
    } else {
      c.phase = "half-closed";
      reply(pkt, F_FIN_ACK);
    }
    return;
  }
  if (c.phase === "last-ack") {
    if (f & ACK) c.phase = "closed";
    return;
  }
  if (c.phase === "closed") return;
  if (pkt.payload && pkt.payload.length > 0) {
    c.chunks.push(pkt.payload);
    if (!(f & FIN)) reply(pkt, F_ACK);
  }
  if (f & FIN) {
    c.response = join(c.chunks);
    c.done = true;
    if (c.phase === "half-closed") {
      c.phase = "closed";
      reply(pkt, F_ACK);
    } else {
      c.phase = "last-ack";
      reply(pkt, F_FIN_ACK);
    }
  }
}

/**
 * A segment for a listener `h`. `conn` is this connection's server end (undefined before the SYN
 * or after it closed); returns the end to keep, or undefined to forget it.
 */
export function serverSegment(conn: TcpServerConn | undefined, h: StreamHandler, pkt: Packet, f: number, reply: TcpReply): TcpServerConn | undefined {
  if (f & SYN) {
    if (f & ACK) return conn;
    reply(pkt, F_SYN_ACK);
    return { answered: false, peerFin: false };
  }
  const data = pkt.payload !== undefined && pkt.payload.length > 0;
  if (!conn || !conn.answered) {
    if (!data && !(f & FIN)) return conn;
    const c = conn ?? { answered: false, peerFin: false };
    c.answered = true;
    c.peerFin = (f & FIN) !== 0;
    reply(pkt, F_ACK);
    const out = h(data ? pkt.payload! : EMPTY, { addr: pkt.ip.src, port: pkt.tcp!.sport });
    if (out instanceof Uint8Array) {
      if (out.length > 0) reply(pkt, F_PSH_ACK, out);
    } else for (const w of out) if (w.length > 0) reply(pkt, F_PSH_ACK, w);
    reply(pkt, F_FIN_ACK);
    return c;
  }
  if (f & FIN && !conn.peerFin) {
    reply(pkt, F_ACK);
    return undefined;
  }
  // The client's ACK of our FIN after its own: the connection is gone (TIME_WAIT is not modelled).
  return conn.peerFin ? undefined : conn;
}

const EMPTY = new Uint8Array(0);

/** The payloads as one array (the only one when there is one). */
function join(chunks: Uint8Array[]): Uint8Array {
  if (chunks.length === 1) return chunks[0]!;
  let n = 0;
  for (const c of chunks) n += c.length;
  const out = new Uint8Array(n);
  n = 0;
  for (const c of chunks) {
    out.set(c, n);
    n += c.length;
  }
  return out;
}
