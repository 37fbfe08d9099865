/**
 * IPv4 interface addresses of one namespace (struct in_ifaddr), in the order the kernel keeps
 * them: per device, primaries before secondaries. An address in a prefix a primary already
 * covers on the same device becomes secondary, as __inet_insert_ifa() decides.
 */
import { KernelError, type AddrInfo } from "./api.js";
import type { Device } from "./links/device.js";
import { broadcastOf, formatIp, inPrefix, maskOf } from "./wire/ipv4.js";

/** One address. */
export interface IfAddr {
  dev: Device;
  addr: number;
  plen: number;
  broadcast?: number;
  scope: AddrInfo["scope"];
  label?: string;
  secondary: boolean;
}

/**
 * The address list of a namespace: `list` in the kernel's order, indexed by device and by
 * address (a node with 5,000 ClusterIPs on kube-ipvs0 asks "is this address mine?" per packet).
 * Change it only through add/remove.
 */
/** rtnetlink scope numbers (RT_SCOPE_*): the smaller, the wider. */
const SCOPE_NUM: Record<IfAddr["scope"], number> = { global: 0, link: 253, host: 254 };

export class AddrTable {
  readonly list: IfAddr[] = [];
  private readonly byDev = new Map<Device, IfAddr[]>();
  private readonly byAddr = new Map<number, IfAddr[]>();
  /** Per device: addresses by "plen/network" (who covers a new address's prefix), and how many primaries lead its list. */
  private readonly byPrefix = new Map<Device, Map<string, IfAddr[]>>();
  private readonly primaries = new Map<Device, number>();

  /** Adds an address; EEXIST "ipv4: Address already assigned" for a duplicate. */
  add(a: Omit<IfAddr, "secondary">): IfAddr {
    let secondary = false;
    const ofDev = this.byDev.get(a.dev) ?? [];
    const prefixes = this.byPrefix.get(a.dev) ?? new Map<string, IfAddr[]>();
    const pkey = prefixKey(a.addr, a.plen);
    for (const o of prefixes.get(pkey) ?? []) {
      if (o.plen === a.plen && inPrefix(a.addr, o.addr, o.plen)) {
        if (o.addr === a.addr) throw new KernelError("EEXIST", "ipv4: Address already assigned");
        if (o.scope !== a.scope) throw new KernelError("EINVAL", "ipv4: Invalid scope value");
        if (!o.secondary) secondary = true;
      }
    }
    const rec: IfAddr = { ...a, secondary };
    // __inet_insert_ifa: a primary goes after the last primary whose scope is as wide or
    // narrower (global 0 < site 200 < link 253 < host 254), else first; secondaries at the end.
    // So a scope-link address lists before the global ones added earlier.
    let at = this.list.length;
    let devAt = ofDev.length;
    if (!secondary) {
      // The device's primaries lead its list.
      const n = this.primaries.get(a.dev) ?? 0;
      let k = -1;
      for (let i = 0; i < n; i++) if (SCOPE_NUM[a.scope] <= SCOPE_NUM[ofDev[i]!.scope]) k = i;
      if (k >= 0) {
        at = this.list.lastIndexOf(ofDev[k]!) + 1;
        devAt = k + 1;
      } else if (ofDev.length > 0) {
        at = this.list.indexOf(ofDev[0]!);
        devAt = 0;
      }
      this.primaries.set(a.dev, n + 1);
    }
    this.list.splice(at, 0, rec);
    ofDev.splice(devAt, 0, rec);
    this.byDev.set(a.dev, ofDev);
    const covering = prefixes.get(pkey);
    if (covering) covering.push(rec);
    else prefixes.set(pkey, [rec]);
    this.byPrefix.set(a.dev, prefixes);
    const same = this.byAddr.get(rec.addr);
    if (same) same.push(rec);
    else this.byAddr.set(rec.addr, [rec]);
    return rec;
  }

  /** Finds an address by device and address (and prefix length when given). */
  find(dev: Device, addr: number, plen?: number): IfAddr | undefined {
    return this.byAddr.get(addr)?.find((x) => x.dev === dev && (plen === undefined || x.plen === plen));
  }

  /** Removes an address; removing a primary removes the secondaries it covered. Returns what went. */
  remove(rec: IfAddr): IfAddr[] {
    const gone = [rec];
    if (!rec.secondary) {
      for (const x of this.list) {
        if (x !== rec && x.dev === rec.dev && x.secondary && x.plen === rec.plen && inPrefix(x.addr, rec.addr, rec.plen)) gone.push(x);
      }
    }
    for (const g of gone) {
      this.list.splice(this.list.indexOf(g), 1);
      const ofDev = this.byDev.get(g.dev)!;
      ofDev.splice(ofDev.indexOf(g), 1);
      if (ofDev.length === 0) this.byDev.delete(g.dev);
      if (!g.secondary) this.primaries.set(g.dev, this.primaries.get(g.dev)! - 1);
      const prefixes = this.byPrefix.get(g.dev)!;
      const covering = prefixes.get(prefixKey(g.addr, g.plen))!;
      covering.splice(covering.indexOf(g), 1);
      if (covering.length === 0) prefixes.delete(prefixKey(g.addr, g.plen));
      const same = this.byAddr.get(g.addr)!;
      same.splice(same.indexOf(g), 1);
      if (same.length === 0) this.byAddr.delete(g.addr);
    }
    return gone;
  }

  /** All addresses of a device, in list order. */
  ofDev(dev: Device): IfAddr[] {
    return [...(this.byDev.get(dev) ?? [])];
  }

  /** True when `addr` is assigned to any device of the namespace. */
  isLocal(addr: number): boolean {
    return this.byAddr.has(addr);
  }

  /** The device holding `addr` (the first listed, when several hold it). */
  devOf(addr: number): Device | undefined {
    const same = this.byAddr.get(addr);
    if (!same) return undefined;
    if (same.length === 1) return same[0]!.dev;
    return this.list.find((x) => x.addr === addr)?.dev;
  }

  /**
   * inet_select_addr(): a primary address of `dev` within `scope`, preferring one whose prefix
   * holds `towards`; else the first suitable address of any device (loopback first, as
   * devices are walked in ifindex order).
   */
  select(dev: Device | undefined, towards: number, maxScope: AddrInfo["scope"] = "global"): number | undefined {
    const rank = { global: 0, link: 253, host: 254 } as const;
    const ok = (x: IfAddr) => !x.secondary && rank[x.scope] <= rank[maxScope];
    if (dev) {
      const mine = (this.byDev.get(dev) ?? []).filter(ok);
      const match = mine.find((x) => inPrefix(towards, x.addr, x.plen));
      if (match) return match.addr;
      if (mine[0]) return mine[0].addr;
    }
    const others = this.list.filter((x) => ok(x) && x.scope !== "host").sort((a, b) => a.dev.ifindex - b.dev.ifindex);
    return others[0]?.addr;
  }

  /** The address as `RTM_GETADDR` reports it. */
  static info(x: IfAddr): AddrInfo {
    return {
      ifindex: x.dev.ifindex,
      dev: x.dev.name,
      cidr: `${formatIp(x.addr)}/${x.plen}`,
      ...(x.broadcast !== undefined ? { broadcast: formatIp(x.broadcast) } : {}),
      scope: x.scope,
      ...(x.label !== undefined ? { label: x.label } : {}),
      ...(x.secondary ? { secondary: true } : {}),
    };
  }
}

function prefixKey(addr: number, plen: number): string {
  return `${plen}/${plen === 0 ? 0 : (addr & ((0xffffffff << (32 - plen)) >>> 0)) >>> 0}`;
}

/** The broadcast of an address when `brd +` is asked for. */
export function autoBroadcast(addr: number, plen: number): number | undefined {
  return plen < 31 ? broadcastOf(addr, plen) : undefined;
}

/** The network mask, for `ifconfig`-style consumers. */
export function netmaskText(plen: number): string {
  return formatIp(maskOf(plen));
}
