/**
 * Compound array assignments, `NAME=(…)` and `declare [-aA] NAME=(…)`: their elements are
 * `[key]=value`, `[key]+=value` or plain words. An associative array takes keyed elements, or
 * alternate key and value words when none is keyed (bash 5.1+); an indexed array takes plain
 * words at the next index and keyed ones at the arithmetic value of the key.
 *
 * just-bash hands `declare`'s argument `m=([a]=1 [b]="x y")` over as one word, so
 * declareArgText expands its elements here and passes `m=(['a']='1' ['b']='x y')` on, requoted,
 * for the builtin to parse again (bash's declare also re-parses the compound text).
 * Known gap: a backslash-escaped blank inside such a declare argument splits the element (the
 * parser has already dropped the backslash).
 */
import { parse } from "just-bash";
import type { WordNode, WordPart } from "./ast.js";
import { expandString, expandWord, subscriptIndex, type ExpandHost } from "./expand.js";
import { assignArray, isAssocName, makeAssoc, setElement, subscriptWord } from "./arrays.js";

/** One evaluated element: keyed (`[k]=v`, with its text as written, for errors) or a plain word. */
export type CompoundEntry = { key: string; value: string; append: boolean; source: string } | { word: string[] };

/** A word's text as written, near enough for an error message (bash quotes the element's source). */
function sourceOf(parts: WordPart[]): string {
  return parts
    .map((p) => {
      switch (p.type) {
        case "Literal": return p.value;
        case "Glob": return p.pattern;
        case "SingleQuoted": return `'${p.value}'`;
        case "DoubleQuoted": return `"${sourceOf(p.parts)}"`;
        case "ParameterExpansion": return p.operation ? `\${${p.parameter}}` : `$${p.parameter}`;
        case "CommandSubstitution": return `$(${p.body.statements.map((st) => st.sourceText ?? "").join("; ")})`;
        default: return "";
      }
    })
    .join("");
}

/**
 * Glob parts as what they are in an assignment: the parser keeps a bracket expression's source
 * (`['a b']`, `[a\ b]`), so its inside is parsed again as a value; adjacent literals merged.
 */
function literalized(parts: WordPart[]): WordPart[] {
  const flat: WordPart[] = [];
  for (const p of parts) {
    if (p.type !== "Glob") {
      flat.push(p);
      continue;
    }
    const m = /^\[(.*)\]$/s.exec(p.pattern);
    const inner = m ? subscriptWord(m[1]!) : undefined;
    if (!inner) flat.push({ type: "Literal", value: p.pattern });
    else flat.push({ type: "Literal", value: "[" }, ...inner.parts.map((q): WordPart => (q.type === "Glob" ? { type: "Literal", value: q.pattern } : q)), { type: "Literal", value: "]" });
  }
  const out: WordPart[] = [];
  for (const p of flat) {
    const last = out[out.length - 1];
    if (p.type === "Literal" && last?.type === "Literal") out[out.length - 1] = { type: "Literal", value: last.value + p.value };
    else out.push(p);
  }
  return out;
}

/** A keyed element split into its key and value parts, or undefined for a plain word. */
function keyedParts(word: WordNode): { key: WordPart[]; value: WordPart[]; append: boolean } | undefined {
  const parts = literalized(word.parts);
  const first = parts[0];
  if (first?.type !== "Literal" || !first.value.startsWith("[")) return undefined;
  const key: WordPart[] = [];
  for (let i = 0; i < parts.length; i++) {
    const p = parts[i]!;
    if (p.type !== "Literal") {
      key.push(p);
      continue;
    }
    const text = i === 0 ? p.value.slice(1) : p.value;
    const m = /\](\+?)=/.exec(text);
    if (!m) {
      if (text) key.push({ type: "Literal", value: text });
      continue;
    }
    if (m.index > 0) key.push({ type: "Literal", value: text.slice(0, m.index) });
    const after = text.slice(m.index + m[0].length);
    const value: WordPart[] = after ? [{ type: "Literal", value: after }] : [];
    return { key, value: [...value, ...parts.slice(i + 1)], append: m[1] === "+" };
  }
  return undefined;
}

/** Expands a compound assignment's element words (keys and values without splitting, plain words into fields). */
export async function evalCompound(host: ExpandHost, words: WordNode[]): Promise<CompoundEntry[]> {
  const out: CompoundEntry[] = [];
  for (const w of words) {
    const k = keyedParts(w);
    if (k) {
      const key = await expandString(host, { type: "Word", parts: k.key });
      out.push({ key, value: await expandString(host, { type: "Word", parts: k.value }), append: k.append, source: sourceOf(w.parts) });
    } else out.push({ word: await expandWord(host, w) });
  }
  return out;
}

/**
 * Assigns evaluated elements to `name` (replacing it unless `append`). Errors that bash reports
 * and goes on from (a plain word for an associative array) are returned, already worded.
 */
export async function applyCompound(host: ExpandHost, name: string, entries: CompoundEntry[], append: boolean, quoteWord = false): Promise<string[]> {
  const s = host.state;
  const errors: string[] = [];
  if (isAssocName(s, name)) {
    if (!append) s.assoc.delete(name);
    const m = makeAssoc(s, name);
    m.visible = true;
    const keyed = entries.some((e) => "key" in e);
    if (!keyed) {
      const flat = entries.flatMap((e) => ("word" in e ? e.word : []));
      for (let i = 0; i < flat.length; i += 2) m.set(flat[i]!, flat[i + 1] ?? "");
      return errors;
    }
    for (const e of entries) {
      if ("key" in e) {
        if (e.key === "") errors.push(`${e.source}: bad array subscript`);
        else m.set(e.key, e.append ? (m.get(e.key) ?? "") + e.value : e.value);
      } else for (const w of e.word) errors.push(`${name}: ${quoteWord ? `'${w}'` : w}: must use subscript when assigning associative array`);
    }
    return errors;
  }
  if (!entries.some((e) => "key" in e)) {
    assignArray(s, name, entries.flatMap((e) => ("word" in e ? e.word : [])), append);
    return errors;
  }
  if (!append) assignArray(s, name, [], false);
  let next = append ? -1 : 0;
  for (const e of entries) {
    if ("key" in e) {
      next = await subscriptIndex(host, e.key);
      setElement(s, name, next, e.value, e.append);
      next++;
    } else {
      for (const w of e.word) {
        if (next < 0) assignArray(s, name, [w], true);
        else setElement(s, name, next, w);
        if (next >= 0) next++;
      }
    }
  }
  return errors;
}

const COMPOUND_ARG = /^([A-Za-z_][A-Za-z0-9_]*)(\+?)=\((.*)\)$/s;

/** `NAME=(…)` / `NAME+=(…)` text split into name, append and the parsed element words, or undefined. */
export function parseCompoundArg(text: string): { name: string; append: boolean; words: WordNode[] } | undefined {
  const m = COMPOUND_ARG.exec(text);
  if (!m) return undefined;
  try {
    const cmd = parse(text).statements[0]?.pipelines[0]?.commands[0];
    const a = cmd?.type === "SimpleCommand" && !cmd.name ? cmd.assignments[0] : undefined;
    if (!a?.array) return undefined;
    return { name: m[1]!, append: m[2] === "+", words: a.array };
  } catch {
    return undefined;
  }
}

/** Whether an element word of `NAME=(…)` is keyed (`[k]=v`), which only evalCompound handles. */
export function isKeyedWord(word: WordNode): boolean {
  return keyedParts(word) !== undefined;
}

/** Whether a declaration builtin's argument word is written as `NAME=(…)`. */
function isCompoundWord(word: WordNode): boolean {
  const first = word.parts[0];
  const last = word.parts[word.parts.length - 1];
  return word.parts.length > 1 && first?.type === "Literal" && /^[A-Za-z_][A-Za-z0-9_]*\+?=\(/.test(first.value) && last?.type === "Literal" && last.value.endsWith(")");
}

const sq = (s: string): string => `'${s.replace(/'/g, `'\\''`)}'`;

/** Splits a compound word's inner parts at unquoted blanks into element words. */
function elementWords(parts: WordPart[]): WordNode[] {
  const words: WordNode[] = [];
  let cur: WordPart[] = [];
  const flush = (): void => {
    if (cur.length) words.push({ type: "Word", parts: cur });
    cur = [];
  };
  for (const p of parts) {
    if (p.type !== "Literal") {
      cur.push(p);
      continue;
    }
    const pieces = p.value.split(/[ \t\n]+/);
    pieces.forEach((t, i) => {
      if (i > 0) flush();
      if (t) cur.push({ type: "Literal", value: t });
    });
  }
  flush();
  return words;
}

/** Expands the arguments of declare/typeset/local/readonly: `NAME=(…)` words become requoted compound text. */
export async function expandDeclarationArgs(host: ExpandHost, words: WordNode[]): Promise<string[]> {
  const out: string[] = [];
  for (const w of words) {
    if (!isCompoundWord(w)) {
      out.push(...(await expandWord(host, w)));
      continue;
    }
    const first = w.parts[0] as { type: "Literal"; value: string };
    const last = w.parts[w.parts.length - 1] as { type: "Literal"; value: string };
    const open = first.value.indexOf("(");
    const inner: WordPart[] = [{ type: "Literal", value: first.value.slice(open + 1) }, ...w.parts.slice(1, -1), { type: "Literal", value: last.value.slice(0, -1) }];
    const entries = await evalCompound(host, elementWords(inner));
    const text = entries.map((e) => ("key" in e ? `[${sq(e.key)}]${e.append ? "+=" : "="}${sq(e.value)}` : e.word.map(sq).join(" "))).join(" ");
    out.push(`${first.value.slice(0, open + 1)}${text})`);
  }
  return out;
}
