/**
 * `lab shell [LESSON] [--until BLOCK-ID] [--world docker|kubernetes|bare]`: an interactive
 * shell into a simulated world, optionally after running a lesson up to a block.
 */
import { parseArgs } from "node:util";
import { formatDiagnostic } from "../core/diagnostic.js";
import type { SimWorld, WorldKind } from "../sim/api.js";
import { freshWorld, lessonUntil, worldAfter } from "../shell-cli/prepare.js";
import { repl } from "../shell-cli/repl.js";
import { loadLessons } from "./files.js";

export const SHELL_USAGE = `Usage: lab shell [LESSON] [--until BLOCK-ID] [--world docker|kubernetes|bare]

Opens an interactive shell into a simulated world. With LESSON, the lesson's world is built
and its blocks run up to and including BLOCK-ID (an id or a block number) first.
Inside: lab-on NAME switches context (lab-on alone lists them), exit or Ctrl-D leaves.`;

interface Io {
  out: (t: string) => void;
  err: (t: string) => void;
  cwd: string;
  input?: NodeJS.ReadableStream;
  output?: NodeJS.WritableStream;
}

const KINDS = ["bare", "docker", "kubernetes"] as const;

/** Runs `lab shell` with its own arguments; resolves to the exit status. */
export async function shellMain(argv: readonly string[], io: Io): Promise<number> {
  let values: { until?: string; world?: string; help?: boolean };
  let positionals: string[];
  try {
    ({ values, positionals } = parseArgs({
      args: [...argv],
      allowPositionals: true,
      options: { until: { type: "string" }, world: { type: "string" }, help: { type: "boolean", short: "h" } },
    }));
  } catch (e) {
    io.err(`lab shell: ${(e as Error).message}\n${SHELL_USAGE}\n`);
    return 2;
  }
  if (values.help) {
    io.out(SHELL_USAGE + "\n");
    return 0;
  }
  if (positionals.length > 1) {
    io.err(`lab shell: one lesson at most\n${SHELL_USAGE}\n`);
    return 2;
  }
  if (values.world !== undefined && !(KINDS as readonly string[]).includes(values.world)) {
    io.err(`lab shell: invalid --world "${values.world}", expected one of ${KINDS.join(", ")}\n`);
    return 2;
  }
  let world: SimWorld;
  const file = positionals[0];
  if (file === undefined) {
    if (values.until !== undefined) {
      io.err("lab shell: --until needs a LESSON\n");
      return 2;
    }
    world = freshWorld((values.world ?? "docker") as WorldKind);
  } else {
    const loaded = await loadLessons([file], io.cwd);
    for (const d of loaded.diagnostics) io.err(formatDiagnostic(d) + "\n");
    const lesson = loaded.lessons[0];
    if (!lesson || loaded.diagnostics.some((d) => d.severity === "error")) return 2;
    if (values.world !== undefined && values.world !== lesson.meta.world) {
      io.err(`lab shell: ${file} runs in a "${lesson.meta.world}" world, not "${values.world}"\n`);
      return 2;
    }
    const cut = lessonUntil(lesson, values.until);
    if ("error" in cut) {
      io.err(`lab shell: ${cut.error}\n`);
      return 2;
    }
    io.err(`lab shell: running ${cut.blocks.length} block${cut.blocks.length === 1 ? "" : "s"} of ${file}...\n`);
    const { world: w, summary } = await worldAfter(cut);
    const failed = summary.lessons[0]?.blocks.filter((b) => b.status === "failed") ?? [];
    for (const b of failed) io.err(`lab shell: block ${b.block.id ?? b.block.index + 1} (line ${b.block.line}) failed; the world is as it left it\n`);
    world = w;
  }
  io.err(`lab shell: ${world.kind} world; contexts: ${world.contexts().join(" ")}. lab-on NAME switches, exit or Ctrl-D leaves.\n`);
  const input = io.input ?? process.stdin;
  const output = io.output ?? process.stdout;
  const terminal = Boolean((input as { isTTY?: boolean }).isTTY) && Boolean((output as { isTTY?: boolean }).isTTY);
  const start = world.contexts().includes("host") ? "host" : world.contexts()[0] ?? "host";
  return repl(world, start, { input, output, terminal });
}
