/**
 * `lab trace [LESSON] --from CONTEXT --to ADDR[:PORT] [--proto tcp|udp|icmp] [--after BLOCK-ID]
 * [--format text|json]`: builds the lesson's simulated world, runs its blocks up to and
 * including `--after` (all but cleanup blocks by default), sends one probe and explains its path.
 * Exit 0 when the probe was delivered, 1 otherwise, 2 for usage and lesson errors.
 */
import { formatDiagnostic } from "../core/diagnostic.js";
import type { Lesson } from "../lesson/types.js";
import { runLessons } from "../runner/run.js";
import { createSimTarget } from "../target/sim.js";
import type { Target, TargetSession } from "../target/types.js";
import { parseTraceArgs, traceLine } from "../trace/args.js";
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
  let session: TargetSession;
  const lessonPath = a.lesson;
  if (lessonPath !== undefined) {
    const loaded = await loadLessons([lessonPath], io.cwd);
    const errors = loaded.diagnostics.filter((d) => d.severity === "error");
    if (errors.length > 0 || loaded.lessons.length === 0) {
      for (const d of errors) io.err(formatDiagnostic(d) + "\n");
      if (errors.length === 0) io.err(`lab trace: cannot load lesson ${lessonPath}\n`);
      return 2;
    }
    const built = await buildLessonSession(loaded.lessons[0]!, a.after);
    if (typeof built === "string") {
      io.err(`lab trace: ${built}\n`);
      return 2;
    }
    session = built;
  } else {
    const opened = await createSimTarget().open({ file: "(lab trace)", world: a.world ?? "docker", requires: [] });
    if (!("session" in opened)) {
      io.err(`lab trace: ${opened.skip}\n`);
      return 2;
    }
    session = opened.session;
  }
  // The probe runs as a trace-block line would, in the world the lesson's blocks built.
  const r = await session.trace!(a.probe.context, traceLine(a.probe, a.format), { timeoutMs: 60_000 });
  if (r.exitCode === 2) {
    io.err(r.output);
    return 2;
  }
  io.out(r.output);
  return r.exitCode;
}

/**
 * Runs the lesson's blocks (up to and including `after`, cleanup blocks left out) on the sim
 * target and returns the still-open session of its world, or a message saying why not.
 */
export async function buildLessonSession(lesson: Lesson, after: string | undefined): Promise<TargetSession | string> {
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
  // The sim session outlives runLessons' close (a simulated world has nothing to stop).
  const base = createSimTarget();
  let session: TargetSession | undefined;
  const target: Target = {
    name: base.name,
    open: async (spec) => {
      const opened = await base.open(spec);
      if ("session" in opened) session = opened.session;
      return opened;
    },
  };
  const summary = await runLessons([{ ...lesson, blocks }], { target });
  const r = summary.lessons[0];
  if (r?.error) return `${lesson.file}: ${r.error}`;
  if (!session?.trace) return `${lesson.file}: the simulator built no world for it`;
  return session;
}
