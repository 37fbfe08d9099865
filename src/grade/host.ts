/**
 * Host grading (`lab grade --target host`): only the lesson's check blocks run, against the
 * student's live machine through the host target; the student did the exercises by hand.
 */
import type { Lesson } from "../lesson/types.js";
import type { Target } from "../target/types.js";
import { lessonChecks, runBlock } from "./grade.js";
import { zero } from "./submit.js";
import type { CheckResult, SubmissionResult } from "./types.js";

/** Runs the check blocks on `target` and scores them; `student` labels the result. */
export async function gradeHost(lesson: Lesson, target: Target, student: string): Promise<SubmissionResult> {
  const specs = lessonChecks(lesson);
  let opened;
  try {
    opened = await target.open({ file: lesson.file, world: lesson.meta.world, requires: lesson.meta.requires, sim: lesson.meta.sim });
  } catch (e) {
    return zero(lesson, student, lesson.file, "error", (e as Error).message);
  }
  if ("skip" in opened) return zero(lesson, student, lesson.file, "error", opened.skip);
  const session = opened.session;
  const results: CheckResult[] = [];
  const captures: Record<string, string> = {};
  try {
    for (const b of lesson.blocks) {
      if (b.grade?.role !== "check" || b.target === "sim") continue;
      const spec = specs.find((s) => s.id === b.id)!;
      const exec = async (ctx: string, text: string, timeoutMs: number) => {
        const r = await session.exec(ctx, text, { timeoutMs, maxOutputBytes: 1 << 20 });
        return { exitCode: r.exitCode, output: r.output, timedOut: r.timedOut ?? false };
      };
      const r = await runBlock(b, b.timeoutMs ?? lesson.meta.timeoutMs ?? 60_000, exec, captures, lesson);
      results.push({ id: spec.id, points: spec.points, earned: r.passed ? spec.points : 0, passed: r.passed, feedback: r.feedback, ...(spec.hint !== undefined && !r.passed ? { hint: spec.hint } : {}) });
    }
  } catch (e) {
    await session.close().catch(() => undefined);
    return zero(lesson, student, lesson.file, "error", (e as Error).message);
  }
  await session.close().catch(() => undefined);
  const checks = specs.map((s) => results.find((r) => r.id === s.id) ?? { id: s.id, points: s.points, earned: 0, passed: false, feedback: ["not run: a target=sim check (the lesson runs it in the simulator only)"] });
  return { student, file: lesson.file, score: checks.reduce((n, c) => n + c.earned, 0), max: checks.reduce((n, c) => n + c.points, 0), verdict: "graded", checks };
}
