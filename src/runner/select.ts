/** Choosing which lessons run: `--grep TEXT` and `--shard i/n`. */

/** Parses `i/n` (1 <= i <= n); returns undefined when malformed. */
export function parseShard(text: string): { index: number; total: number } | undefined {
  const m = /^(\d+)\/(\d+)$/.exec(text.trim());
  if (!m) return undefined;
  const index = Number(m[1]);
  const total = Number(m[2]);
  if (total < 1 || index < 1 || index > total) return undefined;
  return { index, total };
}

/**
 * Shard `index` of `total` over items in a stable order: contiguous, near-equal chunks (as
 * Playwright splits files), so every item lands in exactly one shard.
 */
export function shardOf<T>(items: readonly T[], shard: { index: number; total: number }): T[] {
  const start = Math.floor(((shard.index - 1) * items.length) / shard.total);
  const end = Math.floor((shard.index * items.length) / shard.total);
  return items.slice(start, end);
}

/** Keeps lessons whose file path or title contains `text` (case-insensitive). */
export function grepLessons<T extends { file: string; meta: { title: string } }>(lessons: readonly T[], text: string): T[] {
  const needle = text.toLowerCase();
  return lessons.filter((l) => l.file.toLowerCase().includes(needle) || l.meta.title.toLowerCase().includes(needle));
}
