/** Checks a lesson's `requires` against the real host; an unmet one names why. */
import { execa } from "execa";

export type Requirement = "docker" | "kubernetes" | "root";

const CHECKS: Record<Requirement, { argv: string[]; reason: string; ok?: (out: string) => boolean }> = {
  root: { argv: ["id", "-u"], reason: "requires root (id -u is not 0)", ok: (out) => out.trim() === "0" },
  docker: { argv: ["docker", "info", "--format", "{{.ServerVersion}}"], reason: "requires docker (`docker info` fails: no reachable Docker daemon)" },
  kubernetes: { argv: ["kubectl", "version"], reason: "requires kubernetes (`kubectl version` cannot reach a cluster)" },
};

/** Returns the reason of the first unmet requirement, or undefined when all are met. */
export async function unmetRequirement(requires: readonly Requirement[], cache: Map<Requirement, boolean>): Promise<string | undefined> {
  for (const r of requires) {
    let met = cache.get(r);
    if (met === undefined) {
      const check = CHECKS[r];
      const res = await execa(check.argv[0]!, check.argv.slice(1), { reject: false, timeout: 15_000, stdin: "ignore" });
      met = res.exitCode === 0 && (check.ok ? check.ok(String(res.stdout)) : true);
      cache.set(r, met);
    }
    if (!met) return CHECKS[r].reason;
  }
  return undefined;
}
