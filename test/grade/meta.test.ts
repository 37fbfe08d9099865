/** The grading meta keys of fenced blocks: parsed values and their diagnostics. */
import { expect, test } from "vitest";
import { formatDiagnostic } from "../../src/core/diagnostic.js";
import { parseLesson } from "../../src/lesson/parse.js";

test("exercise, check and wrong-solution blocks", () => {
  const src = [
    "# L", "",
    "```sh exercise id=ex", "true", "```", "",
    '```console check id=c1 points=3 hint="look at the nat table"', "$ true", "```", "",
    "```sh wrong-solution replaces=ex fails=c1,c2", "false", "```", "",
  ].join("\n");
  const { lesson, diagnostics } = parseLesson(src, "l.md");
  expect(diagnostics).toEqual([]);
  expect(lesson.blocks.map((b) => [b.id, b.skip, b.grade])).toEqual([
    ["ex", false, { role: "exercise" }],
    ["c1", false, { role: "check", points: 3, hint: "look at the nat table" }],
    [undefined, true, { role: "wrong-solution", replaces: "ex", fails: ["c1", "c2"] }],
  ]);
});

test("misplaced and missing grading keys are errors", () => {
  const src = ["# L", "", "```sh points=2 exercise", "true", "```", "", "```console check points=x", "$ true", "```", "", "```sh wrong-solution", "true", "```", ""].join("\n");
  const { diagnostics } = parseLesson(src, "l.md");
  expect(diagnostics.map(formatDiagnostic)).toEqual([
    'l.md:3:7 error Meta key "points" belongs to check blocks (bad-meta-value)',
    "l.md:3:7 error An exercise block needs an id (exercise id=NAME) (bad-meta-value)",
    "l.md:7:12 error A check block needs an id (check id=NAME) (bad-meta-value)",
    'l.md:7:18 error Invalid points "x", expected a number 0..1000 (bad-meta-value)',
    "l.md:11:7 error A wrong-solution block names the checks it fails (fails=CHECK[,CHECK]) (bad-meta-value)",
  ]);
});
