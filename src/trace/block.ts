/**
 * A lesson's `trace` block: each `$ lab trace --from C --to ADDR[:PORT] ...` line runs in the
 * lesson's own world at that point of the lesson (no LESSON, --after or --world: the world is
 * the one the blocks before built), and its output is checked like any transcript's.
 */
import type { ExecResult } from "../core/exec-result.js";
import type { SimWorld } from "../sim/api.js";
import { parseTraceArgs } from "./args.js";
import { formatJson, formatText } from "./format.js";
import { ProbeError, sendProbe } from "./probe.js";

const done = (output: string, exitCode: number): ExecResult => ({ exitCode, output, durationMs: 0 });

/** Runs one trace-block command line in `world`; usage problems are exit 2 with the message. */
export async function runTraceLine(world: SimWorld, line: string): Promise<ExecResult> {
  const words = line.trim().split(/\s+/);
  if (words[0] !== "lab" || words[1] !== "trace") return done(`lab trace: a trace block runs "lab trace ..." lines, not "${line.trim()}"\n`, 2);
  const a = parseTraceArgs(words.slice(2));
  if ("error" in a) return done(`lab trace: ${a.error}\n`, 2);
  if (a.help) return done(`lab trace: --help is not for trace blocks\n`, 2);
  if (a.lesson !== undefined || a.after !== undefined || a.world !== undefined) {
    return done("lab trace: in a trace block the world is the lesson's own: no LESSON, --after or --world\n", 2);
  }
  if (!world.contexts().includes(a.probe.context)) return done(`lab trace: unknown context "${a.probe.context}"; this world has: ${world.contexts().join(", ")}\n`, 2);
  try {
    const r = await sendProbe(world, a.probe);
    return done(a.format === "json" ? formatJson(r.title, r.trace) : formatText(r.title, r.trace), r.trace.disposition.kind === "delivered" ? 0 : 1);
  } catch (e) {
    if (e instanceof ProbeError) return done(`lab trace: the probe could not be sent: ${e.message}\n`, 2);
    throw e;
  }
}
