/**
 * Grading worker threads: starting one, and starting one early. A worker takes half a second to
 * load the simulator; `lab grade` starts the first before its own main thread has loaded the
 * Markdown parser and read the submissions (prestartWorker), so the two overlap on two cores.
 * The lesson comes in a first message (worker.ts), so a worker can start before it is known.
 *
 *   main:   import cli ──► parse lesson ──► read submissions ──► gradeAll ──► init + tasks ─►
 *   worker: load simulator ─────────────────────────────► ready ──────────┘
 */
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { Worker } from "node:worker_threads";
import type { Lesson } from "../lesson/types.js";
import type { GradeLimits } from "./types.js";

const WORKER = new URL("./worker.js", import.meta.url);

/** The first message a worker gets: what it grades for. */
export interface WorkerInit {
  init: { lesson: Lesson; limits: Partial<GradeLimits> };
}

/** A worker thread being started; `ready` says whether it loaded (it posts `{ ready: true }`). */
export interface Started {
  w: Worker;
  ready: Promise<boolean>;
}

/** Whether worker threads can run (the compiled worker exists: dist/, not vitest's sources). */
export function workersAvailable(): boolean {
  return existsSync(fileURLToPath(WORKER));
}

/** Starts a worker thread (loading the simulator); it grades nothing until given the lesson. */
function startWorker(): Started {
  const w = new Worker(WORKER);
  // A worker's errors are answered per task (pool.ts); this keeps one between tasks from being unhandled.
  w.on("error", () => undefined);
  const ready = new Promise<boolean>((resolve) => {
    const onMsg = (m: { ready?: boolean }): void => {
      if (!m.ready) return;
      w.off("message", onMsg);
      resolve(true);
    };
    w.on("message", onMsg);
    w.once("error", () => resolve(false));
    w.once("exit", () => resolve(false));
  });
  return { w, ready };
}

let early: Started | undefined;

/**
 * Starts a worker now, for the next gradeAll to take. Unreferenced until taken: a command that
 * ends before grading (a usage error) exits without waiting for it.
 */
export function prestartWorker(): void {
  if (early || !workersAvailable()) return;
  early = startWorker();
  early.w.unref();
}

/** A worker for `lesson`: the pre-started one if there is one, else a new one. */
export function workerFor(lesson: Lesson, limits: Partial<GradeLimits> | undefined): Started {
  const s = early ?? startWorker();
  early = undefined;
  s.w.ref();
  s.w.postMessage({ init: { lesson, limits: limits ?? {} } } satisfies WorkerInit);
  return s;
}
