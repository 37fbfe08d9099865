/**
 * JUnit XML for grading: one testsuite per student, one testcase per check; a failed check is a
 * <failure> whose message is the first feedback line and whose body holds all of it and the hint.
 */
import type { GradeReport } from "../grade/types.js";

function esc(s: string): string {
  return s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;").replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, "");
}

/** Renders the report as JUnit XML. */
export function gradeJunit(r: GradeReport): string {
  const failures = r.results.reduce((n, s) => n + s.checks.filter((c) => !c.passed).length, 0);
  const tests = r.results.reduce((n, s) => n + s.checks.length, 0);
  const out = [`<?xml version="1.0" encoding="UTF-8"?>`, `<testsuites name="${esc(r.title)}" tests="${tests}" failures="${failures}">`];
  for (const s of r.results) {
    const f = s.checks.filter((c) => !c.passed).length;
    out.push(`  <testsuite name="${esc(s.student)}" tests="${s.checks.length}" failures="${f}" file="${esc(s.file)}">`);
    out.push(`    <properties><property name="score" value="${s.score}/${s.max}"/><property name="verdict" value="${esc(s.verdict)}"/></properties>`);
    for (const c of s.checks) {
      const name = `${esc(c.id)} (${c.points} point${c.points === 1 ? "" : "s"})`;
      if (c.passed) out.push(`    <testcase classname="${esc(s.student)}" name="${name}"/>`);
      else {
        const body = [...c.feedback, ...(c.hint ? [`hint: ${c.hint}`] : [])].join("\n");
        out.push(`    <testcase classname="${esc(s.student)}" name="${name}">`);
        out.push(`      <failure message="${esc(c.feedback[0] ?? "failed")}">${esc(body)}</failure>`);
        out.push(`    </testcase>`);
      }
    }
    out.push(`  </testsuite>`);
  }
  out.push(`</testsuites>`);
  return out.join("\n") + "\n";
}
