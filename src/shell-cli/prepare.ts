/**
 * Builds the world `lab shell` (and `lab render`) explore: a fresh one of a kind, or a
 * lesson's, after running its blocks up to and including `--until` through the engine's runner.
 */
import type { Lesson } from "../lesson/types.js";
import { runLessons } from "../runner/run.js";
import type { RunSummary } from "../runner/events.js";
import { createWorld, type SimWorld, type WorldKind } from "../sim/index.js";
import { createSimTarget } from "../target/sim.js";

/** The lesson cut at block `until` (its id or 1-based number); cleanup blocks never run. */
export function lessonUntil(lesson: Lesson, until: string | undefined): Lesson | { error: string } {
  const main = lesson.blocks.filter((b) => !b.cleanup);
  if (until === undefined) return { ...lesson, blocks: main };
  const k = main.findIndex((b) => b.id === until || String(b.index + 1) === until);
  if (k < 0) {
    const ids = main.map((b) => b.id ?? String(b.index + 1));
    return { error: `no block "${until}" in ${lesson.file} (blocks: ${ids.join(", ") || "none"})` };
  }
  return { ...lesson, blocks: main.slice(0, k + 1) };
}

/** Runs `lesson` (already cut) on a fresh simulated world and hands the world back, alive. */
export async function worldAfter(lesson: Lesson): Promise<{ world: SimWorld; summary: RunSummary }> {
  let world: SimWorld | undefined;
  const target = createSimTarget((opts) => (world = createWorld(opts)));
  const summary = await runLessons([lesson], { target });
  if (!world) throw new Error(summary.lessons[0]?.error ?? `no world was built for ${lesson.file}`);
  return { world, summary };
}

/** A fresh world of `kind`, nothing run in it. */
export function freshWorld(kind: WorldKind): SimWorld {
  return createWorld({ kind });
}
