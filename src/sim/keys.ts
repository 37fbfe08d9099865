/**
 * Command keys: what a command line will do in the simulator, as data, so that callers can tell
 * two spellings of the same command apart from two different commands without running either.
 * The simulator's second public entry, light on purpose (the shell's parser and the docker
 * client's flag parsing; no world): the grader's main thread keys every submission with it.
 *
 *   `docker  run -d  'nginx'`               ─► argv ["docker","run","-d","nginx"]
 *   `docker run --name=web -p 1234:80 -d nginx` ┐
 *   `docker container run -dp1234:80 --name web nginx` ┴► the CreateRequest both send to dockerd
 *
 * Sound by construction: a key is only made of what the code that runs the command reads. A
 * command line is keyed only when the shell would run it as one simple command of literal words
 * (src/sim/shell/literal.ts, the interpreter's own fast path: no expansion, assignment,
 * redirection, pipeline, list or background), so its words are its argv; and a tool's request
 * replaces the argv only where that tool's run reads nothing else (dockerCommandKey). That last
 * step assumes the name runs the program: a shell function of the same name would see the
 * words, so the caller must check `program` is not one (SimSession.isFunction).
 */
import { parse } from "just-bash";
import type { ScriptNode } from "./shell/ast.js";
import { literalWords } from "./shell/literal.js";
import { isMultiline } from "./shell/runtime.js";
import { dockerCommandKey } from "./userland/docker/index.js";

/** A command line's key: `key` is equal for command lines that run alike; `program` is set when that needs `argv[0]` to run the program of that name. */
export interface CommandKey {
  key: string;
  program?: string;
}

/** Tools whose command lines reduce to a request (their run reads nothing else of argv). */
const TOOLS: Record<string, (argv: readonly string[]) => unknown> = {
  docker: dockerCommandKey,
};

/** The key of one command line as the shell session would exec it, or undefined when it is not one simple literal command. */
export function commandKey(text: string): CommandKey | undefined {
  let script: ScriptNode;
  try {
    script = parse(text);
  } catch {
    return undefined;
  }
  if (script.statements.length !== 1) return undefined;
  const st = script.statements[0]!;
  if (st.deferredError || st.background || st.pipelines.length !== 1) return undefined;
  const p = st.pipelines[0]!;
  if (p.negated || p.timed || p.commands.length !== 1) return undefined;
  const c = p.commands[0]!;
  if (c.type !== "SimpleCommand" || c.assignments.length > 0 || c.redirections.length > 0) return undefined;
  const argv = literalWords(c);
  if (!argv || argv.length === 0) return undefined;
  // What else the interpreter reads of the text: the command's line (in `bash: line N:` messages)
  // and whether the script spans lines (session.ts isMultiline).
  const where = [c.line ?? 0, isMultiline(text)];
  const tool = TOOLS[argv[0]!];
  const request = tool?.(argv);
  if (request !== undefined) return { key: JSON.stringify([...where, "request", argv[0], request]), program: argv[0]! };
  return { key: JSON.stringify([...where, "argv", argv]) };
}
