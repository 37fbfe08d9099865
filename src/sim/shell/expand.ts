/**
 * Word expansion in bash's order: brace expansion, then tilde, parameter, arithmetic and
 * command substitution (left to right), then field splitting on IFS of the unquoted results,
 * then pathname expansion on the VFS, then quote removal.
 *
 * Expansion works on pieces: each carries its text and whether it was quoted (quoted text is
 * never split or globbed). A `break` piece separates the fields of "$@".
 */
import type { SimFs } from "../userland/types.js";
import type { ArithmeticExpressionNode, BraceExpansionPart, WordNode, WordPart } from "./ast.js";
import { evalArith, ArithError, type ArithEnv } from "./arith.js";
import { hasGlob, matchPattern, quotePattern, unescapePattern } from "./pattern.js";
import { ExitSignal } from "./signals.js";
import { resolvePath } from "./vfs.js";
import { element, elements, setElement, setScalar, subscripted, subscriptExpression, subscriptWord } from "./arrays.js";
import { ExpansionError, type Expander, type ExpandHost, type Piece } from "./expand-base.js";
import { expandParameter, specialParam } from "./parameter.js";

export { ExpansionError, type ExpandHost, type Piece } from "./expand-base.js";
export { literalText } from "./literal.js";
import { literalText } from "./literal.js";

const MAX_BRACE_FIELDS = 100_000;

/** Expands a word to fields (splitting and globbing), as for command arguments. */
export async function expandWord(host: ExpandHost, word: WordNode): Promise<string[]> {
  const lit = literalText(word);
  if (lit !== undefined) return [lit];
  const out: string[] = [];
  for (const w of expandBraces(word)) {
    const pieces = await expandParts(host, w.parts, false);
    for (const f of splitFields(pieces, host.state.vars.get("IFS") ?? " \t\n")) {
      if (!host.state.options.noglob && hasGlob(f.pattern)) {
        const matches = glob(host.fs, host.state.cwd, f.pattern);
        if (matches.length > 0) {
          out.push(...matches);
          continue;
        }
      }
      out.push(f.text);
    }
  }
  return out;
}

/** Expands words to one list of fields. */
export async function expandWords(host: ExpandHost, words: WordNode[]): Promise<string[]> {
  const out: string[] = [];
  for (const w of words) out.push(...(await expandWord(host, w)));
  return out;
}

/** Expands a word to one string without splitting or globbing (assignments, here-docs, redirection targets). */
export async function expandString(host: ExpandHost, word: WordNode): Promise<string> {
  const pieces = await expandParts(host, word.parts, false);
  return pieces.map((p) => (p.brk ? " " : p.text)).join("");
}

/** Expands a word to a shell pattern: quoted text escaped, unquoted text live (`case`, `${v#pat}`). */
export async function expandPattern(host: ExpandHost, word: WordNode): Promise<string> {
  const pieces = await expandParts(host, word.parts, false);
  return pieces.map((p) => (p.brk ? " " : p.quoted ? quotePattern(p.text) : p.text)).join("");
}

// ---- brace expansion

function expandBraces(word: WordNode): WordNode[] {
  const idx = word.parts.findIndex((p) => p.type === "BraceExpansion");
  if (idx < 0) return [word];
  const part = word.parts[idx] as BraceExpansionPart;
  const before = word.parts.slice(0, idx);
  const after = word.parts.slice(idx + 1);
  const alternatives: WordPart[][] = [];
  for (const item of part.items) {
    if (item.type === "Word") alternatives.push(item.word.parts);
    else for (const v of braceRange(item)) alternatives.push([{ type: "Literal", value: v }]);
  }
  const out: WordNode[] = [];
  for (const alt of alternatives) {
    for (const w of expandBraces({ type: "Word", parts: [...before, ...alt, ...after] })) {
      out.push(w);
      if (out.length > MAX_BRACE_FIELDS) throw new ExpansionError("brace expansion: too many fields");
    }
  }
  return out;
}

function braceRange(item: Extract<BraceExpansionPart["items"][number], { type: "Range" }>): string[] {
  const out: string[] = [];
  const { start, end } = item;
  if (typeof start === "number" && typeof end === "number") {
    const step = Math.abs(item.step || 1) * (start <= end ? 1 : -1);
    const width = Math.max((item.startStr ?? "").length, (item.endStr ?? "").length);
    const pad = /^-?0\d/.test(item.startStr ?? "") || /^-?0\d/.test(item.endStr ?? "");
    for (let v = start; step > 0 ? v <= end : v >= end; v += step) {
      out.push(pad ? String(v).padStart(width, "0") : String(v));
      if (out.length > MAX_BRACE_FIELDS) break;
    }
  } else {
    const a = String(start).charCodeAt(0);
    const b = String(end).charCodeAt(0);
    const step = Math.abs(item.step || 1) * (a <= b ? 1 : -1);
    for (let v = a; step > 0 ? v <= b : v >= b; v += step) out.push(String.fromCharCode(v));
  }
  return out;
}

// ---- parts → pieces

/** Expands word parts to pieces (`inDq`: inside double quotes). */
export async function expandParts(host: ExpandHost, parts: WordPart[], inDq: boolean): Promise<Piece[]> {
  const out: Piece[] = [];
  for (const part of parts) {
    switch (part.type) {
      case "Literal":
        out.push({ text: part.value, quoted: inDq, split: false });
        break;
      case "SingleQuoted":
        out.push({ text: part.value, quoted: true, split: false });
        break;
      case "Escaped":
        out.push({ text: part.value, quoted: true, split: false });
        break;
      case "DoubleQuoted": {
        const inner = await expandParts(host, part.parts, true);
        // An empty "" still makes a field: keep an empty quoted piece, unless all it holds is an empty list.
        if (inner.length > 0 && inner.every((p) => p.vanish)) break;
        out.push({ text: "", quoted: true, split: false }, ...inner.filter((p) => !p.vanish));
        break;
      }
      case "Glob":
        out.push({ text: part.pattern, quoted: inDq, split: false });
        break;
      case "TildeExpansion": {
        const home = part.user === null ? (host.state.vars.get("HOME") ?? "/root") : part.user === "root" ? "/root" : `/home/${part.user}`;
        out.push({ text: home, quoted: true, split: false });
        break;
      }
      case "ParameterExpansion":
        out.push(...(await expandParameter(host, part, inDq, EXPANDER)));
        break;
      case "CommandSubstitution": {
        const text = (await host.commandSubst(part.body)).replace(/\n+$/, "");
        out.push({ text, quoted: inDq, split: !inDq });
        break;
      }
      case "ArithmeticExpansion": {
        const v = await arith(host, part.expression);
        out.push({ text: String(v), quoted: inDq, split: !inDq });
        break;
      }
      case "BraceExpansion":
        // Only reached inside double quotes or nested words: braces stay literal.
        out.push({ text: braceText(part), quoted: inDq, split: false });
        break;
      case "ProcessSubstitution":
        if (!host.procSubst) throw new ExpansionError("process substitution <(...) is not supported here");
        out.push({ text: await host.procSubst(part.body, part.direction), quoted: true, split: false });
        break;
    }
  }
  return out;
}

function braceText(part: BraceExpansionPart): string {
  const items = part.items.map((i) =>
    i.type === "Word" ? i.word.parts.map((p) => ("value" in p ? p.value : "")).join("") : `${i.start}..${i.end}`,
  );
  return `{${items.join(",")}}`;
}

/**
 * Evaluates an arithmetic expression against the shell's variables. An error is fatal in an
 * expansion (`$((1/0))` ends the shell with status 1, as bash -c does) and makes a `(( ))`
 * command (mode "command") or `let` fail with status 1.
 */
export async function arith(host: ExpandHost, node: ArithmeticExpressionNode, mode: "expansion" | "command" | "let" = "expansion"): Promise<number> {
  const e = node.expression;
  // Command substitutions inside arithmetic are rare; pre-expand them synchronously is not possible,
  // so they are resolved first into a cache and looked up during evaluation.
  const substs = new Map<string, string>();
  collectSubsts(e, substs);
  for (const cmd of substs.keys()) substs.set(cmd, (await host.substText(cmd)).replace(/\n+$/, ""));
  const env: ArithEnv = {
    get: (name) => {
      const v = host.state.vars.get(name);
      if (v === undefined && host.state.options.nounset) throw new ArithError(`${name}: unbound variable`);
      return v;
    },
    set: (name, value) => setScalar(host.state, name, value),
    getElement: (name, index) => element(host.state, name, index),
    setElement: (name, index, value) => setElement(host.state, name, index, value),
    assoc: (name) => host.state.assoc.get(name),
    special: (name) => specialParam(host.state, name) ?? "",
    subst: (cmd) => substs.get(cmd) ?? "",
  };
  try {
    return evalArith(e, env);
  } catch (err) {
    if (!(err instanceof ArithError)) throw err;
    const text = (node.originalText ?? "").replace(/^\s+/, "");
    if (mode === "expansion") {
      // busybox ash: `sh: divide by zero`, exit 2; bash -c: `bash: line N: EXPR: MESSAGE`, exit 1.
      if (host.flavor === "ash") {
        host.error(/division by 0/.test(err.message) ? "divide by zero\n" : `arithmetic syntax error\n`);
        throw new ExitSignal(2);
      }
      host.error(`${text}: ${err.message}\n`);
      throw new ExitSignal(1);
    }
    throw new ExpansionError(`${mode === "let" ? "let" : "(("}: ${text}: ${err.message}`);
  }
}

function collectSubsts(e: unknown, into: Map<string, string>): void {
  if (!e || typeof e !== "object") return;
  const node = e as { type?: string; command?: string };
  if (node.type === "ArithCommandSubst" && typeof node.command === "string") into.set(node.command, "");
  for (const v of Object.values(e)) if (v && typeof v === "object") collectSubsts(v, into);
}

// ---- field splitting

interface Field {
  text: string;
  pattern: string;
}

const ifsCache = new Map<string, { ws: string; other: string }>();

function ifsClasses(ifs: string): { ws: string; other: string } {
  let c = ifsCache.get(ifs);
  if (!c) {
    const ws = [...ifs].filter((ch) => ch === " " || ch === "\t" || ch === "\n").join("");
    c = { ws, other: [...ifs].filter((ch) => !ws.includes(ch)).join("") };
    if (ifsCache.size < 64) ifsCache.set(ifs, c);
  }
  return c;
}

function splitFields(pieces: Piece[], ifs: string): Field[] {
  // Fast path: nothing to split, one field.
  if (pieces.every((p) => !p.split && !p.brk)) {
    let text = "";
    let pattern = "";
    for (const p of pieces) {
      text += p.text;
      pattern += p.quoted ? quotePattern(p.text) : p.text;
    }
    return pieces.length === 0 ? [] : [{ text, pattern }];
  }
  const fields: Field[] = [];
  let cur: Field | undefined;
  const start = (): Field => (cur ??= { text: "", pattern: "" });
  const end = (): void => {
    if (cur) fields.push(cur);
    cur = undefined;
  };
  const { ws, other } = ifsClasses(ifs);
  for (const p of pieces) {
    if (p.brk) {
      end();
      continue;
    }
    if (!p.split || ifs === "") {
      const f = start();
      f.text += p.text;
      f.pattern += p.quoted ? quotePattern(p.text) : p.text;
      continue;
    }
    // Split unquoted expansion text on IFS.
    let i = 0;
    const t = p.text;
    while (i < t.length) {
      const c = t[i]!;
      if (ws.includes(c)) {
        end();
        while (i < t.length && ws.includes(t[i]!)) i++;
        if (i < t.length && other.includes(t[i]!)) {
          i++;
          while (i < t.length && ws.includes(t[i]!)) i++;
        }
        continue;
      }
      if (other.includes(c)) {
        start();
        end();
        i++;
        while (i < t.length && ws.includes(t[i]!)) i++;
        continue;
      }
      const f = start();
      f.text += c;
      f.pattern += c;
      i++;
    }
  }
  end();
  return fields;
}

// ---- pathname expansion

/** Expands a pathname pattern on the VFS; returns sorted matches (empty if none). */
export function glob(fs: SimFs, cwd: string, pattern: string): string[] {
  const absolute = pattern.startsWith("/");
  const segs = pattern.split("/").filter((s) => s !== "");
  let paths: string[] = [absolute ? "/" : ""];
  for (let i = 0; i < segs.length; i++) {
    const seg = segs[i]!;
    const next: string[] = [];
    for (const base of paths) {
      const dir = resolvePath(cwd, base === "" ? "." : base);
      if (!hasGlob(seg)) {
        const lit = unescapePattern(seg);
        const candidate = base === "" ? lit : base.endsWith("/") ? base + lit : `${base}/${lit}`;
        if (fs.exists(resolvePath(cwd, candidate))) next.push(candidate);
        continue;
      }
      const names = fs.readdir(dir) ?? [];
      for (const n of names) {
        if (n.startsWith(".") && !seg.startsWith(".") && !seg.startsWith("\\.")) continue;
        if (!matchPattern(seg, n)) continue;
        next.push(base === "" ? n : base.endsWith("/") ? base + n : `${base}/${n}`);
      }
    }
    paths = next;
    if (paths.length === 0) return [];
  }
  if (pattern.endsWith("/")) paths = paths.filter((p) => fs.isDir(resolvePath(cwd, p))).map((p) => p + "/");
  return paths.sort();
}

/** Evaluates an indexed array's subscript arithmetically (`a[i+1]=x`, `${a[n-1]}`). */
export async function subscriptIndex(host: ExpandHost, sub: string): Promise<number> {
  const node = subscriptExpression(sub);
  if (!node) throw new ExpansionError(`${sub}: bad array subscript`);
  return arith(host, node);
}

/** Expands an associative array's subscript to its key (`m["$k"]`, `m[a b]`: not arithmetic). */
export async function subscriptKey(host: ExpandHost, sub: string): Promise<string> {
  const word = subscriptWord(sub);
  if (!word) throw new ExpansionError(`${sub}: bad array subscript`);
  return expandString(host, word);
}

/** `[[ -v NAME ]]` and `[[ -v NAME[SUB] ]]`: whether the variable (its element 0 / key "0") or the element is set. */
export async function isSetName(host: ExpandHost, text: string): Promise<boolean> {
  const s = host.state;
  const el = subscripted(text);
  if (!el) return s.vars.has(text) || (s.assoc.get(text)?.has("0") ?? false);
  if (el.sub === "@" || el.sub === "*") return elements(s, el.name).length > 0;
  const m = s.assoc.get(el.name);
  if (m) {
    const key = await subscriptKey(host, el.sub);
    return key !== "" && m.has(key);
  }
  return element(s, el.name, await subscriptIndex(host, el.sub)) !== undefined;
}

/** What parameter expansion calls back into (passed in, so parameter.ts does not import this file). */
const EXPANDER: Expander = { parts: expandParts, pattern: expandPattern, string: expandString, arith, subscriptIndex, subscriptKey };
