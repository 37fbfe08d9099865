/**
 * A grading worker thread: parses the lesson once, then grades the submissions the pool sends,
 * one message each, and posts each result back.
 */
import { parentPort, workerData } from "node:worker_threads";
import { parseLesson } from "../lesson/parse.js";
import { gradeSubmission } from "./submit.js";
import type { GradeLimits } from "./types.js";

interface Init {
  lessonFile: string;
  lessonSource: string;
  limits: Partial<GradeLimits>;
}

const init = workerData as Init;
const { lesson } = parseLesson(init.lessonSource, init.lessonFile);
parentPort!.on("message", (m: { id: number; file: string; source: string }) => {
  void gradeSubmission(lesson, m.file, m.source, { limits: init.limits }).then((result) => parentPort!.postMessage({ id: m.id, result }));
});
