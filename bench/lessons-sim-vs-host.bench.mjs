#!/usr/bin/env node
/**
 * Lessons 01–04 (the Docker lessons) on the simulator and on the real engine of this machine, in
 * one run: wall time of each lesson on each target and the ratio host/sim. Goal: the simulator at
 * least 100 times faster. Needs `npm run build`; the host column needs root, a running dockerd and
 * the images of scripts/build-images.sh (without them it prints the simulator's times alone and
 * exits 1). The sim time is the mean of several runs (each builds a fresh world); the host time is
 * one run (each creates and removes real containers, namespaces and rules).
 */
import { readFileSync } from "node:fs";
import { execFileSync } from "node:child_process";
import { measure, printTable } from "./run.mjs";
import { parseLesson } from "../dist/lesson/parse.js";
import { runLessons } from "../dist/runner/run.js";
import { createSimTarget } from "../dist/target/sim.js";
import { createHostTarget } from "../dist/target/host/index.js";

const root = new URL("../", import.meta.url);
const NAMES = ["01-container-to-container", "02-network-modes", "03-port-mapping", "04-egress"];
const load = (n) => parseLesson(readFileSync(new URL(`lessons/${n}.md`, root), "utf8"), `lessons/${n}.md`).lesson;

const hostReady = (() => {
  if (process.getuid?.() !== 0) return false;
  try {
    return execFileSync("/usr/bin/docker", ["image", "inspect", "-f", "ok", "busybox", "nginx:1.16.1"], { encoding: "utf8" }).trim() === "ok\nok";
  } catch {
    return false;
  }
})();

const rows = [];
let simTotal = 0;
let hostTotal = 0;
let failed = false;
for (const name of NAMES) {
  const lesson = load(name);
  let simStatus = "";
  const sim = await measure(async () => {
    const s = await runLessons([lesson], { target: createSimTarget() });
    simStatus = s.lessons[0].status;
  }, { iterations: 5, warmup: 1 });
  let hostMs = NaN;
  let hostStatus = "not run";
  if (hostReady) {
    const t0 = performance.now();
    const s = await runLessons([lesson], { target: createHostTarget() });
    hostMs = performance.now() - t0;
    hostStatus = s.lessons[0].status;
    for (const b of s.lessons[0].blocks) {
      for (const c of b.commands) if (c.status === "failed") console.error(`host ${name}:${c.line} ${c.command}: ${c.message}\n${c.output}`);
    }
  }
  simTotal += sim.meanMs;
  hostTotal += hostMs;
  if (simStatus !== "passed" || (hostReady && hostStatus !== "passed")) failed = true;
  rows.push({ lesson: name, "sim ms": sim.meanMs, "sim": simStatus, "host ms": hostMs, "host": hostStatus, "host/sim": hostMs / sim.meanMs });
}
rows.push({ lesson: "total", "sim ms": simTotal, sim: "", "host ms": hostTotal, host: "", "host/sim": hostTotal / simTotal });
printTable("Docker lessons: simulator vs real engine (wall time, ms)", rows);
if (!hostReady) {
  console.log("host column not measured: needs root, dockerd and the lab images (scripts/build-images.sh)");
  process.exit(1);
}
console.log(`ratio ${(hostTotal / simTotal).toFixed(1)}x (goal >= 100x)`);
process.exit(failed ? 1 : 0);
