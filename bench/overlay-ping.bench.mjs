// A ping across a hand-built VXLAN overlay (two hosts on an underlay, a container behind a bridge
// on each, flannel-style vxlan0 with route + permanent neighbour + FDB entry), as a user runs it:
// `ip netns exec c1 ping -c 1 10.244.2.2`, on the simulator and on this machine's real kernel
// (network namespaces; needs root). The topology comes from scripts/scenarios/vxlan-mtu.sh, so
// both sides build exactly what the replay test checks. Needs a build (npm run build).
// Prints a table: wall time per command (process start-up included on the real side) and the
// round-trip time ping itself reports (virtual on the simulator).
import { execFileSync, spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { performance } from "node:perf_hooks";
import { createWorld } from "../dist/sim/index.js";
import { parseScenario } from "../scripts/scenarios/parse.mjs";

const RUNS = Number(process.env.RUNS ?? 200);
const PREFIX = "bx-";
const script = parseScenario(readFileSync(new URL("../scripts/scenarios/vxlan-mtu.sh", import.meta.url), "utf8"));
// Everything before the first probe, minus the counting rules; names moved to our own prefix.
const firstPing = script.commands.findIndex((c) => /\bping\b/.test(c));
const setup = script.commands.slice(0, firstPing).filter((c) => !/iptables/.test(c)).map((c) => c.replaceAll("rec-", PREFIX));
const namespaces = [...new Set(setup.flatMap((c) => [...c.matchAll(new RegExp(`${PREFIX}[a-z0-9]+`, "g"))].map((m) => m[0])))];
const probe = `ip netns exec ${PREFIX}c1 ping -c 1 10.244.2.2`;

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const rttOf = (out) => Number(/time=([\d.]+) ms/.exec(out)?.[1] ?? NaN);

function row(target, runs, wallMs, rtts, note = "") {
  return {
    target,
    runs,
    "wall ms/ping": (wallMs / runs).toFixed(3),
    "pings/s": Math.round((runs * 1000) / wallMs),
    "reported rtt ms (median)": Number.isNaN(median(rtts)) ? "-" : median(rtts).toFixed(3),
    note,
  };
}

async function simRows() {
  const world = createWorld({ kind: "bare", seed: 1 });
  const s = world.session("host");
  for (const cmd of setup) {
    const r = await s.exec(cmd);
    if (r.exitCode !== 0) throw new Error(`sim setup failed: ${cmd}\n${r.output}`);
  }
  const first = await s.exec(probe); // ARP and conntrack warm-up, as the first real ping has
  if (first.exitCode !== 0) throw new Error(`sim ping failed:\n${first.output}`);
  const rtts = [];
  const t0 = performance.now();
  for (let i = 0; i < RUNS; i++) rtts.push(rttOf((await s.exec(probe)).output));
  return [row("sim (shell command)", RUNS, performance.now() - t0, rtts, "virtual time")];
}

function cleanupReal() {
  for (const ns of namespaces) {
    spawnSync("sh", ["-c", `ip netns pids ${ns} 2>/dev/null | xargs -r kill 2>/dev/null; ip netns del ${ns} 2>/dev/null`]);
  }
}

function realRows() {
  if (process.getuid?.() !== 0) return [{ target: "real kernel", note: "skipped: needs root (ip netns)" }];
  const bin = "/tmp/bx-bin";
  execFileSync("sh", ["-c", `mkdir -p ${bin} && ln -sf "$(command -v busybox)" ${bin}/ping`]);
  const env = { ...process.env, PATH: `${bin}:${process.env.PATH}`, LC_ALL: "C" };
  cleanupReal();
  process.on("exit", cleanupReal);
  for (const sig of ["SIGINT", "SIGTERM"]) process.on(sig, () => process.exit(130));
  try {
    for (const cmd of setup) {
      const r = spawnSync("bash", ["-c", cmd], { env, encoding: "utf8" });
      if (r.status !== 0) throw new Error(`real setup failed: ${cmd}\n${r.stdout}${r.stderr}`);
    }
    spawnSync("bash", ["-c", probe], { env });
    const runs = Math.min(RUNS, Number(process.env.REAL_RUNS ?? 100));
    const rtts = [];
    const t0 = performance.now();
    for (let i = 0; i < runs; i++) rtts.push(rttOf(spawnSync("bash", ["-c", probe], { env, encoding: "utf8" }).stdout));
    const wall = performance.now() - t0;
    // The same pings from one process: ping -c N (1 s apart by default; -i 0.01 keeps it short).
    const n = 100;
    const many = spawnSync("bash", ["-c", `ip netns exec ${PREFIX}c1 ping -c ${n} -i 0.01 10.244.2.2`], { env, encoding: "utf8" });
    const manyRtts = [...many.stdout.matchAll(/time=([\d.]+) ms/g)].map((m) => Number(m[1]));
    return [
      row("real kernel (shell command)", runs, wall, rtts, "bash + ip netns exec + busybox ping per run"),
      { target: "real kernel (ping -c 100 -i 0.01)", runs: manyRtts.length, "wall ms/ping": "-", "pings/s": "-", "reported rtt ms (median)": median(manyRtts)?.toFixed(3) ?? "-", note: "one process, rtt only" },
    ];
  } finally {
    cleanupReal();
  }
}

const rows = [...(await simRows()), ...realRows()];
console.log(`ping across a VXLAN overlay (${setup.length} setup commands from scripts/scenarios/vxlan-mtu.sh)`);
console.table(rows);
