/**
 * xargs (GNU findutils 4.9) as a shell builtin, so its children are the simulator's programs
 * and their output streams in order: builds command lines from standard input items
 * (blank-separated, with '...' "..." and backslash quoting; `-0`/`-d` delimiters), `-n N`,
 * `-L N`, `-I R` (one line per command, R replaced), `-r`, `-t`, `-P` (ignored: runs in order).
 * Exit status as GNU: 123 if a child exited 1..125, 124 for 255, 126/127 when it cannot run.
 */
import type { Interpreter } from "./interpreter.js";
import { Input } from "./io.js";
import { resolveProgram } from "./programs.js";
import { getopt, GetoptError } from "../userland/lib/getopt.js";

function splitItems(text: string): string[] | string {
  const items: string[] = [];
  let cur = "";
  let has = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === "'" || c === '"') {
      const end = text.indexOf(c, i + 1);
      const nl = text.indexOf("\n", i + 1);
      if (end < 0 || (nl >= 0 && nl < end)) return `xargs: unmatched ${c === "'" ? "single" : "double"} quote; by default quotes are special to xargs unless you use the -0 option`;
      cur += text.slice(i + 1, end);
      has = true;
      i = end;
    } else if (c === "\\" && i + 1 < text.length) {
      cur += text[++i];
      has = true;
    } else if (c === " " || c === "\t" || c === "\n") {
      if (has) items.push(cur);
      cur = "";
      has = false;
    } else {
      cur += c;
      has = true;
    }
  }
  if (has) items.push(cur);
  return items;
}

/** The xargs builtin. */
export async function xargs(sh: Interpreter, argv: string[]): Promise<number> {
  const err = (t: string): void => sh.fds.out.get(2)?.write(t);
  let o;
  try {
    o = getopt(
      argv.slice(1),
      [
        { short: "n", long: "max-args", arg: true },
        { short: "L", long: "max-lines", arg: true },
        { short: "I", arg: true, key: "replace" },
        { short: "i", long: "replace", arg: false, key: "replace-default" },
        { short: "0", long: "null" },
        { short: "d", long: "delimiter", arg: true },
        { short: "r", long: "no-run-if-empty" },
        { short: "t", long: "verbose" },
        { short: "P", long: "max-procs", arg: true },
        { short: "s", long: "max-chars", arg: true },
        { short: "x", long: "exit" },
        { short: "E", arg: true, key: "eof" },
      ],
      { posix: true },
    );
  } catch (e) {
    if (!(e instanceof GetoptError)) throw e;
    err(`xargs: ${e.message}\nTry 'xargs --help' for more information.\n`);
    return 1;
  }
  const last = (k: string): string | undefined => o.opts.get(k)?.at(-1);
  const cmd = o.operands.length ? o.operands : ["echo"];
  const input = sh.fds.stdin.takeAll();
  let items: string[];
  const replace = last("replace") ?? (o.opts.has("replace-default") ? "{}" : undefined);
  if (o.opts.has("null")) items = input.split("\0").filter((s, i, a) => !(i === a.length - 1 && s === ""));
  else if (last("delimiter") !== undefined) {
    const d = last("delimiter")!.replace(/^\\n$/, "\n").replace(/^\\t$/, "\t");
    items = input.split(d);
    if (items[items.length - 1] === "") items.pop();
  } else if (replace !== undefined) {
    items = input.split("\n").map((l) => l.replace(/^[ \t]+/, "")).filter((l) => l !== "");
  } else {
    const r = splitItems(input);
    if (typeof r === "string") {
      err(r + "\n");
      return 1;
    }
    items = r;
  }
  const perCmd = replace !== undefined ? 1 : Number(last("max-args") ?? last("max-lines") ?? Infinity);
  if (!(perCmd >= 1)) {
    err(`xargs: value ${last("max-args") ?? last("max-lines")} for -n option should be >= 1\n`);
    return 1;
  }
  const batches: string[][] = [];
  if (items.length === 0) {
    if (!o.opts.has("no-run-if-empty") && replace === undefined) batches.push([]);
  } else for (let i = 0; i < items.length; i += perCmd === Infinity ? items.length : perCmd) batches.push(items.slice(i, i + (perCmd === Infinity ? items.length : perCmd)));
  let status = 0;
  const name = cmd[0]!;
  const runnable = resolveProgram(name, sh.rt.ctx).kind !== "none" || name === "sh" || name === "bash";
  for (const batch of batches) {
    const words = replace !== undefined ? cmd.map((w) => w.split(replace).join(batch[0] ?? "")) : [...cmd, ...batch];
    if (o.opts.has("verbose")) err(words.join(" ") + "\n");
    if (!runnable) {
      err(`xargs: ${name}: No such file or directory\n`);
      return 127;
    }
    const saved = sh.fds.stdin;
    sh.fds.stdin = new Input("");
    let s: number;
    try {
      s = name === "sh" || name === "bash" ? await sh.dispatch(words) : await sh.runExternal(words);
    } finally {
      sh.fds.stdin = saved;
    }
    if (s === 255) {
      err(`xargs: ${name}: exited with status 255; aborting\n`);
      return 124;
    }
    if (s >= 1 && s <= 125) status = 123;
  }
  return status;
}
