/** The grade reporters by name (`lab grade --reporter NAME`). */
import type { GradeReport } from "../grade/types.js";
import { gradeCsv } from "./grade-csv.js";
import { gradeJson } from "./grade-json.js";
import { gradeJunit } from "./grade-junit.js";
import { gradeMarkdown } from "./grade-markdown.js";
import { gradeTable } from "./grade-table.js";

export const GRADE_REPORTERS: Readonly<Record<string, (r: GradeReport) => string>> = {
  table: gradeTable,
  json: gradeJson,
  csv: gradeCsv,
  junit: gradeJunit,
  markdown: gradeMarkdown,
};
