/**
 * The grading key of a submission: exactly what the grader will run for it, nothing else.
 *
 * Grading is a deterministic function of (lesson, commands run, limits): the world is built
 * from the lesson's seed, time is virtual, every random choice comes from the seeded Rng. Two
 * submissions whose exercises expand to the same command lists therefore get the same result,
 * check by check, byte for byte (only the student/file labels differ), and the pool grades one
 * of them and relabels the result for the others. The key is not a normalization: a stray
 * space or a different flag order is a different key (it may print differently in feedback),
 * so sharing a result is never a guess. test/grade/equivalence.test.ts grades varied
 * submissions both ways and compares the full results.
 */
import type { Lesson } from "../lesson/types.js";
import { answerCommands, type Answers } from "./submission.js";

/** The key of `answers` for `lesson`: each exercise's commands in lesson order (answers to unknown ids are never run, so left out). */
export function gradingKey(lesson: Lesson, answers: Answers): string {
  const parts: [string, string[]][] = [];
  for (const b of lesson.blocks) {
    if (b.grade?.role !== "exercise" || b.id === undefined) continue;
    parts.push([b.id, answerCommands(answers.get(b.id) ?? "")]);
  }
  return JSON.stringify(parts);
}
