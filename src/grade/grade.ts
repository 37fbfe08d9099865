/**
 * Grading one submission on the simulator: a fresh world; the lesson's blocks run as written
 * except each exercise block, replaced by the student's answer; check blocks score their points.
 *
 *   lesson blocks ──► [setup] [exercise ← answer] [setup] [check +2] [check +1] ...
 *                          every command counted against GradeLimits
 *
 * Nothing of a submission runs on the host: every command goes to the simulated world's shell.
 * Never throws: a problem of the submission or the grader is a verdict.
 */
import { matchOutput } from "../assert/index.js";
import { findCaptures } from "../lesson/captures.js";
import type { Block, Command, Lesson } from "../lesson/types.js";
import { createWorld, type SimWorld } from "../sim/index.js";
import { commandKey } from "../sim/keys.js";
import { answerCommands, type Answers } from "./answers.js";
import { exerciseLimitMessage, firstLine, lessonChecks, notRunFeedback, type ExerciseLimit } from "./result.js";
import { DEFAULT_LIMITS, type CheckResult, type GradeLimits, type SubmissionResult } from "./types.js";

export { lessonChecks } from "./result.js";

/** The reference answers: the lesson's own exercise blocks. */
export function referenceAnswers(lesson: Lesson): Answers {
  const a: Answers = new Map();
  for (const b of lesson.blocks) if (b.grade?.role === "exercise" && b.id) a.set(b.id, b.commands.map((c) => c.text).join("\n"));
  return a;
}

export interface GradeOptions {
  limits?: Partial<GradeLimits>;
  now?: () => number;
  /** Builds the world (tests inject fakes); default the simulator's createWorld. */
  world?: (lesson: Lesson) => SimWorld;
  /**
   * Called when this result holds for these exact commands only, not for every spelling with the
   * same shared key (key.ts): an exercise command keyed by a program's request ran while a shell
   * function of that name existed, or the wall-time limit (the host's clock) ended it.
   */
  onExact?: () => void;
  /** Called when an exercise command hit a limit, with the checks left unrun (result.ts requoteLimit). */
  onExerciseLimit?: (at: ExerciseLimit, notRun: string[]) => void;
}

class LimitHit extends Error {
  constructor(
    message: string,
    /** Where an exercise's command hit it (the message quotes the command). */
    readonly at?: ExerciseLimit,
    /** Read from the host's clock, not the world's: another grading of the same commands may not hit it. */
    readonly hostClock = false,
  ) {
    super(message);
  }
}

/** Grades `answers` for `lesson`; `student`/`file` label the result. */
export async function gradeAnswers(lesson: Lesson, answers: Answers, student: string, file: string, opts: GradeOptions = {}): Promise<SubmissionResult> {
  const limits = { ...DEFAULT_LIMITS, ...opts.limits };
  const now = opts.now ?? (() => performance.now());
  const specs = lessonChecks(lesson);
  const max = specs.reduce((s, c) => s + c.points, 0);
  const results = new Map<string, CheckResult>();
  const started = now();
  let world: SimWorld;
  try {
    world = opts.world ? opts.world(lesson) : createWorld({ kind: lesson.meta.world, seed: lesson.meta.sim.seed, nodes: lesson.meta.sim.nodes, kubeProxyMode: lesson.meta.sim.kubeProxyMode, kubeProxyVersion: lesson.meta.sim.kubeProxyVersion });
  } catch (e) {
    return finish("error", `the simulator cannot build a "${lesson.meta.world}" world: ${(e as Error).message}`);
  }
  const t0 = world.now();
  let commands = 0;
  let outputBytes = 0;
  const captures: Record<string, string> = {};

  function finish(verdict: SubmissionResult["verdict"], message?: string): SubmissionResult {
    const checks = specs.map(
      (s) =>
        results.get(s.id) ?? {
          id: s.id,
          points: s.points,
          earned: 0,
          passed: false,
          feedback: verdict === "graded" ? ["not run"] : notRunFeedback(message!),
          ...(s.hint !== undefined ? { hint: s.hint } : {}),
        },
    );
    const score = checks.reduce((s, c) => s + c.earned, 0);
    return { student, file, score, max, verdict, ...(message !== undefined ? { message } : {}), checks };
  }

  /** Runs one command line within the limits; throws LimitHit when one is exceeded. */
  async function exec(context: string, text: string, timeoutMs: number): Promise<{ exitCode: number; output: string; timedOut: boolean }> {
    if (++commands > limits.maxCommands) throw new LimitHit(`command limit: more than ${limits.maxCommands} commands`);
    if (now() - started > limits.maxWallMs) throw new LimitHit(`wall-time limit: more than ${limits.maxWallMs / 1000}s`, undefined, true);
    const virtualLeft = limits.maxVirtualMs - (world.now() - t0);
    if (virtualLeft <= 0) throw new LimitHit(`virtual-time limit: more than ${limits.maxVirtualMs / 1000}s of simulated time`);
    const session = world.session(context);
    const r = await session.exec(text, { timeoutMs: Math.min(timeoutMs, virtualLeft), maxOutputBytes: Math.max(1, limits.maxOutputBytes - outputBytes + 1) });
    outputBytes += Buffer.byteLength(r.output);
    if (outputBytes > limits.maxOutputBytes) throw new LimitHit(`output limit: more than ${limits.maxOutputBytes} bytes of output`);
    if (world.now() - t0 >= limits.maxVirtualMs) throw new LimitHit(`virtual-time limit: more than ${limits.maxVirtualMs / 1000}s of simulated time`);
    return { exitCode: r.exitCode, output: r.output, timedOut: r.timedOut ?? false };
  }

  // Blocks after the last check cannot change a score: they are not run.
  let lastCheck = -1;
  lesson.blocks.forEach((b, k) => void (b.grade?.role === "check" ? (lastCheck = k) : undefined));
  try {
    for (const block of lesson.blocks.slice(0, lastCheck + 1)) {
      if (block.cleanup || block.skip || block.target === "host") continue;
      const timeoutMs = block.timeoutMs ?? lesson.meta.timeoutMs ?? 60_000;
      if (block.grade?.role === "exercise") {
        const cmds = answerCommands(answers.get(block.id!) ?? "");
        for (const [index, cmd] of cmds.entries()) {
          if (opts.onExact && !runsProgram(world, block.on, cmd)) opts.onExact();
          const r = await exec(block.on, cmd, timeoutMs);
          // A runaway answer (endless loop, fork bomb) is stopped by the shell's own limits
          // (exit 124, "lab: stopped after ..."): that ends the submission.
          if (r.timedOut || (r.exitCode === 124 && /^lab: stopped after/m.test(r.output))) {
            const at = { id: block.id!, index, what: r.timedOut ? `did not finish within ${timeoutMs / 1000}s of simulated time` : r.output.trim().split("\n").at(-1)! };
            throw new LimitHit(exerciseLimitMessage(at, cmd), at);
          }
        }
        continue;
      }
      // Only checks score: an ordinary block's output matters for the captures it binds, so
      // matching is skipped where it binds none.
      const ok = await runBlock(block, timeoutMs, exec, captures, lesson, block.grade?.role === "check");
      if (block.grade?.role === "check") {
        const spec = specs.find((s) => s.id === block.id)!;
        results.set(spec.id, {
          id: spec.id,
          points: spec.points,
          earned: ok.passed ? spec.points : 0,
          passed: ok.passed,
          feedback: ok.feedback,
          ...(spec.hint !== undefined && !ok.passed ? { hint: spec.hint } : {}),
        });
      }
    }
  } catch (e) {
    if (e instanceof LimitHit) {
      if (e.at) opts.onExerciseLimit?.(e.at, specs.filter((c) => !results.has(c.id)).map((c) => c.id));
      if (e.hostClock) opts.onExact?.();
      return finish("limit", e.message);
    }
    return finish("error", `grader error: ${e instanceof Error ? e.message : String(e)}`);
  }
  return finish("graded");
}

export type Exec = (context: string, text: string, timeoutMs: number) => Promise<{ exitCode: number; output: string; timedOut: boolean }>;

/**
 * Runs a block's commands as the runner would (captures, normalizers); returns pass/fail and
 * feedback lines. With `scored` false the verdict is not wanted: output is matched only for
 * commands whose expected output binds captures (pass/fail then says nothing).
 */
export async function runBlock(block: Block, timeoutMs: number, exec: Exec, captures: Record<string, string>, lesson: Lesson, scored = true): Promise<{ passed: boolean; feedback: string[] }> {
  const feedback: string[] = [];
  let passed = true;
  for (const cmd of block.commands) {
    const rendered = findCaptures(cmd.text).length === 0 ? { ok: true as const, text: cmd.text } : (await template()).renderCommand(cmd.text, captures);
    if (!rendered.ok) {
      passed = false;
      feedback.push(`\`${firstLine(cmd.text)}\`: ${rendered.message}`);
      continue;
    }
    const r = await exec(block.on, rendered.text, timeoutMs);
    const exitOk = cmd.exit === "any" || cmd.exit === r.exitCode;
    let ok = exitOk && !r.timedOut;
    if (block.kind === "console" && (scored || bindsCaptures(cmd))) {
      const m = matchOutput(cmd.expected, r.output, captures, [...lesson.meta.normalize, ...block.normalize]);
      for (const [k, v] of Object.entries(m.bound)) if (!(k in captures)) captures[k] = v;
      ok = ok && m.ok;
    }
    if (ok) continue;
    passed = false;
    const verdictLines = r.output.split("\n").filter((l) => l.startsWith("not ok: "));
    if (verdictLines.length > 0) feedback.push(...verdictLines.map((l) => l.slice("not ok: ".length)));
    else if (r.timedOut) feedback.push(`\`${firstLine(rendered.text)}\` did not finish within ${timeoutMs / 1000}s`);
    else if (!exitOk) feedback.push(`\`${firstLine(rendered.text)}\` exited ${r.exitCode}, expected ${cmd.exit}${lastOut(r.output)}`);
    else feedback.push(`\`${firstLine(rendered.text)}\`: output differs from the expected${lastOut(r.output)}`);
  }
  return { passed, feedback };
}

/** lesson/template.js, loaded on first use: it brings handlebars, which a grading worker would
 *  otherwise load at start-up for lessons whose commands use no capture (renderCommand returns
 *  such a command unchanged). */
let templateModule: Promise<typeof import("../lesson/template.js")> | undefined;
function template(): Promise<typeof import("../lesson/template.js")> {
  return (templateModule ??= import("../lesson/template.js"));
}

function bindsCaptures(cmd: Command): boolean {
  return cmd.expected.some((l) => l.kind === "literal" && l.parts.some((p) => "capture" in p));
}

/** Whether `cmd`, if its shared key names a program, runs that program in `context` (no shell function shadows it). */
function runsProgram(world: SimWorld, context: string, cmd: string): boolean {
  const program = commandKey(cmd)?.program;
  if (program === undefined) return true;
  try {
    return world.session(context).isFunction?.(program) === false;
  } catch {
    return false;
  }
}


function lastOut(out: string): string {
  const l = out.trim().split("\n").at(-1)?.trim();
  return l ? ` (last output: ${l.length > 100 ? l.slice(0, 97) + "..." : l})` : "";
}
