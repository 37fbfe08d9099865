/**
 * Compares what the real kernel and the simulator observed for one case, item by item, and lets
 * known divergences (tolerances.ts, each an entry of docs/divergences.md) explain differences.
 * A difference that no tolerance explains fails the case.
 */
import type { Case } from "./case.js";
import type { Observation } from "./observe.js";

/** One difference between the two sides. */
export type DiffItem =
  | { kind: "setup"; real: string[]; sim: string[] }
  | { kind: "probe"; index: number; real: string; sim: string }
  | { kind: "conntrack"; ns: string; side: "real" | "sim"; flow: string };

/** Lists every difference between two observations of the same case. */
export function diffObservations(real: Observation, sim: Observation): DiffItem[] {
  const items: DiffItem[] = [];
  if (JSON.stringify(real.setupFailures) !== JSON.stringify(sim.setupFailures)) items.push({ kind: "setup", real: real.setupFailures, sim: sim.setupFailures });
  real.probes.forEach((r, index) => {
    if (r !== sim.probes[index]) items.push({ kind: "probe", index, real: r, sim: sim.probes[index] ?? "(missing)" });
  });
  for (const ns of new Set([...Object.keys(real.conntrack), ...Object.keys(sim.conntrack)])) {
    const a = real.conntrack[ns] ?? [];
    const b = sim.conntrack[ns] ?? [];
    for (const flow of a) if (!b.includes(flow)) items.push({ kind: "conntrack", ns, side: "real", flow });
    for (const flow of b) if (!a.includes(flow)) items.push({ kind: "conntrack", ns, side: "sim", flow });
  }
  return items;
}

/** A known divergence that explains some differences; `id` names its docs/divergences.md entry. */
export interface Tolerance {
  id: string;
  summary: string;
  explains(item: DiffItem, c: Case, real: Observation, sim: Observation): boolean;
}

/** Splits differences into explained (by tolerance id) and unexplained. */
export function explain(items: DiffItem[], tolerances: Tolerance[], c: Case, real: Observation, sim: Observation): { unexplained: DiffItem[]; used: Set<string> } {
  const used = new Set<string>();
  const unexplained: DiffItem[] = [];
  for (const item of items) {
    const t = tolerances.find((x) => x.explains(item, c, real, sim));
    if (t) used.add(t.id);
    else unexplained.push(item);
  }
  return { unexplained, used };
}
