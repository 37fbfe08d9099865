/** `lab grade` and `lab check-work` through the CLI entry points (in-process, sources). */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, expect, test } from "vitest";
import { checkWorkMain, gradeMain } from "../../src/cli/grade.js";

const dir = mkdtempSync(join(tmpdir(), "lab-grade-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
writeFileSync(join(dir, "alice.md"), "## exercise: publish\n```sh\ndocker run -d -p 1234:80 --name web nginx\n```\n");
writeFileSync(join(dir, "bob.txt"), "## exercise: publish\ndocker run -d -p 1234:80 --name web busybox\n");
writeFileSync(join(dir, "notes.json"), "{}");

function io() {
  const o = { out: "", err: "" };
  return { o, io: { out: (t: string) => void (o.out += t), err: (t: string) => void (o.err += t), cwd: process.cwd() } };
}

test("lab grade LESSON DIR prints the table", async () => {
  const { o, io: x } = io();
  expect(await gradeMain(["lessons/03-port-mapping.md", dir], x)).toBe(0);
  expect(o.out).toBe(["student  score  failed checks", "alice    3/3    -", "bob      0/3    reach-published, dnat-rule", "total 2 submissions, mean 1.5/3", ""].join("\n"));
  expect(o.err).toBe("");
}, 60_000);

test("usage errors exit 2 with the reason", async () => {
  const a = io();
  expect(await gradeMain(["lessons/03-port-mapping.md", dir, "--reporter", "xml"], a.io)).toBe(2);
  expect(a.o.err).toBe('lab grade: unknown reporter "xml", expected one of table, json, csv, junit, markdown\nRun "lab grade --help" for usage.\n');
  const b = io();
  expect(await gradeMain(["lessons/03-port-mapping.md", dir, "--shard", "3/2"], b.io)).toBe(2);
  expect(b.o.err).toBe('lab grade: invalid --shard "3/2", expected i/n with 1 <= i <= n\nRun "lab grade --help" for usage.\n');
  const c = io();
  expect(await gradeMain(["lessons/03-port-mapping.md", join(dir, "nope")], c.io)).toBe(2);
  expect(c.o.err).toBe(`lab grade: no such file or directory: ${join(dir, "nope")}\nRun "lab grade --help" for usage.\n`);
});

test("lab check-work: full marks exit 0, feedback on stdout", async () => {
  const { o, io: x } = io();
  expect(await checkWorkMain(["lessons/03-port-mapping.md", "--answers", join(dir, "alice.md")], x)).toBe(0);
  expect(o.out).toBe(
    "# Publishing a container's port: -p HOST:CONTAINER, DNAT and the userland proxy: feedback for alice\n\nScore: **3/3**\n\n| check | points | result |\n|---|---|---|\n| reach-published | 2/2 | ✓ passed |\n| dnat-rule | 1/1 | ✓ passed |\n",
  );
}, 60_000);
