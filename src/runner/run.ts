/**
 * Runs lessons against a target: blocks in document order, then the `cleanup` blocks (always,
 * also after a failure, a timeout, `--bail` or Ctrl-C). Emits events; returns results as data.
 */
import type { Diagnostic } from "../core/diagnostic.js";
import { diffViews, matchOutput } from "../assert/index.js";
import { renderCommand } from "../lesson/template.js";
import type { Block, Command, Lesson } from "../lesson/types.js";
import { TargetError, type Target, type TargetSession } from "../target/types.js";
import type { BlockInfo, BlockResult, CommandResult, LessonInfo, LessonResult, RunListener, RunSummary, Status } from "./events.js";
import { recordExpected, rewriteSource } from "./record.js";

export interface RunOptions {
  target: Target;
  /** Events go here (already made safe by `fanOut`). */
  listener?: RunListener;
  /** Stop after the first failing block (cleanup still runs). */
  bail?: boolean;
  /** Compute rewritten sources for `--update`. */
  update?: boolean;
  /** Aborting interrupts the running command, runs cleanup blocks and stops. */
  signal?: AbortSignal;
  /** Per-command timeout when neither block nor lesson sets one (default 60 s). */
  defaultTimeoutMs?: number;
  /** Output cap per command in bytes (default 1 MiB). */
  maxOutputBytes?: number;
  /** Monotonic milliseconds, for durations (injected so tests are deterministic). */
  now?: () => number;
  diagnostics?: readonly Diagnostic[];
}

const DEFAULT_TIMEOUT_MS = 60_000;
const DEFAULT_MAX_OUTPUT = 1 << 20;

/** Runs every lesson in order; a lesson never throws out of here. */
export async function runLessons(lessons: readonly Lesson[], opts: RunOptions): Promise<RunSummary> {
  const now = opts.now ?? (() => performance.now());
  const l = opts.listener ?? {};
  const started = now();
  const infos = lessons.map(lessonInfo);
  l.onRunStart?.({ target: opts.target.name, lessons: infos });
  const results: LessonResult[] = [];
  let stop = false;
  for (let k = 0; k < lessons.length; k++) {
    const lesson = lessons[k]!;
    if (stop || opts.signal?.aborted) {
      const info = infos[k]!;
      const reason = opts.signal?.aborted ? "interrupted" : "bail: an earlier block failed";
      const skipped: LessonResult = { lesson: info, status: "skipped", durationMs: 0, blocks: [], skipReason: reason };
      l.onLessonStart?.(info);
      l.onLessonEnd?.(skipped);
      results.push(skipped);
      continue;
    }
    const r = await runLesson(lesson, infos[k]!, opts, now);
    results.push(r);
    if (opts.bail && r.status === "failed") stop = true;
  }
  let passed = 0;
  let failed = 0;
  let skipped = 0;
  for (const r of results) {
    for (const b of r.blocks) {
      if (b.status === "passed") passed++;
      else if (b.status === "failed") failed++;
      else skipped++;
    }
    if (r.error && !r.blocks.some((b) => b.status === "failed")) failed++;
  }
  const summary: RunSummary = {
    target: opts.target.name,
    lessons: results,
    passed,
    failed,
    skipped,
    durationMs: now() - started,
    interrupted: opts.signal?.aborted ?? false,
    diagnostics: opts.diagnostics ?? [],
  };
  l.onRunEnd?.(summary);
  return summary;
}

/** The read-only view of a lesson that reporters get. */
export function lessonInfo(lesson: Lesson): LessonInfo {
  return { file: lesson.file, title: lesson.meta.title, source: lesson.source, blockCount: lesson.blocks.length };
}

function blockInfo(lesson: LessonInfo, b: Block): BlockInfo {
  return {
    lesson,
    index: b.index,
    id: b.id,
    kind: b.kind,
    context: b.on,
    cleanup: b.cleanup,
    line: b.position.line,
    column: b.position.column,
    endLine: b.endLine,
  };
}

async function runLesson(lesson: Lesson, info: LessonInfo, opts: RunOptions, now: () => number): Promise<LessonResult> {
  const l = opts.listener ?? {};
  const started = now();
  l.onLessonStart?.(info);
  const finish = (r: Omit<LessonResult, "lesson" | "durationMs">): LessonResult => {
    const result: LessonResult = { lesson: info, durationMs: now() - started, ...r };
    l.onLessonEnd?.(result);
    return result;
  };
  let session: TargetSession;
  try {
    const opened = await opts.target.open({
      file: lesson.file,
      world: lesson.meta.world,
      requires: lesson.meta.requires,
      sim: lesson.meta.sim,
    });
    if ("skip" in opened) return finish({ status: "skipped", blocks: [], skipReason: opened.skip });
    session = opened.session;
  } catch (err) {
    return finish({ status: "failed", blocks: [], error: errorText(err) });
  }
  const onAbort = (): void => session.interrupt();
  opts.signal?.addEventListener("abort", onAbort);
  const captures: Record<string, string> = {};
  const edits = new Map<Command, string[]>();
  const blocks: BlockResult[] = [];
  let failedOnce = false;
  try {
    const main = lesson.blocks.filter((b) => !b.cleanup);
    const cleanup = lesson.blocks.filter((b) => b.cleanup);
    for (const b of main) {
      const stopReason = opts.signal?.aborted ? "interrupted" : opts.bail && failedOnce ? "bail: an earlier block failed" : undefined;
      const r = await runBlock(lesson, info, b, session, captures, edits, opts, now, stopReason);
      blocks.push(r);
      if (r.status === "failed") failedOnce = true;
    }
    for (const b of cleanup) {
      const r = await runBlock(lesson, info, b, session, captures, edits, { ...opts, signal: undefined }, now, undefined);
      blocks.push(r);
      if (r.status === "failed") failedOnce = true;
    }
  } finally {
    opts.signal?.removeEventListener("abort", onAbort);
    await session.close().catch(() => undefined);
  }
  const status: Status = failedOnce ? "failed" : blocks.every((b) => b.status === "skipped") && blocks.length > 0 ? "skipped" : "passed";
  const updatedSource = opts.update ? rewriteSource(lesson, edits) : undefined;
  return finish({
    status,
    blocks,
    updatedSource: updatedSource !== undefined && updatedSource !== lesson.source ? updatedSource : undefined,
  });
}

async function runBlock(
  lesson: Lesson,
  linfo: LessonInfo,
  block: Block,
  session: TargetSession,
  captures: Record<string, string>,
  edits: Map<Command, string[]>,
  opts: RunOptions,
  now: () => number,
  stopReason: string | undefined,
): Promise<BlockResult> {
  const l = opts.listener ?? {};
  const info = blockInfo(linfo, block);
  l.onBlockStart?.(info);
  const started = now();
  const skipReason =
    stopReason ??
    (block.skip
      ? "skip"
      : block.target && block.target !== opts.target.name
        ? `target=${block.target} only`
        : block.kind === "trace" && !session.trace
          ? "trace blocks run on the sim target only"
          : undefined);
  if (skipReason) {
    const r: BlockResult = { block: info, status: "skipped", durationMs: 0, commands: [], skipReason };
    l.onBlockEnd?.(r);
    return r;
  }
  const timeoutMs = block.timeoutMs ?? lesson.meta.timeoutMs ?? opts.defaultTimeoutMs ?? DEFAULT_TIMEOUT_MS;
  const normalize = [...lesson.meta.normalize, ...block.normalize];
  const commands: CommandResult[] = [];
  for (const cmd of block.commands) {
    if (opts.signal?.aborted) {
      commands.push(skippedCommand(cmd, block, "interrupted"));
      continue;
    }
    const r = await runCommand(block, cmd, info, session, captures, edits, normalize, timeoutMs, opts);
    commands.push(r);
    l.onCommandEnd?.(r, info);
  }
  const status: Status = commands.some((c) => c.status === "failed")
    ? "failed"
    : commands.length > 0 && commands.every((c) => c.status === "skipped")
      ? "skipped"
      : "passed";
  const r: BlockResult = {
    block: info,
    status,
    durationMs: now() - started,
    commands,
    skipReason: status === "skipped" ? "interrupted" : undefined,
  };
  l.onBlockEnd?.(r);
  return r;
}

function skippedCommand(cmd: Command, block: Block, reason: string): CommandResult {
  return {
    command: cmd.text,
    line: cmd.position.line,
    column: cmd.position.column,
    context: block.on,
    status: "skipped",
    exitCode: 0,
    expectedExit: cmd.exit,
    output: "",
    durationMs: 0,
    timedOut: false,
    truncated: false,
    skipReason: reason,
  };
}

async function runCommand(
  block: Block,
  cmd: Command,
  info: BlockInfo,
  session: TargetSession,
  captures: Record<string, string>,
  edits: Map<Command, string[]>,
  normalize: string[],
  timeoutMs: number,
  opts: RunOptions,
): Promise<CommandResult> {
  const base = {
    line: cmd.position.line,
    column: cmd.position.column,
    context: block.on,
    expectedExit: cmd.exit,
  };
  const rendered = renderCommand(cmd.text, captures);
  if (!rendered.ok) {
    return {
      ...base,
      command: cmd.text,
      status: "failed",
      exitCode: 0,
      output: "",
      durationMs: 0,
      timedOut: false,
      truncated: false,
      message: `${rendered.message} (an earlier command that binds it failed or did not run)`,
    };
  }
  (opts.listener ?? {}).onCommandStart?.({ block: info, command: rendered.text, line: base.line, column: base.column, timeoutMs });
  let res;
  try {
    const execOpts = { timeoutMs, maxOutputBytes: opts.maxOutputBytes ?? DEFAULT_MAX_OUTPUT };
    res = block.kind === "trace" && session.trace ? await session.trace(block.on, rendered.text, execOpts) : await session.exec(block.on, rendered.text, execOpts);
  } catch (err) {
    return {
      ...base,
      command: rendered.text,
      status: "failed",
      exitCode: 0,
      output: "",
      durationMs: 0,
      timedOut: false,
      truncated: false,
      message: errorText(err),
    };
  }
  const common = {
    ...base,
    command: rendered.text,
    exitCode: res.exitCode,
    output: res.output,
    durationMs: res.durationMs,
    timedOut: res.timedOut ?? false,
    truncated: res.truncated ?? false,
  };
  if (opts.signal?.aborted) {
    return { ...common, status: "failed", message: "interrupted (Ctrl-C)" };
  }
  const exitOk = cmd.exit === "any" || cmd.exit === res.exitCode;
  if (block.kind === "sh") {
    const message = res.timedOut
      ? `timed out after ${formatMs(timeoutMs)}`
      : exitOk
        ? undefined
        : `exit status ${res.exitCode}, expected ${cmd.exit}`;
    return { ...common, status: message ? "failed" : "passed", message };
  }
  const match = matchOutput(cmd.expected, res.output, captures, normalize);
  // A timed-out command's output is not the truth; it is never recorded.
  if (opts.update && !res.timedOut) {
    const rec = recordExpected(cmd, match, res.exitCode, { captures, normalize });
    if (rec) edits.set(cmd, rec);
  }
  for (const [k, v] of Object.entries(match.bound)) if (!(k in captures)) captures[k] = v;
  const ok = match.ok && exitOk && !res.timedOut;
  const message = ok
    ? undefined
    : res.timedOut
      ? `timed out after ${formatMs(timeoutMs)}`
      : !match.ok
        ? exitOk
          ? "output differs"
          : `output differs and exit status ${res.exitCode}, expected ${cmd.exit}`
        : `exit status ${res.exitCode}, expected ${cmd.exit}`;
  return {
    ...common,
    status: ok ? "passed" : "failed",
    message,
    diff: ok ? undefined : diffViews(cmd.expected, match.actual, match.alignment, { expected: cmd.exit, actual: res.exitCode }),
  };
}

function errorText(err: unknown): string {
  if (err instanceof TargetError) return err.message;
  if (err instanceof Error) return `${err.name}: ${err.message}`;
  return String(err);
}

/** Formats milliseconds as `250ms`, `1.5s` or `2m`. */
export function formatMs(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)}ms`;
  if (ms < 60_000) return `${Number((ms / 1000).toFixed(ms % 1000 === 0 ? 0 : 1))}s`;
  return `${Number((ms / 60_000).toFixed(1))}m`;
}
