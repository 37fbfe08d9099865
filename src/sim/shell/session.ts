/**
 * A shell session in one context: persistent state (cwd, variables, exports, functions,
 * options, `$?`) across exec calls, and per-exec limits. `exec` is what the sim target and
 * `lab shell` call; `spawn` runs a program or script as a child process (docker exec,
 * ip netns exec, env CMD) with output streamed to the caller's Stdio.
 */
import type { ExecResult } from "../../core/exec-result.js";
import type { ExecOptions } from "../api.js";
import type { ProcContext, Stdio, WorldServices } from "../userland/types.js";
import type { ScriptNode } from "./ast.js";
import { Input, Terminal, type Fds, type Sink } from "./io.js";
import { Interpreter, syntaxErrorText } from "./interpreter.js";
import { resolveProgram } from "./programs.js";
import { isMultiline, processLimitMessage, type Budget, type Runtime } from "./runtime.js";
import { parseScript } from "./parse-cache.js";
import { ExitSignal, LimitAbort, LoopSignal, ReturnSignal } from "./signals.js";
import { BUILTINS } from "./builtins.js";
import { runExternal } from "./simple.js";
import { newState, type ShellState } from "./state.js";
import { VfsView } from "./vfs.js";
import { KNOWN_REAL_PROGRAMS } from "./known-programs.js";

/** Per-exec limits (defaults in DEFAULT_LIMITS). */
export interface ShellLimits {
  maxCommands: number;
  maxLoopIterations: number;
  maxFunctionDepth: number;
  /** Virtual-time limit when the exec gives none. */
  defaultTimeoutMs: number;
  maxOutputBytes: number;
  /** Background processes one exec may start, its jobs' jobs included (a fork bomb's end). */
  maxProcesses?: number;
}

/** Defaults: generous for lessons, small enough that a runaway loop ends in well under a second. */
export const DEFAULT_LIMITS: ShellLimits = {
  maxCommands: 100_000,
  maxLoopIterations: 20_000,
  maxFunctionDepth: 200,
  defaultTimeoutMs: 24 * 3_600_000,
  maxOutputBytes: 1 << 20,
  maxProcesses: 1000,
};


function newBudget(limits: ShellLimits, deadline: number): Budget {
  return {
    commands: 0,
    iterations: 0,
    depth: 0,
    maxCommands: limits.maxCommands,
    maxIterations: limits.maxLoopIterations,
    maxDepth: limits.maxFunctionDepth,
    deadline,
    procs: { started: 0, max: limits.maxProcesses ?? DEFAULT_LIMITS.maxProcesses!, tripped: false },
  };
}

/** Rebinds a context's file system to its namespace (`ip netns exec` sees that namespace's /sys). */
export function bindContext(ctx: ProcContext): ProcContext {
  if (ctx.fs instanceof VfsView && ctx.fs.netns !== ctx.netns) return { ...ctx, fs: ctx.fs.withNetns(ctx.netns) };
  return ctx;
}


/** One persistent shell in one context. */
export class ShellSession {
  readonly state: ShellState;
  private queue: Promise<unknown> = Promise.resolve();
  private readonly limits: ShellLimits;

  constructor(
    public ctx: ProcContext,
    readonly world: WorldServices,
    opts: { pid?: number; limits?: Partial<ShellLimits> } = {},
  ) {
    this.limits = { ...DEFAULT_LIMITS, ...opts.limits };
    const home = ctx.env.HOME ?? "/root";
    const cwd = ctx.fs.isDir(home) ? home : "/";
    this.state = newState(ctx.env, cwd, opts.pid ?? 1, ctx.shell === "ash" ? "sh" : "bash");
  }

  /** Whether `name` is a shell function here (a command of that name would run the function, not the program). */
  isFunction(name: string): boolean {
    return this.state.functions.has(name);
  }

  /** Runs a command line; calls on one session run one after another. */
  exec(command: string, opts: ExecOptions = {}): Promise<ExecResult> {
    const run = () => this.execNow(command, opts);
    const p = this.queue.then(run, run);
    this.queue = p.catch(() => undefined);
    return p;
  }

  private async execNow(command: string, opts: ExecOptions): Promise<ExecResult> {
    const clock = this.world.clock;
    const start = clock.now();
    const terminal = new Terminal(opts.maxOutputBytes ?? this.limits.maxOutputBytes);
    const deadline = start + (opts.timeoutMs ?? this.limits.defaultTimeoutMs);
    const fds: Fds = {
      out: new Map<number, Sink>([
        [1, terminal],
        [2, terminal],
      ]),
      stdin: new Input(opts.stdin ?? ""),
    };
    const rt: Runtime = {
      ctx: bindContext(this.ctx),
      world: this.world,
      flavor: this.ctx.shell ?? "bash",
      terminal,
      budget: newBudget(this.limits, deadline),
      multiline: isMultiline(command),
    };
    await this.world.settle?.();
    const ran = await runScriptText(rt, this.state, fds, command);
    const { timedOut, exited } = ran;
    let status = ran.status;
    await this.world.settle?.();
    if (rt.budget.procs?.tripped) {
      // A fork bomb: its jobs have stopped at their next command; the exec says why.
      try {
        if (!terminal.truncated) terminal.write(processLimitMessage(rt.budget.procs.max));
      } catch {
        // the message itself hit the output cap
      }
      status = 124;
    }
    this.state.lastStatus = status;
    const result: ExecResult = { exitCode: status, output: terminal.text(), durationMs: clock.now() - start };
    if (timedOut) result.timedOut = true;
    if (terminal.truncated) result.truncated = true;
    if (exited) result.exited = true;
    return result;
  }

  /** WorldServices.spawn for this world: a child process in `ctx` (not this session's shell). */
  static async spawn(
    world: WorldServices,
    ctx: ProcContext,
    spec: { argv?: string[]; script?: string; stdin?: string | (() => string); env?: Record<string, string>; background?: boolean; deadline?: number },
    io: Stdio,
    limits: Partial<ShellLimits> = {},
  ): Promise<number> {
    const lim = { ...DEFAULT_LIMITS, ...limits };
    const bound = bindContext(ctx);
    const terminal = new Terminal(lim.maxOutputBytes);
    const fds: Fds = {
      out: new Map<number, Sink>([
        [1, { write: (t) => io.write(1, t) }],
        [2, { write: (t) => io.write(2, t) }],
      ]),
      stdin: new Input(spec.stdin ?? ""),
    };
    const rt: Runtime = {
      ctx: bound,
      world,
      flavor: ctx.shell ?? "bash",
      terminal,
      budget: newBudget(lim, spec.background ? Infinity : (spec.deadline ?? world.clock.now() + lim.defaultTimeoutMs)),
      multiline: isMultiline(spec.script ?? ""),
      background: spec.background === true,
    };
    const env = spec.env ?? ctx.env;
    const state = newState(env, bound.fs.isDir(env.HOME ?? "/root") ? (env.HOME ?? "/root") : "/", 1, ctx.shell === "ash" ? "sh" : "bash");
    if (spec.script !== undefined) return (await runScriptText(rt, state, fds, spec.script)).status;
    const argv = spec.argv ?? [];
    if (argv.length === 0) return 0;
    const sh = new Interpreter(rt, state, fds);
    const name = argv[0]!;
    const base = name.slice(name.lastIndexOf("/") + 1);
    // exec(2) semantics: only real programs (and shells); a missing one returns 127 silently unless it is
    // a real program the simulator lacks (then the lab message), so the caller prints its own exec error.
    if (base === "sh" || base === "bash" || base === "ash") return guard(rt, () => BUILTINS.get("sh")!(sh, [base, ...argv.slice(1)]));
    // coreutils timeout is a program on a real system; here a builtin, because it lowers the budget.
    if (base === "timeout") return guard(rt, () => BUILTINS.get("timeout")!(sh, [base, ...argv.slice(1)]));
    // A program the context's file system lacks (a busybox container has no iptables) fails the
    // same way, whatever the simulator has elsewhere.
    if (resolveProgram(name, bound).kind === "none") {
      if (!KNOWN_REAL_PROGRAMS.has(base) || bound.available?.(base) === false) return 127;
    }
    return guard(rt, () => runExternal(sh, argv));
  }
}

async function guard(rt: Runtime, f: () => Promise<number> | number): Promise<number> {
  try {
    return await f();
  } catch (e) {
    if (e instanceof ExitSignal) return e.status;
    if (e instanceof LimitAbort) {
      if (e.message) rt.terminal.write(e.message);
      return e.status;
    }
    throw e;
  }
}

function firstLine(node: unknown): number | undefined {
  if (!node || typeof node !== "object") return undefined;
  const n = node as { line?: number };
  if (typeof n.line === "number" && n.line > 0) return n.line;
  for (const v of Object.values(node)) {
    const l = firstLine(v);
    if (l !== undefined) return l;
  }
  return undefined;
}

/**
 * just-bash defers a syntax error to the statement where it sits; bash -c runs the lines
 * before the bad one and then reports it with that line (nothing of the bad line runs).
 */
export function splitAtSyntaxError(script: ScriptNode, source: string): { statements: ScriptNode["statements"]; syntaxError?: string } {
  const k = script.statements.findIndex((st) => st.deferredError);
  if (k < 0) return { statements: script.statements };
  const bad = script.statements[k]!;
  const token = bad.deferredError!.token;
  const prevLine = k > 0 ? (firstLine(script.statements[k - 1]) ?? 1) : 1;
  const lines = source.split("\n");
  let line = prevLine;
  for (let i = prevLine - 1; i < lines.length; i++) {
    if (lines[i]!.split(/[\s;&|()]+/).includes(token)) {
      line = i + 1;
      break;
    }
  }
  const statements = script.statements.slice(0, k).filter((st) => (firstLine(st) ?? 1) < line);
  return {
    statements,
    syntaxError: `bash: -c: line ${line}: ${bad.deferredError!.message}\nbash: -c: line ${line}: \`${lines[line - 1] ?? ""}'\n`,
  };
}

/** Parses and runs script text in `state` with `fds`; never throws for shell-level failures. */
export async function runScriptText(rt: Runtime, state: ShellState, fds: Fds, text: string): Promise<{ status: number; timedOut: boolean; exited?: boolean }> {
  const script = parseScript(text);
  if ("error" in script) {
    fds.out.get(2)?.write(syntaxErrorText(rt.flavor, script.error, text));
    return { status: 2, timedOut: false };
  }
  const sh = new Interpreter(rt, state, fds);
  const { statements, syntaxError } = splitAtSyntaxError(script, text);
  try {
    const status = await sh.runStatements(statements);
    if (syntaxError) {
      fds.out.get(2)?.write(syntaxError);
      return { status: 2, timedOut: false };
    }
    return { status, timedOut: false };
  } catch (e) {
    if (e instanceof ExitSignal) return { status: e.status, timedOut: false, exited: true };
    if (e instanceof ReturnSignal) return { status: e.status, timedOut: false };
    if (e instanceof LoopSignal) return { status: 0, timedOut: false };
    if (e instanceof LimitAbort) {
      if (e.message && !rt.terminal.truncated) {
        try {
          fds.out.get(2)?.write(e.message);
        } catch {
          // the message itself hit the output cap
        }
      }
      return { status: e.status, timedOut: e.kind === "timeout" };
    }
    const msg = e instanceof Error ? e.message : String(e);
    try {
      fds.out.get(2)?.write(`lab: internal error in the shell: ${msg.split("\n")[0]}\n`);
    } catch {
      // output cap reached
    }
    return { status: 70, timedOut: false };
  }
}
