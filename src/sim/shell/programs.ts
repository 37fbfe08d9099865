/**
 * Program lookup: the registry's programs (src/sim/userland/registry.ts), filtered by what a
 * context has (a busybox container has no iptables), plus the utilities delegated to just-bash.
 */
import * as modules from "../userland/registry.js";
import type { ProcContext, ProgramSpec } from "../userland/types.js";
import { DELEGATED, isDelegated } from "./textutils.js";

const table = new Map<string, ProgramSpec>();
for (const value of Object.values(modules) as Array<ProgramSpec | ProgramSpec[]>) {
  for (const spec of Array.isArray(value) ? value : [value]) {
    if (spec && typeof spec.name === "string" && !table.has(spec.name)) table.set(spec.name, spec);
  }
}

/** What a command name resolves to in a context. */
export type Resolution = { kind: "program"; spec: ProgramSpec } | { kind: "delegated" } | { kind: "none" };

/** Resolves a program name (no functions or builtins here) as PATH lookup would in `ctx`. */
export function resolveProgram(name: string, ctx: ProcContext): Resolution {
  const base = name.includes("/") ? name.slice(name.lastIndexOf("/") + 1) : name;
  if (ctx.available && !ctx.available(base)) return { kind: "none" };
  const spec = table.get(base);
  if (spec && (ctx.available || !spec.imageOnly)) return { kind: "program", spec };
  if (isDelegated(base)) return { kind: "delegated" };
  return { kind: "none" };
}

/** Names of every program runnable in `ctx`, sorted (for `lab: X: not available` and help). */
export function availablePrograms(ctx?: ProcContext): string[] {
  const names = new Set<string>([...table.keys(), ...DELEGATED]);
  return [...names].filter((n) => !ctx || (ctx.available ? ctx.available(n) : !table.get(n)?.imageOnly)).sort();
}

/** The registry entry of a program, if any. */
export function programSpec(name: string): ProgramSpec | undefined {
  return table.get(name);
}
