/**
 * The test and `[` builtins: evaluated by userland/lib/test-expr.ts against the shell's VFS;
 * `[` requires its closing `]`.
 */
import type { Builtin } from "./builtins-base.js";
import { evaluateTest } from "../userland/lib/test-expr.js";

/** test EXPR / [ EXPR ]: status 0 if true, 1 if false, 2 on a usage error. */
export const test: Builtin = (sh, argv) => {
  let args = argv.slice(1);
  if (argv[0] === "[") {
    if (args[args.length - 1] !== "]") {
      sh.error("[: missing `]'\n");
      return 2;
    }
    args = args.slice(0, -1);
  }
  const r = evaluateTest(args, sh.fs, sh.state.cwd);
  if (r.error) sh.error(`${argv[0]}: ${r.error}\n`);
  return r.status;
};
