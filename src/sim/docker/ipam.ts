/**
 * libnetwork's default IPAM for local networks: pools taken in order from 172.17.0.0/16,
 * 172.18.0.0/16, … 172.31.0.0/16, then 192.168.0.0/16 cut in /20s (ipamutils/utils.go
 * localScopeDefaultNetworks); inside a pool the network address is reserved and addresses are
 * handed out lowest-free first (bitseq.SetAny "sets the first unset bit"), never the broadcast.
 */

/** Dotted quad → 32-bit unsigned. */
export function ipToInt(ip: string): number {
  const p = ip.split(".").map(Number);
  return (((p[0]! << 24) >>> 0) + (p[1]! << 16) + (p[2]! << 8) + p[3]!) >>> 0;
}

/** 32-bit unsigned → dotted quad. */
export function intToIp(n: number): string {
  return [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join(".");
}

/** The default pools in libnetwork's order. */
export function defaultPools(): string[] {
  const out: string[] = [];
  for (let b = 17; b <= 31; b++) out.push(`172.${b}.0.0/16`);
  for (let c = 0; c < 256; c += 16) out.push(`192.168.${c}.0/20`);
  return out;
}

/** One subnet's address bitmap. */
export class Pool {
  readonly base: number;
  readonly plen: number;
  private readonly used = new Set<number>();

  constructor(readonly subnet: string) {
    const [addr, len] = subnet.split("/");
    this.plen = Number(len);
    const mask = this.plen === 0 ? 0 : (0xffffffff << (32 - this.plen)) >>> 0;
    this.base = (ipToInt(addr!) & mask) >>> 0;
  }

  get size(): number {
    return 2 ** (32 - this.plen);
  }

  /** The broadcast address of the subnet. */
  broadcast(): string {
    return intToIp((this.base + this.size - 1) >>> 0);
  }

  contains(ip: string): boolean {
    const n = ipToInt(ip);
    return n >= this.base && n < this.base + this.size;
  }

  /** Takes the lowest free host address (ordinal 1 upward), or a given one; undefined when full or taken. */
  take(ip?: string): string | undefined {
    if (ip !== undefined) {
      const o = ipToInt(ip) - this.base;
      if (o <= 0 || o >= this.size - 1 || this.used.has(o)) return undefined;
      this.used.add(o);
      return ip;
    }
    for (let o = 1; o < this.size - 1; o++) {
      if (!this.used.has(o)) {
        this.used.add(o);
        return intToIp((this.base + o) >>> 0);
      }
    }
    return undefined;
  }

  release(ip: string): void {
    this.used.delete(ipToInt(ip) - this.base);
  }
}
