/**
 * The declaration builtins `declare`/`typeset`, `local` and `readonly`: attributes that change
 * what a name holds (`-A` associative, `-a` indexed, `-x` exported), compound values
 * (`declare -A m=([k]=v)`, requoted by compound.ts before they get here), function-local
 * copies, and `declare -p` in bash 5.2's exact words and quoting.
 */
import { elements, isAssocName, makeAssoc, saveVar, unsetArray } from "./arrays.js";
import { applyCompound, evalCompound, parseCompoundArg } from "./compound.js";
import type { Interpreter } from "./interpreter.js";
import type { ShellState } from "./state.js";

type Builtin = (sh: Interpreter, argv: string[]) => Promise<number> | number;

function isName(s: string): boolean {
  return /^[A-Za-z_][A-Za-z0-9_]*$/.test(s);
}

/** bash's ansic_quote: `$'…'` with C escapes, for values holding control characters. */
function ansicQuote(v: string): string {
  const esc: Record<string, string> = { "\x07": "\\a", "\b": "\\b", "\f": "\\f", "\n": "\\n", "\r": "\\r", "\t": "\\t", "\v": "\\v", "\x1b": "\\E", "'": "\\'", "\\": "\\\\" };
  let out = "";
  for (const c of v) {
    const code = c.codePointAt(0)!;
    out += esc[c] ?? (code < 0x20 || code === 0x7f ? `\\${code.toString(8).padStart(3, "0")}` : c);
  }
  return `$'${out}'`;
}

/** A value as `declare -p` prints it: `"…"` (sh_double_quote), or `$'…'` when it holds control characters. */
export function declareValue(v: string): string {
  // eslint-disable-next-line no-control-regex
  if (/[\x00-\x1f\x7f]/.test(v)) return ansicQuote(v);
  return `"${v.replace(/(["\\$`])/g, "\\$1")}"`;
}

/** An associative key as `declare -p` prints it: double-quoted when it holds shell metacharacters or is `@`/`*`. */
function declareKey(k: string): string {
  const metas = /[ \t\n'"\\|&;()<>!{}*[\]?^$`]/.test(k) || /^[~#]|[=:]~/.test(k) || k === "@" || k === "*";
  return metas ? `"${k.replace(/(["\\$`])/g, "\\$1")}"` : k;
}

/** One `declare -p NAME` line (also `export -p`'s), or undefined when the name is not set. */
export function declareLine(s: ShellState, name: string): string | undefined {
  const x = s.exported.has(name) ? "x" : "";
  const assoc = s.assoc.get(name);
  if (assoc) {
    if (!assoc.visible) return `declare -A${x} ${name}`;
    const body = assoc.entries().map(([k, v]) => `[${declareKey(k)}]=${declareValue(v)} `).join("");
    return `declare -A${x} ${name}=(${body})`;
  }
  if (s.arrays.has(name)) {
    const body = elements(s, name).map(([i, v]) => `[${i}]=${declareValue(v)}`).join(" ");
    return `declare -a${x} ${name}=(${body})`;
  }
  const v = s.vars.get(name);
  if (v === undefined) return undefined;
  return `declare -${x || "-"} ${name}=${declareValue(v)}`;
}

interface Flags {
  assoc: boolean;
  indexed: boolean;
  exported: boolean;
  print: boolean;
  global: boolean;
}

/** declare/typeset/local/readonly; `local` is `declare` that must run inside a function. */
async function declaration(sh: Interpreter, argv: string[]): Promise<number> {
  const cmd = argv[0]!;
  const s = sh.state;
  if (cmd === "local" && sh.funcDepth === 0) {
    sh.error("local: can only be used in a function\n");
    return 1;
  }
  const f: Flags = { assoc: false, indexed: false, exported: false, print: false, global: false };
  let i = 1;
  for (; i < argv.length && /^[-+][A-Za-z]+$/.test(argv[i]!); i++) {
    if (!argv[i]!.startsWith("-")) continue;
    for (const c of argv[i]!.slice(1)) {
      if (c === "A") f.assoc = true;
      else if (c === "a") f.indexed = true;
      else if (c === "x") f.exported = true;
      else if (c === "p") f.print = true;
      else if (c === "g") f.global = true;
    }
  }
  const args = argv.slice(i);
  let status = 0;
  if (f.print) {
    for (const name of args) {
      const line = declareLine(s, name);
      if (line === undefined) {
        sh.error(`${cmd}: ${name}: not found\n`);
        status = 1;
      } else sh.fds.out.get(1)?.write(line + "\n");
    }
    return status;
  }
  const local = sh.funcDepth > 0 && cmd !== "readonly" && !f.global;
  for (const a of args) {
    const compound = parseCompoundArg(a);
    const eq = a.indexOf("=");
    const name = compound?.name ?? (eq < 0 ? a : a.slice(0, eq).replace(/\+$/, ""));
    if (!isName(name)) {
      sh.error(`${cmd}: \`${a}': not a valid identifier\n`);
      status = 1;
      continue;
    }
    if (f.assoc && s.arrays.has(name)) {
      sh.error(`${cmd}: ${name}: cannot convert indexed to associative array\n`);
      status = 1;
      continue;
    }
    if (f.indexed && isAssocName(s, name)) {
      sh.error(`${cmd}: ${name}: cannot convert associative to indexed array\n`);
      status = 1;
      continue;
    }
    if (local) {
      const frame = s.localFrames[s.localFrames.length - 1]!;
      if (!frame.has(name)) {
        frame.set(name, saveVar(s, name));
        // A local associative array starts empty, not from the outer variable.
        if (f.assoc) unsetArray(s, name);
      }
    }
    if (f.assoc && !isAssocName(s, name)) {
      const hadValue = s.vars.has(name);
      // `declare -A m` alone declares without a value: `declare -p` prints no `=(…)`.
      makeAssoc(s, name).visible = hadValue || compound !== undefined || eq >= 0;
    }
    if (compound) {
      const entries = await evalCompound(sh, compound.words);
      for (const err of await applyCompound(sh, name, entries, compound.append, true)) sh.error(err + "\n");
    } else if (eq >= 0) {
      const append = a[eq - 1] === "+";
      const value = a.slice(eq + 1);
      const m = s.assoc.get(name);
      if (m) m.set("0", append ? (m.get("0") ?? "") + value : value);
      else s.vars.set(name, append ? (s.vars.get(name) ?? "") + value : value);
    } else if (!isAssocName(s, name) && !s.vars.has(name) && !s.arrays.has(name)) s.vars.set(name, "");
    if (f.exported) s.exported.add(name);
  }
  return status;
}

/** `declare`, `typeset`, `local` and `readonly` (subscripted names are not declarations). */
export const DECLARATION_BUILTINS: Array<[string, Builtin]> = ["declare", "typeset", "local", "readonly"].map((n) => [n, declaration]);
