/**
 * Shell builtins: the commands that change the shell itself (cd, export, set, read, exit, ...)
 * and the ones bash runs in-process (echo, test, true). Messages are bash's, prefixed as the
 * shell prefixes them (`bash: cd: /x: No such file or directory`).
 */
import { parse } from "just-bash";
import type { ScriptNode } from "./ast.js";
import type { Interpreter } from "./interpreter.js";
import { syntaxErrorText } from "./syntax-error.js";
import { arith, ExpansionError } from "./expand.js";
import { subscriptIndex, subscriptKey } from "./expand.js";
import { isAssocName, setScalar, subscripted, unsetArray, unsetElement } from "./arrays.js";
import { DECLARATION_BUILTINS, declareLine } from "./declare.js";
import { resolveProgram } from "./programs.js";
import { ExitSignal, LimitAbort, LoopSignal, ReturnSignal } from "./signals.js";
import { resolvePath } from "./vfs.js";
import { xargs } from "./xargs.js";
import { echoText } from "../userland/lib/echo.js";
import { errnoOf, strerror } from "../userland/lib/errno.js";
import { evaluateTest } from "../userland/lib/test-expr.js";

type Builtin = (sh: Interpreter, argv: string[]) => Promise<number> | number;

const out = (sh: Interpreter, t: string): void => sh.fds.out.get(1)?.write(t);

/** Where `command -v` / `type` / `which` say a program lives (iproute2 and netfilter tools in sbin). */
export function programPath(name: string): string {
  const sbin = /^(ip|ip6?tables.*|iptables-(save|restore)|sysctl|brctl|bridge|conntrack|ifconfig|route|arp|tc|ipvsadm|nft|xtables.*)$/;
  return sbin.test(name) ? `/usr/sbin/${name}` : `/usr/bin/${name}`;
}

function isName(s: string): boolean {
  return /^[A-Za-z_][A-Za-z0-9_]*$/.test(s);
}

function setQuote(v: string): string {
  return /^[A-Za-z0-9_@%+=:,./-]*$/.test(v) && v !== "" ? v : `'${v.replace(/'/g, `'\\''`)}'`;
}

async function runText(sh: Interpreter, text: string): Promise<number> {
  let script: ScriptNode;
  try {
    script = parse(text);
  } catch (e) {
    sh.fds.out.get(2)?.write(syntaxErrorText(sh.rt.flavor, e, text));
    return 2;
  }
  return sh.runStatements(script.statements);
}

const cd: Builtin = (sh, argv) => {
  const args = argv.slice(1).filter((a, i) => !(i === 0 && (a === "-L" || a === "-P")));
  if (args.length > 1) {
    sh.error("cd: too many arguments\n");
    return 1;
  }
  let target: string | undefined = args[0];
  let print = false;
  if (target === undefined) {
    target = sh.state.vars.get("HOME");
    if (target === undefined) {
      sh.error("cd: HOME not set\n");
      return 1;
    }
  } else if (target === "-") {
    target = sh.state.vars.get("OLDPWD");
    if (target === undefined) {
      sh.error("cd: OLDPWD not set\n");
      return 1;
    }
    print = true;
  }
  const path = resolvePath(sh.state.cwd, target as string);
  if (!sh.fs.exists(path)) {
    sh.error(sh.rt.flavor === "ash" ? `cd: line ${Math.max(1, sh.line)}: can't cd to ${target}: No such file or directory\n` : `cd: ${target}: No such file or directory\n`);
    return sh.rt.flavor === "ash" ? 2 : 1;
  }
  if (!sh.fs.isDir(path)) {
    sh.error(sh.rt.flavor === "ash" ? `cd: line ${Math.max(1, sh.line)}: can't cd to ${target}: Not a directory\n` : `cd: ${target}: Not a directory\n`);
    return sh.rt.flavor === "ash" ? 2 : 1;
  }
  sh.state.vars.set("OLDPWD", sh.state.cwd);
  sh.state.exported.add("OLDPWD");
  sh.state.cwd = path;
  sh.state.vars.set("PWD", path);
  if (print) out(sh, path + "\n");
  return 0;
};

const exportB: Builtin = (sh, argv) => {
  let args = argv.slice(1);
  let unexport = false;
  while (args[0]?.startsWith("-") && args[0] !== "-") {
    if (args[0] === "-n") unexport = true;
    else if (args[0] === "--") {
      args = args.slice(1);
      break;
    } else if (args[0] !== "-p") {
      sh.error(`export: ${args[0]}: invalid option\nexport: usage: export [-fn] [name[=value] ...] or export -p\n`);
      return 2;
    }
    args = args.slice(1);
  }
  if (args.length === 0) {
    for (const k of [...sh.state.exported].sort()) out(sh, `${declareLine(sh.state, k) ?? `declare -x ${k}`}\n`);
    return 0;
  }
  let status = 0;
  for (const a of args) {
    const eq = a.indexOf("=");
    const name = eq < 0 ? a : a.slice(0, eq);
    if (!isName(name)) {
      sh.error(`export: \`${a}': not a valid identifier\n`);
      status = 1;
      continue;
    }
    if (eq >= 0) sh.state.vars.set(name, a.slice(eq + 1));
    if (unexport) sh.state.exported.delete(name);
    else sh.state.exported.add(name);
  }
  return status;
};

const unset: Builtin = async (sh, argv) => {
  let fn = false;
  for (const a of argv.slice(1)) {
    const el = subscripted(a);
    if (a === "-f") fn = true;
    else if (a === "-v") fn = false;
    else if (fn) sh.state.functions.delete(a);
    else if (el && isAssocName(sh.state, el.name)) {
      try {
        sh.state.assoc.get(el.name)!.delete(await subscriptKey(sh, el.sub));
      } catch (e) {
        if (!(e instanceof ExpansionError)) throw e;
        sh.error(`unset: ${e.message}\n`);
        return 1;
      }
    } else if (el) {
      try {
        unsetElement(sh.state, el.name, await subscriptIndex(sh, el.sub));
      } catch (e) {
        if (!(e instanceof ExpansionError)) throw e;
        sh.error(`unset: ${e.message}\n`);
        return 1;
      }
    } else if (!isName(a)) {
      sh.error(`unset: \`${a}': not a valid identifier\n`);
      return 1;
    } else {
      sh.state.vars.delete(a);
      unsetArray(sh.state, a);
      sh.state.exported.delete(a);
      if (!sh.state.vars.has(a)) sh.state.functions.delete(a);
    }
  }
  return 0;
};

const OPTION_LETTERS: Record<string, keyof Interpreter["state"]["options"]> = { e: "errexit", u: "nounset", x: "xtrace", f: "noglob", a: "allexport" };

const set: Builtin = (sh, argv) => {
  const args = argv.slice(1);
  if (args.length === 0) {
    for (const k of [...sh.state.vars.keys()].sort()) out(sh, `${k}=${setQuote(sh.state.vars.get(k)!)}\n`);
    return 0;
  }
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === "--") {
      sh.state.positional = args.slice(i + 1);
      return 0;
    }
    if ((a === "-o" || a === "+o") && i + 1 < args.length) {
      const name = args[++i]!;
      const known = ["errexit", "nounset", "xtrace", "pipefail", "noglob", "allexport"];
      if (!known.includes(name)) {
        sh.error(`set: ${name}: invalid option name\n`);
        return 1;
      }
      sh.state.options[name as keyof typeof sh.state.options] = a === "-o";
      continue;
    }
    if (/^[-+][a-zA-Z]+$/.test(a)) {
      for (const c of a.slice(1)) {
        const opt = OPTION_LETTERS[c];
        if (!opt) {
          sh.error(`set: ${a[0]}${c}: invalid option\nset: usage: set [-abefhkmnptuvxBCEHPT] [-o option-name] [--] [-] [arg ...]\n`);
          return 2;
        }
        sh.state.options[opt] = a[0] === "-";
      }
      continue;
    }
    sh.state.positional = args.slice(i);
    return 0;
  }
  return 0;
};

const exit: Builtin = (sh, argv) => {
  const a = argv[1];
  if (a === undefined) throw new ExitSignal(sh.state.lastStatus);
  if (!/^[+-]?\d+$/.test(a)) {
    sh.error(`exit: ${a}: numeric argument required\n`);
    throw new ExitSignal(2);
  }
  throw new ExitSignal(((Number(a) % 256) + 256) % 256);
};

const ret: Builtin = (sh, argv) => {
  if (sh.funcDepth === 0) {
    sh.error("return: can only `return' from a function or sourced script\n");
    return 1;
  }
  const a = argv[1];
  if (a !== undefined && !/^[+-]?\d+$/.test(a)) {
    sh.error(`return: ${a}: numeric argument required\n`);
    throw new ReturnSignal(2);
  }
  throw new ReturnSignal(a === undefined ? sh.state.lastStatus : ((Number(a) % 256) + 256) % 256);
};

function loop(kind: "break" | "continue"): Builtin {
  return (sh, argv) => {
    const n = argv[1] === undefined ? 1 : Number(argv[1]);
    if (!/^[+-]?\d+$/.test(argv[1] ?? "1")) {
      sh.error(`${kind}: ${argv[1]}: numeric argument required\n`);
      return 1;
    }
    if (n < 1) {
      sh.error(`${kind}: ${argv[1]}: loop count out of range\n`);
      return 1;
    }
    if (sh.loopDepth === 0) {
      sh.error(`${kind}: only meaningful in a \`for', \`while', or \`until' loop\n`);
      return 0;
    }
    throw new LoopSignal(kind, Math.min(n, sh.loopDepth));
  };
}

const shift: Builtin = (sh, argv) => {
  const n = argv[1] === undefined ? 1 : Number(argv[1]);
  if (!Number.isInteger(n) || n < 0) {
    sh.error(`shift: ${argv[1]}: numeric argument required\n`);
    return 1;
  }
  if (n > sh.state.positional.length) return 1;
  sh.state.positional = sh.state.positional.slice(n);
  return 0;
};

const read: Builtin = (sh, argv) => {
  let raw = false;
  const names: string[] = [];
  const args = argv.slice(1);
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === "-r") raw = true;
    else if (a === "-p" || a === "-t" || a === "-u" || a === "-d" || a === "-n") {
      if (a === "-p") sh.fds.out.get(2)?.write(args[i + 1] ?? "");
      i++;
    } else if (/^-[rs]+$/.test(a)) raw = raw || a.includes("r");
    else names.push(a);
  }
  let got = sh.fds.stdin.takeLine();
  if (!got) {
    for (const n of names.length ? names : ["REPLY"]) setScalar(sh.state, n, "");
    return 1;
  }
  let line = got.line;
  if (!raw) {
    while (line.endsWith("\\") && got?.sawNewline) {
      line = line.slice(0, -1);
      got = sh.fds.stdin.takeLine();
      if (!got) break;
      line += got.line;
    }
    line = line.replace(/\\(.)/g, "$1");
  }
  if (names.length === 0) {
    setScalar(sh.state, "REPLY", line);
    return got?.sawNewline === false ? 1 : 0;
  }
  const ifs = sh.state.vars.get("IFS") ?? " \t\n";
  const ws = /^[ \t\n]*$/.test(ifs);
  let rest = ws ? line.replace(/^[ \t\n]+/, "") : line;
  for (let i = 0; i < names.length; i++) {
    if (i === names.length - 1) {
      setScalar(sh.state, names[i]!, ws ? rest.replace(/[ \t\n]+$/, "") : rest);
      break;
    }
    const m = new RegExp(`[${ifs.replace(/[\]\\^-]/g, "\\$&")}]+`).exec(rest);
    if (!m) {
      setScalar(sh.state, names[i]!, rest);
      rest = "";
      continue;
    }
    setScalar(sh.state, names[i]!, rest.slice(0, m.index));
    rest = rest.slice(m.index + m[0].length);
  }
  return got?.sawNewline === false ? 1 : 0;
};

const evalB: Builtin = (sh, argv) => runText(sh, argv.slice(1).join(" "));

const source: Builtin = async (sh, argv) => {
  const file = argv[1];
  if (file === undefined) {
    sh.error(`${argv[0]}: filename argument required\n${argv[0]}: usage: ${argv[0]} filename [arguments]\n`);
    return 2;
  }
  const path = resolvePath(sh.state.cwd, file);
  let text: string | undefined;
  try {
    text = sh.fs.readFile(path);
  } catch (e) {
    sh.error(`${file}: ${strerror(errnoOf(e) ?? "EIO")}\n`);
    return 1;
  }
  if (text === undefined) {
    sh.error(`${file}: No such file or directory\n`);
    return 1;
  }
  const saved = sh.state.positional;
  if (argv.length > 2) sh.state.positional = argv.slice(2);
  sh.funcDepth++;
  try {
    return await runText(sh, text);
  } catch (e) {
    if (e instanceof ReturnSignal) return e.status;
    throw e;
  } finally {
    sh.funcDepth--;
    if (argv.length > 2) sh.state.positional = saved;
  }
};

function describe(sh: Interpreter, name: string): { kind: "function" | "builtin" | "file" | "keyword"; path?: string } | undefined {
  if (KEYWORDS.has(name)) return { kind: "keyword" };
  if (sh.state.functions.has(name)) return { kind: "function" };
  if (BUILTINS.has(name)) return { kind: "builtin" };
  if (resolveProgram(name, sh.rt.ctx).kind !== "none") return { kind: "file", path: programPath(name) };
  return undefined;
}

const KEYWORDS = new Set(["if", "then", "else", "elif", "fi", "for", "while", "until", "do", "done", "case", "esac", "in", "function", "time", "!", "{", "}", "[["]);

const type: Builtin = (sh, argv) => {
  let status = 0;
  for (const name of argv.slice(1).filter((a) => !a.startsWith("-"))) {
    const d = describe(sh, name);
    if (!d) {
      sh.error(`type: ${name}: not found\n`);
      status = 1;
    } else if (d.kind === "keyword") out(sh, `${name} is a shell keyword\n`);
    else if (d.kind === "function") out(sh, `${name} is a function\n`);
    else if (d.kind === "builtin") out(sh, `${name} is a shell builtin\n`);
    else out(sh, `${name} is ${d.path}\n`);
  }
  return status;
};

const command: Builtin = async (sh, argv) => {
  const args = argv.slice(1);
  if (args[0] === "-v" || args[0] === "-V") {
    let status = 0;
    for (const name of args.slice(1)) {
      const d = describe(sh, name);
      if (!d) {
        status = 1;
        if (args[0] === "-V") sh.error(`command: ${name}: not found\n`);
      } else out(sh, args[0] === "-v" ? `${d.path ?? name}\n` : `${name} is ${d.path ?? `a shell ${d.kind}`}\n`);
    }
    return status;
  }
  if (args.length === 0) return 0;
  return BUILTINS.has(args[0]!) ? sh.dispatch(args) : sh.runExternal(args);
};

const which: Builtin = (sh, argv) => {
  let status = 0;
  for (const name of argv.slice(1).filter((a) => !a.startsWith("-"))) {
    if (resolveProgram(name, sh.rt.ctx).kind !== "none") out(sh, programPath(name) + "\n");
    else status = 1;
  }
  return status;
};

const test: Builtin = (sh, argv) => {
  let args = argv.slice(1);
  if (argv[0] === "[") {
    if (args[args.length - 1] !== "]") {
      sh.error("[: missing `]'\n");
      return 2;
    }
    args = args.slice(0, -1);
  }
  const r = evaluateTest(args, sh.fs, sh.state.cwd);
  if (r.error) sh.error(`${argv[0]}: ${r.error}\n`);
  return r.status;
};

const echo: Builtin = (sh, argv) => {
  try {
    out(sh, echoText(argv.slice(1)));
  } catch (e) {
    const errno = errnoOf(e);
    if (!errno) throw e;
    sh.error(`echo: write error: ${strerror(errno)}\n`);
    return 1;
  }
  return 0;
};

const pwd: Builtin = (sh) => {
  out(sh, sh.state.cwd + "\n");
  return 0;
};

const letB: Builtin = async (sh, argv) => {
  let v = 0;
  for (const a of argv.slice(1)) {
    const script = parse(`(( ${a} ))`);
    const cmd = script.statements[0]?.pipelines[0]?.commands[0];
    if (cmd?.type !== "ArithmeticCommand") return 1;
    v = await arith(sh, cmd.expression, "let");
  }
  return v !== 0 ? 0 : 1;
};

const shell: Builtin = async (sh, argv) => {
  // sh / bash: `-c SCRIPT [NAME [ARGS]]`, or a script file, run in a child shell.
  const args = argv.slice(1).filter((a) => a !== "-e" && a !== "-x" && a !== "-eu");
  const sub = sh.subshell();
  sub.funcDepth = 0;
  let text: string;
  if (args[0] === "-c") {
    if (args[1] === undefined) {
      sh.error(`-c: option requires an argument\n`);
      return 2;
    }
    text = args[1];
    sub.state.argv0 = args[2] ?? argv[0]!;
    sub.state.positional = args.slice(3);
  } else if (args[0] !== undefined) {
    const path = resolvePath(sh.state.cwd, args[0]);
    const content = sh.fs.readFile(path);
    if (content === undefined) {
      sh.fds.out.get(2)?.write(`${argv[0]}: ${args[0]}: No such file or directory\n`);
      return 127;
    }
    text = content;
    sub.state.argv0 = args[0];
    sub.state.positional = args.slice(1);
  } else {
    text = sh.fds.stdin.takeAll();
  }
  try {
    return await runText(sub, text);
  } catch (e) {
    if (e instanceof ExitSignal) return e.status;
    throw e;
  }
};

const UNIT_MS: Record<string, number> = { "": 1000, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/**
 * timeout DURATION COMMAND (coreutils): runs COMMAND with the exec's deadline lowered to now +
 * DURATION of virtual time; exit 124 if it was cut. Built in because it changes the budget.
 */
const timeout: Builtin = async (sh, argv) => {
  const args = argv.slice(1);
  while (args[0]?.startsWith("-") && args[0] !== "-" && args[0] !== "--") {
    const a = args.shift()!;
    if (/^-(s|k)$/.test(a) || a === "--signal" || a === "--kill-after") args.shift();
    else if (!/^(--foreground|--preserve-status|-v|--verbose|--signal=.*|--kill-after=.*|-[sk].+)$/.test(a)) {
      sh.fds.out.get(2)?.write(`timeout: unrecognized option '${a}'\nTry 'timeout --help' for more information.\n`);
      return 125;
    }
  }
  if (args[0] === "--") args.shift();
  // coreutils timeout.c: fewer than two operands → usage(EXIT_CANCELED), which prints only the hint.
  if (args.length < 2 && !(args.length === 1 && !/^(\d+(?:\.\d*)?|\.\d+)([smhd]?)$/.test(args[0]!))) {
    sh.fds.out.get(2)?.write("Try 'timeout --help' for more information.\n");
    return 125;
  }
  const m = /^(\d+(?:\.\d*)?|\.\d+)([smhd]?)$/.exec(args[0]!);
  if (!m) {
    sh.fds.out.get(2)?.write(`timeout: invalid time interval \u2018${args[0]}\u2019\nTry 'timeout --help' for more information.\n`);
    return 125;
  }
  const ms = parseFloat(m[1]!) * UNIT_MS[m[2]!]!;
  const cmd = args.slice(1);
  if (resolveProgram(cmd[0]!, sh.rt.ctx).kind === "none" && !BUILTINS_RUNNABLE_BY_TIMEOUT.has(cmd[0]!)) {
    sh.fds.out.get(2)?.write(`timeout: failed to run command \u2018${cmd[0]}\u2019: No such file or directory\n`);
    return 127;
  }
  const budget = sh.rt.budget;
  const outer = budget.deadline;
  const inner = ms === 0 ? outer : Math.min(outer, sh.rt.world.clock.now() + ms);
  budget.deadline = inner;
  try {
    return await (BUILTINS_RUNNABLE_BY_TIMEOUT.has(cmd[0]!) ? sh.dispatch(cmd) : sh.runExternal(cmd));
  } catch (e) {
    if (e instanceof LimitAbort && e.kind === "timeout" && inner < outer) return 124;
    throw e;
  } finally {
    budget.deadline = outer;
  }
};

/** Programs `timeout` can run that the shell implements itself. */
const BUILTINS_RUNNABLE_BY_TIMEOUT = new Set(["sh", "bash"]);

/** exec COMMAND: runs it and ends the shell with its status (no process replacement to model). */
const exec: Builtin = async (sh, argv) => {
  if (argv.length === 1) return 0;
  const status = BUILTINS.has(argv[1]!) ? await sh.dispatch(argv.slice(1)) : await sh.runExternal(argv.slice(1));
  throw new ExitSignal(status);
};

const noop: Builtin = () => 0;

/** The builtin table, by name. */
export const BUILTINS: ReadonlyMap<string, Builtin> = new Map<string, Builtin>([
  [":", noop], ["true", noop], ["false", () => 1], ["echo", echo], ["pwd", pwd], ["test", test], ["[", test],
  ["cd", cd], ["export", exportB], ["unset", unset], ["set", set], ["exit", exit], ["return", ret],
  ["break", loop("break")], ["continue", loop("continue")], ["shift", shift],
  ...DECLARATION_BUILTINS, ["read", read], ["eval", evalB],
  ["source", source], [".", source], ["type", type], ["command", command], ["which", which], ["let", letB],
  ["sh", shell], ["bash", shell], ["timeout", timeout], ["exec", exec], ["xargs", xargs], ["wait", noop], ["trap", noop], ["hash", noop], ["umask", noop],
  ["ulimit", noop], ["shopt", noop], ["alias", noop], ["unalias", noop],
]);
