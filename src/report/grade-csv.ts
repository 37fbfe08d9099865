/**
 * The grade book CSV (RFC 4180: CRLF line ends, fields with `,` `"` or line breaks quoted):
 * student,file,score,max,verdict,<one column per check with the points earned>
 */
import type { GradeReport } from "../grade/types.js";

function field(s: string | number): string {
  const t = String(s);
  return /[",\r\n]/.test(t) ? `"${t.replace(/"/g, '""')}"` : t;
}

/** Renders one CSV row per submission after a header row. */
export function gradeCsv(r: GradeReport): string {
  const rows = [["student", "file", "score", "max", "verdict", ...r.checks.map((c) => c.id)]];
  for (const s of r.results) {
    rows.push([s.student, s.file, String(s.score), String(s.max), s.verdict, ...r.checks.map((c) => String(s.checks.find((x) => x.id === c.id)?.earned ?? 0))]);
  }
  return rows.map((x) => x.map(field).join(",")).join("\r\n") + "\r\n";
}
