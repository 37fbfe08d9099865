/**
 * Splits the body of a ```` ```sh ```` block into complete shell commands, so each can be run
 * and its exit status checked. A command continues over lines while a quote, `$( )`, `( )`,
 * `{ }`, `if/fi`, `case/esac`, a loop (`do`/`done`), a here-document or a trailing backslash is
 * open. This is a scanner, not a parser: the shell itself still parses what we send it.
 */

export interface ShCommand {
  text: string;
  /** 1-based index of the first line within the lines given. */
  first: number;
}

const OPENERS = new Set(["if", "case", "for", "while", "until", "select"]);
const CLOSERS = new Set(["fi", "esac", "done"]);
/** After these words the next word is again in command position. */
const RESET = new Set(["then", "do", "else", "elif", "!", "{", "time"]);

interface State {
  quote: "'" | '"' | "`" | null;
  paren: number;
  depth: number;
  heredocs: { word: string; strip: boolean }[];
}

/** Scans one line, updating the state; returns true if the line ends in a continuation `\`. */
function scanLine(line: string, s: State): boolean {
  let word = "";
  let cmdPos = true;
  let continued = false;
  const endWord = (): void => {
    if (word === "") return;
    if (s.quote === null && cmdPos) {
      if (OPENERS.has(word)) s.depth++;
      else if (CLOSERS.has(word)) s.depth = Math.max(0, s.depth - 1);
      else if (word === "{") s.depth++;
      else if (word === "}") s.depth = Math.max(0, s.depth - 1);
    }
    cmdPos = RESET.has(word) || word === "}" ? true : OPENERS.has(word) && word !== "case" ? true : false;
    if (word === "case" || word === "for" || word === "select") cmdPos = false;
    word = "";
  };
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (s.quote === "'") {
      if (c === "'") s.quote = null;
      word += c;
      continue;
    }
    if (c === "\\") {
      if (i === line.length - 1) {
        continued = true;
        break;
      }
      word += c + line[i + 1];
      i++;
      continue;
    }
    if (s.quote === '"' || s.quote === "`") {
      if (c === s.quote) s.quote = null;
      else if (c === "$" && line[i + 1] === "(") {
        s.paren++;
        i++;
      } else if (c === ")" && s.paren > 0) s.paren--;
      word += c;
      continue;
    }
    if (c === "'" || c === '"' || c === "`") {
      s.quote = c;
      word += c;
      continue;
    }
    if (c === "#" && word === "") break;
    if (c === " " || c === "\t") {
      endWord();
      continue;
    }
    if (c === "<" && line[i + 1] === "<" && line[i + 2] !== "<") {
      endWord();
      let j = i + 2;
      const strip = line[j] === "-";
      if (strip) j++;
      while (line[j] === " " || line[j] === "\t") j++;
      const m = /^(?:'([^']*)'|"([^"]*)"|([^\s;&|<>()]+))/.exec(line.slice(j));
      if (m) {
        s.heredocs.push({ word: (m[1] ?? m[2] ?? m[3]!).replace(/\\/g, ""), strip });
        i = j + m[0].length - 1;
      } else i++;
      cmdPos = false;
      continue;
    }
    if (c === "(") {
      endWord();
      s.paren++;
      cmdPos = true;
      continue;
    }
    if (c === ")") {
      endWord();
      if (s.paren > 0) s.paren--;
      cmdPos = true; // `f() {` and `(a) && b`
      continue;
    }
    if (c === ";" || c === "&" || c === "|") {
      endWord();
      cmdPos = true;
      continue;
    }
    if (c === "$" && line[i + 1] === "(") {
      s.paren++;
      word += "$(";
      i++;
      cmdPos = true;
      continue;
    }
    word += c;
  }
  endWord();
  return continued;
}

/** Splits sh block lines into complete commands, skipping blank and comment-only lines. */
export function splitShell(lines: string[]): ShCommand[] {
  const out: ShCommand[] = [];
  const s: State = { quote: null, paren: 0, depth: 0, heredocs: [] };
  let current: string[] = [];
  let first = 0;
  let bodyOf: { word: string; strip: boolean } | undefined;
  for (let n = 0; n < lines.length; n++) {
    const line = lines[n]!;
    if (current.length === 0 && (line.trim() === "" || line.trim().startsWith("#"))) continue;
    if (current.length === 0) first = n + 1;
    current.push(line);
    if (bodyOf) {
      const t = bodyOf.strip ? line.replace(/^\t+/, "") : line;
      if (t === bodyOf.word) bodyOf = s.heredocs.shift();
    } else {
      const continued = scanLine(line, s);
      bodyOf = s.heredocs.shift();
      if (continued) continue;
    }
    if (!bodyOf && s.quote === null && s.paren === 0 && s.depth === 0) {
      out.push({ text: current.join("\n"), first });
      current = [];
    }
  }
  if (current.length > 0) out.push({ text: current.join("\n"), first });
  return out;
}

/** A here-document still waiting for its terminator line. */
export interface OpenHeredoc {
  word: string;
  /** `<<-`: leading tabs are stripped before comparing with the terminator. */
  strip: boolean;
}

/** The here-documents that `lines` open and do not close, in the order they must be closed. */
export function openHeredocs(lines: readonly string[]): OpenHeredoc[] {
  const s: State = { quote: null, paren: 0, depth: 0, heredocs: [] };
  let bodyOf: OpenHeredoc | undefined;
  for (const line of lines) {
    if (bodyOf) {
      const t = bodyOf.strip ? line.replace(/^\t+/, "") : line;
      if (t === bodyOf.word) bodyOf = s.heredocs.shift();
      continue;
    }
    scanLine(line, s);
    bodyOf = s.heredocs.shift();
  }
  return bodyOf ? [bodyOf, ...s.heredocs] : [];
}
