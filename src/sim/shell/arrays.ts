/**
 * bash indexed arrays. An array is a sparse map index → value in ShellState.arrays; element 0
 * is mirrored in ShellState.vars under the array's name, because `$a` is `${a[0]}` in bash and
 * every scalar path (lookup, export, `${a:-x}`) then works unchanged.
 *
 *   a=(x "y z")      arrays: a → {0:"x", 1:"y z"}    vars: a → "x"
 *   a[5]=w           arrays: a → {0:"x", 1:"y z", 5:"w"}
 *   a=q              a[0] = "q" (bash assigns element 0 of an array)
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
  const arr = s.arrays.get(name);
  if (arr) return [...arr.entries()].sort((a, b) => a[0] - b[0]);
  const v = s.vars.get(name);
  return v === undefined ? [] : [[0, v]];
}

/** One element (`${a[i]}`); negative indexes count from the end, as in bash 4.3+. */
export function element(s: ShellState, name: string, index: number): string | undefined {
  const arr = s.arrays.get(name);
  if (!arr) return index === 0 || index === -1 ? s.vars.get(name) : undefined;
  if (index < 0) {
    const keys = [...arr.keys()].sort((a, b) => a - b);
    const max = keys.length ? keys[keys.length - 1]! : -1;
    return arr.get(max + 1 + index);
  }
  return arr.get(index);
}

/** Replaces the whole array (`a=(…)`), or appends after its highest index (`a+=(…)`). */
export function assignArray(s: ShellState, name: string, values: string[], append: boolean): void {
  const arr = append ? toArray(s, name) : new Map<number, string>();
  let next = append && arr.size ? Math.max(...arr.keys()) + 1 : 0;
  for (const v of values) arr.set(next++, v);
  s.arrays.set(name, arr);
  mirror(s, name);
}

/** Sets one element (`a[i]=v`, `a[i]+=v`). */
export function setElement(s: ShellState, name: string, index: number, value: string, append = false): void {
  const arr = toArray(s, name);
  if (index < 0) {
    const max = arr.size ? Math.max(...arr.keys()) : -1;
    index = max + 1 + index;
  }
  arr.set(index, append ? (arr.get(index) ?? "") + value : value);
  mirror(s, name);
}

/** A scalar assignment to a name: element 0 when the name is an array. */
export function setScalar(s: ShellState, name: string, value: string): void {
  const arr = s.arrays.get(name);
  if (arr) arr.set(0, value);
  s.vars.set(name, value);
}

/** `unset a[i]`. */
export function unsetElement(s: ShellState, name: string, index: number): void {
  const arr = s.arrays.get(name);
  if (!arr) {
    if (index === 0) s.vars.delete(name);
    return;
  }
  arr.delete(index);
  mirror(s, name);
}

/** `unset a`: the whole array. */
export function unsetArray(s: ShellState, name: string): void {
  s.arrays.delete(name);
}

function toArray(s: ShellState, name: string): Map<number, string> {
  let arr = s.arrays.get(name);
  if (!arr) {
    arr = new Map();
    const v = s.vars.get(name);
    if (v !== undefined) arr.set(0, v);
    s.arrays.set(name, arr);
  }
  return arr;
}

function mirror(s: ShellState, name: string): void {
  const v = s.arrays.get(name)?.get(0);
  if (v === undefined) s.vars.delete(name);
  else s.vars.set(name, v);
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
