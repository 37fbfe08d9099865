/**
 * Dynamic network files, computed from a namespace through the kernel API:
 *   /sys/class/net/IF/{address,addr_len,broadcast,carrier,flags,ifindex,iflink,mtu,operstate,tx_queue_len,type}
 *   /proc/sys/net/...   one file per sysctl key (`net.ipv4.ip_forward` ↔ /proc/sys/net/ipv4/ip_forward)
 * Values follow the kernel's net-sysfs.c formats (decimal, `0x%x` flags, lower-case operstate).
 */
import type { HostKernelApi, LinkInfo, NetnsApi } from "../kernel/api.js";
import { IFF_BITS } from "../kernel/wire/iff.js";
import { FsError, errnoOf } from "../userland/lib/errno.js";
import type { VfsMount } from "./vfs.js";

const SYS_ATTRS = ["addr_len", "address", "broadcast", "carrier", "flags", "ifindex", "iflink", "mtu", "operstate", "tx_queue_len", "type"];


function sysAttr(link: LinkInfo, attr: string, path: string): string {
  switch (attr) {
    case "addr_len": return "6";
    case "address": return link.mac;
    case "broadcast": return link.brd;
    case "carrier":
      // net-sysfs.c: carrier_show returns -EINVAL when the device is not up.
      if (!link.flags.includes("UP")) throw new FsError("EINVAL", path);
      return link.flags.includes("LOWER_UP") ? "1" : "0";
    case "flags": {
      let v = 0;
      // dev->flags, not dev_get_flags(): no LOWER_UP (0x10000 and above), and PROMISC/ALLMULTI
      // whenever anyone asked for them (a bridge port is both), not only `ip link set`.
      for (const f of link.flags) v |= (IFF_BITS[f] ?? 0) & 0xffff;
      if (link.promiscuity > 0) v |= IFF_BITS.PROMISC!;
      if (link.allmulti > 0) v |= IFF_BITS.ALLMULTI!;
      return "0x" + v.toString(16);
    }
    case "ifindex": return String(link.ifindex);
    case "iflink": return String(link.iflink);
    case "mtu": return String(link.mtu);
    case "operstate": return link.operstate.toLowerCase();
    case "tx_queue_len": return String(link.txqlen);
    case "type": return link.kind === "loopback" ? "772" : "1";
    default: throw new FsError("ENOENT", path);
  }
}

function sysClassNet(ns: NetnsApi): VfsMount {
  const find = (name: string): LinkInfo | undefined => ns.linkList().find((l) => l.name === name);
  return {
    kind(rel) {
      if (rel.length === 0) return "dir";
      const link = find(rel[0]!);
      if (!link) return undefined;
      if (rel.length === 1) return "dir";
      return rel.length === 2 && SYS_ATTRS.includes(rel[1]!) ? "file" : undefined;
    },
    readdir(rel) {
      if (rel.length === 0) return ns.linkList().map((l) => l.name).sort();
      if (rel.length === 1 && find(rel[0]!)) return [...SYS_ATTRS];
      return undefined;
    },
    read(rel) {
      const path = "/sys/class/net/" + rel.join("/");
      const link = find(rel[0]!);
      if (!link || rel.length !== 2) throw new FsError("ENOENT", path);
      return sysAttr(link, rel[1]!, path) + "\n";
    },
    write(rel) {
      throw new FsError("EACCES", "/sys/class/net/" + rel.join("/"));
    },
    canWrite: () => false,
  };
}

function procSysNet(ns: NetnsApi): VfsMount {
  const keys = (): string[] => ns.sysctlList("net").map(([k]) => k).filter((k) => k.startsWith("net."));
  const keyOf = (rel: string[]): string => ["net", ...rel].join(".");
  return {
    kind(rel) {
      const key = keyOf(rel);
      const all = keys();
      if (all.includes(key)) return "file";
      if (rel.length === 0 || all.some((k) => k.startsWith(key + "."))) return "dir";
      return undefined;
    },
    readdir(rel) {
      const key = keyOf(rel);
      const names = new Set<string>();
      let any = rel.length === 0;
      for (const k of keys()) {
        if (!k.startsWith(key + ".")) continue;
        any = true;
        names.add(k.slice(key.length + 1).split(".")[0]!);
      }
      return any ? [...names].sort() : undefined;
    },
    read(rel) {
      return ns.sysctlGet(keyOf(rel)) + "\n";
    },
    write(rel, content) {
      const path = "/proc/sys/net/" + rel.join("/");
      try {
        ns.sysctlSet(keyOf(rel), content.trim());
      } catch (e) {
        const errno = errnoOf(e);
        throw new FsError(errno === "ENOENT" ? "ENOENT" : errno === "EPERM" ? "EPERM" : "EINVAL", path);
      }
    },
    canWrite: () => true,
  };
}

/** /run/netns (and /var/run/netns): one entry per `ip netns add` name (nsfs bind mounts; reading one fails with EINVAL). */
function netnsDir(host: HostKernelApi, base: string): VfsMount {
  // The directory appears with the first `ip netns add` and stays when the last name is deleted.
  let created = false;
  const names = (): string[] => {
    const n = host.netnsNamed().slice().sort();
    if (n.length) created = true;
    return n;
  };
  return {
    kind: (rel) => {
      const n = names();
      if (rel.length === 0) return created ? "dir" : undefined;
      return rel.length === 1 && n.includes(rel[0]!) ? "file" : undefined;
    },
    readdir: (rel) => {
      names();
      return rel.length === 0 && created ? names() : undefined;
    },
    read(rel) {
      throw new FsError("EINVAL", `${base}/${rel.join("/")}`);
    },
    write(rel) {
      throw new FsError("EACCES", `${base}/${rel.join("/")}`);
    },
    canWrite: () => false,
  };
}

/** The dynamic mounts a process in namespace `ns` sees (on a machine `host`, also its named namespaces). */
export function netMounts(ns: NetnsApi, host?: HostKernelApi): Array<{ at: string[]; mount: VfsMount }> {
  const mounts = [
    { at: ["sys", "class", "net"], mount: sysClassNet(ns) },
    { at: ["proc", "sys", "net"], mount: procSysNet(ns) },
  ];
  if (host) {
    mounts.push({ at: ["run", "netns"], mount: netnsDir(host, "/run/netns") });
    mounts.push({ at: ["var", "run", "netns"], mount: netnsDir(host, "/var/run/netns") });
  }
  return mounts;
}
