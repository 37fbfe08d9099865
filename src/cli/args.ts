/** Command-line parsing for `lab`: subcommand, options, and the usage text. */
import { parseArgs } from "node:util";

/** `lab --help`. */
export const USAGE = `Usage: lab <command> [options] [files|dirs]

Commands:
  run     run lessons and check their transcripts (default paths: lessons/)
  list    list lessons and their blocks
  check   lint lessons without running them
  grade   grade student submissions of a lesson's exercises (lab grade --help)
  check-work  a student's own score and feedback: lab check-work LESSON --answers FILE
  trace   follow one packet hop by hop in a lesson's simulated world (lab trace --help)
  render  run lessons and write them as Markdown or HTML with topology diagrams (lab render --help)
  shell   an interactive shell into a simulated world, optionally after a lesson (lab shell --help)

Options for run:
  --target sim|host          where commands run (default: sim)
  --reporter NAME[=FILE]     pretty (default), json or junit; repeatable; =FILE writes to a file
  --update                   rewrite expected output in place from the actual output
  --grep TEXT                run only lessons whose path or title contains TEXT
  --bail                     stop after the first failing block (cleanup blocks still run)
  --shard i/n                run the i-th of n shards of the lessons
  --timeout DURATION         default per-command timeout (default 60s)
  --config FILE              host-target contexts (default: lab.config.yaml if present)
  -h, --help                 show this help
  --version                  show the version

Exit status: 0 all passed, 1 failures, 2 usage or lesson errors, 130 interrupted.`;

export interface CliArgs {
  command: "run" | "list" | "check" | "help" | "version";
  paths: string[];
  target: "sim" | "host";
  reporters: { name: string; file?: string }[];
  update: boolean;
  grep?: string;
  bail: boolean;
  shard?: string;
  timeout?: string;
  config?: string;
}

/** Parses argv (without node and script); throws UsageError with a one-line reason. */
export function parseCli(argv: readonly string[]): CliArgs {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      allowPositionals: true,
      strict: true,
      options: {
        target: { type: "string" },
        reporter: { type: "string", multiple: true },
        update: { type: "boolean", short: "u" },
        grep: { type: "string", short: "t" },
        bail: { type: "boolean" },
        shard: { type: "string" },
        timeout: { type: "string" },
        config: { type: "string" },
        help: { type: "boolean", short: "h" },
        version: { type: "boolean" },
      },
    });
  } catch (e) {
    throw new UsageError((e as Error).message.split("\n")[0]!);
  }
  const v = parsed.values;
  if (v.help) return base("help");
  if (v.version) return base("version");
  const [command, ...paths] = parsed.positionals;
  if (command === undefined) return base("help");
  if (command !== "run" && command !== "list" && command !== "check" && command !== "help") {
    throw new UsageError(`unknown command "${command}", expected one of run, list, check`);
  }
  const target = v.target ?? "sim";
  if (target !== "sim" && target !== "host") throw new UsageError(`unknown target "${target}", expected one of sim, host`);
  const reporters = (v.reporter ?? ["pretty"]).map((r) => {
    const [name, file] = r.split(/=(.*)/s, 2) as [string, string | undefined];
    return file ? { name, file } : { name };
  });
  return {
    command,
    paths,
    target,
    reporters,
    update: v.update ?? false,
    grep: v.grep,
    bail: v.bail ?? false,
    shard: v.shard,
    timeout: v.timeout,
    config: v.config,
  };
}

function base(command: "help" | "version"): CliArgs {
  return { command, paths: [], target: "sim", reporters: [], update: false, bail: false };
}

/** A problem with the command line: printed with the usage hint, exit 2. */
export class UsageError extends Error {}
