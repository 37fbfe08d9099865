/**
 * `lab`'s entry: parses the command line, loads lessons, runs them and maps the outcome to an
 * exit status (0 passed, 1 failures, 2 usage or lesson errors, 130 interrupted). The only
 * module that touches `process`.
 */
import { createWriteStream, readFileSync } from "node:fs";
import { writeFile } from "node:fs/promises";
import { resolve } from "node:path";
import { formatDiagnostic, type Diagnostic } from "../core/diagnostic.js";
import { parseDuration } from "../lesson/duration.js";
import type { Lesson } from "../lesson/types.js";
import { REPORTERS, type Reporter } from "../report/index.js";
import { fanOut } from "../runner/events.js";
import { runLessons } from "../runner/run.js";
import { grepLessons, parseShard, shardOf } from "../runner/select.js";
import type { Target } from "../target/types.js";
import { prestartWorker } from "../grade/workers.js";
import { parseCli, USAGE, UsageError, type CliArgs } from "./args.js";
import { loadConfig } from "./config.js";
import { collectLessonFiles, loadLessons } from "./files.js";

const out = (t: string): void => void process.stdout.write(t);
const err = (t: string): void => void process.stderr.write(t);

/** Runs `lab` with `argv` (without node and script); resolves to the exit status. */
export async function main(argv: readonly string[]): Promise<number> {
  // `lab run | head`: a closed pipe ends the output, not the run (cleanup blocks still run).
  process.stdout.on("error", () => undefined);
  // Each subcommand loads only what it uses: `lab grade` keeps the simulator out of the main
  // thread (its workers load their own), `lab run --target host` never loads it.
  if (argv[0] === "render") return (await import("./render.js")).renderMain(argv.slice(1), { out, err, cwd: process.cwd() });
  if (argv[0] === "shell") return (await import("./shell.js")).shellMain(argv.slice(1), { out, err, cwd: process.cwd() });
  if (argv[0] === "trace") return (await import("./trace.js")).traceMain(argv.slice(1), { out, err, cwd: process.cwd() });
  if (argv[0] === "grade" || argv[0] === "check-work") {
    // The progress bar: only when both streams are a terminal (`lab grade ... > grades.csv` draws none).
    const io = { out, err, cwd: process.cwd(), tty: Boolean(process.stderr.isTTY && process.stdout.isTTY) && !process.env.CI };
    // Grading submissions on the simulator: the first worker loads the simulator while this
    // thread loads the rest (grade/workers.ts); it exits with the process if nothing takes it.
    if (argv[0] === "grade" && !argv.some((a) => a === "--validate" || a === "--merge" || a === "host" || a === "--target=host")) prestartWorker();
    const { checkWorkMain, gradeMain } = await import("./grade.js");
    return argv[0] === "grade" ? gradeMain(argv.slice(1), io) : checkWorkMain(argv.slice(1), io);
  }
  let args: CliArgs;
  try {
    args = parseCli(argv);
  } catch (e) {
    if (e instanceof UsageError) {
      err(`lab: ${e.message}\nRun "lab --help" for usage.\n`);
      return 2;
    }
    throw e;
  }
  if (args.command === "help") {
    out(USAGE + "\n");
    return 0;
  }
  if (args.command === "version") {
    out(version() + "\n");
    return 0;
  }
  const cwd = process.cwd();
  const paths = args.paths.length > 0 ? args.paths : ["lessons"];
  const found = await collectLessonFiles(paths, cwd);
  const loaded = await loadLessons(found.files, cwd);
  const diagnostics = [...found.diagnostics, ...loaded.diagnostics];
  const errors = diagnostics.filter((d) => d.severity === "error");
  printDiagnostics(diagnostics);
  if (args.command === "check") {
    if (errors.length === 0) err(`${loaded.lessons.length} lesson${loaded.lessons.length === 1 ? "" : "s"} checked, no problems\n`);
    return errors.length > 0 ? 2 : 0;
  }
  if (errors.length > 0) return 2;
  if (loaded.lessons.length === 0) {
    err(`lab: no lessons found in ${paths.join(", ")} (looked for *.md files)\n`);
    return 2;
  }
  if (args.command === "list") {
    listLessons(loaded.lessons);
    return 0;
  }
  return run(args, loaded.lessons, cwd, diagnostics);
}

function printDiagnostics(diagnostics: readonly Diagnostic[]): void {
  for (const d of diagnostics) err(formatDiagnostic(d) + "\n");
  const n = diagnostics.filter((d) => d.severity === "error").length;
  if (n > 0) err(`${n} error${n === 1 ? "" : "s"}\n`);
}

function listLessons(lessons: readonly Lesson[]): void {
  for (const l of lessons) {
    out(`${l.file}  ${l.meta.title}  (world ${l.meta.world}${l.meta.requires.length ? `, requires ${l.meta.requires.join(", ")}` : ""})\n`);
    for (const b of l.blocks) {
      const flags = [b.on !== "host" ? `on=${b.on}` : "", b.target ? `target=${b.target}` : "", b.cleanup ? "cleanup" : "", b.hidden ? "hidden" : "", b.skip ? "skip" : ""]
        .filter(Boolean)
        .join(" ");
      const label = b.id ?? `block ${b.index + 1}`;
      out(`  ${label}  line ${b.position.line}  ${b.lang}  ${b.commands.length} command${b.commands.length === 1 ? "" : "s"}${flags ? "  " + flags : ""}\n`);
    }
  }
}

async function run(args: CliArgs, all: Lesson[], cwd: string, diagnostics: Diagnostic[]): Promise<number> {
  let lessons = all;
  if (args.grep !== undefined) lessons = grepLessons(lessons, args.grep);
  if (args.shard !== undefined) {
    const shard = parseShard(args.shard);
    if (!shard) {
      err(`lab: invalid --shard "${args.shard}", expected i/n with 1 <= i <= n\n`);
      return 2;
    }
    lessons = shardOf(lessons, shard);
  }
  let defaultTimeoutMs: number | undefined;
  if (args.timeout !== undefined) {
    defaultTimeoutMs = parseDuration(args.timeout);
    if (defaultTimeoutMs === undefined) {
      err(`lab: invalid --timeout "${args.timeout}", expected a duration like 500ms, 10s or 2m\n`);
      return 2;
    }
  }
  let target: Target;
  if (args.target === "host") {
    const cfg = await loadConfig(cwd, args.config);
    if ("error" in cfg) {
      err(`lab: ${cfg.error}\n`);
      return 2;
    }
    target = (await import("../target/host/index.js")).createHostTarget(cfg.config);
  } else target = (await import("../target/sim.js")).createSimTarget();

  const reporters: Reporter[] = [];
  const streams: NodeJS.WritableStream[] = [];
  for (const r of args.reporters) {
    const make = REPORTERS[r.name];
    if (!make) {
      err(`lab: unknown reporter "${r.name}", expected one of ${Object.keys(REPORTERS).join(", ")}\n`);
      return 2;
    }
    if (r.file) {
      const stream = createWriteStream(resolve(cwd, r.file));
      streams.push(stream);
      reporters.push(make({ write: (t) => void stream.write(t), tty: false, color: false }));
    } else {
      const tty = Boolean(process.stdout.isTTY) && !process.env.CI;
      const color = tty && !process.env.NO_COLOR;
      reporters.push(make({ write: out, tty, color, columns: process.stdout.columns }));
    }
  }
  const listener = fanOut(reporters, (hook, e) => {
    err(`lab: a reporter failed in ${hook}: ${e instanceof Error ? e.message : String(e)} (it is switched off; the run goes on)\n`);
  });

  const abort = new AbortController();
  let interrupts = 0;
  const onSigint = (): void => {
    interrupts++;
    if (interrupts === 1) {
      err("\nlab: interrupted; running cleanup blocks (press Ctrl-C again to quit at once)\n");
      abort.abort();
    } else {
      process.exit(130);
    }
  };
  process.on("SIGINT", onSigint);
  process.on("SIGTERM", onSigint);
  let summary;
  try {
    summary = await runLessons(lessons, { target, listener, bail: args.bail, update: args.update, signal: abort.signal, defaultTimeoutMs, diagnostics });
  } finally {
    process.off("SIGINT", onSigint);
    process.off("SIGTERM", onSigint);
  }
  for (const s of streams) await new Promise<void>((r) => s.end(() => r()));
  if (args.update) {
    for (const l of summary.lessons) {
      if (l.updatedSource !== undefined) await writeFile(resolve(cwd, l.lesson.file), l.updatedSource);
    }
  }
  if (summary.interrupted) return 130;
  return summary.failed > 0 ? 1 : 0;
}

function version(): string {
  try {
    const pkg = JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as { version?: string };
    return `lab ${pkg.version ?? "unknown"}`;
  } catch {
    return "lab unknown";
  }
}
