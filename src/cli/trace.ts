/**
 * `lab trace [LESSON] --from CONTEXT --to ADDR[:PORT] [--proto tcp|udp|icmp] [--after BLOCK-ID]
 * [--format text|json]`: builds the lesson's simulated world, runs its blocks up to and
 * including `--after` (all but cleanup blocks by default), sends one probe and explains its path.
 * Exit 0 when the probe was delivered, 1 otherwise, 2 for usage and lesson errors.
 */
import type { Lesson } from "../lesson/types.js";
import { runLessons } from "../runner/run.js";
import { createWorld, UnknownContextError, type SimWorld, type WorldKind } from "../sim/index.js";
import { createSimTarget } from "../target/sim.js";
import { formatJson, formatText } from "../trace/format.js";
import { parseTraceArgs } from "../trace/args.js";
import { ProbeError, sendProbe } from "../trace/probe.js";
import { formatDiagnostic } from "../core/diagnostic.js";
import { loadLessons } from "./files.js";

/** `lab trace --help`. */
export const TRACE_USAGE = `Usage: lab trace [LESSON] --from CONTEXT --to ADDR[:PORT] [options]

Builds LESSON's simulated world (a docker world without one), runs its blocks, sends one
packet from CONTEXT and explains its path hop by hop, then the reply's.

Options:
  --from CONTEXT             where the packet starts (host, a container, pod/NAME, a node)
  --netns NAME               send from this named namespace of the context (ip netns exec)
  --to ADDR[:PORT]           destination IPv4 address and port (tcp/udp)
  --proto tcp|udp|icmp       default: tcp with a port, icmp without
  --after BLOCK              run the lesson's blocks up to and including this one
                             (its id, or its number as "lab list" shows it)
  --world bare|docker|kubernetes   world to build when no LESSON is given (default docker)
  --format text|json         default: text

Exit status: 0 delivered, 1 not delivered, 2 usage or lesson errors.`;

interface Io {
  out(t: string): void;
  err(t: string): void;
  cwd: string;
}

/** Runs `lab trace` with the arguments after `trace`; resolves to the exit status. */
export async function traceMain(argv: readonly string[], io: Io): Promise<number> {
  const usage = (msg: string): number => {
    io.err(`lab trace: ${msg}\nRun "lab trace --help" for usage.\n`);
    return 2;
  };
  const a = parseTraceArgs(argv);
  if ("error" in a) return usage(a.error);
  if (a.help) {
    io.out(TRACE_USAGE + "\n");
    return 0;
  }
  const format = a.format;
  const v = { from: a.probe.context, after: a.after };

  let world: SimWorld;
  const lessonPath = a.lesson;
  if (lessonPath !== undefined) {
    const loaded = await loadLessons([lessonPath], io.cwd);
    const errors = loaded.diagnostics.filter((d) => d.severity === "error");
    if (errors.length > 0 || loaded.lessons.length === 0) {
      for (const d of errors) io.err(formatDiagnostic(d) + "\n");
      if (errors.length === 0) io.err(`lab trace: cannot load lesson ${lessonPath}\n`);
      return 2;
    }
    const built = await buildLessonWorld(loaded.lessons[0]!, v.after);
    if (typeof built === "string") {
      io.err(`lab trace: ${built}\n`);
      return 2;
    }
    world = built;
  } else {
    world = await createWorld({ kind: (a.world ?? "docker") as WorldKind });
  }
  if (!world.contexts().includes(v.from)) {
    io.err(`lab trace: unknown context "${v.from}"; this world has: ${world.contexts().join(", ")}\n`);
    return 2;
  }
  let result;
  try {
    result = await sendProbe(world, a.probe);
  } catch (e) {
    if (e instanceof ProbeError) {
      io.err(`lab trace: the probe could not be sent: ${e.message}\n`);
      return 2;
    }
    if (e instanceof UnknownContextError) {
      io.err(`lab trace: ${e.message}\n`);
      return 2;
    }
    throw e;
  }
  io.out(format === "json" ? formatJson(result.title, result.trace) : formatText(result.title, result.trace));
  return result.trace.disposition.kind === "delivered" ? 0 : 1;
}

/**
 * Runs the lesson's sim blocks (up to and including `after`, cleanup blocks left out) on a sim
 * target and returns the world they ran in, or a message saying why not.
 */
export async function buildLessonWorld(lesson: Lesson, after: string | undefined): Promise<SimWorld | string> {
  let blocks = lesson.blocks.filter((b) => !b.cleanup);
  if (after !== undefined) {
    // A block id, or a block number as `lab list` prints it (`block 3`).
    let i = blocks.findIndex((b) => b.id === after);
    if (i < 0 && /^\d+$/.test(after)) i = blocks.findIndex((b) => b.index + 1 === Number(after));
    if (i < 0) {
      const ids = lesson.blocks.map((b) => b.id).filter((id): id is string => id !== undefined);
      return `no block "${after}" in ${lesson.file}: give a block id (${ids.join(", ") || "it has none"}) or a block number 1-${lesson.blocks.length}`;
    }
    blocks = blocks.slice(0, i + 1);
  }
  let world: SimWorld | undefined;
  const target = createSimTarget(async (opts) => (world = await createWorld(opts)));
  const summary = await runLessons([{ ...lesson, blocks }], { target });
  const r = summary.lessons[0];
  if (r?.error) return `${lesson.file}: ${r.error}`;
  if (!world) return `${lesson.file}: the simulator built no world for it`;
  return world;
}
