/**
 * bash indexed arrays. Element 0 of an array is the scalar variable of the same name (in bash
 * `$a` is `${a[0]}`), so every scalar path (assignment, `read`, `for`, export, `${a:-x}`) reads
 * and writes it unchanged; the other elements sit in ShellState.arrays, a sparse map.
 *
 *   a=(x "y z")      vars: a → "x"    arrays: a → {1:"y z"}
 *   a[5]=w           arrays: a → {1:"y z", 5:"w"}
 *   a=q              vars: a → "q"    (element 0; the others stay, as in bash)
 *
 * Associative arrays (`declare -A`) live in ShellState.assoc instead (assoc.ts keeps bash's
 * key order); a name is in exactly one of vars/arrays or assoc. Their element "0" is what
 * `$m` and `m=v` read and write, as in bash.
 */
import { parse } from "just-bash";
import type { ArithmeticExpressionNode, WordNode } from "./ast.js";
import { AssocArray } from "./assoc.js";
import type { ShellState } from "./state.js";

/** `name[sub]` split into name and subscript text, or undefined for a plain name. */
export function subscripted(param: string): { name: string; sub: string } | undefined {
  const m = /^([A-Za-z_][A-Za-z0-9_]*)\[(.*)\]$/s.exec(param);
  return m ? { name: m[1]!, sub: m[2]! } : undefined;
}

/** The array's elements in index order, or an associative array's in bash's key order (a scalar is a one-element array, unset is empty). */
export function elements(s: ShellState, name: string): Array<[number | string, string]> {
  const assoc = s.assoc.get(name);
  if (assoc) return assoc.entries();
  const out: Array<[number, string]> = [];
  const first = s.vars.get(name);
  if (first !== undefined) out.push([0, first]);
  const rest = s.arrays.get(name);
  if (rest) out.push(...[...rest.entries()].sort((a, b) => a[0] - b[0]));
  return out;
}

/** One element (`${a[i]}`); negative indexes count from the end, as in bash 4.3+. */
export function element(s: ShellState, name: string, index: number): string | undefined {
  const i = index < 0 ? highest(s, name) + 1 + index : index;
  return i === 0 ? s.vars.get(name) : s.arrays.get(name)?.get(i);
}

/** Replaces the whole array (`a=(…)`), or appends after its highest index (`a+=(…)`). */
export function assignArray(s: ShellState, name: string, values: string[], append: boolean): void {
  let next = append ? highest(s, name) + 1 : 0;
  if (!append) unsetArray(s, name);
  // The (possibly empty) entry marks the name as an indexed array (`declare -p`, `declare -A`).
  if (!s.arrays.has(name)) s.arrays.set(name, new Map());
  for (const v of values) setElement(s, name, next++, v);
}

/** Sets one element (`a[i]=v`, `a[i]+=v`). */
export function setElement(s: ShellState, name: string, index: number, value: string, append = false): void {
  const i = index < 0 ? highest(s, name) + 1 + index : index;
  const v = append ? (element(s, name, i) ?? "") + value : value;
  let rest = s.arrays.get(name);
  if (!rest) s.arrays.set(name, (rest = new Map()));
  if (i === 0) s.vars.set(name, v);
  else rest.set(i, v);
}

/** Writes a variable as `x=v`, `read x`, `for x in` do: an associative array's key "0", else the scalar (element 0). */
export function setScalar(s: ShellState, name: string, value: string): void {
  const m = s.assoc.get(name);
  if (m) m.set("0", value);
  else s.vars.set(name, value);
}

/** `unset a[i]`. */
export function unsetElement(s: ShellState, name: string, index: number): void {
  if (index === 0) s.vars.delete(name);
  else s.arrays.get(name)?.delete(index);
}

/** `unset a`: the whole array. */
export function unsetArray(s: ShellState, name: string): void {
  s.vars.delete(name);
  s.arrays.delete(name);
  s.assoc.delete(name);
}

/** `declare -A name`: makes `name` associative, keeping a scalar value as key "0" (as bash does). */
export function makeAssoc(s: ShellState, name: string): AssocArray {
  let m = s.assoc.get(name);
  if (!m) {
    m = new AssocArray();
    const v = s.vars.get(name);
    if (v !== undefined) m.set("0", v);
    s.vars.delete(name);
    s.assoc.set(name, m);
  }
  return m;
}

/** Whether `name` is an associative array. */
export function isAssocName(s: ShellState, name: string): boolean {
  return s.assoc.has(name);
}

/** A variable's whole state, saved by `local` and restored when the function returns. */
export interface SavedVar {
  value?: string;
  array?: Map<number, string>;
  assoc?: AssocArray;
}

/** Saves `name` (scalar, indexed elements, associative table) before `local` shadows it. */
export function saveVar(s: ShellState, name: string): SavedVar {
  const rest = s.arrays.get(name);
  const assoc = s.assoc.get(name);
  return { value: s.vars.get(name), array: rest && new Map(rest), assoc: assoc?.clone() };
}

/** Puts back what saveVar took, dropping whatever the function made of the name. */
export function restoreVar(s: ShellState, name: string, saved: SavedVar): void {
  unsetArray(s, name);
  if (saved.value !== undefined) s.vars.set(name, saved.value);
  if (saved.array) s.arrays.set(name, saved.array);
  if (saved.assoc) s.assoc.set(name, saved.assoc);
}

/** The highest set index (-1 when none). */
function highest(s: ShellState, name: string): number {
  let max = s.vars.has(name) ? 0 : -1;
  for (const k of s.arrays.get(name)?.keys() ?? []) if (k > max) max = k;
  return max;
}

const parsedSubscripts = new Map<string, ArithmeticExpressionNode | null>();

/** A subscript's text as an arithmetic expression (bash evaluates indexed subscripts arithmetically). */
export function subscriptExpression(sub: string): ArithmeticExpressionNode | undefined {
  let node = parsedSubscripts.get(sub);
  if (node === undefined) {
    node = null;
    try {
      const script = parse(`: $((${sub}))`);
      const cmd = script.statements[0]?.pipelines[0]?.commands[0];
      const part = cmd && cmd.type === "SimpleCommand" ? cmd.args[0]?.parts[0] : undefined;
      if (part && part.type === "ArithmeticExpansion") node = part.expression;
    } catch {
      node = null;
    }
    if (parsedSubscripts.size > 1000) parsedSubscripts.clear();
    parsedSubscripts.set(sub, node);
  }
  return node ?? undefined;
}

/** Backslash-escapes what would end or split an assignment value outside quotes and `$(…)`/`${…}`. */
function escapeForValue(sub: string): string {
  let out = "";
  let depth = 0;
  let dq = false;
  for (let i = 0; i < sub.length; i++) {
    const c = sub[i]!;
    if (c === "\\") {
      out += c + (sub[++i] ?? "");
    } else if (c === "'" && !dq) {
      const end = sub.indexOf("'", i + 1);
      const stop = end < 0 ? sub.length : end + 1;
      out += sub.slice(i, stop);
      i = stop - 1;
    } else if (c === '"' && depth === 0) {
      dq = !dq;
      out += c;
    } else if (c === "$" && (sub[i + 1] === "(" || sub[i + 1] === "{")) {
      depth++;
      out += c + sub[++i];
    } else if (depth > 0 && (c === "(" || c === "{")) {
      depth++;
      out += c;
    } else if (depth > 0 && (c === ")" || c === "}")) {
      depth--;
      out += c;
    } else if (!dq && depth === 0 && (/[ \t\n;&|<>()]/.test(c) || (c === "~" && i === 0))) {
      out += "\\" + c;
    } else out += c;
  }
  return out;
}

const parsedKeys = new Map<string, WordNode | null>();

/**
 * An associative subscript's text as a word expanded like an assignment value (parameters,
 * command substitutions and quote removal; no splitting or globbing): `m["$k"]`, `m[a b]`.
 * An empty subscript parses to an empty word; text the parser rejects gives undefined.
 */
export function subscriptWord(sub: string): WordNode | undefined {
  let node = parsedKeys.get(sub);
  if (node === undefined) {
    node = null;
    try {
      const cmd = parse(`_=${escapeForValue(sub)}`).statements[0]?.pipelines[0]?.commands[0];
      const a = cmd && cmd.type === "SimpleCommand" && !cmd.name && cmd.args.length === 0 ? cmd.assignments[0] : undefined;
      if (a && !a.array) node = a.value ?? { type: "Word", parts: [] };
    } catch {
      node = null;
    }
    if (parsedKeys.size > 1000) parsedKeys.clear();
    parsedKeys.set(sub, node);
  }
  return node ?? undefined;
}
