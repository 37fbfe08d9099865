/**
 * The embedded DNS server of user-defined networks (libnetwork resolver.go): every container on
 * such a network gets a resolver at 127.0.0.11:53 inside its own namespace that answers A queries
 * for the names of the containers on its networks. Answers carry RA and not AA (busybox nslookup
 * prints "Non-authoritative answer:"); an AAAA query for a known name gets an empty NOERROR answer,
 * as libnetwork does for containers without IPv6; unknown names get NXDOMAIN (the real resolver
 * forwards them to the host's resolvers, which a lesson world does not have).
 *
 * Wire format: RFC 1035 §4.1 (header, question, resource records), no compression on parse
 * beyond what a question needs; answers point back at the question name (0xc00c).
 */

interface Question {
  id: number;
  name: string;
  qtype: number;
  qclass: number;
  /** Byte length of header + question, to copy the question into the answer. */
  end: number;
  rd: boolean;
}

/** Parses the header and first question of a DNS query; undefined when malformed. */
export function parseQuery(b: Uint8Array): Question | undefined {
  if (b.length < 12) return undefined;
  const id = (b[0]! << 8) | b[1]!;
  const rd = (b[2]! & 1) === 1;
  const qd = (b[4]! << 8) | b[5]!;
  if (qd < 1) return undefined;
  let i = 12;
  const labels: string[] = [];
  for (;;) {
    if (i >= b.length) return undefined;
    const len = b[i]!;
    i++;
    if (len === 0) break;
    if (len > 63 || i + len > b.length) return undefined;
    labels.push(String.fromCharCode(...b.slice(i, i + len)));
    i += len;
  }
  if (i + 4 > b.length) return undefined;
  const qtype = (b[i]! << 8) | b[i + 1]!;
  const qclass = (b[i + 2]! << 8) | b[i + 3]!;
  return { id, name: labels.join(".").toLowerCase(), qtype, qclass, end: i + 4, rd };
}

/** Builds the reply to `query`: A records for `addrs`, or NXDOMAIN when `addrs` is undefined. */
export function buildReply(query: Uint8Array, q: Question, addrs: string[] | undefined): Uint8Array {
  const answers = q.qtype === 1 && addrs ? addrs : [];
  const rcode = addrs === undefined ? 3 : 0;
  const out: number[] = [
    q.id >> 8, q.id & 255,
    0x80 | (q.rd ? 1 : 0), 0x80 | rcode,
    0, 1,
    answers.length >> 8, answers.length & 255,
    0, 0, 0, 0,
  ];
  for (let i = 12; i < q.end; i++) out.push(query[i]!);
  for (const a of answers) {
    // name → question, type A, class IN, TTL 600 s (libnetwork respTTL), RDLENGTH 4
    out.push(0xc0, 0x0c, 0, 1, 0, 1, 0, 0, 0x02, 0x58, 0, 4);
    for (const o of a.split(".")) out.push(Number(o));
  }
  return Uint8Array.from(out);
}
