/**
 * Recording: turning actual output into expected output. `--update` uses it to rewrite a
 * lesson in place (and a later `lab render` can reuse it). What still matches is kept as the
 * author wrote it: `...` lines, `(re)` lines and lines with captures; everything else becomes
 * the actual text, escaped as a `(re)` line where the raw text would read as syntax.
 */
import { escapeRegExp, matchOutput, type MatchResult } from "../assert/index.js";
import { findCaptures } from "../lesson/captures.js";
import { expectedLine } from "../lesson/transcript.js";
import type { ExpectedLine } from "../lesson/types.js";
import type { Command, Lesson } from "../lesson/types.js";

// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f\u0085\u2028\u2029]/g;

/** Writes one actual line so that the transcript parser reads it back as that literal line. */
export function escapeOutputLine(line: string, first: boolean, last: boolean): string {
  const control = CONTROL.test(line);
  CONTROL.lastIndex = 0;
  const fence = /^\s{0,3}(```|~~~)/.test(line);
  if (control || fence) {
    // Markdown would split or eat these characters, or close the fence: spell them as escapes.
    const src = escapeRegExp(line)
      .replace(CONTROL, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`)
      .replace(/[`~]/g, (c) => (c === "`" ? "\\x60" : "\\x7e"));
    return `${src.replace(/^>/, "\\>")} (re)`;
  }
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
export function recordExpected(
  cmd: Command,
  match: MatchResult,
  exitCode: number,
  ctx: { captures?: Readonly<Record<string, string>>; normalize?: readonly string[] } = {},
): string[] | undefined {
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
  const verified = holds(out, match.actual, ctx.captures ?? {}, ctx.normalize ?? []);
  const lines = verified ? out : match.actual.map((l, i) => escapeOutputLine(l, i === 0, i === match.actual.length - 1));
  if (cmd.exit === "any") lines.push("[any]");
  else if (exitCode !== 0) lines.push(`[${exitCode}]`);
  return lines;
}

/**
 * Kept captures are checked line by line during alignment; one used twice may still disagree
 * across lines. Recorded lines must match the output they were recorded from, or the
 * recording falls back to the plain (escaped) output.
 */
function holds(recorded: string[], actual: string[], captures: Readonly<Record<string, string>>, normalize: readonly string[]): boolean {
  const patterns: ExpectedLine[] = [];
  for (const [i, text] of recorded.entries()) {
    const e = expectedLine(text, i + 1);
    if ("error" in e) return false;
    patterns.push(e);
  }
  return matchOutput(patterns, actual.join("\n"), captures, normalize).ok;
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
