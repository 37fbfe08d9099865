/**
 * Grading many submissions: in-process for one job, else N worker threads pulling one
 * submission at a time. A worker that stays on one submission past the wall-time limit (a
 * synchronous runaway the in-process checks cannot interrupt) is terminated and replaced; that
 * submission gets a `limit` verdict.
 *
 *   queue ──► worker 1 ──► results[k]
 *         └─► worker 2 ──┘      (onResult per submission, for the progress bar)
 */
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { Worker } from "node:worker_threads";
import type { Lesson } from "../lesson/types.js";
import { gradeSubmission, studentOf, zero } from "./submit.js";
import { DEFAULT_LIMITS, type GradeLimits, type SubmissionResult } from "./types.js";

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
}

const WORKER = new URL("./worker.js", import.meta.url);

/** Whether worker threads can run (the compiled worker exists: dist/, not vitest's sources). */
export function workersAvailable(): boolean {
  return existsSync(fileURLToPath(WORKER));
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
  const jobs = Math.max(1, Math.min(opts.jobs, items.length));
  // Workers even for one job when they exist: only a separate thread can be stopped in the middle
  // of a runaway submission (a fork bomb keeps the simulator busy without returning).
  if (opts.inProcess || !workersAvailable()) {
    for (let k = 0; k < items.length; k++) report(k, await gradeSubmission(lesson, items[k]!.file, items[k]!.source, { limits: opts.limits }));
    return results;
  }
  const wallMs = { ...DEFAULT_LIMITS, ...opts.limits }.maxWallMs;
  let next = 0;
  await Promise.all(
    Array.from({ length: jobs }, async () => {
      let worker: Worker | undefined;
      const spawn = (): Worker => new Worker(WORKER, { workerData: { lessonFile: lesson.file, lessonSource: lesson.source, limits: opts.limits ?? {} } });
      try {
        while (next < items.length) {
          const k = next++;
          worker ??= spawn();
          const w = worker;
          const r = await new Promise<SubmissionResult | undefined>((resolve) => {
            const timer = setTimeout(() => resolve(undefined), wallMs + 2000);
            const onMsg = (m: { id: number; result: SubmissionResult }): void => {
              if (m.id !== k) return;
              clearTimeout(timer);
              w.off("message", onMsg);
              w.off("error", onErr);
              resolve(m.result);
            };
            const onErr = (): void => {
              clearTimeout(timer);
              w.off("message", onMsg);
              resolve(undefined);
            };
            w.on("message", onMsg);
            w.once("error", onErr);
            w.postMessage({ id: k, file: items[k]!.file, source: items[k]!.source });
          });
          if (r) report(k, r);
          else {
            await w.terminate();
            worker = undefined;
            report(k, zero(lesson, studentOf(items[k]!.file), items[k]!.file, "limit", `wall-time limit: the grader stopped it after ${(wallMs + 2000) / 1000}s`));
          }
        }
      } finally {
        await worker?.terminate();
      }
    }),
  );
  return results;
}
