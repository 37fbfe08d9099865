/** Results that need no grading (labels from a file name, the all-zero result of a verdict) and the lesson checks they list. */
import type { Lesson } from "../lesson/types.js";
import type { CheckSpec, SubmissionResult } from "./types.js";

/** The student's name for a submission file: its base name without `.md`/`.txt`. */
export function studentOf(file: string): string {
  return file.replace(/^.*[\\/]/, "").replace(/\.(md|markdown|txt|sh)$/i, "");
}

/** A result where every check scores 0 for `message` (malformed, crashed or killed). */
export function zero(lesson: Lesson, student: string, file: string, verdict: SubmissionResult["verdict"], message: string): SubmissionResult {
  const checks = lessonChecks(lesson).map((s) => ({ id: s.id, points: s.points, earned: 0, passed: false, feedback: notRunFeedback(message), ...(s.hint !== undefined ? { hint: s.hint } : {}) }));
  return { student, file, score: 0, max: checks.reduce((s, c) => s + c.points, 0), verdict, message, checks };
}

/** The checks of a lesson, in document order. */
export function lessonChecks(lesson: Lesson): CheckSpec[] {
  return lesson.blocks
    .filter((b) => b.grade?.role === "check" && b.id !== undefined)
    .map((b) => ({ id: b.id!, points: b.grade!.points ?? 1, ...(b.grade!.hint !== undefined ? { hint: b.grade!.hint } : {}), line: b.position.line }));
}

/** Where an exercise's command hit a limit (its timeout, the shell's loop or process limits): `what` happened to command `index` of exercise `id`. */
export interface ExerciseLimit {
  id: string;
  index: number;
  what: string;
}

/** The limit message for exercise command `cmd`: it quotes the command's first line. */
export function exerciseLimitMessage(at: ExerciseLimit, cmd: string): string {
  return `exercise "${at.id}": \`${firstLine(cmd)}\` ${at.what}`;
}

/**
 * A limit result at `at` as another submission with the same shared key gets it: the same
 * world and outcome, its own command quoted in the message and in each check not run.
 */
export function requoteLimit(r: SubmissionResult, at: ExerciseLimit, notRun: readonly string[], cmd: string): SubmissionResult {
  const message = exerciseLimitMessage(at, cmd);
  return { ...r, message, checks: r.checks.map((c) => (notRun.includes(c.id) ? { ...c, feedback: notRunFeedback(message) } : c)) };
}

/** The feedback of a check a verdict with `message` kept from running. */
export function notRunFeedback(message: string): string[] {
  return [`not run: ${message}`];
}

/** A command's first line, cut to 80 characters, as feedback quotes it. */
export function firstLine(s: string): string {
  const l = s.split("\n")[0]!;
  return l.length > 80 ? l.slice(0, 77) + "..." : l;
}
