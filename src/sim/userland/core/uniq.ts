/**
 * uniq (GNU coreutils 9.1): filters adjacent duplicate lines. `-c` prefixes counts as
 * `printf("%7jd ", count)` (coreutils src/uniq.c), `-d` only duplicated, `-u` only unique,
 * `-i` ignore case, `-f N` skip fields, `-s N` skip chars, `-w N` compare at most N chars.
 * Delegating this one to just-bash would print counts 4 wide instead of 7.
 */
import type { ProgramSpec } from "../types.js";
import { getopt, GetoptError } from "../lib/getopt.js";

function num(v: string | undefined, what: string): number | string {
  if (v === undefined) return 0;
  if (!/^\d+$/.test(v)) return `uniq: ${v}: invalid number of ${what}`;
  return Number(v);
}

export const uniq: ProgramSpec = {
  name: "uniq",
  summary: "report or omit repeated lines",
  run: (p) => {
    let o;
    try {
      o = getopt(p.argv.slice(1), [
        { short: "c", long: "count" },
        { short: "d", long: "repeated" },
        { short: "u", long: "unique" },
        { short: "i", long: "ignore-case" },
        { short: "f", long: "skip-fields", arg: true },
        { short: "s", long: "skip-chars", arg: true },
        { short: "w", long: "check-chars", arg: true },
        { short: "z", long: "zero-terminated" },
      ]);
    } catch (e) {
      if (!(e instanceof GetoptError)) throw e;
      p.err(`uniq: ${e.message}\nTry 'uniq --help' for more information.\n`);
      return 1;
    }
    const last = (k: string) => o.opts.get(k)?.at(-1);
    const fields = num(last("skip-fields"), "fields to skip");
    const chars = num(last("skip-chars"), "bytes to skip");
    const width = last("check-chars") === undefined ? Infinity : num(last("check-chars"), "bytes to compare");
    for (const v of [fields, chars, width]) {
      if (typeof v === "string") {
        p.err(v + "\n");
        return 1;
      }
    }
    if (o.operands.length > 2) {
      p.err(`uniq: extra operand '${o.operands[2]}'\nTry 'uniq --help' for more information.\n`);
      return 1;
    }
    const input = o.operands[0];
    let text: string;
    if (input === undefined || input === "-") text = p.stdin;
    else {
      const path = input.startsWith("/") ? input : `${p.cwd.replace(/\/$/, "")}/${input}`;
      const c = p.ctx.fs.isDir(path) ? undefined : p.ctx.fs.readFile(path);
      if (c === undefined) {
        p.err(`uniq: ${input}: ${p.ctx.fs.isDir(path) ? "Is a directory" : "No such file or directory"}\n`);
        return 1;
      }
      text = c;
    }
    const sep = o.opts.has("zero-terminated") ? "\0" : "\n";
    const lines = text.split(sep);
    if (lines[lines.length - 1] === "") lines.pop();
    const key = (l: string): string => {
      let s = l;
      for (let i = 0; i < (fields as number); i++) s = s.replace(/^[ \t]*[^ \t]*/, "");
      s = s.slice(chars as number);
      if (width !== Infinity) s = s.slice(0, width as number);
      return o.opts.has("ignore-case") ? s.toLowerCase() : s;
    };
    let out = "";
    const emit = (line: string, count: number): void => {
      if (o.opts.has("repeated") && count < 2) return;
      if (o.opts.has("unique") && count > 1) return;
      out += (o.opts.has("count") ? `${String(count).padStart(7)} ` : "") + line + sep;
    };
    let cur: string | undefined;
    let count = 0;
    for (const l of lines) {
      if (cur !== undefined && key(l) === key(cur)) count++;
      else {
        if (cur !== undefined) emit(cur, count);
        cur = l;
        count = 1;
      }
    }
    if (cur !== undefined) emit(cur, count);
    const output = o.operands[1];
    if (output !== undefined) {
      p.ctx.fs.writeFile(output.startsWith("/") ? output : `${p.cwd.replace(/\/$/, "")}/${output}`, out);
      return 0;
    }
    p.out(out);
    return 0;
  },
};
