/**
 * Record-and-compare: the kernel API scenarios of scripts/kernel-api/scenarios.mjs, recorded on
 * the real kernel by scripts/record-kernel-api.sh into test/fixtures/kernel-api/*.json, replayed
 * through NetnsApi. Compared: each step's outcome (iproute2's exit status and error line, made
 * from the KernelError's errno or extack detail) and snapshots of links (ifindex, iflink,
 * link-netnsid, flags, MTU, qdisc, operstate), addresses, routes, neighbours, `ip route get` and
 * sysctls. MACs are random on both sides and are not compared.
 */
import { readFileSync, readdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { KernelError, type NetnsApi } from "./api.js";
import { oneHost } from "./test-support/topo.js";

const dir = join(dirname(fileURLToPath(import.meta.url)), "../../../test/fixtures/kernel-api");
type Json = Record<string, unknown>;
interface Item {
  step?: { ns: string; cmd: string; op: [string, ...unknown[]] };
  snap?: { ns: string; what: string; arg?: string };
  real: { exitCode: number; stderr: string; value?: unknown; init?: string };
}
const fixtures = readdirSync(dir).filter((f) => f.endsWith(".json")).sort().map((f) => JSON.parse(readFileSync(join(dir, f), "utf8")) as { scenario: string; namespaces: string[]; items: Item[] });

/** strerror texts iproute2 prints after `RTNETLINK answers: `. */
const STRERROR: Record<string, string> = {
  EEXIST: "File exists", ENOENT: "No such file or directory", ESRCH: "No such process", EOPNOTSUPP: "Operation not supported",
  EINVAL: "Invalid argument", ENETUNREACH: "Network is unreachable", EHOSTUNREACH: "No route to host", ENODEV: "No such device",
  EADDRNOTAVAIL: "Cannot assign requested address", EBUSY: "Device or resource busy", ENETDOWN: "Network is down", ELOOP: "Too many levels of symbolic links",
};

function outcome(run: () => unknown, failCode = 2): { exitCode: number; stderr: string } {
  try {
    run();
    return { exitCode: 0, stderr: "" };
  } catch (e) {
    if (!(e instanceof KernelError)) throw e;
    return { exitCode: failCode, stderr: e.detail ? `Error: ${e.detail}.\n` : `RTNETLINK answers: ${STRERROR[e.errno] ?? e.errno}\n` };
  }
}

const pick = (o: Json, keys: string[]) => Object.fromEntries(keys.filter((k) => o[k] !== undefined).map((k) => [k, o[k]]));
const LINK_KEYS = ["ifindex", "ifname", "link", "link_index", "link_netnsid", "flags", "mtu", "qdisc", "operstate", "txqlen", "link_type"];
const FDB_KEYS = ["mac", "ifname", "dst", "flags", "master", "state"];
const ROUTE_KEYS = ["type", "dst", "gateway", "dev", "table", "protocol", "scope", "prefsrc", "metric", "flags"];

function simSnap(ns: NetnsApi, what: string, arg?: string): unknown {
  switch (what) {
    case "links":
      return ns.linkList().map((l) => pick({
        ifindex: l.ifindex, ifname: l.name, link: l.kind === "veth" && l.linkNetnsId === undefined ? l.peerName : undefined,
        link_index: l.linkNetnsId !== undefined || (l.kind !== "veth" && l.iflink !== l.ifindex) ? l.iflink : undefined, link_netnsid: l.linkNetnsId,
        flags: l.flags, mtu: l.mtu, qdisc: l.qdisc, operstate: l.operstate, txqlen: l.txqlen, link_type: l.kind === "loopback" ? "loopback" : "ether",
      }, LINK_KEYS));
    case "addrs": {
      const byDev = new Map<string, Json[]>();
      for (const a of ns.addrList()) {
        const [local, plen] = a.cidr.split("/");
        byDev.set(a.dev, [...(byDev.get(a.dev) ?? []), pick({ local, prefixlen: Number(plen), broadcast: a.broadcast, scope: a.scope, secondary: a.secondary }, ["local", "prefixlen", "broadcast", "scope", "secondary"])]);
      }
      return [...byDev].map(([dev, addrs]) => ({ ifname: dev, addrs }));
    }
    case "routes":
      return ns.routeList("all").map((r) => pick({
        type: r.type === "unicast" ? undefined : r.type, dst: r.dst, gateway: r.via, dev: r.dev, table: r.table === "main" ? undefined : r.table,
        protocol: r.proto === "boot" ? undefined : r.proto, scope: r.scope === "global" ? undefined : r.scope, prefsrc: r.src, metric: r.metric,
        flags: [...(r.onlink ? ["onlink"] : []), ...(r.linkdown ? ["linkdown"] : [])],
      }, ROUTE_KEYS));
    case "neigh":
      return ns.neighList().map((n) => pick({ dst: n.dst, dev: n.dev, lladdr: n.lladdr, state: [n.state] }, ["dst", "dev", "lladdr", "state"]));
    case "routeget": {
      const g = ns.routeGet(arg!);
      return pick({ type: g.route.type === "local" ? "local" : undefined, dst: arg, gateway: g.via, dev: g.dev, prefsrc: g.src }, ["type", "dst", "gateway", "dev", "prefsrc"]);
    }
    case "sysctl":
      return ns.sysctlGet(arg!);
    case "addrs6": {
      const byDev = new Map<string, Json[]>();
      for (const a of ns.addr6List()) {
        const [local, plen] = a.cidr.split("/");
        byDev.set(a.dev, [...(byDev.get(a.dev) ?? []), { local, prefixlen: Number(plen), scope: a.scope }]);
      }
      return [...byDev].map(([dev, addrs]) => ({ ifname: dev, addrs }));
    }
    case "fdb":
      return ns.fdbList().filter((e) => e.state !== undefined).map((e) => pick({ mac: e.mac, ifname: e.dev, dst: e.dst, flags: e.self ? ["self"] : [], master: e.master, state: e.state ?? "" }, FDB_KEYS));
  }
  throw new Error(what);
}

function realSnap(what: string, value: unknown): unknown {
  const v = value as Json[];
  switch (what) {
    case "links":
      return v.map((l) => pick(l, LINK_KEYS));
    case "addrs":
      return v.filter((l) => (l.addr_info as Json[]).length).map((l) => ({ ifname: l.ifname, addrs: (l.addr_info as Json[]).map((a) => pick(a, ["local", "prefixlen", "broadcast", "scope", "secondary"])) }));
    case "routes":
      return v.map((r) => pick({ ...r, flags: r.flags ?? [] }, ROUTE_KEYS));
    case "neigh":
      return v.map((n) => pick(n, ["dst", "dev", "lladdr", "state"]));
    case "routeget":
      return pick(v[0]!, ["type", "dst", "gateway", "dev", "prefsrc"]);
    case "sysctl":
      return value;
    case "addrs6":
      return v.filter((l) => (l.addr_info as Json[]).length).map((l) => ({ ifname: l.ifname, addrs: (l.addr_info as Json[]).map((a) => pick(a, ["local", "prefixlen", "scope"])) }));
    case "fdb":
      // Learned (dynamic) entries are left out: on the real kernel they come from IPv6 ND/MLD chatter, which is not simulated.
      return v.filter((e) => e.state !== "").map((e) => pick(e, FDB_KEYS));
  }
  throw new Error(what);
}

describe("kernel API against the real kernel's recordings", () => {
  for (const f of fixtures) {
    it(f.scenario, () => {
      const { host } = oneHost(1);
      for (const it of f.items) if (it.snap?.what === "sysctl" && it.real.init !== undefined) host.init.sysctlSet(it.snap.arg!, it.real.init);
      const names = f.namespaces;
      const ns = new Map(names.map((n) => [n, host.netnsAddNamed(n.toUpperCase())]));
      const diffs: unknown[] = [];
      for (const [i, item] of f.items.entries()) {
        const target = ns.get((item.step ?? item.snap)!.ns)!;
        if (item.step) {
          const [method, ...args] = item.step.op;
          // iproute2's `ip` exits 2 on a kernel refusal, `bridge` 255.
          const got = outcome(() => (target as unknown as Record<string, (...a: unknown[]) => unknown>)[method]!(...args), method.startsWith("fdb") ? 255 : 2);
          if (got.exitCode !== item.real.exitCode || got.stderr !== item.real.stderr) diffs.push({ i, cmd: item.step.cmd, real: item.real, sim: got });
        } else {
          const s = item.snap!;
          const want = item.real.exitCode === 0 ? realSnap(s.what, item.real.value) : { exitCode: 2, stderr: item.real.stderr };
          let have: unknown;
          try {
            have = simSnap(target, s.what, s.arg);
          } catch (e) {
            have = outcome(() => { throw e; });
          }
          if (JSON.stringify(want) !== JSON.stringify(have)) diffs.push({ i, snap: `${s.what} ${s.ns} ${s.arg ?? ""}`, real: want, sim: have });
        }
      }
      expect(diffs).toEqual([]);
    });
  }
});
