/**
 * A grading worker thread: gets the parsed lesson (plain data) once, then grades the
 * submissions the pool sends (already read: exercise id → shell text), one message each, and
 * posts each result back (labeled by the pool). It loads the grader and the simulator only,
 * no Markdown parser: start-up is most of what a small batch costs.
 */
import { parentPort, workerData } from "node:worker_threads";
import type { Lesson } from "../lesson/types.js";
import { gradeTask, type WorkerTask } from "./task.js";
import type { GradeLimits } from "./types.js";

interface Init {
  lesson: Lesson;
  limits: Partial<GradeLimits>;
}

const init = workerData as Init;
parentPort!.on("message", (m: WorkerTask) => {
  void gradeTask(init.lesson, m.answers, init.limits).then((r) => parentPort!.postMessage({ id: m.id, ...r }));
});
// Loaded (the static imports above evaluated): the pool starts a submission's wall clock now.
parentPort!.postMessage({ ready: true });
