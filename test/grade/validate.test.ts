/**
 * `lab grade --validate` on every lesson 01-10 (so CI runs it): the reference solution scores
 * full marks, an empty submission zero on every check, each wrong solution fails what it names.
 */
import { readFileSync } from "node:fs";
import { expect, test } from "vitest";
import { validateLesson } from "../../src/grade/validate.js";
import { parseLesson } from "../../src/lesson/parse.js";

const LESSONS = [
  "01-container-to-container", "02-network-modes", "03-port-mapping", "04-egress", "05-cross-host-overlay",
  "06-pod-shared-netns", "07-pod-to-pod-across-nodes", "08-service-clusterip", "09-service-dns", "10-ingress",
];

test.each(LESSONS)("validate %s", async (name) => {
  const file = `lessons/${name}.md`;
  const { lesson } = parseLesson(readFileSync(file, "utf8"), file);
  const r = await validateLesson(lesson);
  expect(r.lines.filter((l) => !l.ok).map((l) => l.text)).toEqual([]);
  expect(r.lines.length).toBeGreaterThanOrEqual(3);
}, 120_000);

test("a lesson without exercises does not validate", async () => {
  const { lesson } = parseLesson("# x\n\n```console\n$ echo hi\nhi\n```\n", "x.md");
  expect(await validateLesson(lesson)).toEqual({
    ok: false,
    lines: [
      { ok: false, text: "no exercise block (```sh exercise id=NAME)" },
      { ok: false, text: "no check block (```console check id=NAME points=N)" },
    ],
  });
});
