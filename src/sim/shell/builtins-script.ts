/**
 * Builtins that run shell text: eval, source/`.` (in this shell; `return` ends the file) and
 * sh/bash (`-c SCRIPT`, a script file or stdin, in a child shell). A syntax error prints the
 * shell's own message and is status 2.
 */
import { parse } from "just-bash";
import type { ScriptNode } from "./ast.js";
import type { Interpreter } from "./interpreter.js";
import { syntaxErrorText } from "./syntax-error.js";
import { ExitSignal, ReturnSignal } from "./signals.js";
import { resolvePath } from "./vfs.js";
import type { Builtin } from "./builtins-base.js";
import { errnoOf, strerror } from "../userland/lib/errno.js";

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

/** eval ARGS: runs the arguments, joined by spaces, as shell text in this shell. */
export const evalB: Builtin = (sh, argv) => runText(sh, argv.slice(1).join(" "));

/** source FILE [ARGS]: runs FILE in this shell, with ARGS as positional parameters while it runs. */
export const source: Builtin = async (sh, argv) => {
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

/** sh/bash [-c SCRIPT [NAME [ARGS]] | FILE [ARGS]]: runs the script in a child shell. */
export const shell: Builtin = async (sh, argv) => {
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
