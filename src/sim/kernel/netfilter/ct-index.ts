/**
 * The conntrack hash (what nf_conntrack_find_get searches): a flow's entry per protocol and
 * tuple, found from a tuple or straight from a packet without building a key string.
 *
 * A tuple whose addresses are dotted quads and whose ports (ICMP: type and id) fit 16 bits is two
 * numbers, address × 65536 + port for each side, in two nested maps. Any other tuple (never made
 * on the packet path) goes to a text-keyed map instead, so two different tuples never share a key.
 */
import type { ConntrackTuple } from "../api.js";
import type { Packet } from "../packet.js";
import { parseIp } from "../wire/ipv4.js";

/** One side of a tuple as a number; NaN when it does not fit (then the text map holds it). */
function side(addr: string, port: number | undefined): number {
  const a = parseIp(addr);
  if (a === undefined || port === undefined || (port & 0xffff) !== port) return NaN;
  return a * 65536 + port;
}

/** Entries by (protocol, tuple). */
export class TupleIndex<E> {
  private byProto = new Map<string, Map<number, Map<number, E>>>();
  private byText = new Map<string, E>();

  /** The entry of tuple `t` (ports for tcp/udp, type and id for icmp). */
  get(proto: string, t: ConntrackTuple): E | undefined {
    return proto === "icmp" ? this.at(proto, t.src, t.type, t.dst, t.id) : this.at(proto, t.src, t.sport, t.dst, t.dport);
  }

  /** The entry of the tuple a well-formed packet has now. */
  getPacket(p: Packet): E | undefined {
    const { src, dst, proto } = p.ip;
    if (proto === "icmp") return this.at(proto, src, p.icmp!.type, dst, p.icmp!.id ?? 0);
    const l4 = (p.tcp ?? p.udp)!;
    return this.at(proto, src, l4.sport, dst, l4.dport);
  }

  has(proto: string, t: ConntrackTuple): boolean {
    return this.get(proto, t) !== undefined;
  }

  set(proto: string, t: ConntrackTuple, e: E): void {
    const [src, a, dst, b] = proto === "icmp" ? [t.src, t.type, t.dst, t.id] : [t.src, t.sport, t.dst, t.dport];
    const k1 = side(src, a);
    const k2 = side(dst, b);
    if (Number.isNaN(k1) || Number.isNaN(k2)) {
      this.byText.set(textKey(proto, src, a, dst, b), e);
      return;
    }
    let p = this.byProto.get(proto);
    if (!p) this.byProto.set(proto, (p = new Map()));
    let m = p.get(k1);
    if (!m) p.set(k1, (m = new Map()));
    m.set(k2, e);
  }

  delete(proto: string, t: ConntrackTuple): void {
    const [src, a, dst, b] = proto === "icmp" ? [t.src, t.type, t.dst, t.id] : [t.src, t.sport, t.dst, t.dport];
    const k1 = side(src, a);
    const k2 = side(dst, b);
    if (Number.isNaN(k1) || Number.isNaN(k2)) {
      this.byText.delete(textKey(proto, src, a, dst, b));
      return;
    }
    const p = this.byProto.get(proto);
    const m = p?.get(k1);
    if (m?.delete(k2) && m.size === 0) p!.delete(k1);
  }

  clear(): void {
    this.byProto.clear();
    this.byText.clear();
  }

  private at(proto: string, src: string, a: number | undefined, dst: string, b: number | undefined): E | undefined {
    const k1 = side(src, a);
    const k2 = side(dst, b);
    if (Number.isNaN(k1) || Number.isNaN(k2)) return this.byText.get(textKey(proto, src, a, dst, b));
    return this.byProto.get(proto)?.get(k1)?.get(k2);
  }
}

function textKey(proto: string, src: string, a: number | undefined, dst: string, b: number | undefined): string {
  return `${proto} ${src} ${a} ${dst} ${b}`;
}
