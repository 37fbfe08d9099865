/**
 * Expected-versus-actual views for a failure diff. Lines a pattern matched (or `...` absorbed)
 * appear as the actual text on both sides, so the diff shows only real differences.
 */
import type { AlignStep } from "./match.js";
import type { PatternLine } from "./pattern.js";

export interface DiffViews {
  expected: string[];
  actual: string[];
}

/** Builds the two sides of a diff from an alignment, with `[N]` lines for exit statuses. */
export function diffViews(
  patterns: readonly PatternLine[],
  actual: readonly string[],
  alignment: readonly AlignStep[],
  exit: { expected: number | "any"; actual: number },
): DiffViews {
  const expected: string[] = [];
  for (const s of alignment) {
    if (s.op === "match" || s.op === "absorb") expected.push(actual[s.a]!);
    else if (s.op === "missing") expected.push(patterns[s.p]!.text);
  }
  const act = [...actual];
  const exitDiffers = exit.expected !== "any" && exit.expected !== exit.actual;
  if (exitDiffers || (exit.expected !== 0 && exit.expected !== "any")) expected.push(`[${exit.expected}]`);
  if (exitDiffers || exit.actual !== 0) {
    if (exit.expected === "any") expected.push(`[${exit.actual}]`);
    act.push(`[${exit.actual}]`);
  }
  return { expected, actual: act };
}
