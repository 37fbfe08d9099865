/**
 * A fork bomb in a submission ends by the shell's process limit, in process (no worker, no wall
 * clock involved): verdict `limit`, the reason, every check 0.
 */
import { readFileSync } from "node:fs";
import { expect, test } from "vitest";
import { gradeSubmission } from "../../src/grade/submit.js";
import { parseLesson } from "../../src/lesson/parse.js";

const FILE = "lessons/03-port-mapping.md";
const lesson = parseLesson(readFileSync(FILE, "utf8"), FILE).lesson;

test("a fork bomb gets verdict limit from the process limit", async () => {
  const r = await gradeSubmission(lesson, "subs/mallory.md", "## exercise: publish\n```sh\n:(){ :|:& };:\n```\n", {});
  const why = "exercise \"publish\": `:(){ :|:& };:` lab: stopped after 1000 background processes (the simulator's limit per exec; a real fork bomb would still be running)";
  expect(r).toEqual({
    student: "mallory",
    file: "subs/mallory.md",
    score: 0,
    max: 3,
    verdict: "limit",
    message: why,
    checks: [
      { id: "reach-published", points: 2, earned: 0, passed: false, feedback: [`not run: ${why}`], hint: "-p HOST:CONTAINER: the host port comes first, nginx listens on 80" },
      { id: "dnat-rule", points: 1, earned: 0, passed: false, feedback: [`not run: ${why}`], hint: "the DNAT rule lives in the nat table's DOCKER chain" },
    ],
  });
});
