/**
 * `grep PATTERN [FILE]` on standard input or one file with native RegExp, for the plain patterns lessons use
 * (`grep '<title>'`, `grep -c '^-A KUBE-'`, `grep -E 'DOCKER|MASQUERADE'`, `grep -o 'id [0-9]*'`).
 *
 * just-bash's grep compiles every pattern with RE2JS and matches with its NFA: that is ~70% of a
 * delegated grep (compile ~20%, matching ~50% of the rest, most of the allocation). For the
 * patterns accepted here (literals, `.`, simple bracket expressions, `*` `+` `?` after an atom,
 * anchors, and in -E groups and `|`), RE2's leftmost-first matching and JavaScript's agree on
 * every match, so the output is the same bytes. Everything else (other options, several or
 * missing files, -i,
 * back-references, classes, intervals, non-BMP text, large input) returns undefined and goes
 * to just-bash. grep-native.test.ts runs both on a corpus and on random patterns.
 */

/** What a grep call printed and its exit status. */
export interface GrepResult {
  stdout: string;
  stderr: string;
  exitCode: number;
}

interface GrepOptions {
  invert: boolean;
  count: boolean;
  lineNumbers: boolean;
  quiet: boolean;
  only: boolean;
  word: boolean;
  line: boolean;
  mode: "basic" | "extended" | "fixed";
}

const FLAGS: Record<string, keyof GrepOptions | "E" | "F" | "h"> = {
  v: "invert", "--invert-match": "invert",
  c: "count", "--count": "count",
  n: "lineNumbers", "--line-number": "lineNumbers",
  q: "quiet", "--quiet": "quiet", "--silent": "quiet",
  o: "only", "--only-matching": "only",
  w: "word", "--word-regexp": "word",
  x: "line", "--line-regexp": "line",
  E: "E", "--extended-regexp": "E",
  F: "F", "--fixed-strings": "F",
  h: "h", "--no-filename": "h",
};

/** The text of a regular file operand, or undefined (missing, a directory, unreadable: just-bash reports it). */
export type FileReader = (operand: string) => string | undefined;

/** Above this much input just-bash's work and line limits could apply: leave it to just-bash. */
const MAX_INPUT = 64 * 1024;
const SURROGATE = /[\uD800-\uDFFF]/;
const ASCII = /^[\x00-\x7f]*$/;

/**
 * grep/egrep/fgrep on `stdin` (or on one regular file, read with `readFile`) as just-bash's grep
 * would print it, or undefined when the call is not one this file handles (then just-bash runs it).
 */
export function nativeGrep(argv: string[], stdin: string, readFile?: FileReader): GrepResult | undefined {
  const args = argv[0] === "egrep" ? ["-E", ...argv.slice(1)] : argv[0] === "fgrep" ? ["-F", ...argv.slice(1)] : argv.slice(1);
  const o: GrepOptions = { invert: false, count: false, lineNumbers: false, quiet: false, only: false, word: false, line: false, mode: "basic" };
  let extended = false;
  let fixed = false;
  const operands: string[] = [];
  let options = true;
  for (const a of args) {
    if (options && a === "--") {
      options = false;
      continue;
    }
    if (options && a.startsWith("-") && a !== "-") {
      for (const f of a.startsWith("--") ? [a] : a.slice(1).split("")) {
        const k = FLAGS[f];
        if (k === undefined) return undefined;
        if (k === "E") extended = true;
        else if (k === "F") fixed = true;
        else if (k !== "h") o[k] = true as never;
      }
      continue;
    }
    operands.push(a);
  }
  if (operands.length !== 1 && operands.length !== 2) return undefined;
  const pattern = operands[0]!;
  // One file operand (no glob, not `-`): its text, as just-bash's grep reads it, with no name prefix.
  const file = operands[1];
  const text = file === undefined ? stdin : file === "-" || /[*?[]/.test(file) || !readFile ? undefined : readFile(file);
  if (text === undefined || text.length > MAX_INPUT) return undefined;
  if (pattern.includes("\n") || SURROGATE.test(pattern) || SURROGATE.test(text)) return undefined;
  // -o reads match positions, which just-bash takes from RE2 over UTF-8: ASCII only here.
  if (o.only && !(ASCII.test(pattern) && ASCII.test(text))) return undefined;
  o.mode = fixed ? "fixed" : extended ? "extended" : "basic";
  const source = o.mode === "fixed" ? escapeLiteral(pattern) : o.mode === "extended" ? extendedSource(pattern) : basicSource(pattern);
  if (source === undefined) return undefined;
  let re = source;
  if (o.word) re = `\\b(?:${re})\\b`;
  if (o.line) re = `^(?:${re})$`;
  return search(text, new RegExp(re, "g"), o);
}

const SPECIAL = /[.*+?^${}()|[\]\\/]/g;
const SPECIAL_CHARS = new Set(".*+?^${}()|[]\\/");

function escapeLiteral(s: string): string {
  return s.replace(SPECIAL, "\\$&");
}

/** One character as a literal in a RegExp source. */
function literalChar(c: string): string {
  return SPECIAL_CHARS.has(c) ? `\\${c}` : c;
}

/** A bracket expression at `i` (`[a-z0-9._-]`, `[^ ]`), or undefined if it is not a plain one. */
function bracket(p: string, i: number): { text: string; end: number } | undefined {
  let j = i + 1;
  let text = "[";
  if (p[j] === "^") {
    text += "^";
    j++;
  }
  const start = j;
  let afterRange = false;
  for (; j < p.length && p[j] !== "]"; j++) {
    const c = p[j]!;
    if (!/[A-Za-z0-9 ._-]/.test(c)) return undefined;
    if (c === "-" && j > start && p[j + 1] !== "]") {
      // A range `a-z` between two plain characters, in order; `-` first or last is itself.
      const lo = p[j - 1]!;
      const hi = p[j + 1] ?? "";
      if (afterRange || !/^[A-Za-z0-9]$/.test(lo) || !/^[A-Za-z0-9]$/.test(hi) || lo > hi) return undefined;
      text += "-" + hi;
      j++;
      afterRange = true;
      continue;
    }
    afterRange = false;
    text += c === "-" || c === "." ? `\\${c}` : c;
  }
  if (j >= p.length || j === start) return undefined;
  return { text: text + "]", end: j + 1 };
}

/** A POSIX basic regular expression as a JS source, or undefined outside the plain subset. */
function basicSource(p: string): string | undefined {
  let out = "";
  let atom = false;
  for (let i = 0; i < p.length; ) {
    const c = p[i]!;
    if (c === "\\") return undefined;
    if (c === "[") {
      const b = bracket(p, i);
      if (!b) return undefined;
      out += b.text;
      i = b.end;
      atom = true;
      continue;
    }
    if (c === "^") {
      if (i !== 0) return undefined;
      out += "^";
    } else if (c === "$") {
      out += i === p.length - 1 ? "$" : "\\$";
      atom = i !== p.length - 1;
      i++;
      continue;
    } else if (c === "*") {
      // A leading `*` is literal in a BRE, and so is the next one: not handled here.
      if (!atom || p[i + 1] === "*") return undefined;
      out += "*";
      atom = false;
      i++;
      continue;
    } else if (c === ".") out += "[^\\n]";
    else out += literalChar(c);
    atom = c !== "^";
    i++;
  }
  return out;
}

/** A POSIX extended regular expression as a JS source, or undefined outside the plain subset. */
function extendedSource(p: string): string | undefined {
  let out = "";
  let atom = false;
  let depth = 0;
  for (let i = 0; i < p.length; ) {
    const c = p[i]!;
    if (c === "\\" || c === "{" || c === "}") return undefined;
    if (c === "[") {
      const b = bracket(p, i);
      if (!b) return undefined;
      out += b.text;
      i = b.end;
      atom = true;
      continue;
    }
    if (c === "*" || c === "+" || c === "?") {
      const next = p[i + 1];
      if (!atom || next === "*" || next === "+" || next === "?" || next === "{") return undefined;
      out += c;
      atom = false;
    } else if (c === "(") {
      if (p[i + 1] === "?" || p[i + 1] === "*" || p[i + 1] === "+") return undefined;
      depth++;
      out += "(";
      atom = false;
    } else if (c === ")") {
      if (--depth < 0) return undefined;
      out += ")";
      atom = true;
    } else if (c === "|" || c === "^" || c === "$") {
      out += c;
      atom = false;
    } else {
      out += c === "." ? "[^\\n]" : literalChar(c);
      atom = true;
    }
    i++;
  }
  return depth === 0 ? out : undefined;
}

/** An empty match under -o: just-bash steps past it twice, even past the line's end; left to it. */
class EmptyMatch extends Error {}

/** The next non-empty match from `re.lastIndex`, null at the end. */
function nextMatch(re: RegExp, s: string): RegExpExecArray | null {
  const m = re.exec(s);
  if (m !== null && m[0].length === 0) throw new EmptyMatch();
  return m;
}

/** just-bash's grep search loop (no context lines, no file names) over native matches. */
function search(text: string, re: RegExp, o: GrepOptions): GrepResult | undefined {
  try {
    return searchLines(text, re, o);
  } catch (e) {
    if (e instanceof EmptyMatch) return undefined;
    throw e;
  }
}

function searchLines(text: string, re: RegExp, o: GrepOptions): GrepResult {
  const lines = text.split("\n");
  const n = lines.length > 0 && lines[lines.length - 1] === "" ? lines.length - 1 : lines.length;
  let matched = false;
  let stdout: string;
  if (o.count) {
    let count = 0;
    const perMatch = o.only && !o.invert;
    for (let i = 0; i < n; i++) {
      const line = lines[i]!;
      re.lastIndex = 0;
      if (perMatch) {
        while (nextMatch(re, line) !== null) count++;
      } else if (re.test(line) !== o.invert) count++;
    }
    matched = count > 0;
    stdout = `${count}\n`;
  } else {
    const out: string[] = [];
    for (let i = 0; i < n; i++) {
      const line = lines[i]!;
      re.lastIndex = 0;
      const first = o.only ? nextMatch(re, line) : re.exec(line);
      if ((first !== null) === o.invert) continue;
      matched = true;
      const prefix = o.lineNumbers ? `${i + 1}:` : "";
      if (!o.only) {
        out.push(prefix + line);
        continue;
      }
      for (let m = first; m !== null; m = nextMatch(re, line)) out.push(prefix + m[0]);
    }
    stdout = out.length > 0 ? `${out.join("\n")}\n` : "";
  }
  return { stdout: o.quiet ? "" : stdout, stderr: "", exitCode: matched ? 0 : 1 };
}
