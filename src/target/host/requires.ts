/**
 * Checks a lesson's `requires` against the real host; an unmet one names why.
 *   root        `id -u` is 0
 *   docker      `docker info` reaches a daemon
 *   kubernetes  `kubectl cluster-info` reaches a cluster (the reason quotes kubectl's own last
 *               words, e.g. "The connection to the server localhost:8080 was refused - …")
 */
import { execa } from "execa";

export type Requirement = "docker" | "kubernetes" | "root";

interface Check {
  argv: string[];
  reason: string;
  ok?: (out: string) => boolean;
  /** Adds the command's own explanation (from its stderr) to the reason. */
  why?: (stderr: string) => string | undefined;
}

/** kubectl's last line of explanation, without klog's `E1125 …` lines and the cluster-info dump hint. */
function kubectlWhy(stderr: string): string | undefined {
  const lines = stderr.split("\n").map((l) => l.trim()).filter((l) => l && !/^[EWI]\d{4} /.test(l) && !l.startsWith("To further debug"));
  return lines.at(-1);
}

const CHECKS: Record<Requirement, Check> = {
  root: { argv: ["id", "-u"], reason: "requires root (id -u is not 0)", ok: (out) => out.trim() === "0" },
  docker: { argv: ["docker", "info", "--format", "{{.ServerVersion}}"], reason: "requires docker (`docker info` fails: no reachable Docker daemon)" },
  kubernetes: { argv: ["kubectl", "cluster-info"], reason: "requires kubernetes (`kubectl cluster-info` cannot reach a cluster", why: kubectlWhy },
};

/** Returns the reason of the first unmet requirement, or undefined when all are met. */
export async function unmetRequirement(requires: readonly Requirement[], cache: Map<Requirement, boolean | string>): Promise<string | undefined> {
  for (const r of requires) {
    let met = cache.get(r);
    const check = CHECKS[r];
    if (met === undefined) {
      const res = await execa(check.argv[0]!, check.argv.slice(1), { reject: false, timeout: 15_000, stdin: "ignore" });
      met = res.exitCode === 0 && (check.ok ? check.ok(String(res.stdout)) : true);
      if (!met && check.why) {
        // A missing program is execa's ENOENT, not the program's own words.
        const why = (res as { code?: string }).code === "ENOENT" ? `${check.argv[0]}: command not found` : check.why(String(res.stderr ?? ""));
        met = `${check.reason}${why ? `: ${why}` : ""})`;
      }
      cache.set(r, met);
    }
    if (met !== true) return typeof met === "string" ? met : check.reason;
  }
  return undefined;
}
