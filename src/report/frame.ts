/** Code frames and unified diffs for failure reports. */
import { createTwoFilesPatch } from "diff";

/**
 * Lines `from..to` (1-based) of `source` with line numbers, `>` marking `mark`, like
 * vitest/babel code frames.
 */
export function codeFrame(source: string, from: number, to: number, mark: number): string[] {
  const lines = source.split(/\r?\n/);
  const end = Math.min(to, lines.length);
  const width = String(end).length;
  const out: string[] = [];
  for (let n = Math.max(1, from); n <= end; n++) {
    out.push(`${n === mark ? ">" : " "} ${String(n).padStart(width)} | ${lines[n - 1]}`);
  }
  return out;
}

/** A unified diff of expected against actual lines, without the file headers. */
export function unifiedDiff(expected: readonly string[], actual: readonly string[]): string[] {
  const patch = createTwoFilesPatch("expected", "actual", joinLines(expected), joinLines(actual), "", "", { context: 3 });
  const lines = patch.split("\n");
  // Drop "Index"/"===" (absent here), "--- expected", "+++ actual"; keep hunks.
  const start = lines.findIndex((l) => l.startsWith("@@"));
  const body = start >= 0 ? lines.slice(start) : [];
  while (body.length > 0 && body[body.length - 1] === "") body.pop();
  return body.filter((l) => l !== "\\ No newline at end of file");
}

function joinLines(lines: readonly string[]): string {
  return lines.length === 0 ? "" : lines.join("\n") + "\n";
}
