/**
 * The DNS message subset CoreDNS needs here (RFC 1035 §4.1): read a query's header and first
 * question, write an answer with A records. Names in answers point back at the question
 * (compression pointer 0xc00c). Kept in sim/k8s because cluster code may not import userland.
 */

export interface DnsQuery {
  id: number;
  rd: boolean;
  name: string;
  qtype: number;
  qclass: number;
  /** Bytes of header + question, copied into the answer. */
  end: number;
}

export const TYPE_A = 1;
export const RCODE = { NOERROR: 0, SERVFAIL: 2, NXDOMAIN: 3 } as const;

/** Parses a query; undefined when malformed or not a query. */
export function parseQuery(b: Uint8Array): DnsQuery | undefined {
  if (b.length < 12 || (b[2]! & 0x80) !== 0) return undefined;
  if (((b[4]! << 8) | b[5]!) < 1) return undefined;
  const labels: string[] = [];
  let i = 12;
  while (i < b.length && b[i] !== 0) {
    const len = b[i]!;
    if ((len & 0xc0) !== 0 || i + 1 + len > b.length) return undefined;
    labels.push(new TextDecoder().decode(b.subarray(i + 1, i + 1 + len)));
    i += 1 + len;
  }
  if (i + 5 > b.length) return undefined;
  const qtype = (b[i + 1]! << 8) | b[i + 2]!;
  const qclass = (b[i + 3]! << 8) | b[i + 4]!;
  return { id: (b[0]! << 8) | b[1]!, rd: (b[2]! & 1) === 1, name: labels.join("."), qtype, qclass, end: i + 5 };
}

/** An answer to `q` (from the original `query` bytes) with `ips` as A records. */
export function buildAnswer(query: Uint8Array, q: DnsQuery, opts: { rcode: number; aa: boolean; ips: string[]; ttl: number }): Uint8Array {
  const out: number[] = [];
  out.push(q.id >> 8, q.id & 255);
  out.push(0x80 | (opts.aa ? 0x04 : 0) | (q.rd ? 1 : 0), 0x80 | opts.rcode);
  out.push(0, 1, (opts.ips.length >> 8) & 255, opts.ips.length & 255, 0, 0, 0, 0);
  for (let i = 12; i < q.end; i++) out.push(query[i]!);
  for (const ip of opts.ips) {
    out.push(0xc0, 0x0c, 0, TYPE_A, 0, 1);
    out.push((opts.ttl >>> 24) & 255, (opts.ttl >>> 16) & 255, (opts.ttl >>> 8) & 255, opts.ttl & 255);
    out.push(0, 4, ...ip.split(".").map(Number));
  }
  return Uint8Array.from(out);
}
