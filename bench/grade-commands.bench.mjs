#!/usr/bin/env node
/**
 * Where one grading's time goes: lesson 03 graded in process (no workers) with the reference
 * answer, each submission in a fresh world; the wall time of building the world and of every
 * command the grader runs (averaged over the timed gradings), and the CPU per grading.
 * Usage: [WARM=N] node bench/grade-commands.bench.mjs [GRADINGS] [LESSON.md]   (default 200, lesson 03;
 * WARM: untimed gradings first, default min(50, GRADINGS); WARM=2500 measures a fully warm process).
 * Needs `npm run build` (imports ../dist, or LAB_DIST=path for another build).
 */
import { readFileSync } from "node:fs";
import { printTable } from "./run.mjs";

const dist = process.env.LAB_DIST ?? new URL("../dist/", import.meta.url).pathname;
const { parseLesson } = await import(`${dist}/lesson/parse.js`);
const { gradeAnswers, referenceAnswers } = await import(`${dist}/grade/grade.js`);
const { createWorld } = await import(`${dist}/sim/index.js`);

const args = process.argv.slice(2);
const count = Number(args.find((a) => /^\d+$/.test(a)) ?? 200);
const name = args.find((a) => a.endsWith(".md")) ?? "03-port-mapping.md";
const file = new URL(`../lessons/${name.replace(/^.*\//, "")}`, import.meta.url).pathname;
const { lesson } = parseLesson(readFileSync(file, "utf8"), `lessons/${name}`);
const ref = referenceAnswers(lesson);

const times = new Map();
let build = 0;
const timed = (key, t0) => times.set(key, (times.get(key) ?? 0) + performance.now() - t0);
/** The simulator's world, with every session's exec timed per command text. */
function world(l) {
  const t0 = performance.now();
  const w = createWorld({ kind: l.meta.world, seed: l.meta.sim.seed, nodes: l.meta.sim.nodes, kubeProxyMode: l.meta.sim.kubeProxyMode, kubeProxyVersion: l.meta.sim.kubeProxyVersion });
  build += performance.now() - t0;
  const session = w.session.bind(w);
  w.session = (ctx) => {
    const s = session(ctx);
    const exec = s.exec.bind(s);
    return new Proxy(s, { get: (o, p) => (p === "exec" ? async (text, opts) => { const t = performance.now(); const r = await exec(text, opts); timed(text.split("\n")[0].slice(0, 72), t); return r; } : o[p]) });
  };
  return w;
}

for (let k = 0; k < Number(process.env.WARM ?? Math.min(50, count)); k++) await gradeAnswers(lesson, ref, "", "", { world });
times.clear();
build = 0;
const cpu0 = process.cpuUsage();
const t0 = performance.now();
let full = 0;
for (let k = 0; k < count; k++) {
  const r = await gradeAnswers(lesson, ref, "", "", { world });
  if (r.score === r.max) full++;
}
const wall = (performance.now() - t0) / count;
const cpu = process.cpuUsage(cpu0);
if (full !== count) {
  console.error(`bench: the reference answer did not score full marks (${full}/${count})`);
  process.exit(1);
}
const rows = [{ what: "(one grading, wall)", ms: wall.toFixed(3), share: "100%" }, { what: "(building the world)", ms: (build / count).toFixed(3), share: `${((100 * build) / count / wall).toFixed(1)}%` }];
for (const [k, v] of [...times].sort((a, b) => b[1] - a[1])) rows.push({ what: k, ms: (v / count).toFixed(3), share: `${((100 * v) / count / wall).toFixed(1)}%` });
rows.push({ what: "(CPU per grading, all threads)", ms: ((cpu.user + cpu.system) / 1000 / count).toFixed(3), share: "" });
printTable(`grading ${lesson.meta.title ? name : name}: ${count} gradings of the reference answer, in process`, rows);
