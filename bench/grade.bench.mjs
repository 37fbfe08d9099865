#!/usr/bin/env node
/**
 * Grading throughput: submissions graded per second for lesson 03 (exercise `publish`), with 1
 * and 2 worker threads, over generated submissions (a mix of correct, partly correct and wrong
 * answers: correct with varied spellings, wrong container port, swapped ports, wrong name,
 * published on one host address only (partial marks), a second container, empty). Needs `npm run build` (imports ../dist, or LAB_DIST=path for another build).
 * Usage: node bench/grade.bench.mjs [COUNT] [--no-share]   (default 1000). Goal: >= 500/s with
 * 2 workers. Rows "shared": submissions with the same grading key (src/grade/key.ts) are graded
 * once (the generated mix has 10 distinct answers, so this mostly measures the pool); rows
 * "every one": each submission graded in its own world (the raw simulator speed).
 * --no-share runs only the latter.
 */
import { readFileSync } from "node:fs";
import { printTable } from "./run.mjs";

const dist = process.env.LAB_DIST ?? new URL("../dist/", import.meta.url).pathname;
const { parseLesson } = await import(`${dist}/lesson/parse.js`);
const { gradeAll } = await import(`${dist}/grade/pool.js`);

const args = process.argv.slice(2);
const count = Number(args.find((a) => /^\d+$/.test(a)) ?? 1000);
const modes = args.includes("--no-share") ? [true] : [false, true];
const file = new URL("../lessons/03-port-mapping.md", import.meta.url).pathname;
const { lesson } = parseLesson(readFileSync(file, "utf8"), "lessons/03-port-mapping.md");

const answers = [
  "docker run -d -p 1234:80 --name web nginx",
  "docker run --detach --publish 1234:80 --name web nginx",
  "docker run -d -p 0.0.0.0:1234:80/tcp --name web nginx",
  "docker run -d -p 1234:8080 --name web nginx",
  "docker run -d -p 80:1234 --name web nginx",
  "docker run -d -p 1234:80 --name www nginx",
  "docker run -d -p 127.0.0.1:1234:80 --name web nginx",
  "docker run -d -p 172.17.0.1:1234:80 --name web nginx",
  "docker run -d --name web nginx\ndocker run -d -p 1234:80 --name web2 nginx",
  "",
];
const items = Array.from({ length: count }, (_, k) => ({
  file: `subs/student-${String(k).padStart(4, "0")}.md`,
  source: `## exercise: publish\n\`\`\`sh\n${answers[k % answers.length]}\n\`\`\`\n`,
}));

const rows = [];
for (const noShare of modes) for (const jobs of [1, 2]) {
  const t0 = performance.now();
  const results = await gradeAll(lesson, items, { jobs, noShare });
  const s = (performance.now() - t0) / 1000;
  const full = results.filter((r) => r.score === r.max).length;
  const zero = results.filter((r) => r.score === 0).length;
  if (results.length !== count || results.some((r) => r.verdict !== "graded")) {
    console.error("bench: not every submission was graded");
    process.exit(1);
  }
  rows.push({ graded: noShare ? "every one" : "shared", workers: jobs, submissions: count, seconds: s.toFixed(2), "per second": (count / s).toFixed(1), "full marks": full, "partial": count - full - zero, "zero": zero });
}
printTable(`lab grade lesson 03 (goal >= 500/s with 2 workers)`, rows);
