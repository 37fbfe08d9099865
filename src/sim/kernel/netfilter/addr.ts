/** IPv4 helpers for the netfilter engine: dotted text ⇄ 32-bit numbers, prefix masks. */

/** Parses a dotted quad into an unsigned 32-bit number; NaN when malformed. */
export function ipToU32(addr: string): number {
  const parts = addr.split(".");
  if (parts.length !== 4) return NaN;
  let n = 0;
  for (const p of parts) {
    if (!/^\d{1,3}$/.test(p)) return NaN;
    const v = Number(p);
    if (v > 255) return NaN;
    n = n * 256 + v;
  }
  return n >>> 0;
}

/** Formats an unsigned 32-bit number as a dotted quad. */
export function u32ToIp(n: number): string {
  return `${(n >>> 24) & 255}.${(n >>> 16) & 255}.${(n >>> 8) & 255}.${n & 255}`;
}

/** The netmask of a prefix length, as an unsigned 32-bit number. */
export function prefixMask(plen: number): number {
  return plen <= 0 ? 0 : plen >= 32 ? 0xffffffff : (0xffffffff << (32 - plen)) >>> 0;
}

/** IANA protocol numbers of the protocols the simulator carries, and the names iptables accepts. */
export const PROTO_NUMBERS: Record<string, number> = { all: 0, icmp: 1, tcp: 6, udp: 17 };
