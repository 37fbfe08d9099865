/**
 * One unit of pool work, the same in a worker thread and in process: grade already-read answers
 * for a lesson. Results come back unlabeled (student and file empty); the pool labels them.
 */
import type { Lesson } from "../lesson/types.js";
import { gradeAnswers } from "./grade.js";
import { zero, type ExerciseLimit } from "./result.js";
import type { GradeLimits, SubmissionResult } from "./types.js";

/** What a worker is sent: one submission's answers (exercise id → shell text). */
export interface WorkerTask {
  id: number;
  answers: [string, string][];
}

/**
 * A graded task: the result, and whether it holds for every submission with the same shared key
 * (key.ts) or only for these exact commands: a grader error (its message may say anything), a
 * wall-time limit (the host's clock, not the world's), a shadowed program. An exercise's limit
 * holds for the others once their own command is quoted (`limit`: result.ts requoteLimit).
 */
export interface TaskResult {
  result: SubmissionResult;
  exact: boolean;
  limit?: { at: ExerciseLimit; notRun: string[] };
}

/** Grades one submission's answers; never throws (a grader failure is an `error` verdict). */
export async function gradeTask(lesson: Lesson, answers: [string, string][], limits: Partial<GradeLimits> | undefined): Promise<TaskResult> {
  let exact = false;
  let limit: TaskResult["limit"];
  try {
    const result = await gradeAnswers(lesson, new Map(answers), "", "", { limits, onExact: () => void (exact = true), onExerciseLimit: (at, notRun) => void (limit = { at, notRun }) });
    exact ||= result.verdict === "error";
    return { result, exact, ...(limit ? { limit } : {}) };
  } catch (e) {
    return { result: zero(lesson, "", "", "error", `grader error: ${e instanceof Error ? e.message : String(e)}`), exact: true };
  }
}
