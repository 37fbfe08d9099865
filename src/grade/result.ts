/** Results that need no grading (labels from a file name, the all-zero result of a verdict) and the lesson checks they list. */
import type { Lesson } from "../lesson/types.js";
import type { CheckSpec, SubmissionResult } from "./types.js";

/** The student's name for a submission file: its base name without `.md`/`.txt`. */
export function studentOf(file: string): string {
  return file.replace(/^.*[\\/]/, "").replace(/\.(md|markdown|txt|sh)$/i, "");
}

/** A result where every check scores 0 for `message` (malformed, crashed or killed). */
export function zero(lesson: Lesson, student: string, file: string, verdict: SubmissionResult["verdict"], message: string): SubmissionResult {
  const checks = lessonChecks(lesson).map((s) => ({ id: s.id, points: s.points, earned: 0, passed: false, feedback: [`not run: ${message}`], ...(s.hint !== undefined ? { hint: s.hint } : {}) }));
  return { student, file, score: 0, max: checks.reduce((s, c) => s + c.points, 0), verdict, message, checks };
}

/** The checks of a lesson, in document order. */
export function lessonChecks(lesson: Lesson): CheckSpec[] {
  return lesson.blocks
    .filter((b) => b.grade?.role === "check" && b.id !== undefined)
    .map((b) => ({ id: b.id!, points: b.grade!.points ?? 1, ...(b.grade!.hint !== undefined ? { hint: b.grade!.hint } : {}), line: b.position.line }));
}
