// Runs each scenario (scripts/scenarios/NAME.sh) command by command on the real kernel and writes
// test/fixtures/scenarios/NAME.json. Started by scripts/record-scenarios.sh, which checks root,
// prepares /tmp/rec-bin (busybox applets) and sweeps rec-* namespaces on exit.
import { spawnSync } from "node:child_process";
import { constants } from "node:os";
import { readFileSync, readdirSync, writeFileSync } from "node:fs";
import { basename, join } from "node:path";
import { parseScenario } from "./parse.mjs";

const root = new URL("../../", import.meta.url).pathname;
const scenarioDir = join(root, "scripts/scenarios");
const fixtureDir = join(root, "test/fixtures/scenarios");

const env = {
  PATH: "/tmp/rec-bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
  LC_ALL: "C",
  TERM: "dumb",
  HOME: "/root",
};

/** Runs one command line in a fresh bash, stdout and stderr on one line-buffered pipe. */
function run(cmd) {
  const r = spawnSync("stdbuf", ["-oL", "-eL", "bash", "-c", `exec 2>&1\n${cmd}`], {
    env, cwd: "/tmp", encoding: "utf8", timeout: 30_000, killSignal: "SIGKILL",
    stdio: ["ignore", "pipe", "pipe"],
  });
  const timedOut = r.error?.code === "ETIMEDOUT";
  // Killed by a signal: the shell's 128 + signal number (bash -c execs its last command itself).
  const bySignal = r.signal ? 128 + (constants.signals[r.signal] ?? 9) : undefined;
  return { cmd, exitCode: timedOut ? 124 : (r.status ?? bySignal ?? 137), output: (r.stdout ?? "") + (r.stderr ?? "") };
}

function firstLine(cmd) {
  return run(cmd).output.split("\n")[0].trim();
}

const versions = {
  kernel: firstLine("uname -r"),
  iproute2: firstLine("ip -V"),
  iptables: firstLine("iptables -V"),
  conntrack: firstLine("conntrack --version"),
  busybox: firstLine("busybox | head -1"),
  bash: firstLine("bash --version"),
};
const recordedWith = {
  method: "scripts/record-scenarios.sh: each command line run alone as `stdbuf -oL -eL bash -c 'exec 2>&1; CMD'` as root in /tmp, " +
    "LC_ALL=C, PATH starting with /tmp/rec-bin where ping, wget, httpd, nc, ifconfig and nslookup are busybox applets; " +
    "output is stdout and stderr on one pipe in the order written; a command killed after 30 s is recorded as exit 124.",
  ...versions,
};

const wanted = process.argv.slice(2);
const files = readdirSync(scenarioDir).filter((f) => f.endsWith(".sh")).sort()
  .filter((f) => wanted.length === 0 || wanted.includes(basename(f, ".sh")));
if (wanted.length > 0 && files.length !== wanted.length) {
  console.error(`record-scenarios: unknown scenario among: ${wanted.join(", ")}`);
  process.exit(1);
}

let failed = false;
for (const file of files) {
  const name = basename(file, ".sh");
  const scenario = parseScenario(readFileSync(join(scenarioDir, file), "utf8"));
  const steps = [];
  const cleanup = [];
  try {
    for (const cmd of scenario.commands) steps.push(run(cmd));
  } catch (e) {
    failed = true;
    console.error(`record-scenarios: ${name}: ${e}`);
  } finally {
    for (const cmd of scenario.cleanup) cleanup.push(run(cmd));
  }
  const fixture = {
    scenario: name,
    description: scenario.description,
    source: `scripts/scenarios/${file}`,
    recordedAt: new Date().toISOString(),
    recordedWith,
    steps,
    cleanup,
  };
  writeFileSync(join(fixtureDir, `${name}.json`), JSON.stringify(fixture, null, 2) + "\n");
  const nonzero = steps.filter((s) => s.exitCode !== 0).length;
  console.log(`${name}: ${steps.length} commands (${nonzero} with a non-zero exit), ${cleanup.length} cleanup`);
}
process.exit(failed ? 1 : 0);
