/**
 * Bad input never crashes the engine: random and mutated lessons go into the parser and the
 * transcript matcher; the answer is always diagnostics or a result. And recording is sound:
 * whatever a command prints, the transcript `--update` writes for it parses back and matches.
 */
import fc from "fast-check";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { NORMALIZER_NAMES, matchOutput } from "../../src/assert/index.js";
import { formatDiagnostic } from "../../src/core/diagnostic.js";
import { parseLesson } from "../../src/lesson/parse.js";
import { renderCommand } from "../../src/lesson/template.js";
import { recordExpected } from "../../src/runner/record.js";

const ROOT = join(import.meta.dirname, "..", "..");
const SEEDS = ["pass/shell-basics.md", "fail/mismatch.md", "bad/malformed.md"].map((f) =>
  readFileSync(join(ROOT, "test/fixtures/lessons", f), "utf8"),
);

/** Lines that mean something to the lesson grammar, plus noise. */
const fragment = fc.oneof(
  fc.constantFrom(
    "---",
    "title: x",
    "requires: [docker]",
    "world: kubernetes",
    "timeout: 0",
    "normalize: mac,nope",
    "sim: {seed: x}",
    "```console",
    "```sh cleanup",
    "```console on=web timeout=3s id=a normalize=mac,rtt",
    "```sh exit=any",
    "```console exit=3 bogus",
    "~~~console",
    "```",
    "~~~",
    "$ echo {{a}}",
    "$ echo hi",
    "$",
    "> more",
    ">",
    "...",
    "[1]",
    "[x]",
    "[]",
    "[256]",
    "a{{a}}b{{a}}",
    "{{.Go}} {{end}}",
    "(( (re)",
    "x+ (re)",
    "cat <<EOF",
    "EOF",
    "if true; then",
    "fi",
    "'",
    '"',
    "\\",
    "",
    "   ```console",
    "- item",
  ),
  fc.string({ maxLength: 30 }),
  fc.string({ unit: "binary", maxLength: 12 }),
);
const randomLesson = fc.array(fragment, { maxLength: 40 }).map((lines) => lines.join("\n"));

/** A seed lesson with lines deleted, duplicated, swapped or garbled. */
const mutatedLesson = fc
  .tuple(
    fc.constantFrom(...SEEDS),
    fc.array(fc.tuple(fc.constantFrom("del", "dup", "swap", "garble", "insert"), fc.nat(), fc.nat(), fragment), { maxLength: 8 }),
  )
  .map(([seed, edits]) => {
    const lines = seed.split("\n");
    for (const [op, a, b, text] of edits) {
      if (lines.length === 0) break;
      const i = a % lines.length;
      const j = b % lines.length;
      if (op === "del") lines.splice(i, 1);
      else if (op === "dup") lines.splice(i, 0, lines[i]!);
      else if (op === "swap") [lines[i], lines[j]] = [lines[j]!, lines[i]!];
      else if (op === "garble") lines[i] = lines[i]!.slice(0, b % (lines[i]!.length + 1)) + text;
      else lines.splice(i, 0, text);
    }
    return lines.join("\n");
  });

function checkParse(src: string): void {
  const { lesson, diagnostics } = parseLesson(src, "p.md", { normalizers: NORMALIZER_NAMES });
  for (const d of diagnostics) {
    expect(d.position.line).toBeGreaterThanOrEqual(1);
    expect(d.position.column).toBeGreaterThanOrEqual(1);
    expect(formatDiagnostic(d)).toMatch(/^p\.md:\d+:\d+ error .+ \([a-z-]+\)$/s);
  }
  for (const b of lesson.blocks) {
    for (const c of b.commands) {
      const r = renderCommand(c.text, { a: "1" });
      expect(typeof r.ok).toBe("boolean");
    }
  }
}

const output = fc.array(
  fc.oneof(
    fc.string({ maxLength: 20 }),
    fc.constantFrom("...", "$ x", "> y", "[0]", "[3]", "{{a}}", "x (re)", "```", "~~~ z", " ```", "a\tb", "\u0000", "\r", "é ü", "02:42:ac:11:00:02", "  0  0 ACCEPT"),
  ),
  { maxLength: 12 },
);

describe("fuzzing the parser and matcher", () => {
  it("random lessons: diagnostics or a lesson, never an exception", () => {
    fc.assert(fc.property(randomLesson, (src) => checkParse(src)), { numRuns: 400 });
  });

  it("mutated real lessons: diagnostics or a lesson, never an exception", () => {
    fc.assert(fc.property(mutatedLesson, (src) => checkParse(src)), { numRuns: 300 });
  });

  it("matching any transcript against any output gives a result", () => {
    fc.assert(
      fc.property(randomLesson, output, fc.subarray([...NORMALIZER_NAMES]), (src, out, norm) => {
        const { lesson } = parseLesson(src, "p.md");
        for (const b of lesson.blocks) {
          for (const c of b.commands) {
            const r = matchOutput(c.expected, out.join("\n"), { a: "1" }, norm);
            expect(typeof r.ok).toBe("boolean");
          }
        }
      }),
      { numRuns: 300 },
    );
  });

  it("what --update records for any output parses back and matches that output", () => {
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom("a", "...", "{{v}}", "{{v}} {{v}}", "b+ (re)", "x {{w}}", "lit"), { maxLength: 6 }),
        output,
        fc.integer({ min: 0, max: 255 }),
        (expectedLines, out, exit) => {
          const src = ["```console", "$ cmd", ...expectedLines, "```", ""].join("\n");
          const { lesson, diagnostics } = parseLesson(src, "p.md");
          expect(diagnostics).toEqual([]);
          const cmd = lesson.blocks[0]!.commands[0]!;
          const text = out.join("\n");
          const rec = recordExpected(cmd, matchOutput(cmd.expected, text), exit) ?? [...expectedLines, ...(exit ? [`[${exit}]`] : [])];
          const again = parseLesson(["```console", "$ cmd", ...rec, "```", ""].join("\n"), "p.md");
          expect(again.diagnostics).toEqual([]);
          const cmd2 = again.lesson.blocks[0]!.commands[0]!;
          expect(cmd2.exit).toBe(exit);
          expect(matchOutput(cmd2.expected, text).ok).toBe(true);
        },
      ),
      { numRuns: 500 },
    );
  });
});
