import { readFileSync } from "node:fs";
import { expect, test } from "vitest";
import { parseLesson } from "../lesson/parse.js";
import { gradingKey } from "./key.js";

const FILE = "lessons/03-port-mapping.md";
const lesson = parseLesson(readFileSync(FILE, "utf8"), FILE).lesson;
const key = (entries: [string, string][]): string => gradingKey(lesson, new Map(entries));

test("the key is the exercise's commands as the grader runs them (comments and blank lines are not run)", () => {
  expect(key([["publish", "# mine\n\ndocker run -d -p 1234:80 --name web nginx\n"]])).toBe('[["publish",["docker run -d -p 1234:80 --name web nginx"]]]');
  expect(key([["publish", "docker run -d \\\n  -p 1234:80 --name web nginx"]])).toBe('[["publish",["docker run -d \\\\\\n  -p 1234:80 --name web nginx"]]]');
});

test("answers to ids the lesson has no exercise for are never run, so not in the key; a missing answer is empty", () => {
  expect(key([["nope", "rm -rf /"]])).toBe('[["publish",[]]]');
  expect(key([])).toBe(key([["publish", "   "]]));
});

test("a different spelling is a different key (its feedback may quote it)", () => {
  expect(key([["publish", "docker run -d -p 1234:80 --name web nginx"]])).not.toBe(key([["publish", "docker run  -d -p 1234:80 --name web nginx"]]));
});
