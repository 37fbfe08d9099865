/**
 * Builtins that leave the current command list: exit, return, break and continue. They throw
 * the signals of signals.ts, which the interpreter catches at the shell, function or loop.
 */
import { ExitSignal, LoopSignal, ReturnSignal } from "./signals.js";
import type { Builtin } from "./builtins-base.js";

/** exit [N]: ends the shell with N (mod 256), or with `$?`. */
export const exit: Builtin = (sh, argv) => {
  const a = argv[1];
  if (a === undefined) throw new ExitSignal(sh.state.lastStatus);
  if (!/^[+-]?\d+$/.test(a)) {
    sh.error(`exit: ${a}: numeric argument required\n`);
    throw new ExitSignal(2);
  }
  throw new ExitSignal(((Number(a) % 256) + 256) % 256);
};

/** return [N]: leaves the function or sourced script with N, or with `$?`. */
export const ret: Builtin = (sh, argv) => {
  if (sh.funcDepth === 0) {
    sh.error("return: can only `return' from a function or sourced script\n");
    return 1;
  }
  const a = argv[1];
  if (a !== undefined && !/^[+-]?\d+$/.test(a)) {
    sh.error(`return: ${a}: numeric argument required\n`);
    throw new ReturnSignal(2);
  }
  throw new ReturnSignal(a === undefined ? sh.state.lastStatus : ((Number(a) % 256) + 256) % 256);
};

/** break/continue [N]: leaves or restarts the Nth enclosing loop. */
export function loop(kind: "break" | "continue"): Builtin {
  return (sh, argv) => {
    const n = argv[1] === undefined ? 1 : Number(argv[1]);
    if (!/^[+-]?\d+$/.test(argv[1] ?? "1")) {
      sh.error(`${kind}: ${argv[1]}: numeric argument required\n`);
      return 1;
    }
    if (n < 1) {
      sh.error(`${kind}: ${argv[1]}: loop count out of range\n`);
      return 1;
    }
    if (sh.loopDepth === 0) {
      sh.error(`${kind}: only meaningful in a \`for', \`while', or \`until' loop\n`);
      return 0;
    }
    throw new LoopSignal(kind, Math.min(n, sh.loopDepth));
  };
}
