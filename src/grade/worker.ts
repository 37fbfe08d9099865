/**
 * A grading worker thread: gets the parsed lesson (plain data) in its first message (so it can
 * start loading before the lesson is known: workers.ts), then grades the
 * submissions the pool sends (already read: exercise id → shell text), one message each, and
 * posts each result back (labeled by the pool). It loads the grader and the simulator only,
 * no Markdown parser: start-up is most of what a small batch costs.
 */
import { parentPort } from "node:worker_threads";
import { gradeTask, type WorkerTask } from "./task.js";
import type { WorkerInit } from "./workers.js";

let init: WorkerInit["init"] | undefined;
parentPort!.on("message", (m: WorkerTask | WorkerInit) => {
  if ("init" in m) {
    init = m.init;
    return;
  }
  const { lesson, limits } = init!;
  void gradeTask(lesson, m.answers, limits).then((r) => parentPort!.postMessage({ id: m.id, ...r }));
});
// Loaded (the static imports above evaluated): the pool starts a submission's wall clock now.
parentPort!.postMessage({ ready: true });
