/**
 * Small fakes for the shell's unit tests: a namespace with a few links and sysctls, a world
 * with a virtual clock, and a ready session. Not used by the simulator itself.
 */
import { createVirtualClock } from "../../core/clock.js";
import { createRng } from "../../core/random.js";
import { KernelError, type HostKernelApi, type LinkInfo, type NetnsApi } from "../kernel/api.js";
import type { ProcContext, WorldServices } from "../userland/types.js";
import { ShellSession, type ShellLimits } from "./session.js";
import { VfsTree, VfsView } from "./vfs.js";

function link(ifindex: number, name: string, up: boolean, extra: Partial<LinkInfo> = {}): LinkInfo {
  return {
    ifindex, name, kind: name === "lo" ? "loopback" : "veth",
    flags: name === "lo" ? ["LOOPBACK", "UP", "LOWER_UP"] : up ? ["BROADCAST", "MULTICAST", "UP", "LOWER_UP"] : ["BROADCAST", "MULTICAST"],
    mtu: name === "lo" ? 65536 : 1500, qdisc: "noqueue", operstate: name === "lo" ? "UNKNOWN" : up ? "UP" : "DOWN",
    mac: name === "lo" ? "00:00:00:00:00:00" : "02:42:ac:11:00:02", brd: name === "lo" ? "00:00:00:00:00:00" : "ff:ff:ff:ff:ff:ff",
    iflink: ifindex, stats: { rxPackets: 0, rxBytes: 0, rxDropped: 0, txPackets: 0, txBytes: 0, txDropped: 0 }, txqlen: 1000, promiscuity: 0, allmulti: 0, ...extra,
  };
}

/** A namespace that knows links and sysctls only; everything else throws EOPNOTSUPP. */
export function fakeNetns(label = "init"): NetnsApi {
  const links = [link(1, "lo", true), link(7, "eth0", true, { iflink: 8 }), link(9, "eth1", false)];
  const sysctls = new Map<string, string>([
    ["net.ipv4.ip_forward", "0"],
    ["net.ipv4.conf.all.forwarding", "0"],
    ["net.bridge.bridge-nf-call-iptables", "1"],
  ]);
  const unsupported = (): never => {
    throw new KernelError("EOPNOTSUPP", "fake");
  };
  return new Proxy({} as NetnsApi, {
    get(_t, prop) {
      switch (prop) {
        case "id": return 1;
        case "label": return label;
        case "linkList": return () => links.map((l) => ({ ...l }));
        case "addrList": return () => [{ ifindex: 7, dev: "eth0", cidr: "172.17.0.2/16", scope: "global" }];
        case "sysctlGet": return (k: string) => {
          const v = sysctls.get(k);
          if (v === undefined) throw new KernelError("ENOENT", k);
          return v;
        };
        case "sysctlSet": return (k: string, v: string) => {
          if (!sysctls.has(k)) throw new KernelError("ENOENT", k);
          if (!/^-?\d+$/.test(v)) throw new KernelError("EINVAL", k);
          sysctls.set(k, v);
        };
        case "sysctlList": return (prefix: string) => [...sysctls].filter(([k]) => k.startsWith(prefix)).sort();
        default: return unsupported;
      }
    },
  });
}

/** A context named `host` over a fake namespace and a small file tree. */
export function fakeContext(overrides: Partial<ProcContext> = {}): ProcContext {
  const netns = overrides.netns ?? fakeNetns();
  const tree = new VfsTree(
    { "/etc/hostname": "host\n", "/etc/hosts": "127.0.0.1\tlocalhost\n127.0.1.1\thost\n", "/dev/null": "" },
    ["/root", "/tmp", "/var/run/netns"],
  );
  return {
    name: "host",
    host: { hostname: "host" } as HostKernelApi,
    netns,
    fs: new VfsView(tree, netns),
    hostname: "host",
    env: { HOME: "/root", PATH: "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", USER: "root" },
    ...overrides,
  };
}

/** A session over a fake context with its own virtual clock. */
export function fakeSession(opts: { ctx?: Partial<ProcContext>; limits?: Partial<ShellLimits> } = {}): { session: ShellSession; world: WorldServices; ctx: ProcContext } {
  const ctx = fakeContext(opts.ctx);
  const world: WorldServices = {
    clock: createVirtualClock(),
    rng: createRng(1),
    daemons: {},
    spawn: (c, spec, io) => ShellSession.spawn(world, c, spec, io, opts.limits),
  };
  return { session: new ShellSession(ctx, world, { pid: 4242, limits: opts.limits }), world, ctx };
}
