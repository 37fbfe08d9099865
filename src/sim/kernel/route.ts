/**
 * The FIB of one namespace: tables `local` (looked up first: local, broadcast) and `main`,
 * longest-prefix match then lowest metric, as fib_lookup() with the default rules
 * (0: local, 32766: main). Connected routes are made from addresses by fib_add_ifaddr().
 */
import { KernelError, type RouteInfo, type RouteSpec } from "./api.js";
import type { Device } from "./links/device.js";
import { formatIp, formatPrefix, inPrefix } from "./wire/ipv4.js";

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

/** The routing tables of one namespace. */
export class Fib {
  readonly routes: Route[] = [];

  /**
   * Inserts keeping the trie's listing order (by address, longer prefix first, then metric).
   * "excl" (ip route add) refuses the same prefix and metric; "append" (the kernel's own routes,
   * NLM_F_APPEND) only refuses an identical route; "replace" swaps the first match.
   */
  insert(r: Route, mode: "excl" | "append" | "replace" = "excl"): void {
    const same = this.routes.findIndex((x) => x.table === r.table && x.addr === r.addr && x.plen === r.plen && x.metric === r.metric && (mode !== "append" || (x.type === r.type && x.dev === r.dev && x.via === r.via)));
    if (same >= 0) {
      if (mode !== "replace") throw new KernelError("EEXIST");
      this.routes.splice(same, 1);
    }
    let i = 0;
    while (i < this.routes.length && compare(this.routes[i]!, r) <= 0) i++;
    // Same prefix and metric (appended): after the existing ones.
    this.routes.splice(i, 0, r);
  }

  /** Removes routes matching `pred`; returns how many. */
  removeWhere(pred: (r: Route) => boolean): number {
    let n = 0;
    for (let i = this.routes.length - 1; i >= 0; i--) {
      if (pred(this.routes[i]!)) {
        this.routes.splice(i, 1);
        n++;
      }
    }
    return n;
  }

  /**
   * fib_lookup: the local table, then main; longest prefix, then lowest metric. Routes with a
   * scope narrower than `minScope` are skipped (a gateway must be reachable by a link route).
   */
  lookup(dst: number, minScope: keyof typeof SCOPE_RANK = "global", oif?: Device): Route | undefined {
    for (const table of ["local", "main"] as const) {
      let best: Route | undefined;
      for (const r of this.routes) {
        if (r.table !== table || !inPrefix(dst, r.addr, r.plen)) continue;
        if (SCOPE_RANK[r.scope] < SCOPE_RANK[minScope]) continue;
        if (oif && r.dev && r.dev !== oif) continue;
        if (r.dev && !r.dev.adminUp && r.type !== "local") continue;
        if (!best || r.plen > best.plen || (r.plen === best.plen && r.metric < best.metric)) best = r;
      }
      if (best) return best;
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
