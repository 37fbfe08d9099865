/**
 * The grade table: one row per student, score, verdict and failed checks, as a terminal shows it:
 *
 *   student  score  failed checks
 *   alice    3/3    -
 *   bob      0/3    reach-published, dnat-rule
 *   total 2 submissions, mean 1.5/3
 */
import type { GradeReport } from "../grade/types.js";

/** Renders the table (columns padded to the widest cell). */
export function gradeTable(r: GradeReport): string {
  const rows = [["student", "score", "failed checks"]];
  for (const s of r.results) {
    const failed = s.checks.filter((c) => !c.passed).map((c) => c.id);
    const note = s.verdict === "graded" ? "" : ` (${s.verdict}: ${s.message ?? ""})`;
    rows.push([s.student, `${s.score}/${s.max}`, (failed.length ? failed.join(", ") : "-") + note]);
  }
  const w0 = Math.max(...rows.map((x) => x[0]!.length));
  const w1 = Math.max(...rows.map((x) => x[1]!.length));
  const lines = rows.map((x) => `${x[0]!.padEnd(w0)}  ${x[1]!.padEnd(w1)}  ${x[2]}`.trimEnd());
  const n = r.results.length;
  const mean = n ? r.results.reduce((s, x) => s + x.score, 0) / n : 0;
  lines.push(`total ${n} submission${n === 1 ? "" : "s"}, mean ${Number(mean.toFixed(2))}/${r.max}`);
  return lines.join("\n") + "\n";
}
