/**
 * Shell arithmetic (`$(( ))`, `(( ))`, `for ((;;))`) over just-bash's arithmetic AST, in
 * 64-bit-like integers as bash computes them (JS numbers truncated toward zero).
 */
import type { ArithExpr } from "./ast.js";

/** An arithmetic error; the shell prints `bash: MESSAGE` and the command fails with status 1. */
export class ArithError extends Error {}

/** Variable access for arithmetic: `get` returns the text of a variable, `set` assigns one. */
export interface ArithEnv {
  get(name: string): string | undefined;
  set(name: string, value: string): void;
  special(name: string): string;
  /** Expands `$(cmd)` inside arithmetic. */
  subst?(command: string): string;
  /** An indexed array's element (`a[i]`), and its assignment. */
  getElement?(name: string, index: number): string | undefined;
  setElement?(name: string, index: number, value: string): void;
  /** An associative array's element (`m[key]`: the subscript is a key, not arithmetic), and its assignment. */
  assoc?(name: string): { get(key: string): string | undefined; set(key: string, value: string): void } | undefined;
}

/** The key an associative subscript names: `m[k]` is "k", `m[$k]` the value of k, `m[1]` "1". */
function keyOf(e: ArithExpr | undefined, stringKey: string | undefined, env: ArithEnv): string {
  if (stringKey !== undefined) return stringKey;
  if (!e) return "";
  if (e.type === "ArithVariable") return e.hasDollarPrefix ? (env.get(e.name) ?? "") : e.name;
  if (e.type === "ArithNumber") return String(e.value);
  return String(evalArith(e, env));
}

/** Parses a variable's text as bash would (recursively as an expression is out of scope: numbers only). */
function numberOf(text: string | undefined): number {
  if (text === undefined) return 0;
  const t = text.trim();
  if (t === "") return 0;
  if (/^[+-]?0[xX][0-9a-fA-F]+$/.test(t)) return parseInt(t, 16);
  if (/^[+-]?0[0-7]+$/.test(t)) return parseInt(t, 8);
  if (/^[+-]?\d+$/.test(t)) return parseInt(t, 10);
  if (/^(\d+)#([0-9a-zA-Z@_]+)$/.test(t)) {
    const [, base, digits] = /^(\d+)#(.+)$/.exec(t)!;
    return parseInt(digits!, Number(base));
  }
  throw new ArithError(`${t}: syntax error: operand expected (error token is "${t}")`);
}

const int = (n: number): number => (Number.isFinite(n) ? Math.trunc(n) : 0);

/** Evaluates an arithmetic expression. */
export function evalArith(e: ArithExpr, env: ArithEnv): number {
  switch (e.type) {
    case "ArithNumber":
      return e.value;
    case "ArithVariable":
      return numberOf(env.get(e.name));
    case "ArithSpecialVar":
      return numberOf(env.special(e.name));
    case "ArithGroup":
    case "ArithNested":
      return evalArith(e.expression, env);
    case "ArithUnary": {
      if (e.operator === "++" || e.operator === "--") {
        if (e.operand.type !== "ArithVariable") throw new ArithError("syntax error: operand expected");
        const old = numberOf(env.get(e.operand.name));
        const next = e.operator === "++" ? old + 1 : old - 1;
        env.set(e.operand.name, String(next));
        return e.prefix ? next : old;
      }
      const v = evalArith(e.operand, env);
      switch (e.operator) {
        case "-": return -v;
        case "+": return v;
        case "!": return v ? 0 : 1;
        case "~": return ~v;
      }
      return 0;
    }
    case "ArithBinary": {
      if (e.operator === "&&") return evalArith(e.left, env) && evalArith(e.right, env) ? 1 : 0;
      if (e.operator === "||") return evalArith(e.left, env) || evalArith(e.right, env) ? 1 : 0;
      const a = evalArith(e.left, env);
      const b = evalArith(e.right, env);
      return binary(e.operator, a, b);
    }
    case "ArithTernary":
      return evalArith(e.condition, env) ? evalArith(e.consequent, env) : evalArith(e.alternate, env);
    case "ArithArrayElement": {
      const m = env.assoc?.(e.array);
      if (m) return numberOf(m.get(keyOf(e.index, e.stringKey, env)));
      if (!env.getElement || !e.index) throw new ArithError("associative arrays are not supported by the simulator's shell");
      return numberOf(env.getElement(e.array, evalArith(e.index, env)));
    }
    case "ArithAssignment": {
      const m = e.subscript || e.stringKey !== undefined ? env.assoc?.(e.variable) : undefined;
      if (m) {
        const key = keyOf(e.subscript, e.stringKey, env);
        const v = evalArith(e.value, env);
        const next = e.operator === "=" ? v : binary(e.operator.slice(0, -1) as Bin, numberOf(m.get(key)), v);
        m.set(key, String(next));
        return next;
      }
      if (e.stringKey || (e.subscript && !env.setElement)) throw new ArithError("associative arrays are not supported by the simulator's shell");
      if (e.subscript) {
        const i = evalArith(e.subscript, env);
        const v = evalArith(e.value, env);
        const next = e.operator === "=" ? v : binary(e.operator.slice(0, -1) as Bin, numberOf(env.getElement!(e.variable, i)), v);
        env.setElement!(e.variable, i, String(next));
        return next;
      }
      const v = evalArith(e.value, env);
      const next = e.operator === "=" ? v : binary(e.operator.slice(0, -1) as Bin, numberOf(env.get(e.variable)), v);
      env.set(e.variable, String(next));
      return next;
    }
    case "ArithCommandSubst":
      return numberOf(env.subst ? env.subst(e.command) : "0");
    case "ArithSyntaxError":
      throw new ArithError(e.message);
    case "ArithSingleQuote":
      return e.value;
    default:
      throw new ArithError(`syntax error: unsupported arithmetic (${e.type})`);
  }
}

type Bin = "+" | "-" | "*" | "/" | "%" | "**" | "<<" | ">>" | "<" | "<=" | ">" | ">=" | "==" | "!=" | "&" | "|" | "^" | ",";

function binary(op: Bin | "&&" | "||", a: number, b: number): number {
  switch (op) {
    case "+": return int(a + b);
    case "-": return int(a - b);
    case "*": return int(a * b);
    case "/":
      if (b === 0) throw new ArithError(`division by 0 (error token is "${b}")`);
      return int(a / b);
    case "%":
      if (b === 0) throw new ArithError(`division by 0 (error token is "${b}")`);
      return int(a % b);
    case "**":
      if (b < 0) throw new ArithError(`exponent less than 0 (error token is "${b}")`);
      return int(a ** b);
    case "<<": return a << b;
    case ">>": return a >> b;
    case "<": return a < b ? 1 : 0;
    case "<=": return a <= b ? 1 : 0;
    case ">": return a > b ? 1 : 0;
    case ">=": return a >= b ? 1 : 0;
    case "==": return a === b ? 1 : 0;
    case "!=": return a !== b ? 1 : 0;
    case "&": return a & b;
    case "|": return a | b;
    case "^": return a ^ b;
    case ",": return b;
    case "&&": return a && b ? 1 : 0;
    case "||": return a || b ? 1 : 0;
  }
}
