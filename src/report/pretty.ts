/**
 * The default reporter, read like vitest: a header per lesson, one line per block with a mark
 * and its time, and for each failure `file:line:col`, a code frame of the block and a unified
 * diff of expected against actual. It ends with `N passed, N failed`. On a terminal, a status
 * line shows the running command and its elapsed time; in CI logs only plain lines appear.
 */
import { createColors } from "picocolors";
import type { BlockInfo, BlockResult, CommandInfo, CommandResult, LessonInfo, LessonResult, RunSummary } from "../runner/events.js";
import { codeFrame, unifiedDiff } from "./frame.js";
import type { Reporter, ReporterIO } from "./types.js";

/** Formats milliseconds for people: 3ms, 1.24s, 2m05s. */
export function humanMs(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)}ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(2)}s`;
  const s = Math.round(ms / 1000);
  return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, "0")}s`;
}

function blockLabel(b: BlockInfo): string {
  const name = b.id ? b.id : `block ${b.index + 1}`;
  const where = b.context !== "host" ? ` on=${b.context}` : "";
  return `${name}${b.cleanup ? " (cleanup)" : ""}${where} · line ${b.line}`;
}

function firstLine(command: string): string {
  const l = command.split("\n");
  return l.length > 1 ? `${l[0]} …` : l[0]!;
}

/** Creates the pretty reporter writing to `io`. */
export function createPrettyReporter(io: ReporterIO): Reporter {
  const c = createColors(io.color);
  let status: { text: string; started: number } | undefined;
  let timer: NodeJS.Timeout | undefined;
  let statusShown = false;

  const clearStatus = (): void => {
    if (statusShown) io.write("\r\x1b[K");
    statusShown = false;
  };
  const drawStatus = (): void => {
    if (!io.tty || !status) return;
    const elapsed = humanMs(performance.now() - status.started);
    const room = (io.columns ?? 80) - elapsed.length - 4;
    const text = status.text.length > room ? status.text.slice(0, Math.max(0, room - 1)) + "…" : status.text;
    io.write(`\r\x1b[K${c.yellow("❯")} ${text} ${c.dim(elapsed)}`);
    statusShown = true;
  };
  const line = (text: string): void => {
    clearStatus();
    io.write(text + "\n");
  };

  const failureDetails = (lesson: LessonInfo, b: BlockResult, cmd: CommandResult): void => {
    line("");
    line(`${c.red(c.bold(" FAIL "))} ${c.bold(`${lesson.file}:${cmd.line}:${cmd.column}`)} ${c.dim("›")} ${blockLabel(b.block)}`);
    line(`${c.red("  " + (cmd.message ?? "failed"))}${c.dim(`  $ ${firstLine(cmd.command)}`)}`);
    if (cmd.truncated) line(c.yellow("  (output cut at the output cap)"));
    line("");
    const from = Math.max(b.block.line, cmd.line - 2);
    const to = Math.min(b.block.endLine, cmd.line + 8);
    for (const l of codeFrame(lesson.source, from, to, cmd.line)) line(c.dim("  ") + (l.startsWith(">") ? c.red(l) : c.dim(l)));
    if (cmd.diff) {
      line("");
      line(`  ${c.green("- expected")}  ${c.red("+ actual")}`);
      line("");
      for (const l of unifiedDiff(cmd.diff.expected, cmd.diff.actual)) {
        line("  " + (l.startsWith("-") ? c.green(l) : l.startsWith("+") ? c.red(l) : c.dim(l)));
      }
    } else if (cmd.output && cmd.status === "failed") {
      line("");
      line(c.dim("  output:"));
      for (const l of cmd.output.replace(/\n$/, "").split("\n").slice(-20)) line("  " + l);
    }
  };

  return {
    name: "pretty",
    onRunStart(info) {
      line(c.dim(`lab run · target ${info.target} · ${info.lessons.length} lesson${info.lessons.length === 1 ? "" : "s"}`));
      if (io.tty) {
        timer = setInterval(drawStatus, 100);
        timer.unref();
      }
    },
    onLessonStart(lesson) {
      line("");
      line(`${c.bold(lesson.file)} ${c.dim("—")} ${lesson.title}`);
    },
    onCommandStart(cmd: CommandInfo) {
      status = { text: `${cmd.block.lesson.file}:${cmd.line} $ ${firstLine(cmd.command)}`, started: performance.now() };
      drawStatus();
    },
    onCommandEnd() {
      status = undefined;
      clearStatus();
    },
    onBlockEnd(b: BlockResult) {
      const mark = b.status === "passed" ? c.green("✓") : b.status === "failed" ? c.red("×") : c.yellow("↓");
      const extra = b.status === "skipped" ? c.dim(` skipped: ${b.skipReason ?? ""}`) : c.dim(` ${humanMs(b.durationMs)}`);
      line(`  ${mark} ${blockLabel(b.block)}${extra}`);
    },
    onLessonEnd(r: LessonResult) {
      if (r.status === "skipped" && r.blocks.length === 0) line(`  ${c.yellow("↓")} skipped: ${r.skipReason ?? ""}`);
      if (r.error) line(`  ${c.red("×")} ${c.red(r.error)}`);
      for (const b of r.blocks) for (const cmd of b.commands) if (cmd.status === "failed") failureDetails(r.lesson, b, cmd);
      if (r.updatedSource !== undefined) line(`  ${c.cyan("✎")} updated ${r.lesson.file}`);
    },
    onRunEnd(s: RunSummary) {
      if (timer) clearInterval(timer);
      clearStatus();
      const lessonsFailed = s.lessons.filter((l) => l.status === "failed").length;
      const lessonsSkipped = s.lessons.filter((l) => l.status === "skipped").length;
      line("");
      if (s.interrupted) line(c.yellow("Interrupted: cleanup blocks ran, remaining blocks were skipped."));
      line(
        c.dim(
          `Lessons  ${s.lessons.length - lessonsFailed - lessonsSkipped} passed, ${lessonsFailed} failed${lessonsSkipped ? `, ${lessonsSkipped} skipped` : ""} (${s.lessons.length})`,
        ),
      );
      const parts = [s.failed > 0 ? c.red(`${s.passed} passed, ${s.failed} failed`) : c.green(`${s.passed} passed, ${s.failed} failed`)];
      if (s.skipped) parts.push(c.yellow(`${s.skipped} skipped`));
      line(`${parts.join(", ")} ${c.dim(`(${humanMs(s.durationMs)})`)}`);
    },
  };
}
