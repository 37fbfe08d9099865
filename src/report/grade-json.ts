/** The JSON grade report: the GradeReport itself (also the shard format `--merge` reads). */
import type { GradeReport } from "../grade/types.js";

/** Renders the report as two-space-indented JSON. */
export function gradeJson(r: GradeReport): string {
  return JSON.stringify(r, null, 2) + "\n";
}
