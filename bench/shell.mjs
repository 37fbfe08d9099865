// Shell speed: commands per second of the interpreter, cost of a delegated text utility,
// and a runaway loop's time to hit the limit. Needs a build (npm run build). Prints a table.
import { performance } from "node:perf_hooks";
import { createWorld } from "../dist/sim/index.js";

const world = createWorld({ kind: "bare" });
const s = world.session("host");
await s.exec("true"); // warm-up

async function measure(name, cmd, count, unit) {
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  const r = await s.exec(cmd);
  const c = process.cpuUsage(c0);
  const ms = performance.now() - t0;
  const cpu = (c.user + c.system) / 1000;
  return { case: name, exit: r.exitCode, "wall ms": ms.toFixed(1), "cpu ms": cpu.toFixed(1), unit, "cpu µs/unit": ((cpu * 1000) / count).toFixed(1) };
}

const rows = [];
rows.push(await measure("15k commands (while/[/arith loop)", "i=0; while [ $i -lt 5000 ]; do i=$((i+1)); done", 15000, "command"));
rows.push(await measure("1k echo | cat pipelines", "for i in $(seq 1 1000); do echo $i | cat >/dev/null; done", 1000, "pipeline"));
rows.push(await measure("200 delegated grep calls", "for i in $(seq 1 200); do grep -c localhost /etc/hosts >/dev/null; done", 200, "call"));
rows.push(await measure("200 delegated awk calls", "for i in $(seq 1 200); do echo $i | awk '{print $1*2}' >/dev/null; done", 200, "call"));
rows.push(await measure("runaway loop to the limit", "while true; do :; done", 20000, "iteration"));
rows.push(await measure("cat /sys/class/net/eth0/* x100", "for i in $(seq 1 100); do cat /sys/class/net/eth0/* >/dev/null; done", 100, "call"));
console.table(rows);
