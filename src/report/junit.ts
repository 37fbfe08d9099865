/**
 * The JUnit XML reporter (as CI systems read it): a testsuite per lesson, a testcase per block,
 * `<failure>` with `file:line:col`, the message and the diff; `<skipped>` with the reason.
 */
import type { BlockResult, LessonResult, RunSummary } from "../runner/events.js";
import { unifiedDiff } from "./frame.js";
import type { Reporter, ReporterIO } from "./types.js";

/** Escapes text for XML attributes and text (and drops characters XML 1.0 forbids). */
export function xmlEscape(text: string): string {
  return text
    // eslint-disable-next-line no-control-regex
    .replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F]/g, "")
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;");
}

const secs = (ms: number): string => (ms / 1000).toFixed(3);

function testcase(l: LessonResult, b: BlockResult): string {
  const name = `${b.block.id ?? `block ${b.block.index + 1}`}${b.block.cleanup ? " (cleanup)" : ""} · line ${b.block.line}`;
  const open = `    <testcase classname="${xmlEscape(l.lesson.file)}" name="${xmlEscape(name)}" time="${secs(b.durationMs)}"`;
  if (b.status === "skipped") return `${open}>\n      <skipped message="${xmlEscape(b.skipReason ?? "")}"/>\n    </testcase>`;
  if (b.status === "passed") return `${open}/>`;
  const failures = b.commands
    .filter((c) => c.status === "failed")
    .map((c) => {
      const body = [`${l.lesson.file}:${c.line}:${c.column}`, `$ ${c.command}`, c.message ?? ""];
      if (c.diff) body.push("", ...unifiedDiff(c.diff.expected, c.diff.actual));
      return `      <failure message="${xmlEscape(c.message ?? "failed")}" type="${c.timedOut ? "timeout" : "mismatch"}">${xmlEscape(body.join("\n"))}</failure>`;
    });
  return `${open}>\n${failures.join("\n")}\n    </testcase>`;
}

/** Renders a run summary as JUnit XML. */
export function toJUnit(s: RunSummary): string {
  const suites = s.lessons.map((l) => {
    const cases = l.blocks.map((b) => testcase(l, b));
    let failures = l.blocks.filter((b) => b.status === "failed").length;
    let skipped = l.blocks.filter((b) => b.status === "skipped").length;
    let tests = l.blocks.length;
    if (l.blocks.length === 0) {
      tests = 1;
      const open = `    <testcase classname="${xmlEscape(l.lesson.file)}" name="lesson" time="${secs(l.durationMs)}">`;
      if (l.error) {
        failures = 1;
        cases.push(`${open}\n      <failure message="${xmlEscape(l.error)}" type="error">${xmlEscape(l.error)}</failure>\n    </testcase>`);
      } else {
        skipped = 1;
        cases.push(`${open}\n      <skipped message="${xmlEscape(l.skipReason ?? "")}"/>\n    </testcase>`);
      }
    }
    return (
      `  <testsuite name="${xmlEscape(l.lesson.file)}" tests="${tests}" failures="${failures}" errors="0" skipped="${skipped}" time="${secs(l.durationMs)}">\n` +
      cases.join("\n") +
      `\n  </testsuite>`
    );
  });
  const tests = s.lessons.reduce((n, l) => n + Math.max(1, l.blocks.length), 0);
  return (
    `<?xml version="1.0" encoding="UTF-8"?>\n` +
    `<testsuites name="lab" tests="${tests}" failures="${s.failed}" errors="0" skipped="${s.skipped}" time="${secs(s.durationMs)}">\n` +
    suites.join("\n") +
    (suites.length ? "\n" : "") +
    `</testsuites>\n`
  );
}

/** Creates the JUnit reporter. */
export function createJUnitReporter(io: ReporterIO): Reporter {
  return {
    name: "junit",
    onRunEnd(s) {
      io.write(toJUnit(s));
    },
  };
}
