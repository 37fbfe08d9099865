/**
 * `lab grade --validate LESSON`: the lesson's grading is sound when its reference solution scores
 * full marks, an empty submission scores zero on every check, and each wrong solution fails
 * every check its `fails=` names.
 */
import type { Lesson } from "../lesson/types.js";
import { gradeAnswers, lessonChecks, referenceAnswers, type GradeOptions } from "./grade.js";

export interface ValidateLine {
  ok: boolean;
  text: string;
}

/** Validates a lesson's exercises, checks and wrong solutions; one line per finding. */
export async function validateLesson(lesson: Lesson, opts: GradeOptions = {}): Promise<{ ok: boolean; lines: ValidateLine[] }> {
  const lines: ValidateLine[] = [];
  const specs = lessonChecks(lesson);
  const ref = referenceAnswers(lesson);
  if (ref.size === 0) lines.push({ ok: false, text: "no exercise block (```sh exercise id=NAME)" });
  if (specs.length === 0) lines.push({ ok: false, text: "no check block (```console check id=NAME points=N)" });
  const ids = new Set(specs.map((s) => s.id));
  for (const s of specs) if (specs.filter((t) => t.id === s.id).length > 1 && s === specs.find((t) => t.id === s.id)) lines.push({ ok: false, text: `check id "${s.id}" is used twice` });
  if (lines.length > 0) return { ok: false, lines };

  const r = await gradeAnswers(lesson, ref, "reference", lesson.file, opts);
  const refFailed = r.checks.filter((c) => !c.passed);
  lines.push({
    ok: r.score === r.max && r.verdict === "graded",
    text: `reference solution: ${r.score}/${r.max}${r.message ? ` (${r.verdict}: ${r.message})` : ""}${refFailed.map((c) => `; ${c.id} fails: ${c.feedback.join("; ")}`).join("")}`,
  });
  const empty = await gradeAnswers(lesson, new Map([...ref.keys()].map((k) => [k, ""])), "empty", lesson.file, opts);
  const emptyPassed = empty.checks.filter((c) => c.passed).map((c) => c.id);
  lines.push({
    ok: emptyPassed.length === 0,
    text: `empty submission: ${empty.score}/${empty.max}${emptyPassed.length ? `; passes ${emptyPassed.join(", ")} (a check that an empty answer passes grades nothing)` : ""}`,
  });
  for (const b of lesson.blocks) {
    if (b.grade?.role !== "wrong-solution") continue;
    const fails = b.grade.fails ?? [];
    const target = b.grade.replaces ?? (ref.size === 1 ? [...ref.keys()][0]! : undefined);
    const where = `wrong solution at line ${b.position.line}`;
    if (target === undefined || !ref.has(target)) {
      lines.push({ ok: false, text: `${where}: replaces=${target ?? "?"} names no exercise (${[...ref.keys()].join(", ")})` });
      continue;
    }
    const unknown = fails.filter((f) => !ids.has(f));
    if (unknown.length) {
      lines.push({ ok: false, text: `${where}: fails=${unknown.join(",")} names no check (${[...ids].join(", ")})` });
      continue;
    }
    const answers = new Map(ref);
    answers.set(target, b.commands.map((c) => c.text).join("\n"));
    const w = await gradeAnswers(lesson, answers, "wrong", lesson.file, opts);
    const passedAnyway = fails.filter((f) => w.checks.find((c) => c.id === f)?.passed);
    lines.push({
      ok: passedAnyway.length === 0,
      text: `${where}: ${w.score}/${w.max}, fails ${fails.join(", ")}${passedAnyway.length ? `; but passes ${passedAnyway.join(", ")}` : ""}`,
    });
  }
  return { ok: lines.every((l) => l.ok), lines };
}
