/**
 * env and printenv (coreutils): print the environment (`NAME=value` lines in environment
 * order), or run a program with a changed environment (`env A=1 cmd`, `env -i`, `-u NAME`).
 */
import type { ProgramSpec } from "../types.js";
import { deadlineOf } from "../lib/deadline.js";

export const env: ProgramSpec = {
  name: "env",
  summary: "print or change the environment",
  run: async (p) => {
    const args = p.argv.slice(1);
    let vars: Record<string, string> = { ...p.env };
    let i = 0;
    for (; i < args.length; i++) {
      const a = args[i]!;
      if (a === "-i" || a === "-" || a === "--ignore-environment") vars = {};
      else if (a === "-u" || a === "--unset") delete vars[args[++i] ?? ""];
      else if (a.startsWith("-u")) delete vars[a.slice(2)];
      else if (a === "--") {
        i++;
        break;
      } else if (a.startsWith("-") && a.length > 1) {
        p.err(`env: invalid option -- '${a[1]}'\nTry 'env --help' for more information.\n`);
        return 125;
      } else break;
    }
    for (; i < args.length && /^[^=]+=/.test(args[i]!); i++) {
      const a = args[i]!;
      const eq = a.indexOf("=");
      vars[a.slice(0, eq)] = a.slice(eq + 1);
    }
    if (i >= args.length) {
      p.out(Object.entries(vars).map(([k, v]) => `${k}=${v}\n`).join(""));
      return 0;
    }
    return p.world.spawn(p.ctx, { argv: args.slice(i), env: vars, stdin: () => p.stdin, ...deadlineOf(p) }, { write: (fd, t) => (fd === 1 ? p.out(t) : p.err(t)) });
  },
};

export const printenv: ProgramSpec = {
  name: "printenv",
  summary: "print environment variables",
  run: (p) => {
    const names = p.argv.slice(1);
    if (names.length === 0) {
      p.out(Object.entries(p.env).map(([k, v]) => `${k}=${v}\n`).join(""));
      return 0;
    }
    let status = 0;
    for (const n of names) {
      if (n in p.env) p.out(p.env[n] + "\n");
      else status = 1;
    }
    return status;
  },
};
