import { describe, expect, it } from "vitest";
import { expectedLine } from "../lesson/transcript.js";
import type { ExpectedLine } from "../lesson/types.js";
import { matchOutput } from "./match.js";
import { diffViews } from "./views.js";

/** Builds expected lines the way the parser does. */
const lines = (...texts: string[]): ExpectedLine[] =>
  texts.map((t, i) => {
    const e = expectedLine(t, i + 1);
    if ("error" in e) throw new Error(e.error);
    return e;
  });

describe("matchOutput", () => {
  it("matches literal lines exactly, ignoring trailing blanks and trailing empty lines", () => {
    expect(matchOutput(lines("a", "b  "), "a  \nb\n\n").ok).toBe(true);
    expect(matchOutput(lines("a", "b"), "a\nB\n").ok).toBe(false);
    expect(matchOutput(lines("a"), "a\nb\n").ok).toBe(false);
    expect(matchOutput(lines(), "").ok).toBe(true);
    expect(matchOutput(lines(), "x\n").ok).toBe(false);
    expect(matchOutput(lines(" a"), "a\n").ok).toBe(false);
  });

  it("lets ... match any number of lines, including none", () => {
    const p = lines("first", "...", "last");
    expect(matchOutput(p, "first\nlast\n").ok).toBe(true);
    expect(matchOutput(p, "first\n1\n2\n3\nlast\n").ok).toBe(true);
    expect(matchOutput(p, "first\n1\nlast\nmore\n").ok).toBe(false);
    expect(matchOutput(lines("...", "x", "..."), "a\nx\nb\n").ok).toBe(true);
    expect(matchOutput(lines("..."), "").ok).toBe(true);
  });

  it("treats (re) lines as anchored regular expressions", () => {
    expect(matchOutput(lines("inet 172\\.17\\.0\\.\\d+/16 (re)"), "inet 172.17.0.3/16\n").ok).toBe(true);
    expect(matchOutput(lines("inet 172\\.17\\.0\\.\\d+ (re)"), "inet 172.17.0.3/16\n").ok).toBe(false);
  });

  it("binds captures on first use and requires equality later, across lines and commands", () => {
    const r = matchOutput(lines("id={{cid}}", "again {{cid}}", "{{n}}/{{n}}"), "id=3f2a\nagain 3f2a\n7/7\n");
    expect(r).toMatchObject({ ok: true, bound: { cid: "3f2a", n: "7" } });
    expect(matchOutput(lines("id={{cid}}", "again {{cid}}"), "id=3f2a\nagain 3f2b\n").ok).toBe(false);
    expect(matchOutput(lines("{{n}}/{{n}}"), "7/8\n").ok).toBe(false);
    expect(matchOutput(lines("ip {{ip}}"), "ip 10.0.0.9\n", { ip: "10.0.0.8" }).ok).toBe(false);
    expect(matchOutput(lines("ip {{ip}}"), "ip 10.0.0.8\n", { ip: "10.0.0.8" })).toMatchObject({ ok: true, bound: {} });
    // A capture is non-blank text: it never matches an empty field.
    expect(matchOutput(lines("x {{v}}"), "x \n").ok).toBe(false);
  });

  it("backtracks through ... to satisfy captures", () => {
    const r = matchOutput(lines("...", "k={{v}}", "v={{v}}"), "k=1\nk=2\nv=2\n");
    expect(r).toMatchObject({ ok: true, bound: { v: "2" } });
  });

  it("aligns a mismatch so that the diff shows only real differences", () => {
    const p = lines("head", "...", "inet {{ip}}/16", "gone", "tail");
    const r = matchOutput(p, "head\nnoise\ninet 10.0.0.2/16\nnew\ntail\n");
    expect(r.ok).toBe(false);
    expect(r.bound).toEqual({ ip: "10.0.0.2" });
    expect(r.alignment).toEqual([
      { op: "match", p: 0, a: 0 },
      { op: "absorb", p: 1, a: 1 },
      { op: "wildcard", p: 1 },
      { op: "match", p: 2, a: 2 },
      { op: "extra", a: 3 },
      { op: "missing", p: 3 },
      { op: "match", p: 4, a: 4 },
    ]);
    expect(diffViews(p, r.actual, r.alignment, { expected: 0, actual: 1 })).toEqual({
      expected: ["head", "noise", "inet 10.0.0.2/16", "gone", "tail", "[0]"],
      actual: ["head", "noise", "inet 10.0.0.2/16", "new", "tail", "[1]"],
    });
  });

  it("survives pathological wildcard patterns", () => {
    const p = lines(...Array.from({ length: 30 }, (_, i) => (i % 2 ? "..." : "{{a" + i + "}}")), "never");
    const out = Array.from({ length: 200 }, (_, i) => `l${i}`).join("\n");
    expect(matchOutput(p, out).ok).toBe(false);
  });
});
