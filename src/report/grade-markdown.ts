/**
 * The Markdown feedback a student reads: score, then each check with ✓/✗, the causes from the
 * packet trace, and the hint where a check failed. `lab grade --reporter markdown --out DIR`
 * writes one such file per student (DIR/STUDENT.md); without --out, all of them in a row.
 */
import type { GradeReport, SubmissionResult } from "../grade/types.js";

/** The feedback file of one submission. */
export function studentMarkdown(r: GradeReport, s: SubmissionResult): string {
  const lines = [`# ${r.title}: feedback for ${s.student}`, "", `Score: **${s.score}/${s.max}**`];
  if (s.verdict !== "graded") lines.push("", `Grading stopped (${s.verdict}): ${s.message ?? ""}`);
  lines.push("", "| check | points | result |", "|---|---|---|");
  for (const c of s.checks) lines.push(`| ${c.id} | ${c.earned}/${c.points} | ${c.passed ? "✓ passed" : "✗ failed"} |`);
  for (const c of s.checks.filter((x) => !x.passed)) {
    lines.push("", `## ✗ ${c.id}`, "");
    for (const f of c.feedback) lines.push(`- ${f.replace(/\|/g, "\\|")}`);
    if (c.hint) lines.push("", `Hint: ${c.hint}`);
  }
  return lines.join("\n") + "\n";
}

/** Every student's feedback, separated by rules. */
export function gradeMarkdown(r: GradeReport): string {
  return r.results.map((s) => studentMarkdown(r, s)).join("\n---\n\n");
}
