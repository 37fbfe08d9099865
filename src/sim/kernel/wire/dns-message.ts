/**
 * DNS messages (RFC 1035 §4) as bytes: encode/decode of queries and answers, for the clients
 * (nslookup, wget's and ping's resolver) and for any simulated DNS server (Docker's embedded
 * DNS at 127.0.0.11, CoreDNS) that answers over the kernel's udpListen: one codec for all of them, so it lives in wire/. Supports A, AAAA,
 * CNAME, PTR, NS, TXT, SRV, SOA record data as text; name compression on decode, none on encode.
 *
 *   header (12 bytes): id | flags (QR opcode AA TC RD RA Z RCODE) | qd an ns ar counts
 *   question: name type class       answer: name type class ttl rdlength rdata
 */
import { formatIp6 } from "./ipv6.js";

export const DNS_TYPE = { A: 1, NS: 2, CNAME: 5, SOA: 6, PTR: 12, MX: 15, TXT: 16, AAAA: 28, SRV: 33, ANY: 255 } as const;
export type DnsTypeName = keyof typeof DNS_TYPE;

export const DNS_RCODE = { NOERROR: 0, FORMERR: 1, SERVFAIL: 2, NXDOMAIN: 3, NOTIMP: 4, REFUSED: 5 } as const;

export interface DnsQuestion {
  name: string;
  type: number;
  class?: number;
}

/** A resource record; `data` is the record as text (dotted address, target name, TXT string, ...). */
export interface DnsRecord {
  name: string;
  type: number;
  class?: number;
  ttl: number;
  data: string;
}

export interface DnsMessage {
  id: number;
  response: boolean;
  opcode?: number;
  authoritative?: boolean;
  truncated?: boolean;
  recursionDesired?: boolean;
  recursionAvailable?: boolean;
  rcode: number;
  questions: DnsQuestion[];
  answers: DnsRecord[];
  authority?: DnsRecord[];
  additional?: DnsRecord[];
}

/** Thrown by {@link decodeDns} on a malformed message. */
export class DnsFormatError extends Error {}

function encodeName(name: string, out: number[]): void {
  const trimmed = name.endsWith(".") ? name.slice(0, -1) : name;
  if (trimmed.length > 0) {
    for (const label of trimmed.split(".")) {
      const bytes = new TextEncoder().encode(label);
      if (bytes.length === 0 || bytes.length > 63) throw new DnsFormatError(`bad label in ${name}`);
      out.push(bytes.length, ...bytes);
    }
  }
  out.push(0);
}

function u16(out: number[], v: number): void {
  out.push((v >>> 8) & 255, v & 255);
}

function u32(out: number[], v: number): void {
  out.push((v >>> 24) & 255, (v >>> 16) & 255, (v >>> 8) & 255, v & 255);
}

function encodeRdata(r: DnsRecord): number[] {
  const out: number[] = [];
  switch (r.type) {
    case DNS_TYPE.A: {
      const parts = r.data.split(".").map(Number);
      if (parts.length !== 4 || parts.some((p) => !(p >= 0 && p <= 255))) throw new DnsFormatError(`bad A ${r.data}`);
      out.push(...parts);
      break;
    }
    case DNS_TYPE.AAAA: {
      const groups = expandIpv6(r.data);
      for (const g of groups) u16(out, g);
      break;
    }
    case DNS_TYPE.CNAME:
    case DNS_TYPE.NS:
    case DNS_TYPE.PTR:
      encodeName(r.data, out);
      break;
    case DNS_TYPE.TXT: {
      const b = new TextEncoder().encode(r.data);
      out.push(Math.min(255, b.length), ...b.slice(0, 255));
      break;
    }
    case DNS_TYPE.SRV: {
      const [prio, weight, port, target] = r.data.split(" ");
      u16(out, Number(prio));
      u16(out, Number(weight));
      u16(out, Number(port));
      encodeName(target ?? ".", out);
      break;
    }
    case DNS_TYPE.SOA: {
      const [mname, rname, serial, refresh, retry, expire, minimum] = r.data.split(" ");
      encodeName(mname ?? ".", out);
      encodeName(rname ?? ".", out);
      for (const n of [serial, refresh, retry, expire, minimum]) u32(out, Number(n ?? 0));
      break;
    }
    default:
      out.push(...new TextEncoder().encode(r.data));
  }
  return out;
}

/** Expands an IPv6 text address into eight 16-bit groups. */
function expandIpv6(text: string): number[] {
  const [head, tail] = text.includes("::") ? text.split("::") : [text, undefined];
  const h = head ? head.split(":").filter((x) => x !== "") : [];
  const t = tail !== undefined && tail !== "" ? tail.split(":") : [];
  const fill = tail === undefined ? [] : new Array(8 - h.length - t.length).fill("0");
  const all = [...h, ...fill, ...t];
  if (all.length !== 8) throw new DnsFormatError(`bad AAAA ${text}`);
  return all.map((g) => parseInt(g, 16) & 0xffff);
}

function encodeRecord(r: DnsRecord, out: number[]): void {
  encodeName(r.name, out);
  u16(out, r.type);
  u16(out, r.class ?? 1);
  u32(out, r.ttl);
  const rd = encodeRdata(r);
  u16(out, rd.length);
  out.push(...rd);
}

/** Encodes a DNS message to wire bytes. */
export function encodeDns(m: DnsMessage): Uint8Array {
  const out: number[] = [];
  u16(out, m.id);
  const flags =
    (m.response ? 0x8000 : 0) |
    (((m.opcode ?? 0) & 15) << 11) |
    (m.authoritative ? 0x0400 : 0) |
    (m.truncated ? 0x0200 : 0) |
    (m.recursionDesired ? 0x0100 : 0) |
    (m.recursionAvailable ? 0x0080 : 0) |
    (m.rcode & 15);
  u16(out, flags);
  u16(out, m.questions.length);
  u16(out, m.answers.length);
  u16(out, m.authority?.length ?? 0);
  u16(out, m.additional?.length ?? 0);
  for (const q of m.questions) {
    encodeName(q.name, out);
    u16(out, q.type);
    u16(out, q.class ?? 1);
  }
  for (const r of m.answers) encodeRecord(r, out);
  for (const r of m.authority ?? []) encodeRecord(r, out);
  for (const r of m.additional ?? []) encodeRecord(r, out);
  return Uint8Array.from(out);
}

/** Encodes a standard recursive query for `name` of `type`. */
export function encodeQuery(id: number, name: string, type: number): Uint8Array {
  return encodeDns({ id, response: false, recursionDesired: true, rcode: 0, questions: [{ name, type }], answers: [] });
}

class Reader {
  constructor(readonly b: Uint8Array, public pos = 0) {}
  need(n: number): void {
    if (this.pos + n > this.b.length) throw new DnsFormatError("truncated message");
  }
  u8(): number {
    this.need(1);
    return this.b[this.pos++]!;
  }
  u16(): number {
    this.need(2);
    const v = (this.b[this.pos]! << 8) | this.b[this.pos + 1]!;
    this.pos += 2;
    return v;
  }
  u32(): number {
    return ((this.u16() << 16) >>> 0) + this.u16();
  }
  name(): string {
    const labels: string[] = [];
    let pos = this.pos;
    let jumped = false;
    for (let hops = 0; hops < 64; hops++) {
      if (pos >= this.b.length) throw new DnsFormatError("name runs past the end");
      const len = this.b[pos]!;
      if (len === 0) {
        if (!jumped) this.pos = pos + 1;
        return labels.join(".");
      }
      if ((len & 0xc0) === 0xc0) {
        if (pos + 1 >= this.b.length) throw new DnsFormatError("bad pointer");
        const target = ((len & 0x3f) << 8) | this.b[pos + 1]!;
        if (!jumped) this.pos = pos + 2;
        jumped = true;
        pos = target;
        continue;
      }
      if (pos + 1 + len > this.b.length) throw new DnsFormatError("label runs past the end");
      labels.push(new TextDecoder().decode(this.b.slice(pos + 1, pos + 1 + len)));
      pos += 1 + len;
    }
    throw new DnsFormatError("compression loop");
  }
}

function decodeRecord(r: Reader): DnsRecord {
  const name = r.name();
  const type = r.u16();
  const klass = r.u16();
  const ttl = r.u32();
  const len = r.u16();
  r.need(len);
  const end = r.pos + len;
  let data: string;
  switch (type) {
    case DNS_TYPE.A:
      data = Array.from(r.b.slice(r.pos, r.pos + 4)).join(".");
      break;
    case DNS_TYPE.AAAA: {
      const g: number[] = [];
      for (let i = 0; i < 8; i++) g.push((r.b[r.pos + 2 * i]! << 8) | r.b[r.pos + 2 * i + 1]!);
      data = formatIp6(g);
      break;
    }
    case DNS_TYPE.CNAME:
    case DNS_TYPE.NS:
    case DNS_TYPE.PTR:
      data = r.name();
      break;
    case DNS_TYPE.TXT: {
      const l = r.b[r.pos] ?? 0;
      data = new TextDecoder().decode(r.b.slice(r.pos + 1, r.pos + 1 + l));
      break;
    }
    case DNS_TYPE.SRV: {
      const prio = r.u16();
      const weight = r.u16();
      const port = r.u16();
      data = `${prio} ${weight} ${port} ${r.name()}`;
      break;
    }
    case DNS_TYPE.SOA: {
      const mname = r.name();
      const rname = r.name();
      const nums = [r.u32(), r.u32(), r.u32(), r.u32(), r.u32()];
      data = `${mname} ${rname} ${nums.join(" ")}`;
      break;
    }
    default:
      data = new TextDecoder().decode(r.b.slice(r.pos, end));
  }
  r.pos = end;
  return { name, type, class: klass, ttl, data };
}

/** Decodes wire bytes into a DNS message; throws DnsFormatError when malformed. */
export function decodeDns(bytes: Uint8Array): DnsMessage {
  const r = new Reader(bytes);
  const id = r.u16();
  const flags = r.u16();
  const qd = r.u16();
  const an = r.u16();
  const ns = r.u16();
  const ar = r.u16();
  const questions: DnsQuestion[] = [];
  for (let i = 0; i < qd; i++) questions.push({ name: r.name(), type: r.u16(), class: r.u16() });
  const answers: DnsRecord[] = [];
  for (let i = 0; i < an; i++) answers.push(decodeRecord(r));
  const authority: DnsRecord[] = [];
  for (let i = 0; i < ns; i++) authority.push(decodeRecord(r));
  const additional: DnsRecord[] = [];
  for (let i = 0; i < ar; i++) additional.push(decodeRecord(r));
  return {
    id,
    response: (flags & 0x8000) !== 0,
    opcode: (flags >>> 11) & 15,
    authoritative: (flags & 0x0400) !== 0,
    truncated: (flags & 0x0200) !== 0,
    recursionDesired: (flags & 0x0100) !== 0,
    recursionAvailable: (flags & 0x0080) !== 0,
    rcode: flags & 15,
    questions,
    answers,
    authority,
    additional,
  };
}

/**
 * Builds the answer a simple authoritative-or-forwarding server gives to `query`: `lookup`
 * returns the records for a question (empty: NODATA), undefined for NXDOMAIN, or `{ rcode }`
 * for another failure (SERVFAIL); the AA bit
 * comes from `authoritative` (per question when a function: CoreDNS sets it for its own zone,
 * not for forwarded names). Undefined for a message that is not a well-formed query.
 */
export function answerQuery(
  query: Uint8Array,
  lookup: (q: DnsQuestion) => DnsRecord[] | undefined | { rcode: number },
  opts: { authoritative?: boolean | ((q: DnsQuestion) => boolean); recursionAvailable?: boolean } = {},
): Uint8Array | undefined {
  let q: DnsMessage;
  try {
    q = decodeDns(query);
  } catch {
    return undefined;
  }
  if (q.response || q.questions.length === 0) return undefined;
  const question = q.questions[0]!;
  const found = lookup(question);
  const records = found === undefined || Array.isArray(found) ? found : [];
  const rcode = found === undefined ? DNS_RCODE.NXDOMAIN : Array.isArray(found) ? DNS_RCODE.NOERROR : found.rcode;
  return encodeDns({
    id: q.id,
    response: true,
    authoritative: typeof opts.authoritative === "function" ? opts.authoritative(question) : opts.authoritative ?? false,
    recursionDesired: q.recursionDesired ?? false,
    recursionAvailable: opts.recursionAvailable ?? true,
    rcode,
    questions: [question],
    answers: records ?? [],
  });
}
