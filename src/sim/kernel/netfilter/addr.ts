/** IPv4 helpers for the netfilter engine, over the kernel's one IPv4 codec (wire/ipv4.ts). */
import { maskOf, parseIp } from "../wire/ipv4.js";

/** Parses a dotted quad into an unsigned 32-bit number; NaN when malformed (so it never matches). */
export function ipToU32(addr: string): number {
  return parseIp(addr) ?? NaN;
}

/** The netmask of a prefix length, as an unsigned 32-bit number. */
export const prefixMask = maskOf;

export const PROTO_NUMBERS: Record<string, number> = { all: 0, icmp: 1, tcp: 6, udp: 17 };
