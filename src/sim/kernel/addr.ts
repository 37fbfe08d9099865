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

/** The address list of a namespace. */
export class AddrTable {
  readonly list: IfAddr[] = [];

  /** Adds an address; EEXIST "ipv4: Address already assigned" for a duplicate. */
  add(a: Omit<IfAddr, "secondary">): IfAddr {
    let secondary = false;
    for (const o of this.list) {
      if (o.dev !== a.dev) continue;
      if (o.plen === a.plen && inPrefix(a.addr, o.addr, o.plen)) {
        if (o.addr === a.addr) throw new KernelError("EEXIST", "ipv4: Address already assigned");
        if (o.scope !== a.scope) throw new KernelError("EINVAL", "ipv4: Invalid scope value");
        if (!o.secondary) secondary = true;
      }
    }
    const rec: IfAddr = { ...a, secondary };
    // Primaries go after the device's last primary; secondaries at the end.
    let at = this.list.length;
    if (!secondary) {
      const lastPrimary = this.list.map((x, i) => (x.dev === a.dev && !x.secondary ? i : -1)).reduce((m, i) => Math.max(m, i), -1);
      const firstOfDev = this.list.findIndex((x) => x.dev === a.dev);
      if (lastPrimary >= 0) at = lastPrimary + 1;
      else if (firstOfDev >= 0) at = firstOfDev;
    }
    this.list.splice(at, 0, rec);
    return rec;
  }

  /** Finds an address by device and address (and prefix length when given). */
  find(dev: Device, addr: number, plen?: number): IfAddr | undefined {
    return this.list.find((x) => x.dev === dev && x.addr === addr && (plen === undefined || x.plen === plen));
  }

  /** Removes an address; removing a primary removes the secondaries it covered. Returns what went. */
  remove(rec: IfAddr): IfAddr[] {
    const gone = [rec];
    if (!rec.secondary) {
      for (const x of this.list) {
        if (x !== rec && x.dev === rec.dev && x.secondary && x.plen === rec.plen && inPrefix(x.addr, rec.addr, rec.plen)) gone.push(x);
      }
    }
    for (const g of gone) this.list.splice(this.list.indexOf(g), 1);
    return gone;
  }

  /** All addresses of a device. */
  ofDev(dev: Device): IfAddr[] {
    return this.list.filter((x) => x.dev === dev);
  }

  /** True when `addr` is assigned to any device of the namespace. */
  isLocal(addr: number): boolean {
    return this.list.some((x) => x.addr === addr);
  }

  /** The device holding `addr`. */
  devOf(addr: number): Device | undefined {
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
      const mine = this.list.filter((x) => x.dev === dev && ok(x));
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

/** The broadcast of an address when `brd +` is asked for. */
export function autoBroadcast(addr: number, plen: number): number | undefined {
  return plen < 31 ? broadcastOf(addr, plen) : undefined;
}

/** The network mask, for `ifconfig`-style consumers. */
export function netmaskText(plen: number): string {
  return formatIp(maskOf(plen));
}
