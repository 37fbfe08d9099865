/**
 * The tree-walking interpreter over just-bash's AST: lists (`;`, `&&`, `||`), pipelines,
 * compound commands (if, for, while/until, case, subshells, groups, functions, `(( ))`,
 * `[[ ]]`). Simple commands, pipelines, redirections and builtins live in simple.ts /
 * pipeline.ts / redirect.ts / builtins.ts.
 */
import { parse } from "just-bash";
import type { CommandNode, CompoundNode, CondExpr, FunctionDefNode, PipelineNode, ScriptNode, StatementNode } from "./ast.js";
import { arith, expandPattern, expandString, expandWords, ExpansionError, isSetName, type ExpandHost } from "./expand.js";
import { BufferSink, cloneFds, Input, type Fds } from "./io.js";
import { matchPattern } from "./pattern.js";
import { applyRedirections } from "./redirect.js";
import { endProcSubsts, procSubst, procSubstMark } from "./procsubst.js";
import { chargeIteration, chargeProcess, type Runtime } from "./runtime.js";
import { ExitSignal, LimitAbort, LoopSignal, ReturnSignal } from "./signals.js";
import { dispatch, runExternal, runSimple } from "./simple.js";
import { runPipeline } from "./pipeline.js";
import { syntaxErrorText } from "./syntax-error.js";

export { syntaxErrorText };
import { cloneState, type ShellState } from "./state.js";
import { restoreVar, setScalar } from "./arrays.js";
import { evaluateTest } from "../userland/lib/test-expr.js";

/** One shell (or subshell) executing statements against its state and fd table. */
export class Interpreter implements ExpandHost {
  /** Line of the command being run (for `bash: line N:` prefixes). */
  line = 0;
  /** Inside an if/while condition or an && / || left side: `set -e` does not fire. */
  condDepth = 0;
  /** Exit status of the last command substitution of the current simple command. */
  substStatus: number | undefined;
  /** Function call depth (for `return` and `local`). */
  funcDepth = 0;
  /** Enclosing loops (for `break` / `continue`, which bash resolves dynamically, across function calls). */
  loopDepth = 0;

  constructor(readonly rt: Runtime, public state: ShellState, public fds: Fds) {}

  get fs() {
    return this.rt.ctx.fs;
  }

  get flavor(): "bash" | "ash" {
    return this.rt.flavor;
  }

  /** `bash: ` or `bash: line N: ` (bash -c with a multi-line script), or `sh: ` for ash. */
  errPrefix(): string {
    if (this.rt.flavor === "ash") return "sh: ";
    return `bash: line ${Math.max(1, this.line)}: `;
  }

  /** Writes a shell diagnostic, prefixed, to the current stderr. */
  error(message: string): void {
    this.fds.out.get(2)?.write(this.errPrefix() + message);
  }

  /** `<(cmd)` / `>(cmd)`: a /dev/fd path (procsubst.ts). */
  procSubst(body: ScriptNode, direction: "input" | "output"): Promise<string> {
    return procSubst(this, body, direction);
  }

  /** A subshell: copied state, same runtime, given fds. */
  subshell(fds: Fds = cloneFds(this.fds)): Interpreter {
    const sub = new Interpreter(this.rt, cloneState(this.state), fds);
    sub.line = this.line;
    sub.funcDepth = this.funcDepth;
    // A subshell is a new process: `break` inside `( )` has no loop to leave.
    return sub;
  }

  /** Runs statements in a subshell, turning `exit` into its status. */
  async runInSubshell(sub: Interpreter, statements: StatementNode[]): Promise<number> {
    try {
      return await sub.runStatements(statements);
    } catch (e) {
      if (e instanceof ExitSignal || e instanceof ReturnSignal) return e.status;
      if (e instanceof LoopSignal) return 0;
      throw e;
    }
  }

  async commandSubst(body: ScriptNode): Promise<string> {
    const buf = new BufferSink();
    const fds = cloneFds(this.fds);
    fds.out.set(1, buf);
    const sub = this.subshell(fds);
    const status = await this.runInSubshell(sub, body.statements);
    this.substStatus = status;
    this.state.lastStatus = status;
    return buf.text();
  }

  async substText(command: string): Promise<string> {
    let script: ScriptNode;
    try {
      script = parse(command);
    } catch (e) {
      this.fds.out.get(2)?.write(syntaxErrorText(this.rt.flavor, e, command));
      return "";
    }
    return this.commandSubst(script);
  }

  /** Runs a parsed script's statements in this shell. */
  async runStatements(statements: StatementNode[]): Promise<number> {
    let status = this.state.lastStatus;
    for (const st of statements) status = await this.runStatement(st);
    return status;
  }

  async runStatement(st: StatementNode): Promise<number> {
    if (st.deferredError) {
      this.fds.out.get(2)?.write(syntaxErrorText(this.rt.flavor, { message: `Parse error at ${st.line ?? this.line}:0: ${st.deferredError.message}` }, ""));
      throw new ExitSignal(2);
    }
    if (st.background && st.pipelines.length > 0) return this.startBackground(st);
    let status = 0;
    for (let i = 0; i < st.pipelines.length; i++) {
      const op = i === 0 ? ";" : st.operators[i - 1]!;
      if (i > 0 && ((op === "&&" && status !== 0) || (op === "||" && status === 0))) continue;
      const last = i === st.pipelines.length - 1 || st.operators[i] === ";";
      const p = st.pipelines[i]!;
      if (!last) this.condDepth++;
      try {
        // A lone command is its own pipeline: no stage to set up.
        status = p.commands.length === 1 && !p.negated ? await this.runCommand(p.commands[0]!) : await this.runPipeline(p);
      } finally {
        if (!last) this.condDepth--;
      }
      this.state.lastStatus = status;
      if (status !== 0 && last && !p.negated && this.state.options.errexit && this.condDepth === 0) throw new ExitSignal(status);
    }
    return status;
  }

  /**
   * `cmd &`: starts the list in a background subshell (stdin /dev/null, as bash gives a
   * non-interactive shell's jobs) that is not waited for; its `sleep` waits for virtual time.
   * Its output lands on the terminal while the submitting exec runs. `$!` is its pid.
   */
  private startBackground(st: StatementNode): number {
    const b = this.rt.budget;
    chargeProcess(this.rt);
    const rt: Runtime = {
      ...this.rt,
      background: true,
      budget: { commands: 0, iterations: 0, depth: 0, maxCommands: b.maxCommands, maxIterations: b.maxIterations, maxDepth: b.maxDepth, deadline: Infinity, procs: b.procs },
    };
    const fds = cloneFds(this.fds);
    fds.stdin = new Input("");
    const sub = new Interpreter(rt, cloneState(this.state), fds);
    sub.line = this.line;
    this.state.lastBgPid = this.state.pid + ++this.state.jobs;
    const job = () => this.runInSubshell(sub, [{ ...st, background: false }]);
    void (this.rt.world.runJob ? this.rt.world.runJob(job) : job()).catch(() => undefined);
    this.state.lastStatus = 0;
    return 0;
  }

  /** Runs a pipeline (pipeline.ts); its status is also left in `$?`. */
  runPipeline(p: PipelineNode): Promise<number> {
    return runPipeline(this, p);
  }

  runCommand(cmd: CommandNode): Promise<number> | number {
    if (cmd.type === "SimpleCommand") return runSimple(this, cmd);
    if (cmd.type === "FunctionDef") {
      this.state.functions.set(cmd.name, cmd);
      return 0;
    }
    return this.runCompoundCommand(cmd);
  }

  /** A compound command with its redirections and the process substitutions they made. */
  private async runCompoundCommand(cmd: CompoundNode): Promise<number> {
    const mark = procSubstMark(this);
    const fds = await applyRedirections(this, cmd.redirections, this.fds);
    if (typeof fds === "number") return fds;
    const saved = this.fds;
    this.fds = fds;
    try {
      return await this.runCompound(cmd);
    } catch (e) {
      if (e instanceof ExpansionError) {
        this.error(e.message + "\n");
        return 1;
      }
      throw e;
    } finally {
      this.fds = saved;
      await endProcSubsts(this, mark);
    }
  }

  /** Runs statements as a condition (`set -e` suspended). */
  private async condition(statements: StatementNode[]): Promise<number> {
    this.condDepth++;
    try {
      return await this.runStatements(statements);
    } finally {
      this.condDepth--;
    }
  }

  /** Runs a loop body, handling break/continue; returns "break" to leave the loop. */
  private async loopBody(body: StatementNode[]): Promise<{ status: number; brk: boolean }> {
    this.loopDepth++;
    try {
      return { status: await this.runStatements(body), brk: false };
    } catch (e) {
      if (!(e instanceof LoopSignal)) throw e;
      if (e.levels > 1) {
        e.levels--;
        throw e;
      }
      return { status: 0, brk: e.kind === "break" };
    } finally {
      this.loopDepth--;
    }
  }

  private async runCompound(cmd: CompoundNode): Promise<number> {
    switch (cmd.type) {
      case "If": {
        for (const clause of cmd.clauses) {
          if ((await this.condition(clause.condition)) === 0) return this.runStatements(clause.body);
        }
        return cmd.elseBody ? this.runStatements(cmd.elseBody) : 0;
      }
      case "For": {
        const words = cmd.words ? await expandWords(this, cmd.words) : [...this.state.positional];
        let status = 0;
        for (const w of words) {
          chargeIteration(this.rt);
          setScalar(this.state, cmd.variable, w);
          const r = await this.loopBody(cmd.body);
          status = r.status;
          if (r.brk) break;
        }
        return status;
      }
      case "CStyleFor": {
        if (cmd.init) await arith(this, cmd.init, "command");
        let status = 0;
        for (;;) {
          chargeIteration(this.rt);
          if (cmd.condition && (await arith(this, cmd.condition, "command")) === 0) break;
          const r = await this.loopBody(cmd.body);
          status = r.status;
          if (r.brk) break;
          if (cmd.update) await arith(this, cmd.update, "command");
        }
        return status;
      }
      case "While":
      case "Until": {
        let status = 0;
        for (;;) {
          chargeIteration(this.rt);
          const c = await this.condition(cmd.condition);
          if (cmd.type === "While" ? c !== 0 : c === 0) break;
          const r = await this.loopBody(cmd.body);
          status = r.status;
          if (r.brk) break;
        }
        return status;
      }
      case "Case": {
        const word = await expandString(this, cmd.word);
        let status = 0;
        let fall = false;
        for (const item of cmd.items) {
          let hit = fall;
          if (!hit) {
            for (const pw of item.patterns) {
              if (matchPattern(await expandPattern(this, pw), word)) {
                hit = true;
                break;
              }
            }
          }
          if (!hit) continue;
          status = await this.runStatements(item.body);
          if (item.terminator === ";;") return status;
          fall = item.terminator === ";&";
        }
        return status;
      }
      case "Subshell":
        return this.runInSubshell(this.subshell(), cmd.body);
      case "Group":
        return this.runStatements(cmd.body);
      case "ArithmeticCommand":
        return (await arith(this, cmd.expression, "command")) !== 0 ? 0 : 1;
      case "ConditionalCommand":
        try {
          return (await this.cond(cmd.expression)) ? 0 : 1;
        } catch (e) {
          if (e instanceof CondError) {
            this.error(e.message + "\n");
            return 2;
          }
          throw e;
        }
    }
  }

  private async cond(e: CondExpr): Promise<boolean> {
    switch (e.type) {
      case "CondNot": return !(await this.cond(e.operand));
      case "CondAnd": return (await this.cond(e.left)) && (await this.cond(e.right));
      case "CondOr": return (await this.cond(e.left)) || (await this.cond(e.right));
      case "CondGroup": return this.cond(e.expression);
      case "CondWord": return (await expandString(this, e.word)) !== "";
      case "CondUnary": {
        const v = await expandString(this, e.operand);
        if (e.operator === "-v") return isSetName(this, v);
        const r = evaluateTest([e.operator, v], this.fs, this.state.cwd);
        if (r.error) throw new CondError(r.error);
        return r.status === 0;
      }
      case "CondBinary": {
        const left = await expandString(this, e.left);
        if (e.operator === "==" || e.operator === "=" || e.operator === "!=") {
          const pat = await expandPattern(this, e.right);
          const m = matchPattern(pat, left);
          return e.operator === "!=" ? !m : m;
        }
        const right = await expandString(this, e.right);
        if (e.operator === "=~") {
          try {
            return new RegExp(right).test(left);
          } catch {
            return false;
          }
        }
        const r = evaluateTest([left, e.operator, right], this.fs, this.state.cwd);
        if (r.error) throw new CondError(r.error);
        return r.status === 0;
      }
    }
  }

  /** Runs already-expanded words as a command: function, builtin or program (for builtins like `command`). */
  dispatch(words: string[], tempEnv?: Record<string, string>): Promise<number> | number {
    return dispatch(this, words, tempEnv);
  }

  /** Runs already-expanded words as a program only (no functions or builtins). */
  runExternal(words: string[], tempEnv?: Record<string, string>): Promise<number> | number {
    return runExternal(this, words, tempEnv);
  }

  /** Calls a shell function with `args` as its positional parameters. */
  async callFunction(fn: FunctionDefNode, args: string[]): Promise<number> {
    const b = this.rt.budget;
    if (++b.depth > b.maxDepth) {
      b.depth--;
      this.error(`${fn.name}: maximum function nesting level exceeded (${b.maxDepth})\n`);
      throw new LimitAbort("depth", 1);
    }
    const savedPos = this.state.positional;
    this.state.positional = args;
    this.state.localFrames.push(new Map());
    this.funcDepth++;
    try {
      return await this.runCommand(fn.body);
    } catch (e) {
      if (e instanceof ReturnSignal) return e.status;
      throw e;
    } finally {
      this.funcDepth--;
      b.depth--;
      this.state.positional = savedPos;
      const frame = this.state.localFrames.pop()!;
      for (const [name, old] of frame) restoreVar(this.state, name, old);
    }
  }
}

class CondError extends Error {}
