/**
 * The types word expansion shares between expand.ts (words, fields, globs) and parameter.ts
 * (`${...}`), kept apart so that the two do not import each other.
 */
import type { ArithmeticExpressionNode, ScriptNode, WordNode, WordPart } from "./ast.js";
import type { ShellState } from "./state.js";
import type { SimFs } from "../userland/types.js";

/** A piece of an expanded word (see the header). */
export interface Piece {
  text: string;
  quoted: boolean;
  /** Unquoted expansion result: subject to field splitting. */
  split: boolean;
  /** Field break ("$@" between positional parameters). */
  brk?: boolean;
  /** An empty list ("$@" without parameters, "${a[@]}" of an empty array): a "" around it makes no field. */
  vanish?: boolean;
}

/** What expansion needs from the shell around it. */
export interface ExpandHost {
  state: ShellState;
  fs: SimFs;
  /** Runs `$(...)` in a subshell and returns its raw standard output. */
  commandSubst(body: ScriptNode): Promise<string>;
  /** Writes a diagnostic (already prefixed) to the current stderr. */
  error(message: string): void;
  /** Expands `<(cmd)` / `>(cmd)` to the /dev/fd path standing for it (procsubst.ts). */
  procSubst?(body: ScriptNode, direction: "input" | "output"): Promise<string>;
  /** Expands `$(cmd)` text inside arithmetic (parsed and run by the shell). */
  substText(command: string): Promise<string>;
  /** The shell imitated, for error wording. */
  readonly flavor: "bash" | "ash";
}

/** An expansion error that fails the command (status 1) after printing `message`. */
export class ExpansionError extends Error {}

/** expand.ts's functions as parameter expansion uses them. */
export interface Expander {
  parts(host: ExpandHost, parts: WordPart[], inDq: boolean): Promise<Piece[]>;
  pattern(host: ExpandHost, word: WordNode): Promise<string>;
  string(host: ExpandHost, word: WordNode): Promise<string>;
  arith(host: ExpandHost, node: ArithmeticExpressionNode): Promise<number>;
  subscriptIndex(host: ExpandHost, sub: string): Promise<number>;
  subscriptKey(host: ExpandHost, sub: string): Promise<string>;
}
