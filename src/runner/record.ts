/**
 * Recording: turning actual output into expected output. `--update` uses it to rewrite a
 * lesson in place (and a later `lab render` can reuse it). What still matches is kept as the
 * author wrote it: `...` lines, `(re)` lines and lines with captures; everything else becomes
 * the actual text, escaped as a `(re)` line where the raw text would read as syntax.
 */
import { escapeRegExp, type MatchResult } from "../assert/index.js";
import { findCaptures } from "../lesson/captures.js";
import type { Command, Lesson } from "../lesson/types.js";

/** Writes one actual line so that the transcript parser reads it back as that literal line. */
export function escapeOutputLine(line: string, first: boolean, last: boolean): string {
  const needsRegex =
    line === "..." ||
    line.endsWith(" (re)") ||
    findCaptures(line).length > 0 ||
    /^\$( |$)/.test(line) ||
    (first && /^>( |$)/.test(line)) ||
    (last && /^\[[-+\w.]+\]$/.test(line));
  if (!needsRegex) return line;
  // `\>` is `>` in a regular expression, and keeps the line from reading as a continuation.
  return `${escapeRegExp(line).replace(/^>/, "\\>")} (re)`;
}

/**
 * New expected lines (with the `[N]` line) for a console command from its match and actual
 * exit status; undefined when the transcript already holds.
 */
export function recordExpected(cmd: Command, match: MatchResult, exitCode: number): string[] | undefined {
  const exitOk = cmd.exit === "any" || cmd.exit === exitCode;
  if (match.ok && exitOk) return undefined;
  const out: string[] = [];
  const wildcardsKept = new Set<number>();
  const extras = match.alignment.filter((s) => s.op === "extra").map((s) => (s as { a: number }).a);
  const lastActual = match.actual.length - 1;
  for (const s of match.alignment) {
    if (s.op === "match") out.push(cmd.expected[s.p]!.text);
    else if (s.op === "absorb" || s.op === "wildcard") {
      if (!wildcardsKept.has(s.p)) out.push(cmd.expected[s.p]!.text);
      wildcardsKept.add(s.p);
    } else if (s.op === "extra") {
      out.push(escapeOutputLine(match.actual[s.a]!, out.length === 0, s.a === lastActual && extras.includes(s.a)));
    }
  }
  if (cmd.exit === "any") out.push("[any]");
  else if (exitCode !== 0) out.push(`[${exitCode}]`);
  return out;
}

/** Applies recorded lines to the lesson source; edits replace each command's output lines. */
export function rewriteSource(lesson: Lesson, edits: ReadonlyMap<Command, string[]>): string {
  if (edits.size === 0) return lesson.source;
  const eol = lesson.source.includes("\r\n") ? "\r\n" : "\n";
  const lines = lesson.source.split(/\r?\n/);
  const all: { cmd: Command; indent: string; lines: string[] }[] = [];
  for (const block of lesson.blocks) {
    for (const cmd of block.commands) {
      const recorded = edits.get(cmd);
      if (recorded) all.push({ cmd, indent: block.indent, lines: recorded });
    }
  }
  all.sort((a, b) => b.cmd.outputLines.start - a.cmd.outputLines.start);
  for (const e of all) {
    const { start, end } = e.cmd.outputLines;
    const count = end >= start ? end - start + 1 : 0;
    lines.splice(start - 1, count, ...e.lines.map((l) => (l === "" ? l : e.indent + l)));
  }
  return lines.join(eol);
}
