/**
 * What every docker subcommand shares: the daemon handle, usage errors and the wording of the
 * daemon's refusals as the 20.10 CLI prints them (captures in test/docker/captures/).
 */
import { DockerError, type DockerDaemonApi } from "../../docker/api.js";
import type { Proc } from "../types.js";
import { FlagError, parseFlags, type FlagSpec, type Parsed } from "./flags.js";

/** The daemon of this world, or undefined when the world runs no Docker. */
export function daemonOf(p: Proc): DockerDaemonApi | undefined {
  return p.world.daemons.docker as DockerDaemonApi | undefined;
}

/** One subcommand: its usage line, summary, flags, arity, and body. */
export interface Subcommand {
  /** Path as the CLI names it: `run`, `network ls`. */
  path: string;
  usage: string;
  summary: string;
  flags: FlagSpec[];
  interspersed?: boolean;
  /** "exact:N" | "min:N" | "max:N" | "none". */
  args: string;
  run(p: Proc, d: DockerDaemonApi, f: Parsed): Promise<number> | number;
  /**
   * All that `run` reads of `f`, as plain data (undefined for a usage error): present only where
   * `run` depends on the command line through nothing else (see dockerCommandKey).
   */
  requestKey?(f: Parsed): unknown;
}

function arityError(sc: Subcommand, n: number): string | undefined {
  const [kind, count] = sc.args.split(":");
  const c = Number(count);
  const plural = (k: number) => (k === 1 ? "argument" : "arguments");
  if (kind === "exact" && n !== c) return `"docker ${sc.path}" requires exactly ${c} ${plural(c)}.`;
  if (kind === "min" && n < c) return `"docker ${sc.path}" requires at least ${c} ${plural(c)}.`;
  if (kind === "max" && n > c) return `"docker ${sc.path}" accepts at most ${c} ${plural(c)}.`;
  if (kind === "none" && n > 0) return `"docker ${sc.path}" accepts no arguments.`;
  return undefined;
}

/** What a subcommand's command line parses to: flags and operands, or what cobra would print instead. */
export type Invocation = { kind: "run"; f: Parsed } | { kind: "flag-error"; message: string } | { kind: "help" } | { kind: "arity"; message: string };

/** Parses a subcommand's flags and checks its arity, as cobra does before running it. */
export function parseInvocation(sc: Subcommand, argv: string[]): Invocation {
  let f: Parsed;
  try {
    f = parseFlags(argv, sc.flags, { interspersed: sc.interspersed ?? true });
  } catch (e) {
    if (!(e instanceof FlagError)) throw e;
    return { kind: "flag-error", message: e.message };
  }
  if (f.bools.has("help")) return { kind: "help" };
  const bad = arityError(sc, f.args.length);
  if (bad) return { kind: "arity", message: bad };
  return { kind: "run", f };
}

/** Parses flags and arity, then runs; prints flag and usage errors as cobra does. */
export async function invoke(p: Proc, d: DockerDaemonApi, sc: Subcommand, argv: string[]): Promise<number> {
  const inv = parseInvocation(sc, argv);
  if (inv.kind === "flag-error") {
    p.err(`${inv.message}\nSee 'docker ${sc.path} --help'.\n`);
    return 125;
  }
  if (inv.kind === "help") {
    p.out(`\nUsage:  docker ${sc.usage}\n\n${sc.summary}\n`);
    return 0;
  }
  if (inv.kind === "arity") {
    p.err(`${inv.message}\nSee 'docker ${sc.path} --help'.\n\nUsage:  docker ${sc.usage}\n\n${sc.summary}\n`);
    return 1;
  }
  const f = inv.f;
  try {
    return await sc.run(p, d, f);
  } catch (e) {
    if (e instanceof DockerError) {
      p.err(`Error response from daemon: ${e.message}\n`);
      return 1;
    }
    throw e;
  }
}

/** `Error: No such container: X` (client-side wording of a 404 for rm, exec, logs, port, inspect). */
export function notFoundText(e: DockerError): string {
  return `Error: ${e.message}`;
}

/** The help flag every subcommand has. */
export const HELP: FlagSpec = { name: "help", type: "bool" };
