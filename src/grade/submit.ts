/** One submission file from source text to result: read it, then grade it. Never throws. */
import type { Lesson } from "../lesson/types.js";
import { gradeAnswers, lessonChecks, type GradeOptions } from "./grade.js";
import { readSubmission } from "./submission.js";
import type { SubmissionResult } from "./types.js";

/** The student's name for a submission file: its base name without `.md`/`.txt`. */
export function studentOf(file: string): string {
  return file.replace(/^.*[\\/]/, "").replace(/\.(md|markdown|txt|sh)$/i, "");
}

/** Grades one submission's source; a malformed file scores 0 with the reason. */
export async function gradeSubmission(lesson: Lesson, file: string, source: string, opts: GradeOptions = {}): Promise<SubmissionResult> {
  const student = studentOf(file);
  try {
    const read = readSubmission(source, file);
    if (!read.ok) return zero(lesson, student, file, "malformed", read.message);
    return await gradeAnswers(lesson, read.answers, student, file, opts);
  } catch (e) {
    return zero(lesson, student, file, "error", `grader error: ${e instanceof Error ? e.message : String(e)}`);
  }
}

/** A result where every check scores 0 for `message` (malformed, crashed or killed). */
export function zero(lesson: Lesson, student: string, file: string, verdict: SubmissionResult["verdict"], message: string): SubmissionResult {
  const checks = lessonChecks(lesson).map((s) => ({ id: s.id, points: s.points, earned: 0, passed: false, feedback: [`not run: ${message}`], ...(s.hint !== undefined ? { hint: s.hint } : {}) }));
  return { student, file, score: 0, max: checks.reduce((s, c) => s + c.points, 0), verdict, message, checks };
}
