/**
 * IPv4 addresses and prefixes: dotted text at the API, 32-bit unsigned numbers inside.
 */

const memo = new Map<string, number | undefined>();

/** Parses a dotted quad ("10.0.0.1") to an unsigned 32-bit number; undefined if malformed. Memoized: the packet path parses the same few addresses over and over. */
export function parseIp(text: string): number | undefined {
  const hit = memo.get(text);
  if (hit !== undefined || memo.has(text)) return hit;
  const v = parseIpText(text);
  if (memo.size > 65536) memo.clear();
  memo.set(text, v);
  return v;
}

function parseIpText(text: string): number | undefined {
  const parts = text.split(".");
  if (parts.length !== 4) return undefined;
  let n = 0;
  for (const p of parts) {
    if (!/^\d{1,3}$/.test(p)) return undefined;
    const v = Number(p);
    if (v > 255) return undefined;
    n = n * 256 + v;
  }
  return n >>> 0;
}

/** Formats an unsigned 32-bit number as a dotted quad. */
export function formatIp(n: number): string {
  return `${(n >>> 24) & 255}.${(n >>> 16) & 255}.${(n >>> 8) & 255}.${n & 255}`;
}

/** The netmask of a prefix length, as an unsigned number. */
export function maskOf(plen: number): number {
  return plen === 0 ? 0 : (0xffffffff << (32 - plen)) >>> 0;
}

/** A prefix: network address (host bits cleared) and length. */
export interface Prefix {
  addr: number;
  plen: number;
}

/** Parses "10.0.0.0/24", "10.0.0.1" (a /32) or "default"; keeps host bits in `host`. */
export function parseCidr(text: string): { addr: number; plen: number } | undefined {
  if (text === "default") return { addr: 0, plen: 0 };
  const slash = text.indexOf("/");
  const ipText = slash < 0 ? text : text.slice(0, slash);
  const addr = parseIp(ipText);
  if (addr === undefined) return undefined;
  if (slash < 0) return { addr, plen: 32 };
  const lenText = text.slice(slash + 1);
  if (!/^\d{1,2}$/.test(lenText)) return undefined;
  const plen = Number(lenText);
  if (plen > 32) return undefined;
  return { addr, plen };
}

/** True when `addr` lies inside `net/plen`. */
export function inPrefix(addr: number, net: number, plen: number): boolean {
  const m = maskOf(plen);
  return ((addr & m) >>> 0) === ((net & m) >>> 0);
}

/** Clears the host bits. */
export function networkOf(addr: number, plen: number): number {
  return (addr & maskOf(plen)) >>> 0;
}

/** The directed broadcast address of a prefix. */
export function broadcastOf(addr: number, plen: number): number {
  return (networkOf(addr, plen) | (~maskOf(plen) >>> 0)) >>> 0;
}

/** Formats a prefix as iproute2 does: "10.0.0.0/24", "default", and a bare address for /32. */
export function formatPrefix(addr: number, plen: number): string {
  if (plen === 0 && addr === 0) return "default";
  return plen === 32 ? formatIp(addr) : `${formatIp(addr)}/${plen}`;
}

/** True for 224.0.0.0/4. */
export function isMulticast(addr: number): boolean {
  return (addr >>> 28) === 0xe;
}
