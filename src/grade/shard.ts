/**
 * Splitting submissions across machines: shard i/n takes every n-th submission of the sorted
 * list starting at i-1, so shards are disjoint, cover everything, and stay balanced. Each shard
 * writes a JSON report; `lab grade --merge a.json b.json ...` combines them (see docs/grading.md).
 */
import type { GradeReport } from "./types.js";

/** Parses `i/n` (1 <= i <= n); undefined when malformed. */
export function parseShard(s: string): { index: number; count: number } | undefined {
  const m = /^(\d+)\/(\d+)$/.exec(s);
  if (!m) return undefined;
  const index = Number(m[1]);
  const count = Number(m[2]);
  return index >= 1 && count >= 1 && index <= count ? { index, count } : undefined;
}

/** The submissions of shard `index` of `count` (input sorted by the caller). */
export function shardItems<T>(items: readonly T[], shard: { index: number; count: number }): T[] {
  return items.filter((_, k) => k % shard.count === shard.index - 1);
}

/** Merges shard reports of one lesson; results sorted by file. Throws Error on mismatched lessons. */
export function mergeReports(reports: readonly GradeReport[]): GradeReport {
  if (reports.length === 0) throw new Error("nothing to merge");
  const first = reports[0]!;
  for (const r of reports) {
    if (r.lesson !== first.lesson || r.max !== first.max) throw new Error(`shard reports are for different lessons: ${first.lesson} and ${r.lesson}`);
  }
  const results = reports.flatMap((r) => r.results).sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
  return { ...first, results };
}
