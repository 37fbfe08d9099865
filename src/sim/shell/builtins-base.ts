/**
 * What every builtin file shares: the `Builtin` signature the registry (builtins.ts) holds,
 * writing to the command's stdout, and bash's rule for a variable name.
 */
import type { Interpreter } from "./interpreter.js";

/** A builtin: runs in the shell process with already expanded words; returns the exit status. */
export type Builtin = (sh: Interpreter, argv: string[]) => Promise<number> | number;

/** Writes T to the command's fd 1 (nothing if it is closed). */
export const out = (sh: Interpreter, t: string): void => sh.fds.out.get(1)?.write(t);

/** Whether S is a valid shell variable name (`[A-Za-z_][A-Za-z0-9_]*`). */
export function isName(s: string): boolean {
  return /^[A-Za-z_][A-Za-z0-9_]*$/.test(s);
}
