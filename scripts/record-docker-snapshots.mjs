#!/usr/bin/env node
// Records the real transcripts of the Docker lessons (01–04): runs each with `lab run --target host`
// on this machine (real kernel, real dockerd 20.10 with the images of scripts/build-images.sh) and
// stores every command's context, exit code and interleaved output in
// snapshots/docker/<lesson>.host.json. test/docker/snapshots.test.ts replays the same lessons on the
// simulator and compares command by command after normalizers. Run as root: `node scripts/record-docker-snapshots.mjs`.
import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";

const root = new URL("..", import.meta.url).pathname;
const lessons = ["01-container-to-container", "02-network-modes", "03-port-mapping", "04-egress"];
const only = process.argv.slice(2);
const version = (cmd, args) => {
  try {
    return execFileSync(cmd, args, { encoding: "utf8" }).split("\n")[0].trim();
  } catch {
    return "unavailable";
  }
};
const recordedWith = {
  kernel: version("uname", ["-r"]),
  docker: version("/usr/bin/docker", ["version", "--format", "{{.Server.Version}}"]),
  iptables: version("iptables", ["--version"]),
  iproute2: version("ip", ["-V"]),
  busybox: version("busybox", ["--help"]).replace(/ multi-call.*/, ""),
  conntrack: version("conntrack", ["--version"]),
};
const dir = mkdtempSync(join(tmpdir(), "lab-snap-"));
let failed = 0;
for (const name of lessons.filter((l) => only.length === 0 || only.some((o) => l.startsWith(o)))) {
  const json = join(dir, `${name}.json`);
  const r = spawnSync("node", [join(root, "bin/lab.js"), "run", "--target", "host", "--reporter", `json=${json}`, `lessons/${name}.md`], { cwd: root, stdio: "inherit" });
  if (r.status !== 0) failed++;
  const report = JSON.parse(readFileSync(json, "utf8"));
  const commands = [];
  for (const b of report.lessons[0].blocks) {
    for (const c of b.commands ?? []) {
      if (c.status === "skipped") continue;
      commands.push({ block: b.index, line: c.line, context: b.context, cleanup: b.cleanup, command: c.command, exitCode: c.exitCode, output: c.output });
    }
  }
  const out = { lesson: `lessons/${name}.md`, target: "host", status: report.lessons[0].status, recordedWith, commands };
  writeFileSync(join(root, "snapshots/docker", `${basename(name)}.host.json`), JSON.stringify(out, null, 2) + "\n");
  console.log(`recorded snapshots/docker/${name}.host.json (${commands.length} commands, ${report.lessons[0].status})`);
}
process.exit(failed ? 1 : 0);
