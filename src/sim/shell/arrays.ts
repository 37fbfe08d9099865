/**
 * bash indexed arrays. Element 0 of an array is the scalar variable of the same name (in bash
 * `$a` is `${a[0]}`), so every scalar path (assignment, `read`, `for`, export, `${a:-x}`) reads
 * and writes it unchanged; the other elements sit in ShellState.arrays, a sparse map.
 *
 *   a=(x "y z")      vars: a → "x"    arrays: a → {1:"y z"}
 *   a[5]=w           arrays: a → {1:"y z", 5:"w"}
 *   a=q              vars: a → "q"    (element 0; the others stay, as in bash)
 *
 * Associative arrays (`declare -A`) are not modelled.
 */
import { parse } from "just-bash";
import type { ArithmeticExpressionNode } from "./ast.js";
import type { ShellState } from "./state.js";

/** `name[sub]` split into name and subscript text, or undefined for a plain name. */
export function subscripted(param: string): { name: string; sub: string } | undefined {
  const m = /^([A-Za-z_][A-Za-z0-9_]*)\[(.*)\]$/s.exec(param);
  return m ? { name: m[1]!, sub: m[2]! } : undefined;
}

/** The array's elements in index order (a scalar is a one-element array, unset is empty). */
export function elements(s: ShellState, name: string): Array<[number, string]> {
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
  for (const v of values) setElement(s, name, next++, v);
}

/** Sets one element (`a[i]=v`, `a[i]+=v`). */
export function setElement(s: ShellState, name: string, index: number, value: string, append = false): void {
  const i = index < 0 ? highest(s, name) + 1 + index : index;
  const v = append ? (element(s, name, i) ?? "") + value : value;
  if (i === 0) {
    s.vars.set(name, v);
    return;
  }
  let rest = s.arrays.get(name);
  if (!rest) s.arrays.set(name, (rest = new Map()));
  rest.set(i, v);
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
