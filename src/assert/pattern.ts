/**
 * What the matcher sees of an expected line. Structurally the same as the lesson's
 * ExpectedLine, so the runner passes those directly without the assert layer importing lesson.
 */
export type PatternPart = { text: string } | { capture: string };

export type PatternLine =
  | { kind: "literal"; text: string; parts: readonly PatternPart[] }
  | { kind: "wildcard"; text: string }
  | { kind: "regex"; text: string; source: string };

/** A piece of a compiled line: literal text, or a regular-expression source. */
export type Segment = { lit: string } | { re: string };

/** Escapes text for use inside a regular expression. */
export function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");
}

/** Joins segments into a regular-expression source. */
export function segmentsToSource(segments: readonly Segment[]): string {
  return segments.map((s) => ("lit" in s ? escapeRegExp(s.lit) : s.re)).join("");
}
