import { readFileSync } from "node:fs";
import { expect, test } from "vitest";
import { parseLesson } from "../lesson/parse.js";
import { gradeAll } from "./pool.js";
import type { SubmissionResult } from "./types.js";

const FILE = "lessons/03-port-mapping.md";
const lesson = parseLesson(readFileSync(FILE, "utf8"), FILE).lesson;
const sub = (cmds: string): string => `## exercise: publish\n\`\`\`sh\n${cmds}\n\`\`\`\n`;

test("copies share one grading, each labeled as itself; malformed ones are answered first; one onResult per submission", async () => {
  const items = [
    { file: "subs/ann.md", source: sub("docker run -d -p 1234:80 --name web nginx") },
    { file: "subs/ben.txt", source: "no answers here\n" },
    { file: "subs/cat.md", source: sub("docker run -d -p 1234:80 --name web nginx") },
    { file: "subs/dan.md", source: sub("docker run -d -p 80:1234 --name web nginx") },
  ];
  const seen: [string, number, number][] = [];
  const results = await gradeAll(lesson, items, { jobs: 2, inProcess: true, onResult: (r, done, total) => seen.push([r.student, done, total]) });
  expect(seen).toEqual([
    ["ben", 1, 4],
    ["ann", 2, 4],
    ["cat", 3, 4],
    ["dan", 4, 4],
  ]);
  const brief = (r: SubmissionResult): string => `${r.student} ${r.file} ${r.verdict} ${r.score}/${r.max}`;
  expect(results.map(brief)).toEqual(["ann subs/ann.md graded 3/3", "ben subs/ben.txt malformed 0/3", "cat subs/cat.md graded 3/3", "dan subs/dan.md graded 0/3"]);
  // Relabeled copies, not one shared object: a reporter that edits one result cannot touch another.
  expect(results[2]).toEqual({ ...results[0], student: "cat", file: "subs/cat.md" });
  expect(results[2]!.checks).not.toBe(results[0]!.checks);
});
