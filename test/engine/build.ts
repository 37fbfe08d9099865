/**
 * End-to-end tests spawn the built `bin/lab.js`. `npm test` builds first; when a test file runs
 * alone and `dist/` is older than `src/`, this builds once (tsc emits even when another
 * engineer's file has a type error, so the exit status of tsc is not ours to judge here).
 */
import { execFileSync } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";

export const ROOT = join(import.meta.dirname, "..", "..");
export const LAB = join(ROOT, "bin", "lab.js");

function newest(dir: string): number {
  let t = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) t = Math.max(t, newest(p));
    else if (e.name.endsWith(".ts") && !e.name.endsWith(".test.ts")) t = Math.max(t, statSync(p).mtimeMs);
  }
  return t;
}

/** The layers these tests exercise (the simulator's own tests do not spawn `lab`). */
const ENGINE = ["core", "lesson", "assert", "runner", "report", "target", "cli"];

/** Builds dist/ when it is missing or older than the engine's sources. */
export function ensureBuilt(): void {
  const main = join(ROOT, "dist", "cli", "main.js");
  const src = Math.max(...ENGINE.map((d) => newest(join(ROOT, "src", d))));
  if (existsSync(main) && statSync(main).mtimeMs >= src) return;
  try {
    execFileSync("npx", ["tsc", "-p", "tsconfig.build.json"], { cwd: ROOT, stdio: "ignore" });
  } catch {
    // Type errors elsewhere still emit JavaScript; the tests below judge our behaviour.
  }
}
