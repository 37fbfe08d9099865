/**
 * The set types of net/netfilter/ipset the simulator implements, described as data: which
 * parts an element has (its dimensions, in order), the kernel's revision of the type, and
 * the `Size in memory:` figures of `ipset list`.
 *
 * Memory figures follow ip_set_hash_gen.h and were checked against this machine (ipset v7.17,
 * kernel 6.1; scripts/record-ipset.sh): an empty hash set costs `memBase`; each element that
 * gets a bucket of its own allocates a bucket (32 bytes) with room for 2 elements
 * (AHASH_INIT_SIZE) of `dsize` bytes, where dsize is the element struct, rounded up to 8 and
 * followed by the extensions (timeout 8, counters 16, comment pointer 8) when the set has any;
 * a comment's text costs 16 + length + 1 more. The real figure grows differently once two
 * elements share a bucket. bitmap:port is 72 bytes, its bitmap in 8-byte words
 * (BITS_TO_LONGS), and, with extensions, their size for every port of the range.
 */
import type { IpsetType } from "../api.js";

/** One dimension of an element, in the order `--match-set NAME dir,dir,...` picks packet fields. */
export type Dim = "ip" | "port" | "net" | "ip2" | "net2";

export interface TypeInfo {
  dims: Dim[];
  revision: number;
  /** Hash types: bytes of an empty set, and of the element struct (ip_set_hash_*.c `struct hash_*4_elem`). */
  memBase: number;
  elemSize: number;
}

export const SET_TYPES: Record<IpsetType, TypeInfo> = {
  "hash:ip": { dims: ["ip"], revision: 6, memBase: 216, elemSize: 4 },
  "hash:ip,port": { dims: ["ip", "port"], revision: 7, memBase: 216, elemSize: 8 },
  "hash:ip,port,ip": { dims: ["ip", "port", "ip2"], revision: 6, memBase: 208, elemSize: 12 },
  "hash:ip,port,net": { dims: ["ip", "port", "net2"], revision: 8, memBase: 464, elemSize: 12 },
  "hash:net": { dims: ["net"], revision: 7, memBase: 456, elemSize: 8 },
  "bitmap:port": { dims: ["port"], revision: 3, memBase: 72, elemSize: 0 },
};

/** True when `t` names a type this kernel has. */
export function isSetType(t: string): t is IpsetType {
  return Object.hasOwn(SET_TYPES, t);
}

/** Bytes of the extensions every element carries: timeout 8, counters 16, comment pointer 8. */
export function extSize(o: { timeout?: number; counters?: boolean; comment?: boolean }): number {
  return (o.timeout ? 8 : 0) + (o.counters ? 16 : 0) + (o.comment ? 8 : 0);
}

/** A hash set's memory for `n` elements, each in a bucket of its own, plus `commentBytes` of comment texts. */
export function hashMem(t: TypeInfo, ext: number, n: number, commentBytes: number): number {
  const dsize = ext ? Math.ceil(t.elemSize / 8) * 8 + ext : t.elemSize;
  return t.memBase + n * (32 + 2 * dsize) + commentBytes;
}

/** bitmap:port's memory: the struct, the bitmap rounded up to whole longs, the extensions of every port. */
export function bitmapPortMem(from: number, to: number, ext: number): number {
  const n = to - from + 1;
  return 72 + Math.ceil(n / 64) * 8 + n * ext;
}
