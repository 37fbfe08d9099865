/**
 * Runs one lesson for rendering: through the engine's runner with `update` on (the same
 * recording code path as `lab run --update`), keeping each block's result and, on the sim
 * target, the world's topology and packet trace after each block, plus the tool versions.
 */
import type { Lesson } from "../lesson/types.js";
import type { BlockResult, LessonResult } from "../runner/events.js";
import { runLessons } from "../runner/run.js";
import { createWorld, type SimWorld } from "../sim/index.js";
import type { TraceEvent } from "../sim/kernel/api.js";
import type { Topology } from "../sim/topology/types.js";
import { createSimTarget } from "../target/sim.js";
import type { Target } from "../target/types.js";

export interface Snapshot {
  topology: Topology;
  trace: TraceEvent[];
}

export interface LessonRun {
  lesson: Lesson;
  result: LessonResult;
  /** Results by block index. */
  blocks: Map<number, BlockResult>;
  /** World state after each block that ran (sim only), by block index. */
  snapshots: Map<number, Snapshot>;
  /** `tool version` lines, as the target itself reports them. */
  versions: string[];
}

/** Commands whose first output line names a tool's version; run in `host` after the lesson. */
const PROBES: { cmd: string; worlds: readonly string[] }[] = [
  { cmd: "ip -V", worlds: ["bare", "docker", "kubernetes"] },
  { cmd: "iptables -V", worlds: ["bare", "docker", "kubernetes"] },
  { cmd: "docker --version", worlds: ["docker"] },
  { cmd: "kubectl version --client", worlds: ["kubernetes"] },
];

/** Runs `lesson` on `target` ("sim" builds its own capturing sim target) and gathers what a page shows. */
export async function runForRender(lesson: Lesson, target: Target | "sim"): Promise<LessonRun> {
  let world: SimWorld | undefined;
  const t = target === "sim" ? createSimTarget((o) => (world = createWorld({ ...o, trace: true }))) : target;
  const snapshots = new Map<number, Snapshot>();
  const blocks = new Map<number, BlockResult>();
  const summary = await runLessons([lesson], {
    target: t,
    update: true,
    listener: {
      onBlockEnd(r) {
        blocks.set(r.block.index, r);
        if (!world || r.block.cleanup || r.status === "skipped") return;
        const topology = world.topology?.();
        if (topology) snapshots.set(r.block.index, { topology, trace: world.traceTake() });
      },
    },
  });
  const result = summary.lessons[0]!;
  return { lesson, result, blocks, snapshots, versions: await probeVersions(t, lesson) };
}

async function probeVersions(target: Target, lesson: Lesson): Promise<string[]> {
  const out: string[] = [];
  let opened;
  try {
    opened = await target.open({ file: lesson.file, world: lesson.meta.world, requires: lesson.meta.requires, sim: lesson.meta.sim });
  } catch {
    return out;
  }
  if ("skip" in opened) return out;
  try {
    for (const p of PROBES) {
      if (!p.worlds.includes(lesson.meta.world)) continue;
      const r = await opened.session.exec("host", p.cmd, { timeoutMs: 10_000 }).catch(() => undefined);
      const line = r?.output.split("\n")[0]?.trim();
      if (r && r.exitCode === 0 && line) out.push(line);
    }
  } finally {
    await opened.session.close().catch(() => undefined);
  }
  return out;
}
