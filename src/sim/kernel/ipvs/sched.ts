/**
 * IPVS schedulers: which real server gets a new connection. Each follows its kernel module
 * (net/netfilter/ipvs/ip_vs_rr.c, ip_vs_wrr.c, ip_vs_lc.c, ip_vs_wlc.c). The destination list
 * is in the kernel's order: __ip_vs_update_dest adds a new real server at the head
 * (list_add_rcu), so the newest comes first and round robin starts with it.
 *
 * A server is available when its weight is > 0 and it is not overloaded (IP_VS_DEST_F_OVERLOAD:
 * an upper connection threshold reached).
 */

/** What a scheduler sees of a real server. */
export interface SchedDest {
  weight: number;
  activeConns: number;
  inactConns: number;
  upperThreshold: number;
}

/** A scheduler instance of one service (its sched_data). */
export interface Scheduler {
  readonly name: string;
  /** Picks a destination among `dests` (kernel order), or undefined: "no destination available". */
  schedule<D extends SchedDest>(dests: readonly D[]): D | undefined;
  /** A destination is about to leave the list (ip_vs_rr_del_dest moves the cursor back). */
  removed<D extends SchedDest>(dests: readonly D[], gone: D): void;
}

function available(d: SchedDest): boolean {
  const overloaded = d.upperThreshold > 0 && d.activeConns + d.inactConns >= d.upperThreshold;
  return d.weight > 0 && !overloaded;
}

/** ip_vs_dest_conn_overhead: active connections weigh 256 times an inactive one. */
function overhead(d: SchedDest): number {
  return d.activeConns * 256 + d.inactConns;
}

/** ip_vs_rr.c: a cursor walks the list, from the element after the last pick, skipping unavailable servers. */
class RoundRobin implements Scheduler {
  readonly name = "rr";
  private last: SchedDest | undefined;

  schedule<D extends SchedDest>(dests: readonly D[]): D | undefined {
    const n = dests.length;
    if (n === 0) return undefined;
    const start = this.last ? dests.indexOf(this.last as D) + 1 : 0;
    for (let k = 0; k < n; k++) {
      const d = dests[(start + k) % n]!;
      if (available(d)) {
        this.last = d;
        return d;
      }
    }
    return undefined;
  }

  removed<D extends SchedDest>(dests: readonly D[], gone: D): void {
    if (this.last !== gone) return;
    const i = dests.indexOf(gone);
    this.last = i > 0 ? dests[i - 1] : undefined;
  }
}

function gcd(a: number, b: number): number {
  while (b) [a, b] = [b, a % b];
  return a;
}

/**
 * ip_vs_wrr.c: the current weight `cw` starts at the largest weight and drops by the weights'
 * gcd each time the cursor wraps; a server is picked while its weight is >= cw.
 */
class WeightedRoundRobin implements Scheduler {
  readonly name = "wrr";
  private i = -1;
  private cw = 0;

  schedule<D extends SchedDest>(dests: readonly D[]): D | undefined {
    const n = dests.length;
    const weights = dests.filter(available).map((d) => d.weight);
    if (n === 0 || weights.length === 0) return undefined;
    const mw = Math.max(...weights);
    const di = weights.reduce(gcd);
    if (this.cw > mw) this.cw = mw;
    for (let guard = 0; guard < n * (mw / di + 1) + 1; guard++) {
      this.i = (this.i + 1) % n;
      if (this.i === 0) {
        this.cw -= di;
        if (this.cw <= 0) this.cw = mw;
      }
      const d = dests[this.i]!;
      if (available(d) && d.weight >= this.cw) return d;
    }
    return undefined;
  }

  removed<D extends SchedDest>(dests: readonly D[], gone: D): void {
    const i = dests.indexOf(gone);
    if (i >= 0 && i <= this.i) this.i--;
  }
}

/** ip_vs_lc.c: the least overhead; the first in list order wins a tie. */
class LeastConnection implements Scheduler {
  readonly name = "lc";
  schedule<D extends SchedDest>(dests: readonly D[]): D | undefined {
    let least: D | undefined;
    for (const d of dests) {
      if (!available(d)) continue;
      if (!least || overhead(d) < overhead(least)) least = d;
    }
    return least;
  }
  removed(): void {}
}

/** ip_vs_wlc.c: the least overhead per unit of weight (loh * w(d) > doh * w(least)). */
class WeightedLeastConnection implements Scheduler {
  readonly name = "wlc";
  schedule<D extends SchedDest>(dests: readonly D[]): D | undefined {
    let least: D | undefined;
    for (const d of dests) {
      if (!available(d)) continue;
      if (!least || overhead(least) * d.weight > overhead(d) * least.weight) least = d;
    }
    return least;
  }
  removed(): void {}
}

const SCHEDULERS: Record<string, () => Scheduler> = {
  rr: () => new RoundRobin(),
  wrr: () => new WeightedRoundRobin(),
  lc: () => new LeastConnection(),
  wlc: () => new WeightedLeastConnection(),
};

/** A fresh scheduler by name (ip_vs_scheduler_get), or undefined when the kernel has no such module. */
export function makeScheduler(name: string): Scheduler | undefined {
  return Object.hasOwn(SCHEDULERS, name) ? SCHEDULERS[name]!() : undefined;
}
