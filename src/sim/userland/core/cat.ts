/**
 * cat (coreutils): concatenates files and standard input (`-` or no operand); `-n` numbers
 * lines. Errors as coreutils prints them: `cat: PATH: No such file or directory`.
 */
import type { ProgramSpec } from "../types.js";
import { getopt, GetoptError } from "../lib/getopt.js";
import { errnoOf, strerror } from "../lib/errno.js";

export const cat: ProgramSpec = {
  name: "cat",
  summary: "concatenate files",
  run: (p) => {
    let parsed;
    try {
      parsed = getopt(p.argv.slice(1), [
        { short: "n", long: "number" },
        { short: "A", long: "show-all" },
        { short: "E", long: "show-ends" },
        { short: "s", long: "squeeze-blank" },
        { short: "u" },
      ]);
    } catch (e) {
      if (!(e instanceof GetoptError)) throw e;
      p.err(`cat: ${e.message}\nTry 'cat --help' for more information.\n`);
      return 1;
    }
    const number = parsed.opts.has("number");
    const ends = parsed.opts.has("show-ends") || parsed.opts.has("show-all");
    const operands = parsed.operands.length ? parsed.operands : ["-"];
    let status = 0;
    let line = 1;
    let stdinRead = false;
    for (const name of operands) {
      let text: string | undefined;
      if (name === "-") {
        text = stdinRead ? "" : p.stdin;
        stdinRead = true;
      } else {
        const path = name.startsWith("/") ? name : `${p.cwd.replace(/\/$/, "")}/${name}`;
        try {
          if (p.ctx.fs.isDir(path)) {
            p.err(`cat: ${name}: Is a directory\n`);
            status = 1;
            continue;
          }
          text = p.ctx.fs.readFile(path);
        } catch (e) {
          const errno = errnoOf(e);
          if (!errno) throw e;
          p.err(`cat: ${name}: ${strerror(errno)}\n`);
          status = 1;
          continue;
        }
        if (text === undefined) {
          p.err(`cat: ${name}: No such file or directory\n`);
          status = 1;
          continue;
        }
      }
      if (number || ends) {
        const lines = text.split("\n");
        const last = lines.pop();
        let out = lines.map((l) => (number ? `${String(line++).padStart(6)}\t` : "") + l + (ends ? "$" : "") + "\n").join("");
        if (last) out += (number ? `${String(line++).padStart(6)}\t` : "") + last;
        text = out;
      }
      p.out(text);
    }
    return status;
  },
};
