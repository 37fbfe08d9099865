/** Position in a source file, 1-based as editors show it. */
export interface Position {
  line: number;
  column: number;
}

/** One message about a file: `file:line:col severity message (rule)`, as unified/vfile does it. */
export interface Diagnostic {
  file: string;
  position: Position;
  severity: "error" | "warning";
  message: string;
  /** Stable rule id, e.g. `unknown-meta-key`. */
  rule: string;
}

/** Formats a diagnostic as `file:line:col error message (rule)`. */
export function formatDiagnostic(d: Diagnostic): string {
  return `${d.file}:${d.position.line}:${d.position.column} ${d.severity} ${d.message} (${d.rule})`;
}
