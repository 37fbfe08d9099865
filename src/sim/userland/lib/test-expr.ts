/**
 * The `test` / `[` expression language (POSIX rules by argument count, plus -a/-o), shared by
 * the shell's builtin and the /usr/bin/test program. Errors come back as text without a
 * prefix (`missing ']'`, `x: integer expression expected`); the caller adds `bash: [: `.
 */
import type { SimFs } from "../types.js";

/** Outcome of a test: status 0 true, 1 false, 2 error with `error` text. */
export interface TestOutcome {
  status: 0 | 1 | 2;
  error?: string;
}

class TestError extends Error {}

const UNARY = new Set(["-e", "-f", "-d", "-n", "-z", "-s", "-r", "-w", "-x", "-L", "-h", "-b", "-c", "-p", "-S", "-t", "-g", "-u", "-k", "-O", "-G", "-N", "-a"]);
const BINARY = new Set(["=", "==", "!=", "-eq", "-ne", "-lt", "-le", "-gt", "-ge", "<", ">", "-nt", "-ot", "-ef"]);

/** Evaluates `test ARGS` (without the closing `]`). */
export function evaluateTest(args: string[], fs: SimFs, cwd: string): TestOutcome {
  try {
    return { status: expr(args, fs, cwd) ? 0 : 1 };
  } catch (e) {
    if (e instanceof TestError) return { status: 2, error: e.message };
    throw e;
  }
}

function abs(cwd: string, p: string): string {
  return p.startsWith("/") ? p : `${cwd.replace(/\/$/, "")}/${p}`;
}

function int(s: string): number {
  const t = s.trim();
  if (!/^[+-]?\d+$/.test(t)) throw new TestError(`${s}: integer expression expected`);
  return parseInt(t, 10);
}

function unary(op: string, a: string, fs: SimFs, cwd: string): boolean {
  const p = abs(cwd, a);
  switch (op) {
    case "-n": return a !== "";
    case "-z": return a === "";
    case "-e": case "-a": return a !== "" && fs.exists(p);
    case "-f": return a !== "" && fs.exists(p) && !fs.isDir(p);
    case "-d": return a !== "" && fs.isDir(p);
    case "-s": {
      if (a === "" || !fs.exists(p)) return false;
      if (fs.isDir(p)) return true;
      try {
        return (fs.readFile(p) ?? "").length > 0;
      } catch {
        return true;
      }
    }
    case "-r": case "-w": return a !== "" && fs.exists(p);
    case "-x": return a !== "" && fs.isDir(p);
    case "-t": return false;
    default: return false;
  }
}

function binary(op: string, a: string, b: string): boolean {
  switch (op) {
    case "=": case "==": return a === b;
    case "!=": return a !== b;
    case "<": return a < b;
    case ">": return a > b;
    case "-eq": return int(a) === int(b);
    case "-ne": return int(a) !== int(b);
    case "-lt": return int(a) < int(b);
    case "-le": return int(a) <= int(b);
    case "-gt": return int(a) > int(b);
    case "-ge": return int(a) >= int(b);
    default: return false;
  }
}

function expr(args: string[], fs: SimFs, cwd: string): boolean {
  // -o has lowest precedence, then -a (only when the expression is longer than the POSIX forms).
  if (args.length > 4 || (args.length >= 3 && (args.includes("-o") || args.includes("-a")) && !isSimple(args))) {
    const o = args.lastIndexOf("-o");
    if (o > 0 && o < args.length - 1) return expr(args.slice(0, o), fs, cwd) || expr(args.slice(o + 1), fs, cwd);
    const a = args.lastIndexOf("-a");
    if (a > 0 && a < args.length - 1) return expr(args.slice(0, a), fs, cwd) && expr(args.slice(a + 1), fs, cwd);
  }
  switch (args.length) {
    case 0: return false;
    case 1: return args[0] !== "";
    case 2:
      if (args[0] === "!") return args[1] === "";
      if (UNARY.has(args[0]!)) return unary(args[0]!, args[1]!, fs, cwd);
      throw new TestError(`${args[0]}: unary operator expected`);
    case 3:
      if (BINARY.has(args[1]!)) return binary(args[1]!, args[0]!, args[2]!);
      if (args[0] === "!") return !expr(args.slice(1), fs, cwd);
      if (args[0] === "(" && args[2] === ")") return args[1] !== "";
      throw new TestError(`${args[1]}: binary operator expected`);
    case 4:
      if (args[0] === "!") return !expr(args.slice(1), fs, cwd);
      if (args[0] === "(" && args[3] === ")") return expr(args.slice(1, 3), fs, cwd);
      throw new TestError("too many arguments");
    default:
      if (args[0] === "!") return !expr(args.slice(1), fs, cwd);
      if (args[0] === "(" && args[args.length - 1] === ")") return expr(args.slice(1, -1), fs, cwd);
      throw new TestError("too many arguments");
  }
}

function isSimple(args: string[]): boolean {
  return args.length === 3 && BINARY.has(args[1]!);
}
