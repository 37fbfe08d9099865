/**
 * Text utilities delegated to one shared just-bash instance (grep, awk, sed, sort, cut, ...;
 * grep with a plain pattern on stdin runs natively, see grep-native.ts),
 * whose file system is our VFS through SimFsAdapter (one per file system). Each call runs with
 * the caller's cwd, environment and standard input.
 */
import { Bash, createCommandContext, decodeBytesToUtf8, encodeUtf8ToBytes, unsafeBytesFromLatin1 } from "just-bash";
import type { SimFs } from "../userland/types.js";
import { nativeGrep } from "./grep-native.js";
import { SimFsAdapter } from "./jb-fs.js";
import { resolvePath } from "./vfs.js";

/** The utilities the simulator takes from just-bash, by name. */
export const DELEGATED = [
  "awk", "base64", "basename", "column", "comm", "cp", "cut", "diff", "dirname", "egrep", "expand", "expr",
  "fgrep", "find", "fold", "grep", "head", "join", "ls", "md5sum", "mkdir", "mv", "nl", "od", "paste", "printf",
  "rev", "rm", "rmdir", "sed", "seq", "sha1sum", "sha256sum", "sort", "split", "stat", "tac", "tail", "tee",
  "touch", "tr", "tree", "unexpand", "wc",
] as const;

const DELEGATED_SET: ReadonlySet<string> = new Set(DELEGATED);
const GREPS: ReadonlySet<string> = new Set(["grep", "egrep", "fgrep"]);

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

/**
 * One adapter per file system, bound to it for good. just-bash keys per-file-system state on the
 * adapter object (a WeakMap entry per adapter); a fresh adapter per call cost a new entry each time.
 */
const adapters = new WeakMap<SimFs, SimFsAdapter>();

function adapterFor(fs: SimFs): SimFsAdapter {
  let a = adapters.get(fs);
  if (!a) {
    a = new SimFsAdapter(fs, DELEGATED_SET);
    adapters.set(fs, a);
  }
  return a;
}

/** ASCII text is its own UTF-8 byte string (what encodeUtf8ToBytes would build char by char). */
const ASCII = /^[\x00-\x7f]*$/;

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

/**
 * What a delegated utility prints when it needs neither files nor environment and runs natively
 * (grep with a plain pattern on stdin, grep-native.ts); undefined: run it with runDelegated.
 */
export function runNative(argv: string[], stdin: string, fs: SimFs, cwd: string): DelegatedResult | undefined {
  if (!GREPS.has(argv[0]!)) return undefined;
  return nativeGrep(argv, stdin, (operand) => {
    const path = resolvePath(cwd, operand);
    try {
      return fs.exists(path) && !fs.isDir(path) ? fs.readFile(path) : undefined;
    } catch {
      return undefined;
    }
  });
}

/** Runs delegated utility argv[0] (just-bash's) on `fs`; `exec` runs nested command lines (xargs). */
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
  if (argv[0] === "ls") {
    const split = lsOperands(argv.slice(1), opts.fs, opts.cwd);
    if (split) return lsSeveral(split, opts);
  }
  const cmd = jbCommands().get(argv[0]!);
  if (!cmd) return { stdout: "", stderr: `${argv[0]}: not available\n`, exitCode: 127 };
  const ctx = createCommandContext({
    fs: adapterFor(opts.fs),
    cwd: opts.cwd,
    env: new Map(Object.entries({ ...opts.env, PATH: "/usr/bin" })),
    stdin: ASCII.test(opts.stdin) ? unsafeBytesFromLatin1(opts.stdin) : encodeUtf8ToBytes(opts.stdin),
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

interface LsSplit {
  options: string[];
  missing: string[];
  files: string[];
  dirs: string[];
}

/** `ls` with two or more operands, sorted into files and directories as GNU ls does (undefined otherwise). */
function lsOperands(args: string[], fs: SimFs, cwd: string): LsSplit | undefined {
  const options: string[] = [];
  const operands: string[] = [];
  let ended = false;
  for (const a of args) {
    if (!ended && a === "--") ended = true;
    else if (!ended && a.startsWith("-") && a !== "-") options.push(a);
    else operands.push(a);
  }
  if (operands.length < 2) return undefined;
  const asFiles = options.some((o) => /^-[a-zA-Z]*d/.test(o) || o === "--directory");
  const split: LsSplit = { options, missing: [], files: [], dirs: [] };
  for (const o of operands) {
    const path = resolvePath(cwd, o);
    if (!fs.exists(path)) split.missing.push(o);
    else if (fs.isDir(path) && !asFiles) split.dirs.push(o);
    else split.files.push(o);
  }
  const byte = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
  split.files.sort(byte);
  split.dirs.sort(byte);
  return split;
}

/**
 * GNU ls over several operands: an error per missing one, then the files, then each directory
 * under a `DIR:` header, sections apart by a blank line (just-bash's ls puts blank lines between
 * plain files). Exit status 2 when an operand is missing.
 */
async function lsSeveral(split: LsSplit, opts: Parameters<typeof runDelegated>[1]): Promise<DelegatedResult> {
  let stdout = "";
  let stderr = split.missing.map((m) => `ls: cannot access '${m}': No such file or directory\n`).join("");
  let status = split.missing.length ? 2 : 0;
  for (const f of split.files) {
    const r = await runDelegated(["ls", ...split.options, "--", f], opts);
    stdout += r.stdout;
    stderr += r.stderr;
    status = Math.max(status, r.exitCode);
  }
  for (const d of split.dirs) {
    const r = await runDelegated(["ls", ...split.options, "--", d], opts);
    stdout += `${stdout ? "\n" : ""}${d}:\n${r.stdout}`;
    stderr += r.stderr;
    status = Math.max(status, r.exitCode);
  }
  return { stdout, stderr, exitCode: status };
}
