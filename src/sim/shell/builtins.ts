/**
 * The builtin table (`BUILTINS`), and the builtins that look up or run another command by name
 * (type, command, which, timeout, exec), which need the table. The rest live by concept in
 * builtins-vars.ts, builtins-flow.ts, builtins-io.ts, builtins-cwd.ts, builtins-cond.ts,
 * builtins-script.ts and declare.ts. Messages are bash's, prefixed as the shell prefixes them
 * (`bash: cd: /x: No such file or directory`).
 */
import type { Interpreter } from "./interpreter.js";
import { DECLARATION_BUILTINS } from "./declare.js";
import { resolveProgram } from "./programs.js";
import { ExitSignal, LimitAbort } from "./signals.js";
import { xargs } from "./xargs.js";
import { out, type Builtin } from "./builtins-base.js";
import { cd, pwd } from "./builtins-cwd.js";
import { exportB, letB, set, shift, unset } from "./builtins-vars.js";
import { exit, loop, ret } from "./builtins-flow.js";
import { echo, read } from "./builtins-io.js";
import { test } from "./builtins-cond.js";
import { evalB, shell, source } from "./builtins-script.js";

/** Where `command -v` / `type` / `which` say a program lives (iproute2 and netfilter tools in sbin). */
export function programPath(name: string): string {
  const sbin = /^(ip|ip6?tables.*|iptables-(save|restore)|sysctl|brctl|bridge|conntrack|ifconfig|route|arp|tc|ipvsadm|nft|xtables.*)$/;
  return sbin.test(name) ? `/usr/sbin/${name}` : `/usr/bin/${name}`;
}

function describe(sh: Interpreter, name: string): { kind: "function" | "builtin" | "file" | "keyword"; path?: string } | undefined {
  if (KEYWORDS.has(name)) return { kind: "keyword" };
  if (sh.state.functions.has(name)) return { kind: "function" };
  if (BUILTINS.has(name)) return { kind: "builtin" };
  if (resolveProgram(name, sh.rt.ctx).kind !== "none") return { kind: "file", path: programPath(name) };
  return undefined;
}

const KEYWORDS = new Set(["if", "then", "else", "elif", "fi", "for", "while", "until", "do", "done", "case", "esac", "in", "function", "time", "!", "{", "}", "[["]);

const type: Builtin = (sh, argv) => {
  let status = 0;
  for (const name of argv.slice(1).filter((a) => !a.startsWith("-"))) {
    const d = describe(sh, name);
    if (!d) {
      sh.error(`type: ${name}: not found\n`);
      status = 1;
    } else if (d.kind === "keyword") out(sh, `${name} is a shell keyword\n`);
    else if (d.kind === "function") out(sh, `${name} is a function\n`);
    else if (d.kind === "builtin") out(sh, `${name} is a shell builtin\n`);
    else out(sh, `${name} is ${d.path}\n`);
  }
  return status;
};

const command: Builtin = async (sh, argv) => {
  const args = argv.slice(1);
  if (args[0] === "-v" || args[0] === "-V") {
    let status = 0;
    for (const name of args.slice(1)) {
      const d = describe(sh, name);
      if (!d) {
        status = 1;
        if (args[0] === "-V") sh.error(`command: ${name}: not found\n`);
      } else out(sh, args[0] === "-v" ? `${d.path ?? name}\n` : `${name} is ${d.path ?? `a shell ${d.kind}`}\n`);
    }
    return status;
  }
  if (args.length === 0) return 0;
  return BUILTINS.has(args[0]!) ? sh.dispatch(args) : sh.runExternal(args);
};

const which: Builtin = (sh, argv) => {
  let status = 0;
  for (const name of argv.slice(1).filter((a) => !a.startsWith("-"))) {
    if (resolveProgram(name, sh.rt.ctx).kind !== "none") out(sh, programPath(name) + "\n");
    else status = 1;
  }
  return status;
};

const UNIT_MS: Record<string, number> = { "": 1000, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/**
 * timeout DURATION COMMAND (coreutils): runs COMMAND with the exec's deadline lowered to now +
 * DURATION of virtual time; exit 124 if it was cut. Built in because it changes the budget.
 */
const timeout: Builtin = async (sh, argv) => {
  const args = argv.slice(1);
  while (args[0]?.startsWith("-") && args[0] !== "-" && args[0] !== "--") {
    const a = args.shift()!;
    if (/^-(s|k)$/.test(a) || a === "--signal" || a === "--kill-after") args.shift();
    else if (!/^(--foreground|--preserve-status|-v|--verbose|--signal=.*|--kill-after=.*|-[sk].+)$/.test(a)) {
      sh.fds.out.get(2)?.write(`timeout: unrecognized option '${a}'\nTry 'timeout --help' for more information.\n`);
      return 125;
    }
  }
  if (args[0] === "--") args.shift();
  // coreutils timeout.c: fewer than two operands → usage(EXIT_CANCELED), which prints only the hint.
  if (args.length < 2 && !(args.length === 1 && !/^(\d+(?:\.\d*)?|\.\d+)([smhd]?)$/.test(args[0]!))) {
    sh.fds.out.get(2)?.write("Try 'timeout --help' for more information.\n");
    return 125;
  }
  const m = /^(\d+(?:\.\d*)?|\.\d+)([smhd]?)$/.exec(args[0]!);
  if (!m) {
    sh.fds.out.get(2)?.write(`timeout: invalid time interval \u2018${args[0]}\u2019\nTry 'timeout --help' for more information.\n`);
    return 125;
  }
  const ms = parseFloat(m[1]!) * UNIT_MS[m[2]!]!;
  const cmd = args.slice(1);
  if (resolveProgram(cmd[0]!, sh.rt.ctx).kind === "none" && !BUILTINS_RUNNABLE_BY_TIMEOUT.has(cmd[0]!)) {
    sh.fds.out.get(2)?.write(`timeout: failed to run command \u2018${cmd[0]}\u2019: No such file or directory\n`);
    return 127;
  }
  const budget = sh.rt.budget;
  const outer = budget.deadline;
  const inner = ms === 0 ? outer : Math.min(outer, sh.rt.world.clock.now() + ms);
  budget.deadline = inner;
  try {
    return await (BUILTINS_RUNNABLE_BY_TIMEOUT.has(cmd[0]!) ? sh.dispatch(cmd) : sh.runExternal(cmd));
  } catch (e) {
    if (e instanceof LimitAbort && e.kind === "timeout" && inner < outer) return 124;
    throw e;
  } finally {
    budget.deadline = outer;
  }
};

/** Programs `timeout` can run that the shell implements itself. */
const BUILTINS_RUNNABLE_BY_TIMEOUT = new Set(["sh", "bash"]);

/** exec COMMAND: runs it and ends the shell with its status (no process replacement to model). */
const exec: Builtin = async (sh, argv) => {
  if (argv.length === 1) return 0;
  const status = BUILTINS.has(argv[1]!) ? await sh.dispatch(argv.slice(1)) : await sh.runExternal(argv.slice(1));
  throw new ExitSignal(status);
};

const noop: Builtin = () => 0;

/** The builtin table, by name. */
export const BUILTINS: ReadonlyMap<string, Builtin> = new Map<string, Builtin>([
  [":", noop], ["true", noop], ["false", () => 1], ["echo", echo], ["pwd", pwd], ["test", test], ["[", test],
  ["cd", cd], ["export", exportB], ["unset", unset], ["set", set], ["exit", exit], ["return", ret],
  ["break", loop("break")], ["continue", loop("continue")], ["shift", shift],
  ...DECLARATION_BUILTINS, ["read", read], ["eval", evalB],
  ["source", source], [".", source], ["type", type], ["command", command], ["which", which], ["let", letB],
  ["sh", shell], ["bash", shell], ["timeout", timeout], ["exec", exec], ["xargs", xargs], ["wait", noop], ["trap", noop], ["hash", noop], ["umask", noop],
  ["ulimit", noop], ["shopt", noop], ["alias", noop], ["unalias", noop],
]);
