/**
 * Transcript matching: expected lines (literal with captures, `...`, `(re)`) against the
 * actual output of one command. Pure: no I/O, no exceptions for any input.
 *
 * Two passes, as cram does it:
 *  - `match`: backtracking over `...` with exact capture semantics (first use binds, later
 *    uses must be equal), memoised so pathological wildcards stay polynomial;
 *  - `align`: an edit-distance alignment used for diffs and for `--update`, where `...`
 *    absorbs any lines for free, so what still matches is kept.
 */
import { normalizersFor, type Normalizer } from "./normalizers.js";
import { escapeRegExp, segmentsToSource, type PatternLine, type Segment } from "./pattern.js";

export type Captures = Readonly<Record<string, string>>;

/** Captures in scope: bound by this command so far, then by earlier commands. */
type Lookup = (name: string) => string | undefined;

const own = (o: Captures, k: string): string | undefined => (Object.prototype.hasOwnProperty.call(o, k) ? o[k] : undefined);
const scope =
  (outer: Captures, inner: Captures = {}): Lookup =>
  (k) =>
    own(inner, k) ?? own(outer, k);

/** One step of an alignment of pattern lines (p) with actual lines (a). */
export type AlignStep =
  | { op: "match"; p: number; a: number }
  | { op: "absorb"; p: number; a: number }
  | { op: "wildcard"; p: number }
  | { op: "missing"; p: number }
  | { op: "extra"; a: number };

export interface MatchResult {
  ok: boolean;
  /** Actual output split into lines (trailing blanks of lines and trailing blank lines removed). */
  actual: string[];
  /** Captures bound by this command (new names only). */
  bound: Record<string, string>;
  /** Alignment of expected with actual (for diffs and updates). */
  alignment: AlignStep[];
}

/** Splits command output into comparable lines. */
export function outputLines(output: string): string[] {
  const lines = output.replace(/\r\n/g, "\n").split("\n").map((l) => l.replace(/\s+$/, ""));
  while (lines.length > 0 && lines[lines.length - 1] === "") lines.pop();
  return lines;
}

const cache = new WeakMap<PatternLine, Map<string, RegExp | null>>();

/** Compiles one pattern line to an anchored RegExp, given the captures bound so far (cached). */
function compileLine(line: PatternLine, bound: Lookup, normalizers: Normalizer[]): RegExp | null {
  if (line.kind === "wildcard") return null;
  let key = normalizers.map((n) => n.name).join(",");
  if (line.kind === "literal") {
    for (const p of line.parts) {
      if (!("capture" in p)) continue;
      const v = bound(p.capture);
      if (v !== undefined) key += `\u0000${p.capture}=${v}`;
    }
  }
  let perLine = cache.get(line);
  if (!perLine) cache.set(line, (perLine = new Map()));
  let re = perLine.get(key);
  if (re === undefined) {
    re = compileLineUncached(line, bound, normalizers);
    if (perLine.size > 256) perLine.clear();
    perLine.set(key, re);
  }
  return re;
}

function compileLineUncached(line: PatternLine, bound: Lookup, normalizers: Normalizer[]): RegExp | null {
  if (line.kind === "wildcard") return null;
  if (line.kind === "regex") {
    try {
      return new RegExp(`^(?:${line.source})$`);
    } catch {
      return /(?!)/;
    }
  }
  let source = "";
  const seenHere = new Set<string>();
  for (const part of line.parts) {
    if ("text" in part) {
      let segs: Segment[] = [{ lit: part.text.replace(/\s+$/, (m) => (part === line.parts[line.parts.length - 1] ? "" : m)) }];
      for (const n of normalizers) segs = n.apply(segs);
      source += segmentsToSource(segs);
    } else if (bound(part.capture) !== undefined) {
      source += escapeRegExp(bound(part.capture)!);
    } else if (seenHere.has(part.capture)) {
      source += `\\k<${part.capture}>`;
    } else {
      seenHere.add(part.capture);
      source += `(?<${part.capture}>\\S+)`;
    }
  }
  try {
    return new RegExp(`^${source}$`);
  } catch {
    return /(?!)/;
  }
}

/** Tests one pattern line against one actual line; returns new bindings or null. */
function testLine(line: PatternLine, actual: string, bound: Lookup, normalizers: Normalizer[]): Record<string, string> | null {
  const re = compileLine(line, bound, normalizers);
  if (!re) return {};
  const m = re.exec(actual);
  if (!m) return null;
  const out: Record<string, string> = {};
  if (m.groups) for (const [k, v] of Object.entries(m.groups)) if (v !== undefined) out[k] = v;
  return out;
}

/** Matches `patterns` against `output`, with captures bound by earlier commands. */
export function matchOutput(
  patterns: readonly PatternLine[],
  output: string,
  captures: Captures = {},
  normalize: readonly string[] = [],
): MatchResult {
  const actual = outputLines(output);
  const normalizers = normalizersFor(normalize);
  const P = patterns.length;
  const A = actual.length;
  const failed = new Set<string>();
  let steps = 0;
  const LIMIT = 200_000;

  const go = (i: number, j: number, bound: Record<string, string>): Record<string, string> | null => {
    if (++steps > LIMIT) return null;
    for (;;) {
      if (i === P) return j === A ? bound : null;
      const p = patterns[i]!;
      if (p.kind === "wildcard") break;
      if (j === A) return null;
      const got = testLine(p, actual[j]!, scope(captures, bound), normalizers);
      if (!got) return null;
      if (Object.keys(got).length > 0) bound = { ...bound, ...got };
      i++;
      j++;
    }
    const key = `${i},${j},${JSON.stringify(bound)}`;
    if (failed.has(key)) return null;
    for (let k = j; k <= A; k++) {
      const r = go(i + 1, k, bound);
      if (r) return r;
    }
    failed.add(key);
    return null;
  };

  const result = go(0, 0, {});
  if (result) {
    return { ok: true, actual, bound: result, alignment: matchedAlignment(patterns, actual, captures, normalizers, result) };
  }
  const alignment = align(patterns, actual, captures, normalizers);
  // Bind what the alignment matched, so later commands can still run after a mismatch.
  const bound: Record<string, string> = {};
  for (const s of alignment) {
    if (s.op !== "match") continue;
    const got = testLine(patterns[s.p]!, actual[s.a]!, scope(captures, bound), normalizers);
    if (got) for (const [k, v] of Object.entries(got)) if (!(k in bound)) bound[k] = v;
  }
  return { ok: false, actual, bound, alignment };
}

/** Re-derives the alignment of a successful match (all lines matched or absorbed). */
function matchedAlignment(
  patterns: readonly PatternLine[],
  actual: string[],
  captures: Captures,
  normalizers: Normalizer[],
  bound: Record<string, string>,
): AlignStep[] {
  return alignWith(patterns, actual, scope(captures, bound), normalizers);
}

/**
 * Minimum-edit alignment: a matching line costs 0, `...` absorbs any lines at cost 0, an extra
 * actual line costs 1 and a missing expected line costs more than all extras together, so
 * every expected line that can still match is kept (what `--update` must preserve). Each line is tested on its own (captures
 * bound by earlier commands apply; new ones match any non-blank text).
 */
export function align(patterns: readonly PatternLine[], actual: readonly string[], captures: Captures, normalizers: Normalizer[]): AlignStep[] {
  return alignWith(patterns, actual, scope(captures), normalizers);
}

function alignWith(patterns: readonly PatternLine[], actual: readonly string[], captures: Lookup, normalizers: Normalizer[]): AlignStep[] {
  const P = patterns.length;
  const A = actual.length;
  const regexes = patterns.map((p) => compileLine(p, captures, normalizers));
  const W = A + 1;
  const cost = new Float64Array((P + 1) * W);
  const MISS = A + 1;
  const ok = (i: number, j: number): boolean => {
    const re = regexes[i];
    return re ? re.test(actual[j]!) : false;
  };
  for (let j = A; j >= 0; j--) cost[P * W + j] = A - j;
  for (let i = P - 1; i >= 0; i--) {
    const wild = patterns[i]!.kind === "wildcard";
    cost[i * W + A] = wild ? cost[(i + 1) * W + A]! : MISS + cost[(i + 1) * W + A]!;
    for (let j = A - 1; j >= 0; j--) {
      if (wild) {
        cost[i * W + j] = Math.min(cost[(i + 1) * W + j]!, cost[i * W + j + 1]!);
      } else {
        let c = Math.min(MISS + cost[(i + 1) * W + j]!, 1 + cost[i * W + j + 1]!);
        if (ok(i, j)) c = Math.min(c, cost[(i + 1) * W + j + 1]!);
        cost[i * W + j] = c;
      }
    }
  }
  const steps: AlignStep[] = [];
  let i = 0;
  let j = 0;
  while (i < P || j < A) {
    if (i === P) {
      steps.push({ op: "extra", a: j++ });
      continue;
    }
    const here = cost[i * W + j]!;
    if (patterns[i]!.kind === "wildcard") {
      // Lazy: leave the wildcard as soon as that costs no more, so later lines get to match.
      if (j < A && cost[(i + 1) * W + j] !== here) steps.push({ op: "absorb", p: i, a: j++ });
      else steps.push({ op: "wildcard", p: i++ });
      continue;
    }
    if (j < A && ok(i, j) && cost[(i + 1) * W + j + 1] === here) steps.push({ op: "match", p: i++, a: j++ });
    else if (j < A && 1 + cost[i * W + j + 1]! === here) steps.push({ op: "extra", a: j++ });
    else steps.push({ op: "missing", p: i++ });
  }
  return steps;
}
