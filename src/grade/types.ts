/**
 * Grading data: what a submission scored, check by check, with feedback; what reporters print.
 * Plain JSON-safe objects, so worker threads and shard reports carry them unchanged.
 */

/** Per-submission limits; any one ends the submission with a `limit` verdict. */
export interface GradeLimits {
  /** Commands run for one submission (lesson blocks, exercises and checks together). */
  maxCommands: number;
  /** Virtual milliseconds of simulated time. */
  maxVirtualMs: number;
  /** Output bytes of all commands together. */
  maxOutputBytes: number;
  /** Host milliseconds (checked between commands; a worker that overruns it is terminated). */
  maxWallMs: number;
}

export const DEFAULT_LIMITS: GradeLimits = { maxCommands: 2000, maxVirtualMs: 3_600_000, maxOutputBytes: 4 << 20, maxWallMs: 20_000 };

/** One check of a lesson: its id, points and hint. */
export interface CheckSpec {
  id: string;
  points: number;
  hint?: string;
  line: number;
}

export interface CheckResult {
  id: string;
  points: number;
  earned: number;
  passed: boolean;
  /** Why it failed: lab-check's causal lines, or the command and what went wrong. */
  feedback: string[];
  hint?: string;
}

/**
 * How grading a submission ended: `graded` (ran to the end), `limit` (a limit ended it; checks
 * not reached score 0), `malformed` (the submission could not be read), `error` (grader problem).
 */
export type Verdict = "graded" | "limit" | "malformed" | "error";

export interface SubmissionResult {
  /** Student name: the submission's file name without extension. */
  student: string;
  file: string;
  score: number;
  max: number;
  verdict: Verdict;
  /** The verdict's reason (which limit, what is malformed). */
  message?: string;
  checks: CheckResult[];
}

export interface GradeReport {
  lesson: string;
  title: string;
  max: number;
  checks: CheckSpec[];
  results: SubmissionResult[];
}
