/**
 * A namespace's ipsets (net/netfilter/ipset/ip_set_core.c): named sets of typed elements that
 * iptables rules test packets against with `-m set --match-set NAME dir,...` (xt_set).
 *
 *   ipset(8) ─ nfnetlink ─► IpsetStore ◄─ xt_set match (HookContext.ipsetMatch) ◄─ packet path
 *
 * Each set keeps its elements in a Map keyed by the element's canonical text, so add, del and
 * test are one hash lookup, as in the kernel's hash types; hash:net sets also keep how many
 * elements use each prefix length, and a packet is tested against the longest first
 * (ip_set_hash_gen.h: the `nets[]` array). Entry timeouts run in virtual time.
 */
import type { Rng } from "../../../core/random.js";
import { KernelError, type IpsetCreateSpec, type IpsetEntry, type IpsetInfo, type IpsetType } from "../api.js";
import type { Packet } from "../packet.js";
import { formatIp, maskOf, parseIp } from "../wire/ipv4.js";
import { bitmapPortMem, extSize, hashMem, SET_TYPES } from "./types.js";

interface Member {
  entry: IpsetEntry;
  /** The `counters` extension: packets and bytes of the packets -m set matched with this member. */
  packets: number;
  bytes: number;
  /** Virtual ms when the entry expires; undefined: never. */
  expiresAt?: number;
}

interface IpSet {
  spec: Required<Pick<IpsetCreateSpec, "name" | "type">> & IpsetCreateSpec;
  initval: number;
  members: Map<string, Member>;
  /** hash:net / hash:ip,port,net: elements per prefix length of the net dimension. */
  cidrs: Map<number, number>;
  references: number;
}

const DEFAULT_HASHSIZE = 1024;
const DEFAULT_MAXELEM = 65536;

function fail(errno: ConstructorParameters<typeof KernelError>[0], code?: string): never {
  throw new KernelError(errno, code);
}

function ipNum(text: string | undefined): number {
  const n = text === undefined ? undefined : parseIp(text);
  if (n === undefined) fail("EINVAL", "IPSET_ERR_PROTOCOL");
  return n;
}

/** The element reduced to what its type keeps (a net's host bits cleared), and its lookup key. */
function canonical(type: IpsetType, e: IpsetEntry): { entry: IpsetEntry; key: string } {
  const out: IpsetEntry = {};
  const parts: string[] = [];
  for (const d of SET_TYPES[type].dims) {
    switch (d) {
      case "ip":
        out.ip = formatIp(ipNum(e.ip));
        parts.push(out.ip);
        break;
      case "ip2":
        out.ip2 = formatIp(ipNum(e.ip2));
        parts.push(out.ip2);
        break;
      case "net": {
        const cidr = e.cidr ?? 32;
        if (!Number.isInteger(cidr) || cidr < 1 || cidr > 32) fail("EINVAL", "IPSET_ERR_INVALID_CIDR");
        out.ip = formatIp((ipNum(e.ip) & maskOf(cidr)) >>> 0);
        out.cidr = cidr;
        parts.push(`${out.ip}/${cidr}`);
        break;
      }
      case "net2": {
        const cidr = e.cidr2 ?? 32;
        if (!Number.isInteger(cidr) || cidr < 1 || cidr > 32) fail("EINVAL", "IPSET_ERR_INVALID_CIDR");
        out.ip2 = formatIp((ipNum(e.ip2) & maskOf(cidr)) >>> 0);
        out.cidr2 = cidr;
        parts.push(`${out.ip2}/${cidr}`);
        break;
      }
      case "port": {
        if (e.port === undefined || !Number.isInteger(e.port) || e.port < 0 || e.port > 65535) fail("EINVAL", "IPSET_ERR_MISSING_PORT");
        out.port = e.port;
        if (type === "bitmap:port") {
          parts.push(String(e.port));
        } else {
          out.proto = e.proto ?? "tcp";
          parts.push(`${out.proto}:${e.port}`);
        }
        break;
      }
    }
  }
  if (e.comment !== undefined) out.comment = e.comment;
  return { entry: out, key: parts.join(",") };
}

/** The ipsets of one namespace. */
export class IpsetStore {
  private readonly sets = new Map<string, IpSet>();

  constructor(private readonly now: () => number, private readonly rng: Rng) {}

  private get(name: string): IpSet {
    const s = this.sets.get(name);
    if (!s) fail("ENOENT");
    return s;
  }

  /** `ipset create`: EEXIST when the name is taken, unless `exist` and the set is the same. */
  create(spec: IpsetCreateSpec, opts: { exist?: boolean } = {}): void {
    if (!Object.hasOwn(SET_TYPES, spec.type)) fail("ENOENT", "IPSET_ERR_FIND_TYPE");
    if (spec.family !== undefined && spec.family !== "inet") fail("EOPNOTSUPP", "IPSET_ERR_INVALID_FAMILY");
    const norm: IpsetCreateSpec = { ...spec };
    if (spec.type === "bitmap:port") {
      if (!spec.range) fail("EINVAL", "IPSET_ERR_PROTOCOL");
      const { from, to } = spec.range;
      norm.range = from <= to ? { from, to } : { from: to, to: from };
    } else {
      norm.hashsize = hashsizeOf(spec.hashsize);
      norm.maxelem = spec.maxelem ?? DEFAULT_MAXELEM;
    }
    const old = this.sets.get(spec.name);
    if (old) {
      if (opts.exist && sameSpec(old.spec, norm)) return;
      fail("EEXIST");
    }
    this.sets.set(spec.name, { spec: norm as IpSet["spec"], initval: this.rng.uint32(), members: new Map(), cidrs: new Map(), references: 0 });
  }

  /** `ipset destroy [NAME]`: EBUSY while an iptables rule references the set. */
  destroy(name?: string): void {
    if (name === undefined) {
      for (const s of this.sets.values()) if (s.references > 0) fail("EBUSY", "IPSET_ERR_BUSY");
      this.sets.clear();
      return;
    }
    const s = this.get(name);
    if (s.references > 0) fail("EBUSY", "IPSET_ERR_BUSY");
    this.sets.delete(name);
  }

  flush(name?: string): void {
    const list = name === undefined ? [...this.sets.values()] : [this.get(name)];
    for (const s of list) {
      s.members.clear();
      s.cidrs.clear();
    }
  }

  rename(from: string, to: string): void {
    const s = this.get(from);
    if (this.sets.has(to)) fail("EEXIST", "IPSET_ERR_EXIST_SETNAME2");
    if (s.references > 0) fail("EBUSY", "IPSET_ERR_REFERENCED");
    const entries = [...this.sets.entries()].map(([k, v]): [string, IpSet] => (k === from ? [to, v] : [k, v]));
    s.spec = { ...s.spec, name: to };
    this.sets.clear();
    for (const [k, v] of entries) this.sets.set(k, v);
  }

  /** `ipset swap`: the two names exchange contents (the kernel swaps the set pointers; references stay with the name). */
  swap(a: string, b: string): void {
    const sa = this.get(a);
    const sb = this.sets.get(b);
    if (!sb) fail("ENOENT", "IPSET_ERR_EXIST_SETNAME2");
    if (sa.spec.type !== sb.spec.type) fail("EINVAL", "IPSET_ERR_TYPE_MISMATCH");
    const ra = sa.references;
    this.sets.set(a, { ...sb, spec: { ...sb.spec, name: a }, references: ra });
    this.sets.set(b, { ...sa, spec: { ...sa.spec, name: b }, references: sb.references });
  }

  add(name: string, e: IpsetEntry, opts: { exist?: boolean } = {}): void {
    const s = this.get(name);
    this.expire(s);
    if (s.spec.type === "bitmap:port" && e.port !== undefined && (e.port < s.spec.range!.from || e.port > s.spec.range!.to)) fail("ERANGE", "IPSET_ERR_BITMAP_RANGE");
    const { entry, key } = canonical(s.spec.type, e);
    const timeout = e.timeout ?? s.spec.timeout;
    const old = s.members.get(key);
    if (old) {
      if (!opts.exist) fail("EEXIST", "IPSET_ERR_EXIST");
      old.expiresAt = timeout ? this.now() + timeout * 1000 : undefined;
      if (entry.comment !== undefined) old.entry.comment = entry.comment;
      return;
    }
    if (s.spec.maxelem !== undefined && s.members.size >= s.spec.maxelem) fail("ENOBUFS", "IPSET_ERR_HASH_FULL");
    s.members.set(key, { entry, packets: 0, bytes: 0, ...(timeout ? { expiresAt: this.now() + timeout * 1000 } : {}) });
    const c = entry.cidr ?? entry.cidr2;
    if (c !== undefined) s.cidrs.set(c, (s.cidrs.get(c) ?? 0) + 1);
  }

  del(name: string, e: IpsetEntry, opts: { exist?: boolean } = {}): void {
    const s = this.get(name);
    this.expire(s);
    if (s.spec.type === "bitmap:port" && e.port !== undefined && (e.port < s.spec.range!.from || e.port > s.spec.range!.to)) fail("ERANGE", "IPSET_ERR_BITMAP_RANGE");
    const { key } = canonical(s.spec.type, e);
    const m = s.members.get(key);
    if (!m) {
      if (opts.exist) return;
      fail("EEXIST", "IPSET_ERR_EXIST");
    }
    this.remove(s, key, m);
  }

  /** `ipset test`: a hash:net set answers for any address inside one of its nets. */
  test(name: string, e: IpsetEntry): boolean {
    const s = this.get(name);
    this.expire(s);
    if (s.spec.type === "bitmap:port" && e.port !== undefined && (e.port < s.spec.range!.from || e.port > s.spec.range!.to)) fail("ERANGE", "IPSET_ERR_BITMAP_RANGE");
    return this.find(s, e) !== undefined;
  }

  /** The member an element falls in: the element itself, or for a net dimension without a prefix the longest net holding it. */
  private find(s: IpSet, e: IpsetEntry): Member | undefined {
    const dims = SET_TYPES[s.spec.type].dims;
    if (dims.includes("net") && e.cidr === undefined) return this.lookupNets(s, e, "cidr");
    if (dims.includes("net2") && e.cidr2 === undefined) return this.lookupNets(s, e, "cidr2");
    return s.members.get(canonical(s.spec.type, e).key);
  }

  private lookupNets(s: IpSet, e: IpsetEntry, which: "cidr" | "cidr2"): Member | undefined {
    const lens = [...s.cidrs.keys()].sort((a, b) => b - a);
    for (const c of lens) {
      const m = s.members.get(canonical(s.spec.type, { ...e, [which]: c }).key);
      if (m) return m;
    }
    return undefined;
  }

  /**
   * xt_set: builds the element from the packet fields `flags` pick, and tests it; a set with the
   * counters extension counts the packet on the member it matched unless `update` is false
   * (`! --update-counters`), as ip_set_update_counter does.
   */
  matchPacket(name: string, flags: ReadonlyArray<"src" | "dst">, pkt: Packet, update = true): boolean {
    const s = this.sets.get(name);
    if (!s) return false;
    const dims = SET_TYPES[s.spec.type].dims;
    // ip_set_test: fewer directions than the set has dimensions never match.
    if (flags.length < dims.length) return false;
    const l4 = pkt.tcp ?? pkt.udp;
    const e: IpsetEntry = {};
    for (let i = 0; i < dims.length; i++) {
      const dir = flags[i]!;
      switch (dims[i]) {
        case "ip":
        case "net":
          e.ip = dir === "src" ? pkt.ip.src : pkt.ip.dst;
          break;
        case "ip2":
        case "net2":
          e.ip2 = dir === "src" ? pkt.ip.src : pkt.ip.dst;
          break;
        case "port":
          if (l4) {
            e.proto = pkt.ip.proto;
            e.port = dir === "src" ? l4.sport : l4.dport;
          } else if (pkt.icmp) {
            // ip_set_get_ip4_port: ICMP carries type<<8|code in the port's place.
            e.proto = "icmp";
            e.port = (pkt.icmp.type << 8) | pkt.icmp.code;
          } else {
            return false;
          }
          break;
      }
    }
    if (s.spec.type === "bitmap:port" && (e.port! < s.spec.range!.from || e.port! > s.spec.range!.to)) return false;
    try {
      this.expire(s);
      const m = this.find(s, e);
      if (m && s.spec.counters && update) {
        m.packets++;
        m.bytes += pkt.ip.len;
      }
      return m !== undefined;
    } catch {
      return false;
    }
  }

  /** Sets in creation order, or the one named. */
  list(name?: string): IpsetInfo[] {
    const list = name === undefined ? [...this.sets.values()] : [this.get(name)];
    return list.map((s) => this.info(s));
  }

  /** Names of every set (for reference counting by the netfilter tables). */
  has(name: string): boolean {
    return this.sets.has(name);
  }

  /** Replaces the reference counts with those the namespace's rules hold now (xt_set checkentry/destroy). */
  setReferences(counts: ReadonlyMap<string, number>): void {
    for (const [n, s] of this.sets) s.references = counts.get(n) ?? 0;
  }

  private info(s: IpSet): IpsetInfo {
    this.expire(s);
    const now = this.now();
    const sp = s.spec;
    const t = SET_TYPES[sp.type];
    const members = [...s.members.values()].map((m) => ({
      ...m.entry,
      ...(sp.counters ? { packets: m.packets, bytes: m.bytes } : {}),
      // ip_set_timeout_get: whole seconds left, rounded down, and never 0 for a live entry.
      ...(m.expiresAt !== undefined ? { timeout: Math.max(1, Math.floor((m.expiresAt - now) / 1000)) } : sp.timeout ? { timeout: 0 } : {}),
    }));
    const base: IpsetInfo = {
      name: sp.name,
      type: sp.type,
      revision: t.revision,
      family: "inet",
      memSize: 0,
      references: s.references,
      members,
    };
    const ext = extSize(sp);
    let comments = 0;
    for (const m of s.members.values()) if (m.entry.comment !== undefined) comments += 16 + m.entry.comment.length + 1;
    if (sp.type === "bitmap:port") {
      base.range = sp.range!;
      base.memSize = bitmapPortMem(sp.range!.from, sp.range!.to, ext) + comments;
    } else {
      base.hashsize = sp.hashsize!;
      base.maxelem = sp.maxelem!;
      base.bucketsize = 12;
      base.initval = s.initval;
      base.memSize = hashMem(t, ext, s.members.size, comments);
    }
    if (sp.timeout) base.timeout = sp.timeout;
    if (sp.counters) base.counters = true;
    if (sp.comment) base.comment = true;
    return base;
  }

  private remove(s: IpSet, key: string, m: Member): void {
    s.members.delete(key);
    const c = m.entry.cidr ?? m.entry.cidr2;
    if (c !== undefined) {
      const n = (s.cidrs.get(c) ?? 1) - 1;
      if (n > 0) s.cidrs.set(c, n);
      else s.cidrs.delete(c);
    }
  }

  /** Drops entries whose timeout ran out (the kernel's gc, done lazily at each access). */
  private expire(s: IpSet): void {
    if (!s.spec.timeout) return;
    const now = this.now();
    for (const [k, m] of s.members) if (m.expiresAt !== undefined && m.expiresAt <= now) this.remove(s, k, m);
  }
}

/** The kernel rounds hashsize up to a power of two, at least 64 (ip_set_hash_gen.h IPSET_MIMINAL_HASHSIZE). */
function hashsizeOf(h: number | undefined): number {
  if (h === undefined) return DEFAULT_HASHSIZE;
  let n = 64;
  while (n < h) n *= 2;
  return n;
}

function sameSpec(a: IpsetCreateSpec, b: IpsetCreateSpec): boolean {
  return a.type === b.type && a.hashsize === b.hashsize && a.maxelem === b.maxelem && (a.timeout ?? 0) === (b.timeout ?? 0)
    && a.range?.from === b.range?.from && a.range?.to === b.range?.to && !!a.counters === !!b.counters && !!a.comment === !!b.comment;
}

/** Tables per namespace-like owner, made on first use. */
const stores = new WeakMap<object, IpsetStore>();

/** The ipset store of `owner` if any set was ever created there (the packet path asks without creating one). */
export function ipsetIfAny(owner: object): IpsetStore | undefined {
  return stores.get(owner);
}

/** The ipset store of `owner` (a namespace), created on first use with its clock and random source. */
export function ipsetOf(owner: object, now: () => number, rng: Rng): IpsetStore {
  let s = stores.get(owner);
  if (!s) stores.set(owner, (s = new IpsetStore(now, rng)));
  return s;
}
