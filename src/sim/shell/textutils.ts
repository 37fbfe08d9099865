/**
 * Text utilities delegated to one shared just-bash instance (grep, awk, sed, sort, cut, ...),
 * whose file system is our VFS through SimFsAdapter. Calls are serialized (the adapter is
 * re-pointed at the caller's file system for each call), and each runs with the caller's cwd,
 * environment and standard input.
 */
import { Bash, createCommandContext, decodeBytesToUtf8, encodeUtf8ToBytes, unsafeBytesFromLatin1 } from "just-bash";
import type { SimFs } from "../userland/types.js";
import { SimFsAdapter } from "./jb-fs.js";

/** The utilities the simulator takes from just-bash, by name. */
export const DELEGATED = [
  "awk", "base64", "basename", "column", "comm", "cp", "cut", "diff", "dirname", "egrep", "expand", "expr",
  "fgrep", "find", "fold", "grep", "head", "join", "ls", "md5sum", "mkdir", "mv", "nl", "od", "paste", "printf",
  "rev", "rm", "rmdir", "sed", "seq", "sha1sum", "sha256sum", "sort", "split", "stat", "tac", "tail", "tee",
  "touch", "tr", "tree", "unexpand", "wc",
] as const;

const DELEGATED_SET: ReadonlySet<string> = new Set(DELEGATED);

/** True if `name` is one of the delegated utilities. */
export function isDelegated(name: string): boolean {
  return DELEGATED_SET.has(name);
}

type JbResult = { stdout: string; stderr: string; exitCode: number; stdoutKind?: "text" | "bytes"; stdoutEncoding?: "binary" };
type JbCommand = { execute(args: string[], ctx: ReturnType<typeof createCommandContext>): Promise<JbResult> };

let commands: Map<string, JbCommand> | undefined;

/**
 * The utilities' implementations, taken from one just-bash instance. Calling a command's
 * `execute` directly skips just-bash's parser, interpreter and per-exec hardening (5x faster
 * than `bash.exec` here); the context gets our VFS, cwd, environment and stdin.
 */
function jbCommands(): Map<string, JbCommand> {
  if (!commands) {
    const bash = new Bash({ commands: [...DELEGATED], defenseInDepth: false, sleep: async () => {} });
    // `commands` is private in just-bash's typings; it is the registry every Bash instance keeps.
    commands = (bash as unknown as { commands: Map<string, JbCommand> }).commands;
  }
  return commands;
}

/** Quotes one argument for bash with single quotes. */
export function shellQuote(s: string): string {
  return /^[A-Za-z0-9_@%+=:,./-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;
}

/** Result of a delegated call. */
export interface DelegatedResult {
  stdout: string;
  stderr: string;
  exitCode: number;
}

/** Runs delegated utility argv[0] with its arguments on `fs`; `exec` runs nested command lines (xargs). */
export async function runDelegated(
  argv: string[],
  opts: {
    fs: SimFs;
    cwd: string;
    env: Record<string, string>;
    stdin: string;
    exec?: (command: string, stdin: string) => Promise<DelegatedResult>;
  },
): Promise<DelegatedResult> {
  const cmd = jbCommands().get(argv[0]!);
  if (!cmd) return { stdout: "", stderr: `${argv[0]}: not available\n`, exitCode: 127 };
  const adapter = new SimFsAdapter(DELEGATED_SET);
  adapter.target = opts.fs;
  const ctx = createCommandContext({
    fs: adapter,
    cwd: opts.cwd,
    env: new Map(Object.entries({ ...opts.env, PATH: "/usr/bin" })),
    stdin: encodeUtf8ToBytes(opts.stdin),
    sleep: async () => {},
    exec: opts.exec ? (command: string, o: { stdin?: string }) => opts.exec!(command, o.stdin ?? "") : undefined,
  });
  const r = await cmd.execute(argv.slice(1), ctx);
  const bytes = r.stdoutKind === "bytes" || r.stdoutEncoding === "binary";
  return gnuWords(argv[0]!, { stdout: bytes ? decodeBytesToUtf8(unsafeBytesFromLatin1(r.stdout)) : r.stdout, stderr: r.stderr, exitCode: r.exitCode });
}

/** A missing file in the words of the GNU tool (coreutils 9.1, mawk, GNU sed), and its exit status. */
const MISSING: Record<string, { text: (path: string) => string; status?: number }> = {
  ls: { text: (f) => `ls: cannot access '${f}': No such file or directory`, status: 2 },
  head: { text: (f) => `head: cannot open '${f}' for reading: No such file or directory` },
  tail: { text: (f) => `tail: cannot open '${f}' for reading: No such file or directory` },
  sort: { text: (f) => `sort: cannot read: ${f}: No such file or directory`, status: 2 },
  awk: { text: (f) => `awk: cannot open ${f} (No such file or directory)`, status: 2 },
  sed: { text: (f) => `sed: can't read ${f}: No such file or directory`, status: 2 },
  grep: { text: (f) => `grep: ${f}: No such file or directory`, status: 2 },
};

/** Rewrites just-bash's `CMD: PATH: No such file or directory` into the real tool's words (recorded here). */
function gnuWords(name: string, r: DelegatedResult): DelegatedResult {
  const m = MISSING[name];
  if (!m || !r.stderr.includes(": No such file or directory")) return r;
  let hit = false;
  const stderr = r.stderr.replace(new RegExp(`^${name}: (.+): No such file or directory$`, "gm"), (_all, path: string) => {
    hit = true;
    return m.text(path);
  });
  return { ...r, stderr, exitCode: hit && m.status !== undefined && r.exitCode !== 0 ? m.status : r.exitCode };
}
