/** The grade reporters' full output for a fixed report, and shard splitting and merging. */
import { describe, expect, test } from "vitest";
import { mergeReports, parseShard, shardItems } from "../../src/grade/shard.js";
import type { GradeReport } from "../../src/grade/types.js";
import { gradeCsv } from "../../src/report/grade-csv.js";
import { gradeJson } from "../../src/report/grade-json.js";
import { gradeJunit } from "../../src/report/grade-junit.js";
import { gradeMarkdown } from "../../src/report/grade-markdown.js";
import { gradeTable } from "../../src/report/grade-table.js";

const report: GradeReport = {
  lesson: "lessons/03-port-mapping.md",
  title: "Port mapping",
  max: 3,
  checks: [
    { id: "reach-published", points: 2, hint: "host port first", line: 10 },
    { id: "dnat-rule", points: 1, line: 20 },
  ],
  results: [
    {
      student: "alice", file: "subs/alice.md", score: 3, max: 3, verdict: "graded",
      checks: [
        { id: "reach-published", points: 2, earned: 2, passed: true, feedback: [] },
        { id: "dnat-rule", points: 1, earned: 1, passed: true, feedback: [] },
      ],
    },
    {
      student: "bob, jr", file: "subs/bob, jr.md", score: 1, max: 3, verdict: "graded",
      checks: [
        { id: "reach-published", points: 2, earned: 0, passed: false, feedback: ["tcp from host to 172.17.0.1:1234: no reply: dropped in filter FORWARD by -A FORWARD -j DROP"], hint: "host port first" },
        { id: "dnat-rule", points: 1, earned: 1, passed: true, feedback: [] },
      ],
    },
    {
      student: "eve", file: "subs/eve.md", score: 0, max: 3, verdict: "limit", message: "command limit: more than 20 commands",
      checks: [
        { id: "reach-published", points: 2, earned: 0, passed: false, feedback: ["not run: command limit: more than 20 commands"], hint: "host port first" },
        { id: "dnat-rule", points: 1, earned: 0, passed: false, feedback: ["not run: command limit: more than 20 commands"] },
      ],
    },
  ],
};

describe("grade reporters", () => {
  test("table", () => {
    expect(gradeTable(report)).toBe(
      [
        "student  score  failed checks",
        "alice    3/3    -",
        "bob, jr  1/3    reach-published",
        "eve      0/3    reach-published, dnat-rule (limit: command limit: more than 20 commands)",
        "total 3 submissions, mean 1.33/3",
        "",
      ].join("\n"),
    );
  });

  test("csv (RFC 4180 quoting, CRLF)", () => {
    expect(gradeCsv(report)).toBe(
      'student,file,score,max,verdict,reach-published,dnat-rule\r\nalice,subs/alice.md,3,3,graded,2,1\r\n"bob, jr","subs/bob, jr.md",1,3,graded,0,1\r\neve,subs/eve.md,0,3,limit,0,0\r\n',
    );
  });

  test("json round-trips and merges", () => {
    const text = gradeJson(report);
    expect(JSON.parse(text)).toEqual(report);
    const a = { ...report, results: [report.results[2]!, report.results[0]!] };
    const b = { ...report, results: [report.results[1]!] };
    expect(mergeReports([a, b]).results.map((r) => r.student)).toEqual(["alice", "bob, jr", "eve"]);
    expect(() => mergeReports([a, { ...b, lesson: "other.md" }])).toThrow("shard reports are for different lessons: lessons/03-port-mapping.md and other.md");
  });

  test("junit", () => {
    expect(gradeJunit({ ...report, results: report.results.slice(1, 2) })).toBe(
      [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<testsuites name="Port mapping" tests="2" failures="1">',
        '  <testsuite name="bob, jr" tests="2" failures="1" file="subs/bob, jr.md">',
        '    <properties><property name="score" value="1/3"/><property name="verdict" value="graded"/></properties>',
        '    <testcase classname="bob, jr" name="reach-published (2 points)">',
        '      <failure message="tcp from host to 172.17.0.1:1234: no reply: dropped in filter FORWARD by -A FORWARD -j DROP">tcp from host to 172.17.0.1:1234: no reply: dropped in filter FORWARD by -A FORWARD -j DROP\nhint: host port first</failure>',
        "    </testcase>",
        '    <testcase classname="bob, jr" name="dnat-rule (1 point)"/>',
        "  </testsuite>",
        "</testsuites>",
        "",
      ].join("\n"),
    );
  });

  test("markdown feedback", () => {
    expect(gradeMarkdown({ ...report, results: report.results.slice(1, 2) })).toBe(
      [
        "# Port mapping: feedback for bob, jr",
        "",
        "Score: **1/3**",
        "",
        "| check | points | result |",
        "|---|---|---|",
        "| reach-published | 0/2 | ✗ failed |",
        "| dnat-rule | 1/1 | ✓ passed |",
        "",
        "## ✗ reach-published",
        "",
        "- tcp from host to 172.17.0.1:1234: no reply: dropped in filter FORWARD by -A FORWARD -j DROP",
        "",
        "Hint: host port first",
        "",
      ].join("\n"),
    );
  });

  test("shards are disjoint and cover everything", () => {
    const items = ["a", "b", "c", "d", "e"];
    expect([1, 2].map((i) => shardItems(items, { index: i, count: 2 }))).toEqual([["a", "c", "e"], ["b", "d"]]);
    expect(parseShard("2/3")).toEqual({ index: 2, count: 3 });
    expect([parseShard("0/3"), parseShard("4/3"), parseShard("x")]).toEqual([undefined, undefined, undefined]);
  });
});
