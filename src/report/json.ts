/** The JSON reporter: the whole run as one JSON document, written at the end. */
import type { RunSummary } from "../runner/events.js";
import type { Reporter, ReporterIO } from "./types.js";

/** Plain data of a run summary (no Markdown sources), as the JSON reporter writes it. */
export function summaryToJson(s: RunSummary): unknown {
  return {
    target: s.target,
    passed: s.passed,
    failed: s.failed,
    skipped: s.skipped,
    durationMs: Math.round(s.durationMs),
    interrupted: s.interrupted,
    lessons: s.lessons.map((l) => ({
      file: l.lesson.file,
      title: l.lesson.title,
      status: l.status,
      durationMs: Math.round(l.durationMs),
      ...(l.skipReason ? { skipReason: l.skipReason } : {}),
      ...(l.error ? { error: l.error } : {}),
      ...(l.updatedSource !== undefined ? { updated: true } : {}),
      blocks: l.blocks.map((b) => ({
        index: b.block.index,
        ...(b.block.id ? { id: b.block.id } : {}),
        kind: b.block.kind,
        line: b.block.line,
        column: b.block.column,
        context: b.block.context,
        cleanup: b.block.cleanup,
        status: b.status,
        durationMs: Math.round(b.durationMs),
        ...(b.skipReason ? { skipReason: b.skipReason } : {}),
        commands: b.commands.map((c) => ({
          command: c.command,
          line: c.line,
          column: c.column,
          status: c.status,
          exitCode: c.exitCode,
          expectedExit: c.expectedExit,
          output: c.output,
          durationMs: Math.round(c.durationMs),
          ...(c.timedOut ? { timedOut: true } : {}),
          ...(c.truncated ? { truncated: true } : {}),
          ...(c.message ? { message: c.message } : {}),
          ...(c.diff ? { expected: c.diff.expected, actual: c.diff.actual } : {}),
          ...(c.skipReason ? { skipReason: c.skipReason } : {}),
        })),
      })),
    })),
  };
}

/** Creates the JSON reporter. */
export function createJsonReporter(io: ReporterIO): Reporter {
  return {
    name: "json",
    onRunEnd(s) {
      io.write(JSON.stringify(summaryToJson(s), null, 2) + "\n");
    },
  };
}
