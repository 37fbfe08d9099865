/**
 * Text utilities delegated to one shared just-bash instance (grep, awk, sed, sort, cut, ...),
 * whose file system is our VFS through SimFsAdapter. Calls are serialized (the adapter is
 * re-pointed at the caller's file system for each call), and each runs with the caller's cwd,
 * environment and standard input.
 */
import { Bash } from "just-bash";
import type { SimFs } from "../userland/types.js";
import { SimFsAdapter } from "./jb-fs.js";

/** The utilities the simulator takes from just-bash, by name. */
export const DELEGATED = [
  "awk", "base64", "basename", "column", "comm", "cp", "cut", "diff", "dirname", "egrep", "expand", "expr",
  "fgrep", "find", "fold", "grep", "head", "join", "ls", "md5sum", "mkdir", "mv", "nl", "od", "paste", "printf",
  "rev", "rm", "rmdir", "sed", "seq", "sha1sum", "sha256sum", "sort", "split", "stat", "tac", "tail", "tee",
  "touch", "tr", "tree", "unexpand", "uniq", "wc", "xargs",
] as const;

const DELEGATED_SET: ReadonlySet<string> = new Set(DELEGATED);

/** True if `name` is one of the delegated utilities. */
export function isDelegated(name: string): boolean {
  return DELEGATED_SET.has(name);
}

let shared: { bash: Bash; adapter: SimFsAdapter } | undefined;
let queue: Promise<unknown> = Promise.resolve();

function instance(): { bash: Bash; adapter: SimFsAdapter } {
  if (!shared) {
    const adapter = new SimFsAdapter(DELEGATED_SET);
    const bash = new Bash({
      fs: adapter,
      commands: [...DELEGATED],
      // Delegated utilities never sleep; if one does, it takes no virtual time.
      sleep: async () => {},
      executionLimits: { maxCommandCount: 100_000, maxLoopIterations: 100_000 },
    });
    shared = { bash, adapter };
  }
  return shared;
}

/** Quotes one argument for bash with single quotes. */
export function shellQuote(s: string): string {
  return /^[A-Za-z0-9_@%+=:,./-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;
}

/** Runs delegated utility argv[0] with its arguments on `fs`. */
export function runDelegated(
  argv: string[],
  opts: { fs: SimFs; cwd: string; env: Record<string, string>; stdin: string },
): Promise<{ stdout: string; stderr: string; exitCode: number }> {
  const run = async () => {
    const { bash, adapter } = instance();
    adapter.target = opts.fs;
    try {
      const r = await bash.exec(argv.map(shellQuote).join(" "), {
        cwd: opts.cwd,
        env: { ...opts.env, PATH: "/usr/bin" },
        replaceEnv: true,
        stdin: opts.stdin,
        rawScript: true,
      });
      return { stdout: r.stdout, stderr: r.stderr, exitCode: r.exitCode };
    } finally {
      adapter.target = undefined;
    }
  };
  const p = queue.then(run, run);
  queue = p.catch(() => undefined);
  return p;
}
