/**
 * The set types of net/netfilter/ipset the simulator implements, described as data: which
 * parts an element has (its dimensions, in order), the kernel's revision of the type, and
 * the `Size in memory:` figures of `ipset list`.
 *
 * Memory figures were measured here (ipset v7.17, kernel 6.1; test/fixtures/ipset/README.md):
 * an empty hash set, then a fixed cost per element while every element has a bucket to
 * itself (the real figure grows differently when two elements share a bucket). bitmap:port
 * is 72 bytes plus its bitmap in 8-byte words (ip_set_bitmap_port.c: BITS_TO_LONGS).
 */
import type { IpsetType } from "../api.js";

/** One dimension of an element, in the order `--match-set NAME dir,dir,...` picks packet fields. */
export type Dim = "ip" | "port" | "net" | "ip2" | "net2";

export interface TypeInfo {
  dims: Dim[];
  revision: number;
  /** Hash types: bytes of an empty set and of each element. */
  memBase: number;
  memPerElem: number;
}

export const SET_TYPES: Record<IpsetType, TypeInfo> = {
  "hash:ip": { dims: ["ip"], revision: 6, memBase: 216, memPerElem: 40 },
  "hash:ip,port": { dims: ["ip", "port"], revision: 7, memBase: 216, memPerElem: 48 },
  "hash:ip,port,ip": { dims: ["ip", "port", "ip2"], revision: 6, memBase: 208, memPerElem: 56 },
  "hash:ip,port,net": { dims: ["ip", "port", "net2"], revision: 8, memBase: 464, memPerElem: 56 },
  "hash:net": { dims: ["net"], revision: 7, memBase: 456, memPerElem: 48 },
  "bitmap:port": { dims: ["port"], revision: 3, memBase: 72, memPerElem: 0 },
};

/** True when `t` names a type this kernel has. */
export function isSetType(t: string): t is IpsetType {
  return Object.hasOwn(SET_TYPES, t);
}

/** bitmap:port's memory: the struct plus the bitmap rounded up to whole longs. */
export function bitmapPortMem(from: number, to: number): number {
  return 72 + Math.ceil((to - from + 1) / 64) * 8;
}
