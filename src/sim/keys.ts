/**
 * Command keys: what a command line will do in the simulator, as data, so that callers can tell
 * two spellings of the same command apart from two different commands without running either.
 * The simulator's second public entry, light on purpose (the shell's parser and the tools' flag
 * parsing; no world): the grader's main thread keys every submission with it.
 *
 *   `docker  run -d  'nginx'`               ─► argv ["docker","run","-d","nginx"]
 *   `docker run --name=web -p 1234:80 -d nginx` ┐
 *   `docker container run -dp1234:80 --name web nginx` ┴► the CreateRequest both send to dockerd
 *   `iptables -t nat -A POSTROUTING -s 172.17.0.0/16 ! -o docker0 -j MASQUERADE` ┐
 *   `iptables -A POSTROUTING ! -o docker0 --source 172.17.0.0/16 -t nat -j MASQUERADE` ┴► one parsed rule
 *
 * Sound by construction: a key is only made of what the code that runs the command reads. A
 * command line is keyed only when the shell would run it as one simple command of literal words
 * (src/sim/shell/literal.ts, the interpreter's own fast path: no expansion, assignment,
 * redirection, pipeline, list or background), so its words are its argv; and a tool's request
 * replaces the argv only where that tool's run reads nothing else (dockerCommandKey,
 * iptablesCommandKey), and only when the request is plain data (plainData). That last
 * step assumes the name runs the program: a shell function of the same name would see the
 * words, so the caller must check `program` is not one (SimSession.isFunction).
 */
import { literalWords } from "./shell/literal.js";
import { parseScript } from "./shell/parse-cache.js";
import { isMultiline } from "./shell/runtime.js";
import { dockerCommandKey } from "./userland/docker/index.js";
import { iptablesCommandKey } from "./userland/iptables/index.js";

/** A command line's key: `key` is equal for command lines that run alike; `program` is set when that needs `argv[0]` to run the program of that name. */
export interface CommandKey {
  key: string;
  program?: string;
}

/** Tools whose command lines reduce to a request (their run reads nothing else of argv). */
const TOOLS: Record<string, (argv: readonly string[]) => unknown> = {
  docker: dockerCommandKey,
  iptables: iptablesCommandKey,
  "iptables-nft": iptablesCommandKey,
  "iptables-legacy": iptablesCommandKey,
};

/** The key of one command line as the shell session would exec it, or undefined when it is not one simple literal command. */
export function commandKey(text: string): CommandKey | undefined {
  const script = parseScript(text);
  if ("error" in script || script.statements.length !== 1) return undefined;
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
  const tool = Object.hasOwn(TOOLS, argv[0]!) ? TOOLS[argv[0]!] : undefined;
  const request = tool?.(argv);
  const data = request === undefined ? undefined : plainData(request);
  if (data !== undefined) return { key: JSON.stringify([...where, "request", argv[0], data]), program: argv[0]! };
  return { key: JSON.stringify([...where, "argv", argv]) };
}

/**
 * `v` as canonical text if it is plain data (null, booleans, finite numbers, strings, arrays,
 * objects whose prototype is Object's or null, keys sorted), else undefined: a Map, a class
 * instance or a function could hold what JSON.stringify would silently drop, and then two
 * different requests would get one key. A missing key and an undefined one read the same.
 */
export function plainData(v: unknown): string | undefined {
  if (v === null || typeof v === "boolean" || typeof v === "string") return JSON.stringify(v);
  if (typeof v === "number") return Number.isFinite(v) && !Object.is(v, -0) ? JSON.stringify(v) : undefined;
  if (Array.isArray(v)) {
    const parts: string[] = [];
    for (const x of v) {
      const t = x === undefined ? "null" : plainData(x);
      if (t === undefined) return undefined;
      parts.push(t);
    }
    return `[${parts.join(",")}]`;
  }
  if (typeof v !== "object") return undefined;
  const proto = Object.getPrototypeOf(v);
  if (proto !== Object.prototype && proto !== null) return undefined;
  const parts: string[] = [];
  for (const k of Object.keys(v).sort()) {
    const x = (v as Record<string, unknown>)[k];
    if (x === undefined) continue;
    const t = plainData(x);
    if (t === undefined) return undefined;
    parts.push(`${JSON.stringify(k)}:${t}`);
  }
  return `{${parts.join(",")}}`;
}
