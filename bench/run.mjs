#!/usr/bin/env node
/**
 * Benchmark runner: `npm run bench` (builds, then runs every bench/*.bench.mjs) or
 * `node bench/run.mjs parse-match kernel-path` (only the named ones; the `.bench.mjs` suffix
 * is optional). Benchmarks run against the built `dist/`, never against sources.
 *
 * Convention for a bench file `bench/NAME.bench.mjs` (add yours the same way):
 *  - it is a plain script: `node bench/NAME.bench.mjs` runs it alone; the runner runs each file
 *    in its own Node process (no shared JIT state or heap between benches), one after another;
 *  - it imports what it measures from `../dist/...` (so it needs `npm run build`);
 *  - a comment at its top says what it measures and what it needs;
 *  - it prints one or more tables to stdout (console.table, or `printTable` from here) and
 *    exits non-zero when it cannot measure what it claims;
 *  - optional helpers: `import { measure, printTable } from "./run.mjs"`:
 *      measure(fn, { iterations, warmup }) → { iterations, meanMs, p50Ms, p95Ms, minMs, maxMs }
 *      printTable(title, rows)              prints rows as an aligned text table.
 * The runner prints a header per file and exits 1 if any bench failed. Speed targets live in
 * bench files, never in unit tests.
 */
import { spawnSync } from "node:child_process";
import { readdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));

/** Runs fn `iterations` times after `warmup` runs; returns timing statistics in ms. */
export async function measure(fn, { iterations = 20, warmup = 3 } = {}) {
  for (let i = 0; i < warmup; i++) await fn();
  const times = [];
  for (let i = 0; i < iterations; i++) {
    const t = performance.now();
    await fn();
    times.push(performance.now() - t);
  }
  times.sort((a, b) => a - b);
  const pick = (q) => times[Math.min(times.length - 1, Math.floor(q * times.length))];
  return {
    iterations,
    meanMs: times.reduce((a, b) => a + b, 0) / times.length,
    p50Ms: pick(0.5),
    p95Ms: pick(0.95),
    minMs: times[0],
    maxMs: times[times.length - 1],
  };
}

/** Prints rows as an aligned text table. */
export function printTable(title, rows) {
  console.log(`\n${title}`);
  if (rows.length === 0) return console.log("(no rows)");
  const cols = [...new Set(rows.flatMap((r) => Object.keys(r)))];
  const cell = (v) => (typeof v === "number" ? (Number.isInteger(v) ? String(v) : v.toFixed(3)) : String(v ?? ""));
  const widths = cols.map((c) => Math.max(c.length, ...rows.map((r) => cell(r[c]).length)));
  const line = (vals) => vals.map((v, i) => (i === 0 ? v.padEnd(widths[i]) : v.padStart(widths[i]))).join("  ");
  console.log(line(cols));
  console.log(widths.map((w) => "-".repeat(w)).join("  "));
  for (const r of rows) console.log(line(cols.map((c) => cell(r[c]))));
}

function main() {
  const wanted = process.argv.slice(2).map((n) => n.replace(/\.bench\.mjs$/, ""));
  const files = readdirSync(here)
    .filter((f) => f.endsWith(".bench.mjs"))
    .filter((f) => wanted.length === 0 || wanted.includes(f.replace(/\.bench\.mjs$/, "")))
    .sort();
  if (files.length === 0) {
    console.error(`bench: no bench files match ${wanted.join(", ") || "bench/*.bench.mjs"}`);
    process.exitCode = 2;
    return;
  }
  const failed = [];
  for (const f of files) {
    console.log(`\n=== ${f}`);
    const r = spawnSync(process.execPath, [join(here, f)], { stdio: "inherit" });
    if (r.status !== 0) failed.push(`${f} (exit ${r.status ?? r.signal})`);
  }
  if (failed.length) {
    console.error(`\nbench: failed: ${failed.join(", ")}`);
    process.exitCode = 1;
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) main();
