/**
 * Sockets of one namespace: TCP and UDP listeners with application handlers, and the client
 * ends of ping, tcpRequest and udpRequest. TCP is modelled segment by segment as Linux sends
 * them (tcp.ts), so conntrack, NAT and every counter see a real flow.
 */
import { KernelError, type DatagramHandler, type ListenHandle, type StreamHandler } from "./api.js";
import type { Packet } from "./packet.js";
import type { Netns } from "./netns.js";
import { ipLocalOut } from "./ip.js";
import { icmpErrorText } from "./icmp.js";
import { F_RST_ACK, F_SYN, RST, clientSegment, flagBits, newClient, serverSegment, tcpHeaderLen, type ClientState, type TcpClient, type TcpReply, type TcpServerConn } from "./tcp.js";

export type { ClientState } from "./tcp.js";

/** Values by (number, address): a packet's lookup builds no key string. */
class ByPortAddr<T> {
  private m = new Map<number, Map<string, T>>();

  get(port: number, addr: string): T | undefined {
    return this.m.get(port)?.get(addr);
  }

  set(port: number, addr: string, v: T): void {
    let a = this.m.get(port);
    if (!a) this.m.set(port, (a = new Map()));
    a.set(addr, v);
  }

  delete(port: number, addr: string): void {
    const a = this.m.get(port);
    if (a?.delete(addr) && a.size === 0) this.m.delete(port);
  }

  clear(): void {
    this.m.clear();
  }
}

/** The socket table of a namespace. */
export class Sockets {
  /** Listeners by "addr:port" in bind order (listing, conflicts), indexed by port and address for packets. */
  private tcpListeners = new Map<string, StreamHandler>();
  private udpListeners = new Map<string, DatagramHandler>();
  private tcpIndex = new ByPortAddr<StreamHandler>();
  private udpIndex = new ByPortAddr<DatagramHandler>();
  /** Client sockets by (local port × 2³² + remote port, remote address). */
  private tcpClients = new ByPortAddr<TcpClient>();
  /** Server ends of accepted connections by (local port × 2³² + remote port, remote address). */
  private tcpConns = new ByPortAddr<TcpServerConn>();
  private udpClients = new Map<number, ClientState>();
  private pings = new Map<number, ClientState>();

  constructor(private ns: Netns) {}

  /** Listening sockets, as `ss -ltn`/`-lun` lists them. */
  list(): Array<{ proto: "tcp" | "udp"; addr: string; port: number }> {
    const split = (k: string) => {
      const i = k.lastIndexOf(":");
      return { addr: k.slice(0, i), port: Number(k.slice(i + 1)) };
    };
    return [
      ...[...this.tcpListeners.keys()].map((k) => ({ proto: "tcp" as const, ...split(k) })),
      ...[...this.udpListeners.keys()].map((k) => ({ proto: "udp" as const, ...split(k) })),
    ];
  }

  /** Binds a listener; EADDRINUSE if taken (wildcard and specific conflict, as without SO_REUSEADDR). */
  listen(proto: "tcp" | "udp", addr: string, port: number, handler: StreamHandler | DatagramHandler): ListenHandle {
    const table = (proto === "tcp" ? this.tcpListeners : this.udpListeners) as Map<string, unknown>;
    if (port === 0) port = this.freePort(table, addr);
    else if (this.taken(table, addr, port)) throw new KernelError("EADDRINUSE");
    const key = `${addr}:${port}`;
    const index = (proto === "tcp" ? this.tcpIndex : this.udpIndex) as ByPortAddr<unknown>;
    table.set(key, handler);
    index.set(port, addr, handler);
    return {
      port,
      close: () => {
        table.delete(key);
        index.delete(port, addr);
      },
    };
  }

  /** A listener on `port` conflicts with a bind to `addr` (same address, or either is the wildcard). */
  private taken(table: Map<string, unknown>, addr: string, port: number): boolean {
    for (const k of table.keys()) {
      const i = k.lastIndexOf(":");
      const a = k.slice(0, i);
      if (Number(k.slice(i + 1)) === port && (a === addr || a === "0.0.0.0" || addr === "0.0.0.0")) return true;
    }
    return false;
  }

  /**
   * A bind to port 0 (inet_csk_find_open_port / udp_lib_get_port): a random start in
   * ip_local_port_range, then the next free port, wrapping; EADDRINUSE when none is free.
   */
  private freePort(table: Map<string, unknown>, addr: string): number {
    const [lo, hi] = this.ns.sysctl("net.ipv4.ip_local_port_range").split("\t").map(Number) as [number, number];
    const start = this.ns.ephemeralPort();
    for (let i = 0; i <= hi - lo; i++) {
      const p = lo + ((start - lo + i) % (hi - lo + 1));
      if (!this.taken(table, addr, p)) return p;
    }
    throw new KernelError("EADDRINUSE");
  }

  private findListener<T>(index: ByPortAddr<T>, addr: string, port: number): T | undefined {
    return index.get(port, addr) ?? index.get(port, "0.0.0.0");
  }

  /** Closes everything (namespace teardown). */
  closeAll(): void {
    this.tcpListeners.clear();
    this.udpListeners.clear();
    this.tcpIndex.clear();
    this.udpIndex.clear();
    this.tcpConns.clear();
  }

  // ---- ICMP

  /** Registers a ping waiting for echo id `id`. */
  pingOpen(id: number): ClientState {
    const st: ClientState = { done: false };
    this.pings.set(id, st);
    return st;
  }

  /** Unregisters a ping. */
  pingClose(id: number): void {
    this.pings.delete(id);
  }

  /** An ICMP echo reply or error reached this namespace. */
  icmpIn(pkt: Packet): void {
    const icmp = pkt.icmp!;
    if (icmp.type === 0 && icmp.id !== undefined) {
      const st = this.pings.get(icmp.id);
      if (st && !st.done) {
        st.done = true;
        st.reply = { from: pkt.ip.src, ttl: pkt.ip.ttl };
      }
      return;
    }
    const inner = icmp.inner;
    if (!inner) return;
    if (icmp.type === 3 && icmp.code === 4 && icmp.mtu !== undefined) {
      // Path MTU discovery: remember the smaller MTU towards the destination for 10 minutes; the sender's
      // socket (without IP_RECVERR) does not see the error: its datagram is simply lost.
      this.ns.pmtuLearn(inner.ip.dst, icmp.mtu);
      return;
    }
    const err = { from: pkt.ip.src, type: icmp.type, code: icmp.code, text: icmpErrorText(icmp.type, icmp.code) };
    let st: ClientState | undefined;
    if (inner.icmp?.type === 8 && inner.icmp.id !== undefined) st = this.pings.get(inner.icmp.id);
    else if (inner.tcp) st = this.tcpClients.get(inner.tcp.sport * 0x100000000 + inner.tcp.dport, inner.ip.dst);
    else if (inner.udp) st = this.udpClients.get(inner.udp.sport);
    // A connected UDP socket keeps the latest error pending beside its queued datagrams.
    if (st && (st.queue || !st.done)) {
      st.done = true;
      st.icmpError = err;
    }
  }

  // ---- UDP

  /** Registers a UDP client on local port `port`. */
  udpOpen(port: number): ClientState {
    const st: ClientState = { done: false };
    this.udpClients.set(port, st);
    return st;
  }

  /** Unregisters a UDP client. */
  udpClose(port: number): void {
    this.udpClients.delete(port);
  }

  /** A datagram for us: a listener answers, a client takes its reply; false when the port is closed. */
  udpIn(pkt: Packet): boolean {
    const udp = pkt.udp!;
    const client = this.udpClients.get(udp.dport);
    if (client) {
      if (client.queue) {
        client.queue.push({ data: pkt.payload ?? new Uint8Array(), from: { addr: pkt.ip.src, port: udp.sport } });
        client.done = true;
      } else if (!client.done) {
        client.done = true;
        client.response = pkt.payload ?? new Uint8Array();
        client.from = { addr: pkt.ip.src, port: udp.sport };
      }
      return true;
    }
    const h = this.findListener(this.udpIndex, pkt.ip.dst, udp.dport);
    if (!h) return false;
    const reply = h(pkt.payload ?? new Uint8Array(), { addr: pkt.ip.src, port: udp.sport });
    if (reply) {
      this.send(pkt, { udp: { sport: udp.dport, dport: udp.sport } }, reply);
    }
    return true;
  }

  // ---- TCP

  /** Starts a TCP client exchange (the SYN is sent by the caller through `tcpSyn`). */
  tcpOpen(local: { addr: string; port: number }, remote: { addr: string; port: number }, request: Uint8Array): TcpClient {
    const c = newClient(local, remote, request);
    this.tcpClients.set(local.port * 0x100000000 + remote.port, remote.addr, c);
    return c;
  }

  /** Forgets a client. */
  tcpClose(c: TcpClient): void {
    this.tcpClients.delete(c.local.port * 0x100000000 + c.remote.port, c.remote.addr);
  }

  /** Sends (or re-sends) the client's SYN. */
  tcpSyn(c: TcpClient): ReturnType<typeof ipLocalOut> {
    const syn = this.make(c.local.addr, c.remote.addr, { tcp: { sport: c.local.port, dport: c.remote.port, flags: F_SYN } });
    return ipLocalOut(this.ns, syn);
  }

  /** A TCP segment for us. */
  tcpIn(pkt: Packet): void {
    const tcp = pkt.tcp!;
    const f = flagBits(tcp.flags);
    const client = this.tcpClients.get(tcp.dport * 0x100000000 + tcp.sport, pkt.ip.src);
    if (client) {
      clientSegment(client, pkt, f, this.tcpReply);
      return;
    }
    const key = tcp.dport * 0x100000000 + tcp.sport;
    if (f & RST) {
      this.tcpConns.delete(key, pkt.ip.src);
      return;
    }
    const h = this.findListener(this.tcpIndex, pkt.ip.dst, tcp.dport);
    if (!h) {
      if (this.ns.engine.tracer.enabled) this.ns.trace("reply", `tcp port ${tcp.dport} closed: RST`, pkt);
      this.sendRst(pkt);
      return;
    }
    const conn = this.tcpConns.get(key, pkt.ip.src);
    const next = serverSegment(conn, h, pkt, f, this.tcpReply);
    if (next === conn) return;
    if (next) this.tcpConns.set(key, pkt.ip.src, next);
    else this.tcpConns.delete(key, pkt.ip.src);
  }

  /** A segment back to the sender of `to`, ports swapped (one bound function: no closure per segment). */
  private tcpReply: TcpReply = (to, flags, payload) => {
    this.send(to, { tcp: { sport: to.tcp!.dport, dport: to.tcp!.sport, flags } }, payload);
  };

  /** A RST,ACK in answer to `pkt` (closed port, REJECT --reject-with tcp-reset). */
  sendRst(pkt: Packet): void {
    this.send(pkt, { tcp: { sport: pkt.tcp!.dport, dport: pkt.tcp!.sport, flags: F_RST_ACK } });
  }

  private make(src: string, dst: string, l4: Pick<Packet, "tcp" | "udp">, payload?: Uint8Array): Packet {
    // The object shape frame.ts's copies have (every field present), so the path sees one shape.
    const ip: Packet["ip"] = { src, dst, ttl: 64, proto: l4.tcp ? "tcp" : "udp", len: 20 + (l4.tcp ? tcpHeaderLen(l4.tcp.flags) : 8) + (payload?.length ?? 0), df: true, frags: undefined };
    return { id: this.ns.engine.packetId(), replyTo: undefined, l2: undefined, ip, icmp: undefined, tcp: l4.tcp, udp: l4.udp, payload, encap: undefined, mark: 0, arp: undefined };
  }

  /** Sends a segment or datagram back to the sender of `to`. */
  private send(to: Packet, l4: Pick<Packet, "tcp" | "udp">, payload?: Uint8Array): void {
    const p = this.make(to.ip.dst, to.ip.src, l4, payload);
    p.replyTo = to.id;
    ipLocalOut(this.ns, p);
  }

  /** Sends a client datagram. */
  udpSend(src: string, sport: number, dst: string, dport: number, payload: Uint8Array): ReturnType<typeof ipLocalOut> {
    return ipLocalOut(this.ns, this.make(src, dst, { udp: { sport, dport } }, payload));
  }
}
