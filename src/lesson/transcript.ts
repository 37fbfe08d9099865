/**
 * Splits the body of a ```` ```console ```` block into commands and their expected output,
 * as cram/trycmd transcripts do:
 *
 *   $ command            a command (`$` + space)
 *   > continued          continuation / here-document lines of the command above
 *   output line          expected output (stdout and stderr interleaved)
 *   ...                  any number of lines
 *   10.0.0.(\d+) (re)    a regular expression for one line
 *   [N]                  expected exit status (last line of the output, default 0)
 */
import type { Diagnostic } from "../core/diagnostic.js";
import { findCaptures } from "./captures.js";
import { openHeredocs } from "./shsplit.js";
import type { CaptureUse, Command, ExpectedLine, LiteralPart } from "./types.js";

/** A content line of a block with its 1-based file line. */
export interface SourceLine {
  text: string;
  line: number;
}

/** Parses a literal expected line into text and capture parts. */
export function literalParts(text: string): LiteralPart[] {
  const parts: LiteralPart[] = [];
  let at = 0;
  for (const c of findCaptures(text)) {
    if (c.index > at) parts.push({ text: text.slice(at, c.index) });
    parts.push({ capture: c.name });
    at = c.index + c.length;
  }
  if (at < text.length || parts.length === 0) parts.push({ text: text.slice(at) });
  return parts;
}

/** Classifies one expected-output line. */
export function expectedLine(raw: string, line: number): ExpectedLine | { error: string } {
  const text = raw.replace(/\s+$/, "");
  if (text === "...") return { kind: "wildcard", text, line };
  if (text.endsWith(" (re)")) {
    const source = text.slice(0, -" (re)".length);
    try {
      new RegExp(source);
    } catch (e) {
      return { error: `Invalid regular expression /${source}/: ${(e as Error).message.replace(/^Invalid regular expression: \/.*\/\w*: /, "")}` };
    }
    return { kind: "regex", text, line, source };
  }
  return { kind: "literal", text, line, parts: literalParts(text) };
}

/** Capture uses in a command's text, positioned in the file. */
export function captureUses(lines: SourceLine[], prefixLen: number, column: number): CaptureUse[] {
  const uses: CaptureUse[] = [];
  for (const l of lines) {
    for (const c of findCaptures(l.text)) {
      uses.push({ name: c.name, position: { line: l.line, column: column + prefixLen + c.index } });
    }
  }
  return uses;
}

const EXIT_LINE = /^\[([-+\w.]*)\]$/;

/** Parses a console block body; `column` is where content lines start in the file. */
export function parseTranscript(
  lines: SourceLine[],
  file: string,
  column: number,
): { commands: Command[]; diagnostics: Diagnostic[] } {
  const commands: Command[] = [];
  const diagnostics: Diagnostic[] = [];
  const err = (line: number, col: number, message: string, rule: string): void => {
    diagnostics.push({ file, position: { line, column: col }, severity: "error", message, rule });
  };
  let i = 0;
  // Text before the first command.
  while (i < lines.length && !/^\$( |$)/.test(lines[i]!.text)) {
    if (lines[i]!.text.trim() !== "") {
      err(lines[i]!.line, column, "Expected output before any command: transcript lines start with `$ `", "output-before-command");
    }
    i++;
  }
  while (i < lines.length) {
    const first = lines[i]!;
    const cmdLines: SourceLine[] = [{ text: first.text.slice(2), line: first.line }];
    i++;
    while (i < lines.length && /^>( |$)/.test(lines[i]!.text)) {
      cmdLines.push({ text: lines[i]!.text.slice(2), line: lines[i]!.line });
      i++;
    }
    // A here-document written without `> ` prompts: its body runs to the terminator line.
    const heredocLines: SourceLine[] = [];
    const open = openHeredocs(cmdLines.map((l) => l.text));
    while (open.length > 0 && i < lines.length && !/^\$( |$)/.test(lines[i]!.text)) {
      const l = lines[i]!;
      heredocLines.push(l);
      const t = open[0]!.strip ? l.text.replace(/^\t+/, "") : l.text;
      if (t === open[0]!.word) open.shift();
      i++;
    }
    const text = [...cmdLines, ...heredocLines].map((l) => l.text).join("\n");
    if (text.trim() === "") err(first.line, column, "Empty command after `$`", "empty-command");
    const outStart = i;
    while (i < lines.length && !/^\$( |$)/.test(lines[i]!.text)) i++;
    let outEnd = i; // exclusive
    while (outEnd > outStart && lines[outEnd - 1]!.text.trim() === "") outEnd--;
    let exit: number | "any" = 0;
    const out = lines.slice(outStart, outEnd);
    const last = out[out.length - 1];
    let bodyLines = out;
    if (last) {
      const m = EXIT_LINE.exec(last.text.trimEnd());
      if (m && m[1] !== "") {
        bodyLines = out.slice(0, -1);
        if (/^\d+$/.test(m[1]!) && Number(m[1]) <= 255) exit = Number(m[1]);
        else if (m[1] === "any") exit = "any";
        else err(last.line, column, `Expected an exit status 0..255 in [N], found "${m[1]}"`, "bad-exit-code");
      }
    }
    const expected: ExpectedLine[] = [];
    for (const l of bodyLines) {
      const e = expectedLine(l.text, l.line);
      if ("error" in e) err(l.line, column, e.error, "bad-regex");
      else expected.push(e);
    }
    const lastCmdLine = heredocLines.length > 0 ? heredocLines[heredocLines.length - 1]!.line : cmdLines[cmdLines.length - 1]!.line;
    const startLine = outStart < lines.length ? lines[outStart]!.line : lastCmdLine + 1;
    const endLine = outEnd > outStart ? lines[outEnd - 1]!.line : startLine - 1;
    commands.push({
      text,
      position: { line: first.line, column },
      expected,
      exit,
      outputLines: { start: startLine, end: endLine },
      uses: [...captureUses(cmdLines, 2, column), ...captureUses(heredocLines, 0, column)],
    });
  }
  return { commands, diagnostics };
}
