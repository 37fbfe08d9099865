/**
 * The persistent state of one shell session: what survives from one exec to the next
 * (cwd, variables, exports, functions, options, `$?`), and how subshells copy it.
 */
import type { FunctionDefNode } from "./ast.js";
import type { SavedVar } from "./arrays.js";
import type { AssocArray } from "./assoc.js";

type FunctionDef = FunctionDefNode;

/** Variables, exports, functions, cwd and options of a shell. */
export interface ShellState {
  cwd: string;
  vars: Map<string, string>;
  /** Indexed arrays: elements other than 0, which is the scalar in `vars` (see arrays.ts). */
  arrays: Map<string, Map<number, string>>;
  /** Associative arrays (`declare -A`); such a name is in neither `vars` nor `arrays`. */
  assoc: Map<string, AssocArray>;
  exported: Set<string>;
  functions: Map<string, FunctionDef>;
  positional: string[];
  /** `$0`. */
  argv0: string;
  lastStatus: number;
  options: { errexit: boolean; nounset: boolean; xtrace: boolean; pipefail: boolean; noglob: boolean; allexport: boolean };
  /** `$$`. */
  pid: number;
  /** `$!`: pid of the last background job, and how many were started. */
  lastBgPid?: number;
  jobs: number;
  /** Function-local variable frames (`local`): saved outer values, restored on return. */
  localFrames: Array<Map<string, SavedVar>>;
}

/** A fresh shell state starting in `cwd` with `env` exported. */
export function newState(env: Record<string, string>, cwd: string, pid: number, argv0: string): ShellState {
  const vars = new Map<string, string>();
  const exported = new Set<string>();
  for (const k in env) {
    if (!Object.hasOwn(env, k)) continue;
    vars.set(k, env[k]!);
    exported.add(k);
  }
  if (!vars.has("IFS")) vars.set("IFS", " \t\n");
  vars.set("PWD", cwd);
  exported.add("PWD");
  return {
    cwd,
    vars,
    arrays: new Map(),
    assoc: new Map(),
    exported,
    functions: new Map(),
    positional: [],
    argv0,
    lastStatus: 0,
    options: { errexit: false, nounset: false, xtrace: false, pipefail: false, noglob: false, allexport: false },
    pid,
    jobs: 0,
    localFrames: [],
  };
}

/** A subshell's copy: changes inside `( ... )`, pipelines and `$(...)` do not leak out. */
export function cloneState(s: ShellState): ShellState {
  return {
    ...s,
    vars: new Map(s.vars),
    arrays: s.arrays.size === 0 ? new Map() : new Map([...s.arrays].map(([k, v]) => [k, new Map(v)])),
    assoc: s.assoc.size === 0 ? new Map() : new Map([...s.assoc].map(([k, v]) => [k, v.clone()])),
    exported: new Set(s.exported),
    functions: new Map(s.functions),
    positional: [...s.positional],
    options: { ...s.options },
    localFrames: s.localFrames.length === 0 ? [] : s.localFrames.map((f) => new Map(f)),
  };
}

/** The environment a child program receives: the exported variables. */
export function exportedEnv(s: ShellState): Record<string, string> {
  const env: Record<string, string> = {};
  for (const k of [...s.exported].sort()) {
    const v = s.vars.get(k);
    if (v !== undefined) env[k] = v;
  }
  return env;
}
