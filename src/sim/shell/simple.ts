/**
 * Simple commands: expand the words, apply prefix assignments and redirections, then run a
 * function, a builtin, a registry program, a delegated text utility, or report the command
 * as missing. Programs get ordered stdio, the exported environment, the context and the
 * world; a program that throws is a simulator bug (exit 70, `lab: internal error in X: ...`).
 */
import { parse } from "just-bash";
import type { SimpleCommandNode } from "./ast.js";
import { BufferSink, Input, type Fds, type Sink } from "./io.js";
import { syntaxErrorText } from "./syntax-error.js";
import { BUILTINS } from "./builtins.js";
import { expandString, expandWords, ExpansionError } from "./expand.js";
import { literalWords } from "./literal.js";
import { subscriptIndex, subscriptKey } from "./expand.js";
import { assignArray, isAssocName, setElement, subscripted } from "./arrays.js";
import { applyCompound, evalCompound, expandDeclarationArgs, isKeyedWord, type CompoundEntry } from "./compound.js";
import type { Interpreter } from "./interpreter.js";
import { KNOWN_REAL_PROGRAMS } from "./known-programs.js";
import { availablePrograms, programSpec, resolveProgram } from "./programs.js";
import { applyRedirections } from "./redirect.js";
import { endProcSubsts, procSubstMark } from "./procsubst.js";
import { chargeCommand, checkDeadline } from "./runtime.js";
import { ExitSignal, isShellSignal } from "./signals.js";
import { exportedEnv } from "./state.js";
import { runDelegated, runNative } from "./textutils.js";
import { resolvePath } from "./vfs.js";
import type { ProgramSpec } from "../userland/types.js";
import { ShellProc } from "./proc.js";
import { errnoOf, FsError, strerror } from "../userland/lib/errno.js";

/** Runs one simple command in `sh`; process substitutions made by its words end with it. */
export async function runSimple(sh: Interpreter, node: SimpleCommandNode): Promise<number> {
  const mark = procSubstMark(sh);
  try {
    return await runSimpleCommand(sh, node);
  } finally {
    if (procSubstMark(sh) > mark) await endProcSubsts(sh, mark);
  }
}

function runSimpleCommand(sh: Interpreter, node: SimpleCommandNode): Promise<number> | number {
  if (node.line) sh.line = node.line;
  chargeCommand(sh.rt);
  sh.substStatus = undefined;
  // Most commands are literal words without assignments or redirections: nothing to expand.
  if (node.assignments.length === 0 && node.redirections.length === 0) {
    const words = literalWords(node);
    if (words) return words.length === 0 ? (sh.substStatus ?? 0) : runLiteral(sh, words);
  }
  return expandAndRun(sh, node);
}

const NO_TEMP_ENV: Record<string, string> = Object.freeze({}) as Record<string, string>;
const TURN: Promise<void> = Promise.resolve();

/**
 * Literal words still run after one microtask turn, where an expansion would have yielded: a
 * job started inside a synchronous clock advance (a container restarted by the kubelet) reaches
 * its program once the advance is over, which is when the recorded timings were made.
 */
async function runLiteral(sh: Interpreter, words: string[]): Promise<number> {
  await TURN;
  return runWords(sh, sh.fds, words, NO_TEMP_ENV);
}

async function expandAndRun(sh: Interpreter, node: SimpleCommandNode): Promise<number> {
  let words: string[];
  const assigned: Assignment[] = [];
  try {
    const decl = declaration(node);
    words = literalWords(node) ?? (decl ? [decl, ...(await expandDeclarationArgs(sh, node.args))] : await expandWords(sh, node.name ? [node.name, ...node.args] : node.args));
    for (const a of node.assignments) {
      const el = subscripted(a.name);
      if (a.array && (isAssocName(sh.state, a.name) || a.array.some(isKeyedWord))) assigned.push({ name: a.name, value: "", append: a.append, entries: await evalCompound(sh, a.array) });
      else if (a.array) assigned.push({ name: a.name, value: "", append: a.append, array: await expandWords(sh, a.array) });
      else if (el && isAssocName(sh.state, el.name)) {
        const key = await subscriptKey(sh, el.sub);
        // bash -c: an empty key in an assignment statement is fatal (recorded).
        if (key === "") {
          sh.error(`${a.name}: bad array subscript\n`);
          throw new ExitSignal(1);
        }
        assigned.push({ name: el.name, value: a.value ? await expandString(sh, a.value) : "", append: a.append, key });
      } else if (el) assigned.push({ name: el.name, value: a.value ? await expandString(sh, a.value) : "", append: a.append, index: await subscriptIndex(sh, el.sub) });
      else assigned.push({ name: a.name, value: a.value ? await expandString(sh, a.value) : "", append: a.append });
    }
  } catch (e) {
    if (e instanceof ExpansionError) {
      sh.error(e.message + "\n");
      sh.state.lastStatus = 1;
      return 1;
    }
    throw e;
  }
  const fds = await applyRedirections(sh, node.redirections, sh.fds);
  if (typeof fds === "number") return fds;

  if (words.length === 0) {
    for (const a of assigned) {
      if (a.entries) for (const err of await applyCompound(sh, a.name, a.entries, a.append)) sh.error(err + "\n");
      else if (a.array) assignArray(sh.state, a.name, a.array, a.append);
      else if (a.key !== undefined) setKey(sh, a.name, a.key, a.value, a.append);
      else if (a.index !== undefined) setElement(sh.state, a.name, a.index, a.value, a.append);
      else if (isAssocName(sh.state, a.name)) setKey(sh, a.name, "0", a.value, a.append);
      else setVar(sh, a.name, a.append ? (sh.state.vars.get(a.name) ?? "") + a.value : a.value);
    }
    return sh.substStatus ?? 0;
  }
  // A prefix assignment is a temporary scalar for the command (an array's first element).
  const tempEnv: Record<string, string> = assigned.length === 0 ? NO_TEMP_ENV : {};
  for (const a of assigned) tempEnv[a.name] = a.array ? (a.array[0] ?? "") : a.append ? (sh.state.vars.get(a.name) ?? "") + a.value : a.value;

  return runWords(sh, fds, words, tempEnv);
}

/** Runs expanded words with the command's fd table in place, restoring the shell's after. */
async function runWords(sh: Interpreter, fds: Fds, words: string[], tempEnv: Record<string, string>): Promise<number> {
  if (sh.state.options.xtrace) fds.out.get(2)?.write(`+ ${words.map(traceQuote).join(" ")}\n`);
  const saved = sh.fds;
  sh.fds = fds;
  try {
    return await dispatch(sh, words, tempEnv);
  } finally {
    sh.fds = saved;
  }
}

interface Assignment {
  name: string;
  value: string;
  append: boolean;
  /** `NAME=(…)`: the expanded elements. */
  array?: string[];
  /** `NAME[i]=…`: the evaluated subscript. */
  index?: number;
  /** `NAME[key]=…` on an associative array: the expanded key. */
  key?: string;
  /** `NAME=([k]=v …)`, or any `NAME=(…)` of an associative array. */
  entries?: CompoundEntry[];
}

const DECLARATIONS = new Set(["declare", "typeset", "local", "readonly"]);

/** The declaration builtin a command names literally (its `NAME=(…)` arguments are compound assignments). */
function declaration(node: SimpleCommandNode): string | undefined {
  const p = node.name?.parts;
  return p?.length === 1 && p[0]!.type === "Literal" && DECLARATIONS.has(p[0].value) ? p[0].value : undefined;
}

function setKey(sh: Interpreter, name: string, key: string, value: string, append: boolean): void {
  const m = sh.state.assoc.get(name)!;
  m.set(key, append ? (m.get(key) ?? "") + value : value);
}

function setVar(sh: Interpreter, name: string, value: string): void {
  sh.state.vars.set(name, value);
  if (sh.state.options.allexport) sh.state.exported.add(name);
}

function traceQuote(w: string): string {
  return /^[A-Za-z0-9_@%+=:,./-]+$/.test(w) ? w : `'${w.replace(/'/g, `'\\''`)}'`;
}

/** Runs a command whose words are already expanded (also used by `command`, `exec`, `eval`-free paths). */
export function dispatch(sh: Interpreter, words: string[], tempEnv: Record<string, string> = NO_TEMP_ENV): Promise<number> | number {
  const name = words[0]!;
  const fn = sh.state.functions.get(name);
  if (fn) return withTempVars(sh, tempEnv, () => sh.callFunction(fn, words.slice(1)));
  const builtin = BUILTINS.get(name);
  if (builtin) return tempEnv === NO_TEMP_ENV ? builtin(sh, words) : withTempVars(sh, tempEnv, async () => builtin(sh, words));
  return runExternal(sh, words, tempEnv);
}

/** Runs a program (registry or delegated), or reports it missing; no functions or builtins. */
export function runExternal(sh: Interpreter, words: string[], tempEnv: Record<string, string> = NO_TEMP_ENV): Promise<number> | number {
  const name = words[0]!;
  const r = resolveProgram(name, sh.rt.ctx);
  if (name.includes("/") && r.kind !== "none") {
    const path = resolvePath(sh.state.cwd, name);
    if (!sh.fs.exists(path) && !/^\/(usr\/)?s?bin\//.test(path)) return notFound(sh, name);
  }
  if (r.kind === "program") return runProgram(sh, r.spec, words, tempEnv);
  if (r.kind === "delegated") return runTextUtility(sh, words, tempEnv);
  return notFound(sh, name);
}

async function withTempVars(sh: Interpreter, tempEnv: Record<string, string>, f: () => Promise<number>): Promise<number> {
  const names = Object.keys(tempEnv);
  if (names.length === 0) return f();
  const old = names.map((n) => [n, sh.state.vars.get(n)] as const);
  for (const n of names) sh.state.vars.set(n, tempEnv[n]!);
  try {
    return await f();
  } finally {
    for (const [n, v] of old) {
      if (v === undefined) sh.state.vars.delete(n);
      else sh.state.vars.set(n, v);
    }
  }
}

/** Runs a registry program with the current fds. */
export async function runProgram(sh: Interpreter, spec: ProgramSpec, argv: string[], tempEnv: Record<string, string>): Promise<number> {
  const stderr = sh.fds.out.get(2);
  const proc = new ShellProc(argv, sh.state, sh.fds, tempEnv, sh.rt);
  let status: number;
  try {
    status = await spec.run(proc);
  } catch (e) {
    if (isShellSignal(e)) throw e;
    if (e instanceof FsError) {
      // A write to a redirected file failed (e.g. EINVAL from a /proc/sys file).
      stderr?.write(`${argv[0]}: write error: ${strerror(e.errno)}\n`);
      status = 1;
    } else {
      const msg = e instanceof Error ? e.message : String(e);
      stderr?.write(`lab: internal error in ${spec.name}: ${msg.split("\n")[0]}\n`);
      status = 70;
    }
  }
  checkDeadline(sh.rt);
  return Number.isInteger(status) ? ((status % 256) + 256) % 256 : 70;
}

async function runTextUtility(sh: Interpreter, argv: string[], tempEnv: Record<string, string>): Promise<number> {
  const fds = sh.fds;
  // The utility's stdin is what is left of ours; it is not consumed, so `while read` loops that
  // call grep on a file keep their input (a real grep reading stdin would drain it).
  const stdin = fds.stdin.data.slice(fds.stdin.pos);
  const name = argv[0]!.includes("/") ? argv[0]!.slice(argv[0]!.lastIndexOf("/") + 1) : argv[0]!;
  let r: { stdout: string; stderr: string; exitCode: number };
  let args = argv.slice(1);
  if (name === "ls") args = lsOperandOrder(args);
  try {
    // Native or not, the result is awaited: the shell yields here as it always has.
    r = await (runNative([name, ...args], stdin, sh.fs, sh.state.cwd) ??
      runDelegated([name, ...args], {
        fs: sh.fs,
        cwd: sh.state.cwd,
        env: { ...exportedEnv(sh.state), ...tempEnv },
        stdin,
        exec: (command, input) => captureCommand(sh, command, input),
      }));
  } catch (e) {
    const msg = e instanceof Error ? e.message : String(e);
    fds.out.get(2)?.write(`lab: internal error in ${name}: ${msg.split("\n")[0]}\n`);
    return 70;
  }
  if (readsStdin(name, argv.slice(1))) fds.stdin.takeAll();
  try {
    // GNU ls reports missing operands before it lists anything; the others write in order.
    if (name === "ls") {
      fds.out.get(2)?.write(r.stderr);
      // just-bash leaves a separator line for a missing operand it skipped.
      fds.out.get(1)?.write(r.stdout.replace(/\n\n+$/, "\n"));
    } else {
      fds.out.get(1)?.write(r.stdout);
      fds.out.get(2)?.write(r.stderr);
    }
  } catch (e) {
    const errno = errnoOf(e);
    if (!errno || isShellSignal(e)) throw e;
    fds.out.get(2)?.write(`${name}: write error: ${strerror(errno)}\n`);
    return 1;
  }
  return r.exitCode;
}

/** Runs a command line in a subshell of `sh`, capturing its output (xargs's children). */
async function captureCommand(sh: Interpreter, command: string, stdin: string): Promise<{ stdout: string; stderr: string; exitCode: number }> {
  const out = new BufferSink();
  const err = new BufferSink();
  const sub = sh.subshell({ out: new Map<number, Sink>([[1, out], [2, err]]), stdin: new Input(stdin) });
  let statements;
  try {
    statements = parse(command).statements;
  } catch (e) {
    return { stdout: "", stderr: syntaxErrorText(sh.rt.flavor, e, command), exitCode: 2 };
  }
  const exitCode = await sh.runInSubshell(sub, statements);
  return { stdout: out.text(), stderr: err.text(), exitCode };
}

/** GNU ls sorts its operands (just-bash keeps them as given), unless told another order. */
function lsOperandOrder(args: string[]): string[] {
  const opts = args.filter((a) => a.startsWith("-") && a !== "-");
  const ops = args.filter((a) => !a.startsWith("-") || a === "-");
  if (opts.some((o) => /^-[a-zA-Z]*[tSUfvX]/.test(o) || o === "--sort" || o.startsWith("--sort="))) return args;
  const sorted = [...ops].sort();
  if (opts.some((o) => /^-[a-zA-Z]*r/.test(o) || o === "--reverse")) sorted.reverse();
  return [...opts, ...sorted];
}

/** Whether a delegated filter read its standard input (no file operands). */
function readsStdin(name: string, args: string[]): boolean {
  if (name === "xargs" || name === "tee") return true;
  if (["ls", "mkdir", "rm", "rmdir", "touch", "cp", "mv", "seq", "printf", "basename", "dirname", "find", "expr", "stat", "tree"].includes(name)) return false;
  const operands = args.filter((a) => !a.startsWith("-") || a === "-");
  const needsPattern = ["grep", "egrep", "fgrep", "sed", "awk"].includes(name) && !args.some((a) => /^-[ef]/.test(a));
  return operands.length <= (needsPattern ? 1 : 0) || operands.includes("-");
}

/** `lab: X: not available in the simulator` for real programs we lack, else the shell's own message. */
export function notFound(sh: Interpreter, name: string): number {
  const base = name.slice(name.lastIndexOf("/") + 1);
  const missingHere = programSpec(base) !== undefined || !KNOWN_REAL_PROGRAMS.has(base);
  if (name.includes("/")) {
    const path = resolvePath(sh.state.cwd, name);
    if (sh.fs.isDir(path)) {
      sh.error(`${name}: Is a directory\n`);
      return 126;
    }
    if (!sh.fs.exists(path)) {
      sh.error(sh.rt.flavor === "ash" ? `${name}: not found\n` : `${name}: No such file or directory\n`);
      return 127;
    }
    sh.error(`${name}: Permission denied\n`);
    return 126;
  }
  if (missingHere) {
    sh.error(sh.rt.flavor === "ash" ? `${name}: not found\n` : `${name}: command not found\n`);
    return 127;
  }
  sh.fds.out.get(2)?.write(`lab: ${name}: not available in the simulator (available: ${availablePrograms(sh.rt.ctx).join(", ")})\n`);
  return 127;
}
