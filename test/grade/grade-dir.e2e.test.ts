/**
 * `lab grade LESSON DIR` end to end through the built CLI: a directory with a correct, a wrong,
 * a fork-bomb, a malformed and an endless-loop submission is graded to completion (the fork bomb
 * by the shell's process limit, not the wall clock), and the progress bar appears on a terminal
 * (a pseudo-terminal made by util-linux `script`) and nowhere else: not when stdout is a pipe or
 * a file.
 */
import { execa } from "execa";
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ensureBuilt, LAB, ROOT } from "../engine/build.js";

const dir = mkdtempSync(join(tmpdir(), "lab-grade-dir-"));
const subs = join(dir, "subs");
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let hasScript = false;
try {
  execFileSync("script", ["--version"], { stdio: "ignore" });
  hasScript = true;
} catch {
  hasScript = false;
}

const LESSON = "lessons/03-port-mapping.md";
const TABLE = [
  "student  score  failed checks",
  "alice    3/3    -",
  "bob      0/3    reach-published, dnat-rule",
  "carol    0/3    reach-published, dnat-rule (limit: exercise \"publish\": `:(){ :|:& };:` lab: stopped after 1000 background processes (the simulator's limit per exec; a real fork bomb would still be running))",
  "dave     0/3    reach-published, dnat-rule (malformed: no exercise found: expected the lesson's `exercise id=NAME` blocks or `## exercise: NAME` sections)",
  "erin     0/3    reach-published, dnat-rule (limit: exercise \"publish\": `while true; do :; done` lab: stopped after 20000 loop iterations (the simulator's limit per exec; a real shell would still be running))",
  "total 5 submissions, mean 0.6/3",
  "",
].join("\n");

describe("lab grade on a directory of submissions", () => {
  beforeAll(() => {
    ensureBuilt();
    execFileSync("mkdir", ["-p", subs]);
    writeFileSync(join(subs, "alice.md"), "## exercise: publish\n```sh\ndocker run -d -p 1234:80 --name web nginx\n```\n");
    writeFileSync(join(subs, "bob.txt"), "## exercise: publish\ndocker run -d -p 80:1234 --name web nginx\n");
    writeFileSync(join(subs, "carol.md"), "## exercise: publish\n```sh\n:(){ :|:& };:\n```\n");
    writeFileSync(join(subs, "dave.md"), "just some notes, no answers\n");
    writeFileSync(join(subs, "erin.md"), "## exercise: publish\n```sh\nwhile true; do :; done\n```\n");
    writeFileSync(join(subs, "notes.json"), "{}\n");
  }, 180_000);

  it("grades every submission, the fork bomb by the process limit; no progress bar off a terminal", async () => {
    const r = await execa("node", [LAB, "grade", LESSON, subs], { cwd: ROOT, reject: false, env: { CI: "", NO_COLOR: "1" } });
    expect([r.exitCode, r.stdout + "\n", r.stderr]).toEqual([0, TABLE, ""]);
  }, 120_000);

  it.skipIf(!hasScript)("draws the progress bar on a terminal, before the report", async () => {
    const r = await execa("script", ["-qec", `node ${LAB} grade ${LESSON} ${subs}`, "/dev/null"], { cwd: ROOT, reject: false, env: { CI: "", NO_COLOR: "1", TERM: "dumb" }, stripFinalNewline: false });
    const frames = [1, 2, 3, 4, 5].map((n) => `\rgrading [${"#".repeat(n * 6)}${"-".repeat(30 - n * 6)}] ${n}/5`).join("");
    // The terminal turns each \n into \r\n.
    expect([r.exitCode, r.stdout]).toEqual([0, `${frames}\r\n${TABLE.replace(/\n/g, "\r\n")}`]);
  }, 120_000);

  it.skipIf(!hasScript)("draws none on a terminal when stdout goes to a file", async () => {
    const out = join(dir, "grades.txt");
    const r = await execa("script", ["-qec", `node ${LAB} grade ${LESSON} ${subs} > ${out}`, "/dev/null"], { cwd: ROOT, reject: false, env: { CI: "", NO_COLOR: "1", TERM: "dumb" }, stripFinalNewline: false });
    expect([r.exitCode, r.stdout, readFileSync(out, "utf8")]).toEqual([0, "", TABLE]);
  }, 120_000);
});
