/**
 * Reading a submission: either a student's copy of the lesson (its `exercise id=NAME` blocks
 * filled in), or a plain answers file with one section per exercise id:
 *
 *   ## exercise: publish
 *   ```sh
 *   docker run -d -p 8080:80 --name web nginx
 *   ```
 *
 * (the fence is optional: without one, the section's lines up to the next `## ` heading are the
 * commands). Exercises a submission does not answer are empty. Never throws.
 */
import { parseLesson } from "../lesson/parse.js";
import type { Answers } from "./answers.js";

export { answerCommands, type Answers } from "./answers.js";

export type ReadResult = { ok: true; answers: Answers } | { ok: false; message: string };

const SECTION = /^##\s+exercise:\s*(\S+)\s*$/;

/** Reads a submission's source into exercise id → shell text. */
export function readSubmission(source: string, file: string): ReadResult {
  if (source.includes("\0")) return { ok: false, message: "binary file, expected Markdown text" };
  const lines = source.split(/\r?\n/);
  if (lines.some((l) => SECTION.test(l))) return readSections(lines);
  const { lesson, diagnostics } = parseLesson(source, file);
  const answers: Answers = new Map();
  for (const b of lesson.blocks) {
    if (b.grade?.role !== "exercise" || b.id === undefined) continue;
    if (answers.has(b.id)) return { ok: false, message: `exercise "${b.id}" appears twice` };
    answers.set(b.id, b.commands.map((c) => c.text).join("\n"));
  }
  const fatal = diagnostics.find((d) => d.rule === "unclosed-fence");
  if (fatal) return { ok: false, message: `line ${fatal.position.line}: ${fatal.message}` };
  if (answers.size === 0) {
    return { ok: false, message: "no exercise found: expected the lesson's `exercise id=NAME` blocks or `## exercise: NAME` sections" };
  }
  return { ok: true, answers };
}

function readSections(lines: string[]): ReadResult {
  const answers: Answers = new Map();
  let id: string | undefined;
  let body: string[] = [];
  const flush = (): ReadResult | undefined => {
    if (id === undefined) return undefined;
    if (answers.has(id)) return { ok: false, message: `exercise "${id}" appears twice` };
    answers.set(id, unfence(body));
    return undefined;
  };
  for (const l of lines) {
    const m = SECTION.exec(l);
    if (m || /^#{1,2}\s/.test(l)) {
      const bad = flush();
      if (bad) return bad;
      id = m ? m[1] : undefined;
      body = [];
    } else if (id !== undefined) body.push(l);
  }
  return flush() ?? { ok: true, answers };
}

/** A section's commands: the inside of its first fenced block, or its non-empty lines. */
function unfence(body: string[]): string {
  const open = body.findIndex((l) => /^\s*(```|~~~)/.test(l));
  if (open < 0) return body.join("\n").trim();
  const fence = /^\s*(`{3,}|~{3,})/.exec(body[open]!)![1]!;
  const close = body.findIndex((l, k) => k > open && l.trim().startsWith(fence));
  return body.slice(open + 1, close < 0 ? body.length : close).join("\n");
}
