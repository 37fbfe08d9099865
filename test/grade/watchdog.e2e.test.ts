/**
 * The wall-time watchdog through the built CLI (worker threads exist only in dist/): a submission
 * that keeps the simulator busy inside one command (15,000 `docker run`s in one loop, within every
 * shell limit, 2 ms of CPU or more each: 30 s or more) is stopped when its worker passes
 * --max-wall + 2s; the worker is terminated and replaced, so the next submission is graded
 * normally; an identical copy shares the verdict (same grading key). The wall clock starts when
 * the worker has loaded; 8 s leave the replacement worker's cold first grading room on a loaded
 * machine.
 */
import { execa } from "execa";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { ensureBuilt, LAB, ROOT } from "../engine/build.js";

const dir = mkdtempSync(join(tmpdir(), "lab-grade-watchdog-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

beforeAll(() => {
  ensureBuilt();
  const busy = "## exercise: publish\n```sh\nfor i in $(seq 15000); do docker run -d nginx >/dev/null; done\n```\n";
  writeFileSync(join(dir, "a-busy.md"), busy);
  writeFileSync(join(dir, "b-busy.md"), busy);
  writeFileSync(join(dir, "c-ok.md"), "## exercise: publish\n```sh\ndocker run -d -p 1234:80 --name web nginx\n```\n");
}, 180_000);

it("a worker stuck past the wall limit is terminated and replaced; its copies share the verdict", async () => {
  const r = await execa("node", [LAB, "grade", "lessons/03-port-mapping.md", dir, "--max-wall", "8s", "--jobs", "1"], { cwd: ROOT, reject: false, env: { CI: "", NO_COLOR: "1" } });
  expect([r.exitCode, r.stdout + "\n", r.stderr]).toEqual([
    0,
    [
      "student  score  failed checks",
      "a-busy   0/3    reach-published, dnat-rule (limit: wall-time limit: the grader stopped it after 10s)",
      "b-busy   0/3    reach-published, dnat-rule (limit: wall-time limit: the grader stopped it after 10s)",
      "c-ok     3/3    -",
      "total 3 submissions, mean 1/3",
      "",
    ].join("\n"),
    "",
  ]);
}, 120_000);
