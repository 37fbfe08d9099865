/** IPv4 helpers for the cluster code (dotted strings ↔ integers, CIDR arithmetic). */

/** "10.0.0.1" → 167772161. */
export function ipToInt(ip: string): number {
  return ip.split(".").reduce((a, o) => a * 256 + Number(o), 0);
}

/** 167772161 → "10.0.0.1". */
export function intToIp(n: number): string {
  return [24, 16, 8, 0].map((s) => Math.floor(n / 2 ** s) % 256).join(".");
}

/** The `i`-th address of a CIDR: ("10.244.1.0/24", 1) → "10.244.1.1". */
export function nthAddr(cidr: string, i: number): string {
  return intToIp(ipToInt(cidr.split("/")[0]!) + i);
}

/** True when `ip` is inside `cidr`. */
export function inCidr(ip: string, cidr: string): boolean {
  const [base, plen] = cidr.split("/");
  const size = 2 ** (32 - Number(plen));
  const b = ipToInt(base!);
  const x = ipToInt(ip);
  return x >= b && x < b + size;
}
