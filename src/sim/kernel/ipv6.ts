/**
 * The IPv6 the kernel configures by itself, which listings show even in an IPv4 lesson:
 * `::1/128` on lo, an EUI-64 link-local `fe80::/64` on every other device once it is up with
 * carrier (unless net.ipv6.conf.<dev>.disable_ipv6), and the link-layer multicast memberships
 * that `bridge fdb show` lists as `self permanent` entries. No IPv6 packets are simulated.
 */
import type { Addr6Info, FdbEntry } from "./api.js";
import type { Device } from "./links/device.js";
import type { Netns } from "./netns.js";
import { formatIp6 } from "./wire/ipv6.js";

export { formatIp6 };

/** The EUI-64 link-local address of a MAC: fe80::(b0^2)b1:b2ff:feb3:b4b5. */
export function linkLocalOf(mac: string): string {
  const b = mac.split(":").map((x) => parseInt(x, 16));
  return formatIp6([0xfe80, 0, 0, 0, ((b[0]! ^ 2) << 8) | b[1]!, (b[2]! << 8) | 0xff, 0xfe00 | b[3]!, (b[4]! << 8) | b[5]!]);
}

function ipv6On(ns: Netns, dev: Device): boolean {
  return ns.sysctl(`net.ipv6.conf.${dev.name}.disable_ipv6`) !== "1";
}

/** disable_ipv6 was written: devices whose value changed join or leave the all-nodes group (addrconf_ifdown / ipv6_mc_up). */
export function ipv6Toggled(ns: Netns, before: Map<Device, boolean>): void {
  for (const [d, wasOn] of before) {
    const on = ipv6On(ns, d);
    if (on !== wasOn) d.v6AllNodes = on;
  }
}

/** Whether IPv6 is enabled on each device (to compare after a sysctl write). */
export function ipv6States(ns: Netns): Map<Device, boolean> {
  return new Map(ns.devices.map((d) => [d, ipv6On(ns, d)]));
}

/** Whether `dev` holds its link-local address now (up, carrier, IPv6 enabled). */
function hasLinkLocal(ns: Netns, dev: Device): boolean {
  return dev.kind !== "loopback" && dev.adminUp && dev.carrier() && ipv6On(ns, dev);
}

/** `ip -6 addr`: the addresses the kernel configured, in device order. */
export function addr6List(ns: Netns): Addr6Info[] {
  const out: Addr6Info[] = [];
  for (const d of ns.devices) {
    if (d.kind === "loopback") {
      if (d.adminUp && ipv6On(ns, d)) out.push({ ifindex: d.ifindex, dev: d.name, cidr: "::1/128", scope: "host" });
    } else if (hasLinkLocal(ns, d)) {
      out.push({ ifindex: d.ifindex, dev: d.name, cidr: `${linkLocalOf(d.mac)}/64`, scope: "link" });
    }
  }
  return out;
}

/**
 * The device's link-layer multicast list as `bridge fdb show` prints it (`self permanent`):
 * IPv6 all-nodes from registration, IPv4 all-hosts once up, a bridge's multicast-router groups
 * once up, and the solicited-node group of the link-local address.
 */
export function multicastSelfEntries(ns: Netns, dev: Device): FdbEntry[] {
  if (dev.kind === "loopback" || dev.kind === "vxlan") return [];
  const macs = dev.v6AllNodes ? ["33:33:00:00:00:01"] : [];
  if (dev.adminUp) {
    if (dev.kind === "bridge") macs.push("01:00:5e:00:00:6a", "33:33:00:00:00:6a");
    macs.push("01:00:5e:00:00:01");
    if (hasLinkLocal(ns, dev)) macs.push(`33:33:ff:${dev.mac.slice(9)}`);
  }
  return macs.map((mac) => ({ mac, dev: dev.name, self: true, state: "permanent" as const }));
}
