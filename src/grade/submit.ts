/** One submission file from source text to result: read it, then grade it. Never throws. */
import type { Lesson } from "../lesson/types.js";
import { gradeAnswers, type GradeOptions } from "./grade.js";
import { readSubmission } from "./submission.js";
import { studentOf, zero } from "./result.js";
import type { SubmissionResult } from "./types.js";

export { studentOf, zero } from "./result.js";

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
