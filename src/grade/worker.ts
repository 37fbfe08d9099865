/**
 * A grading worker thread: parses the lesson once, then grades the submissions the pool sends
 * (already read: exercise id → shell text), one message each, and posts each result back
 * (labeled by the pool).
 */
import { parentPort, workerData } from "node:worker_threads";
import { parseLesson } from "../lesson/parse.js";
import { gradeHere, type WorkerTask } from "./pool.js";
import type { GradeLimits } from "./types.js";

interface Init {
  lessonFile: string;
  lessonSource: string;
  limits: Partial<GradeLimits>;
}

const init = workerData as Init;
const { lesson } = parseLesson(init.lessonSource, init.lessonFile);
parentPort!.on("message", (m: WorkerTask) => {
  void gradeHere(lesson, m.answers, init.limits).then((result) => parentPort!.postMessage({ id: m.id, result }));
});
