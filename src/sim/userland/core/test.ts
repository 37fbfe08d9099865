/** /usr/bin/test and /usr/bin/[ (coreutils): evaluate a conditional expression. */
import type { ProgramSpec } from "../types.js";
import { evaluateTest } from "../lib/test-expr.js";

function run(bracket: boolean): ProgramSpec["run"] {
  return (p) => {
    let args = p.argv.slice(1);
    const name = bracket ? "[" : "test";
    if (bracket) {
      if (args[args.length - 1] !== "]") {
        p.err(`[: missing ']'\n`);
        return 2;
      }
      args = args.slice(0, -1);
    }
    const r = evaluateTest(args, p.ctx.fs, p.cwd);
    if (r.error) p.err(`${name}: ${r.error}\n`);
    return r.status;
  };
}

export const test: ProgramSpec = { name: "test", summary: "evaluate a conditional expression", run: run(false) };
export const bracket: ProgramSpec = { name: "[", summary: "evaluate a conditional expression", run: run(true) };
