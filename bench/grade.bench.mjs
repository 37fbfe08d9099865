#!/usr/bin/env node
/**
 * Grading throughput: submissions graded per second for lesson 03 (exercise `publish`), with 1
 * and 2 worker threads, over COUNT generated submissions (grade-submissions.mjs: a mix of
 * correct, partly correct and wrong answers, each in the student's own spelling, so no two are
 * the same text, empty ones aside). Needs `npm run build` (imports ../dist, or LAB_DIST=path).
 * Usage: node bench/grade.bench.mjs [COUNT] [--no-share]   (default 1000). Goal: >= 500/s with
 * 2 workers. Rows "shared": what `lab grade` does, one grading per shared key (src/grade/key.ts:
 * what the commands do, so spellings of one answer are graded once; results that quote the
 * text are graded per text); rows "every one": each submission graded in its own world (the raw
 * simulator speed); rows "lab grade DIR": the command an instructor types (bin/lab.js, so
 * the build in dist/), the submissions written to a temporary directory, a CSV out: process
 * start, reading and reporting included. --no-share runs only the "every one" rows.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { generatedSubmissions } from "./grade-submissions.mjs";
import { printTable } from "./run.mjs";

const dist = process.env.LAB_DIST ?? new URL("../dist/", import.meta.url).pathname;
const { parseLesson } = await import(`${dist}/lesson/parse.js`);
const { gradeAll } = await import(`${dist}/grade/pool.js`);
const { gradingKey, sharedKey } = await import(`${dist}/grade/key.js`);
const { readSubmission } = await import(`${dist}/grade/submission.js`);

const args = process.argv.slice(2);
const count = Number(args.find((a) => /^\d+$/.test(a)) ?? 1000);
const modes = args.includes("--no-share") ? [true] : [false, true];
const file = new URL("../lessons/03-port-mapping.md", import.meta.url).pathname;
const { lesson } = parseLesson(readFileSync(file, "utf8"), "lessons/03-port-mapping.md");

const items = generatedSubmissions(count);
const answers = items.map((i) => readSubmission(i.source, i.file).answers);
const distinct = (f) => new Set(answers.map((a) => f(lesson, a))).size;
printTable("generated submissions", [{ submissions: count, "distinct texts": new Set(items.map((i) => i.source)).size, "text keys": distinct(gradingKey), "shared keys": distinct(sharedKey) }]);

const rows = [];
for (const noShare of modes) for (const jobs of [1, 2]) {
  const t0 = performance.now();
  const results = await gradeAll(lesson, items, { jobs, noShare });
  const s = (performance.now() - t0) / 1000;
  const full = results.filter((r) => r.score === r.max).length;
  const zero = results.filter((r) => r.score === 0).length;
  if (results.length !== count || results.some((r) => r.verdict !== "graded" && r.verdict !== "limit")) {
    console.error("bench: not every submission was graded");
    process.exit(1);
  }
  rows.push({ graded: noShare ? "every one" : "shared", workers: jobs, submissions: count, seconds: s.toFixed(2), "per second": (count / s).toFixed(1), "full marks": full, "partial": count - full - zero, "zero": zero, "limit": results.filter((r) => r.verdict === "limit").length });
}
// The whole command an instructor types: process start, reading the files, grading, the CSV.
if (!args.includes("--no-share")) {
  const dir = mkdtempSync(join(tmpdir(), "lab-grade-bench-"));
  for (const i of items) writeFileSync(join(dir, i.file.replace("subs/", "")), i.source);
  const bin = new URL("../bin/lab.js", import.meta.url).pathname;
  for (const jobs of [1, 2]) {
    const out = join(dir, "grades.csv");
    const t0 = performance.now();
    const r = spawnSync(process.execPath, [bin, "grade", file, dir, "--jobs", String(jobs), "--reporter", "csv", "--out", out], { encoding: "utf8" });
    const s = (performance.now() - t0) / 1000;
    const lines = r.status === 0 ? readFileSync(out, "utf8").trim().split("\n").slice(1) : [];
    if (lines.length !== count) {
      console.error(`bench: lab grade exited ${r.status}: ${r.stderr}`);
      process.exit(1);
    }
    const scores = lines.map((l) => l.split(",")[2]);
    rows.push({ graded: "lab grade DIR", workers: jobs, submissions: count, seconds: s.toFixed(2), "per second": (count / s).toFixed(1), "full marks": scores.filter((x) => x === "3").length, "partial": scores.filter((x) => x === "1" || x === "2").length, "zero": scores.filter((x) => x === "0").length, "limit": lines.filter((l) => l.split(",")[4] === "limit").length });
  }
  rmSync(dir, { recursive: true, force: true });
}
printTable(`lab grade lesson 03 (goal >= 500/s with 2 workers)`, rows);
