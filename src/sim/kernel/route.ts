/**
 * The FIB of one namespace: tables `local` (looked up first: local, broadcast) and `main`,
 * longest-prefix match then lowest metric, as fib_lookup() with the default rules
 * (0: local, 32766: main). Connected routes are made from addresses by fib_add_ifaddr().
 */
import { KernelError, type RouteInfo, type RouteSpec } from "./api.js";
import type { Device } from "./links/device.js";
import { formatIp, formatPrefix } from "./wire/ipv4.js";

/** One route. */
export interface Route {
  table: "main" | "local";
  type: NonNullable<RouteSpec["type"]>;
  addr: number;
  plen: number;
  dev?: Device;
  via?: number;
  src?: number;
  scope: "global" | "link" | "host";
  proto: NonNullable<RouteSpec["proto"]>;
  metric: number;
  onlink: boolean;
  /** Made by the kernel for an address (removed with it). */
  kernel?: boolean;
  /** The gateway is a local address (nexthop scope host): it is listed but not used, the destination counts as on-link. */
  nhHost?: boolean;
}

/** The gateway a route really uses (none when its nexthop scope is host). */
export function gatewayOf(r: Route): number | undefined {
  return r.nhHost ? undefined : r.via;
}

const SCOPE_RANK = { global: 0, link: 253, host: 254 } as const;

/**
 * The routing tables of one namespace. `routes` is the listing (sorted as the trie dumps it);
 * lookups go through an index by (table, prefix length, network), rebuilt lazily after a change,
 * so a node with 5,000 ClusterIPs on kube-ipvs0 routes a packet in a few Map probes, not a scan.
 * Change routes only through insert/remove/removeWhere (they keep the index honest).
 */
export class Fib {
  readonly routes: Route[] = [];
  /** Per table, the prefix lengths in use (longest first), each with its routes by network. */
  private index: Record<Route["table"], Array<{ plen: number; byNet: Map<number, Route[]> }>> | undefined;

  /**
   * Inserts keeping the trie's listing order (by address, longer prefix first, then metric).
   * "excl" (ip route add) refuses the same prefix and metric; "append" (the kernel's own routes,
   * NLM_F_APPEND) only refuses an identical route; "replace" swaps the first match.
   * "ensure" is "append" that keeps an identical route instead of refusing (fib_magic ignoring
   * EEXIST) and says so by returning false, without the cost of an error.
   */
  insert(r: Route, mode: "excl" | "append" | "replace" | "ensure" = "excl"): boolean {
    // Routes with the same table, prefix and metric sit together just before the upper bound.
    let end = this.upperBound(r);
    for (let k = end - 1; k >= 0 && compare(this.routes[k]!, r) === 0; k--) {
      const x = this.routes[k]!;
      if ((mode === "append" || mode === "ensure") && !(x.type === r.type && x.dev === r.dev && x.via === r.via)) continue;
      if (mode === "ensure") return false;
      if (mode !== "replace") throw new KernelError("EEXIST");
      // "replace" swaps the first such route.
      let first = k;
      for (let j = k - 1; j >= 0 && compare(this.routes[j]!, r) === 0; j--) first = j;
      this.routes.splice(first, 1);
      end--;
      break;
    }
    // Same prefix and metric (appended): after the existing ones.
    this.routes.splice(end, 0, r);
    this.index = undefined;
    return true;
  }

  /** Removes one route (by identity); false when it is not there. */
  remove(r: Route): boolean {
    const i = this.routes.indexOf(r);
    if (i < 0) return false;
    this.routes.splice(i, 1);
    this.index = undefined;
    return true;
  }

  /** Removes routes matching `pred`; returns how many. */
  removeWhere(pred: (r: Route) => boolean): number {
    const kept = this.routes.filter((r) => !pred(r));
    const n = this.routes.length - kept.length;
    if (n > 0) {
      this.routes.splice(0, this.routes.length, ...kept);
      this.index = undefined;
    }
    return n;
  }

  /** The first position whose route sorts after `r` (binary search over the listing order). */
  private upperBound(r: Route): number {
    let lo = 0;
    let hi = this.routes.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (compare(this.routes[mid]!, r) <= 0) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  private built(): NonNullable<Fib["index"]> {
    if (this.index) return this.index;
    const byPlen: Record<Route["table"], Map<number, Map<number, Route[]>>> = { local: new Map(), main: new Map() };
    for (const r of this.routes) {
      let byNet = byPlen[r.table].get(r.plen);
      if (!byNet) byPlen[r.table].set(r.plen, (byNet = new Map()));
      const net = networkOf(r.addr, r.plen);
      const list = byNet.get(net);
      if (list) list.push(r);
      else byNet.set(net, [r]);
    }
    const desc = (m: Map<number, Map<number, Route[]>>) => [...m].sort((a, b) => b[0] - a[0]).map(([plen, byNet]) => ({ plen, byNet }));
    this.index = { local: desc(byPlen.local), main: desc(byPlen.main) };
    return this.index;
  }

  /**
   * fib_lookup: the local table, then main; longest prefix, then lowest metric. Routes with a
   * scope narrower than `minScope` are skipped (a gateway must be reachable by a link route).
   */
  lookup(dst: number, minScope: keyof typeof SCOPE_RANK = "global", oif?: Device): Route | undefined {
    const index = this.built();
    for (const table of ["local", "main"] as const) {
      // Longest prefix first; within one prefix the lowest metric, the first listed on a tie.
      for (const { plen, byNet } of index[table]) {
        const routes = byNet.get(networkOf(dst, plen));
        if (!routes) continue;
        let best: Route | undefined;
        for (const r of routes) {
          if (SCOPE_RANK[r.scope] < SCOPE_RANK[minScope]) continue;
          if (oif && r.dev && r.dev !== oif) continue;
          if (r.dev && !r.dev.adminUp && r.type !== "local") continue;
          if (!best || r.metric < best.metric) best = r;
        }
        if (best) return best;
      }
    }
    return undefined;
  }

  /** The route as RTM_GETROUTE reports it. */
  static info(r: Route): RouteInfo {
    const linkdown = r.dev !== undefined && r.type !== "local" && r.dev.adminUp && !r.dev.carrier();
    return {
      dst: formatPrefix(r.addr, r.plen),
      proto: r.proto,
      scope: r.scope,
      table: r.table,
      type: r.type,
      ...(linkdown ? { linkdown: true } : {}),
      ...(r.via !== undefined ? { via: formatIp(r.via) } : {}),
      ...(r.dev ? { dev: r.dev.name } : {}),
      ...(r.src !== undefined ? { src: formatIp(r.src) } : {}),
      ...(r.onlink ? { onlink: true } : {}),
      ...(r.metric ? { metric: r.metric } : {}),
    };
  }
}

function compare(a: Route, b: Route): number {
  if (a.table !== b.table) return a.table === "local" ? 1 : -1;
  if (a.addr !== b.addr) return a.addr - b.addr;
  if (a.plen !== b.plen) return b.plen - a.plen;
  return a.metric - b.metric;
}

/** `addr` with the host bits of a /plen cleared. */
function networkOf(addr: number, plen: number): number {
  return plen === 0 ? 0 : (addr & ((0xffffffff << (32 - plen)) >>> 0)) >>> 0;
}
