/**
 * Grading many submissions: every submission is read here (cheap), malformed ones are answered
 * at once, and the rest are grouped by shared key (key.ts: what the commands do), and inside a
 * group by text key (the exact commands). One submission per group is graded, in N worker
 * threads pulling one at a time (or in this thread); its result, relabeled, is every member's
 * result (an exercise's limit message requoted with each one's own command), unless the grader
 * says it holds for its exact text only (task.ts TaskResult): then each other spelling is graded
 * on its own. A worker that stays on one submission past the wall-time limit (a
 * synchronous runaway the in-process checks cannot interrupt) is terminated and replaced; that
 * group gets a `limit` verdict.
 *
 *   items ──read──► malformed? ──► zero result
 *           └─key─► group ──► worker 1 ──► result ──relabel──► results[k] for each member
 *                     ▲   └─► worker 2 ──┘   │ exact only?     (onResult per submission, for the progress bar)
 *                     └── other spellings ◄──┘
 */
import type { Lesson } from "../lesson/types.js";
import { gradingKey, sharedKey } from "./key.js";
import { readSubmission } from "./submission.js";
import { answerCommands } from "./answers.js";
import { requoteLimit, studentOf, zero } from "./result.js";
import type { TaskResult, WorkerTask } from "./task.js";
import { DEFAULT_LIMITS, type GradeLimits, type SubmissionResult } from "./types.js";
import { workerFor, workersAvailable, type Started } from "./workers.js";

export { workersAvailable } from "./workers.js";

export interface PoolItem {
  file: string;
  source: string;
}

export interface PoolOptions {
  jobs: number;
  limits?: Partial<GradeLimits>;
  onResult?: (r: SubmissionResult, done: number, total: number) => void;
  /** Grade in this thread (tests; no protection against submissions that never return). */
  inProcess?: boolean;
  /** Grade every submission even when another has the same key (default false: share). */
  noShare?: boolean;
}

/** Fewest submissions (distinct keys) per worker thread worth its start-up. */
export const MIN_PER_WORKER = 8;

interface Group {
  answers: [string, string][];
  /** The items this group's result is for: the same text key as `answers`. */
  members: number[];
  textKey: string;
  /** Other spellings with the same shared key, by text key: given this result when it may be shared, else graded on their own. */
  others: Map<string, Group>;
}

/** Grades every item; results in input order. */
export async function gradeAll(lesson: Lesson, items: readonly PoolItem[], opts: PoolOptions): Promise<SubmissionResult[]> {
  const results: SubmissionResult[] = new Array(items.length);
  let done = 0;
  const report = (k: number, r: SubmissionResult): void => {
    results[k] = r;
    done++;
    opts.onResult?.(r, done, items.length);
  };
  const label = (k: number): [string, string] => [studentOf(items[k]!.file), items[k]!.file];
  // Workers even for one job when they exist: only a separate thread can be stopped in the middle
  // of a runaway submission (a fork bomb keeps the simulator busy without returning). The first
  // starts now: its start-up (loading the simulator) overlaps with reading the submissions.
  const threads = !opts.inProcess && workersAvailable() && items.length > 0;
  const first = threads ? workerFor(lesson, opts.limits) : undefined;
  const groups = new Map<string, Group>();
  for (let k = 0; k < items.length; k++) {
    let read: ReturnType<typeof readSubmission>;
    try {
      read = readSubmission(items[k]!.source, items[k]!.file);
    } catch (e) {
      report(k, zero(lesson, ...label(k), "error", `grader error: ${e instanceof Error ? e.message : String(e)}`));
      continue;
    }
    if (!read.ok) {
      report(k, zero(lesson, ...label(k), "malformed", read.message));
      continue;
    }
    const answers = [...read.answers];
    const textKey = opts.noShare ? `#${k}` : gradingKey(lesson, read.answers);
    const key = opts.noShare ? textKey : sharedKey(lesson, read.answers);
    const g = groups.get(key);
    if (!g) groups.set(key, { answers, members: [k], textKey, others: new Map() });
    else if (g.textKey === textKey) g.members.push(k);
    else {
      const o = g.others.get(textKey);
      if (o) o.members.push(k);
      else g.others.set(textKey, { answers, members: [k], textKey, others: new Map() });
    }
  }
  const tasks = [...groups.values()];
  const relabel = (g: Group, r: SubmissionResult): void => {
    for (const k of g.members) {
      const [student, file] = label(k);
      report(k, { ...structuredClone(r), student, file });
    }
  };
  const settle = (g: Group, { result, exact, limit }: TaskResult): void => {
    relabel(g, result);
    for (const o of g.others.values()) {
      if (exact) tasks.push(o);
      else if (!limit) relabel(o, result);
      else relabel(o, requoteLimit(result, limit.at, limit.notRun, answerCommands(new Map(o.answers).get(limit.at.id) ?? "")[limit.at.index] ?? ""));
    }
  };
  if (!threads) {
    // The simulator loads here only when grading in this thread (workers load their own).
    const { gradeTask } = await import("./task.js");
    for (const g of tasks) settle(g, await gradeTask(lesson, g.answers, opts.limits));
    return results;
  }
  // A worker's start-up (~0.5 s of CPU: loading and warming up the simulator) costs about as
  // much as grading a dozen submissions: more workers only when each gets MIN_PER_WORKER keys.
  const jobs = Math.max(1, Math.min(opts.jobs, Math.ceil(tasks.length / MIN_PER_WORKER)));
  const wallMs = { ...DEFAULT_LIMITS, ...opts.limits }.maxWallMs;
  let next = 0;
  await Promise.all(
    Array.from({ length: jobs }, async (_, lane) => {
      let worker: Started | undefined = lane === 0 ? first : undefined;
      try {
        while (next < tasks.length) {
          const k = next++;
          const g = tasks[k]!;
          worker ??= workerFor(lesson, opts.limits);
          // The wall clock of a submission starts once its worker has loaded the simulator.
          if (!(await worker.ready)) {
            await worker.w.terminate();
            worker = undefined;
            settle(g, { result: zero(lesson, "", "", "error", "grader error: the grading worker did not start"), exact: true });
            continue;
          }
          const w = worker.w;
          const r = await new Promise<TaskResult | undefined>((resolve) => {
            const timer = setTimeout(() => resolve(undefined), wallMs + 2000);
            const onMsg = ({ id, ...r }: { id: number } & TaskResult): void => {
              if (id !== k) return;
              clearTimeout(timer);
              w.off("message", onMsg);
              w.off("error", onErr);
              resolve(r);
            };
            const onErr = (): void => {
              clearTimeout(timer);
              w.off("message", onMsg);
              resolve(undefined);
            };
            w.on("message", onMsg);
            w.once("error", onErr);
            w.postMessage({ id: k, answers: g.answers } satisfies WorkerTask);
          });
          if (r) settle(g, r);
          else {
            await w.terminate();
            worker = undefined;
            settle(g, { result: zero(lesson, "", "", "limit", `wall-time limit: the grader stopped it after ${(wallMs + 2000) / 1000}s`), exact: true });
          }
        }
      } finally {
        await worker?.w.terminate();
      }
    }),
  );
  return results;
}
