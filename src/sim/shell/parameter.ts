/**
 * Parameter expansion: `$name`, the special parameters, `${name OP word}` operations, and
 * arrays, indexed and associative (`${a[i]}`, `${m[key]}`, `"${a[@]}"`, `${#a[@]}`, `${!a[@]}`). Returns pieces for
 * expand.ts, which splits and globs them.
 */
import type { ParameterExpansionPart } from "./ast.js";
import { element, elements, setElement, setScalar, subscripted } from "./arrays.js";
import { ExpansionError, type Expander, type ExpandHost, type Piece } from "./expand-base.js";
import { patternSource } from "./pattern.js";
import { ExitSignal } from "./signals.js";
import type { ShellState } from "./state.js";

/** `$?`, `$$`, `$#`, `$0`..`$9`, `$@`, `$*`, `$-`, `$!`; undefined for ordinary names and unset positionals. */
export function specialParam(s: ShellState, name: string): string | undefined {
  switch (name) {
    case "?": return String(s.lastStatus);
    case "$": return String(s.pid);
    case "#": return String(s.positional.length);
    case "@":
    case "*": return s.positional.join(name === "*" ? (s.vars.get("IFS") ?? " ")[0] ?? "" : " ");
    case "0": return s.argv0;
    case "!": return s.lastBgPid === undefined ? "" : String(s.lastBgPid);
    case "-": return (s.options.errexit ? "e" : "") + (s.options.nounset ? "u" : "") + (s.options.xtrace ? "x" : "") + "hB";
  }
  if (/^\d+$/.test(name)) return s.positional[Number(name) - 1];
  return undefined;
}

function lookup(s: ShellState, name: string): string | undefined {
  if (/^([?$#@*0-9!-]|\d+)$/.test(name)) return specialParam(s, name);
  // `$m` of an associative array is its element "0", as in bash.
  return s.vars.get(name) ?? s.assoc.get(name)?.get("0");
}

/** Fields of a list of values as "$@" gives them (quoted: one field each) or $@ (split). */
function listPieces(values: string[], inDq: boolean, star: boolean, ifs: string): Piece[] {
  if (star && inDq) return [{ text: values.join(ifs[0] ?? ""), quoted: true, split: false }];
  if (values.length === 0) return [{ text: "", quoted: inDq, split: false, vanish: true }];
  const out: Piece[] = [];
  values.forEach((v, i) => {
    if (i > 0) out.push({ text: "", quoted: inDq, split: false, brk: true });
    out.push({ text: v, quoted: inDq, split: !inDq });
  });
  return out;
}

/** `${a[@]}`, `${a[*]}` and their operations (length, slices, per-element patterns). */
async function expandWholeArray(host: ExpandHost, part: ParameterExpansionPart, name: string, star: boolean, inDq: boolean, x: Expander): Promise<Piece[]> {
  const s = host.state;
  const op = part.operation;
  let values = elements(s, name).map(([, v]) => v);
  const ifs = s.vars.get("IFS") ?? " \t\n";
  if (!op) return listPieces(values, inDq, star, ifs);
  switch (op.type) {
    case "Length":
      return [{ text: String(values.length), quoted: inDq, split: !inDq }];
    case "Substring": {
      let off = await x.arith(host, op.offset);
      if (off < 0) off = Math.max(0, values.length + off);
      const len = op.length ? await x.arith(host, op.length) : values.length;
      if (len < 0) throw new ExpansionError(`${len}: substring expression < 0`);
      return listPieces(values.slice(off, off + len), inDq, star, ifs);
    }
    case "PatternRemoval":
    case "PatternReplacement":
    case "CaseModification":
    case "Transform": {
      const mapped: string[] = [];
      for (const v of values) mapped.push((await scalarOp(x, host, part.parameter, v, true, op, true)).map((p) => p.text).join(""));
      return listPieces(mapped, inDq, star, ifs);
    }
    default:
      values = values.length ? [values.join(star ? (ifs[0] ?? "") : " ")] : [];
      return scalarOp(x, host, part.parameter, values[0], values.length > 0, op, inDq);
  }
}

/** Expands one `${...}` or `$name` part. */
export async function expandParameter(host: ExpandHost, part: ParameterExpansionPart, inDq: boolean, x: Expander): Promise<Piece[]> {
  const s = host.state;
  const name = part.parameter;
  const op = part.operation;
  if (op?.type === "ArrayKeys") return listPieces(elements(s, op.array).map(([k]) => String(k)), inDq, op.star, s.vars.get("IFS") ?? " \t\n");
  const el = subscripted(name);
  if (el && (el.sub === "@" || el.sub === "*")) return expandWholeArray(host, part, el.name, el.sub === "*", inDq, x);
  const assoc = el && s.assoc.get(el.name);
  if (el && assoc) {
    const key = await x.subscriptKey(host, el.sub);
    // An empty key is reported and expands to nothing; the command still runs (recorded).
    if (key === "") host.error(`${el.name}: bad array subscript\n`);
    const value = key === "" ? undefined : assoc.get(key);
    if (!op && value === undefined && s.options.nounset) {
      host.error(`${name}: unbound variable\n`);
      throw new ExitSignal(127);
    }
    return scalarOp(x, host, name, value, value !== undefined, op, inDq, (v) => assoc.set(key, v));
  }
  if (el) {
    const index = await x.subscriptIndex(host, el.sub);
    const value = element(s, el.name, index);
    if (!op && value === undefined && s.options.nounset) {
      host.error(`${name}: unbound variable\n`);
      throw new ExitSignal(127);
    }
    return scalarOp(x, host, name, value, value !== undefined, op, inDq, (v) => setElement(s, el.name, index, v));
  }
  // "$@": one field per positional parameter.
  if (name === "@" && !op && inDq) {
    if (s.positional.length === 0) return [{ text: "", quoted: true, split: false, vanish: true }];
    const out: Piece[] = [];
    s.positional.forEach((v, i) => {
      if (i > 0) out.push({ text: "", quoted: true, split: false, brk: true });
      out.push({ text: v, quoted: true, split: false });
    });
    return out;
  }
  if (name === "@" && !op && !inDq) {
    const out: Piece[] = [];
    s.positional.forEach((v, i) => {
      if (i > 0) out.push({ text: "", quoted: false, split: false, brk: true });
      out.push({ text: v, quoted: false, split: true });
    });
    return out;
  }
  const value = lookup(s, name);
  const isSet = value !== undefined && (name !== "@" && name !== "*" ? true : s.positional.length > 0);
  return scalarOp(x, host, name, value, isSet, op, inDq, (v) => setScalar(s, name, v));
}

/** Applies a parameter operation (`:-`, `#`, `/`, `^^`, …) to one value. */
async function scalarOp(
  x: Expander, host: ExpandHost, name: string, value: string | undefined, isSet: boolean, op: ParameterExpansionPart["operation"], inDq: boolean,
  assign: (v: string) => void = () => undefined,
): Promise<Piece[]> {
  const s = host.state;
  const piece = (text: string): Piece[] => [{ text, quoted: inDq, split: !inDq }];
  const unbound = (): never => {
    host.error(`${name}: unbound variable\n`);
    // bash -c 5.2 exits with 127 after this fatal expansion error (recorded).
    throw new ExitSignal(127);
  };
  if (!op) {
    if (value === undefined && s.options.nounset && !/^[@*]$/.test(name)) unbound();
    return piece(value ?? "");
  }
  const empty = (checkEmpty: boolean): boolean => !isSet || (checkEmpty && value === "");
  switch (op.type) {
    case "DefaultValue":
      return empty(op.checkEmpty) ? x.parts(host, op.word.parts, inDq) : piece(value!);
    case "AssignDefault":
      if (empty(op.checkEmpty)) {
        const v = await x.string(host, op.word);
        assign(v);
        return piece(v);
      }
      return piece(value!);
    case "ErrorIfUnset":
      if (empty(op.checkEmpty)) {
        const msg = op.word ? await x.string(host, op.word) : op.checkEmpty ? "parameter null or not set" : "parameter not set";
        host.error(`${name}: ${msg}\n`);
        throw new ExitSignal(127);
      }
      return piece(value!);
    case "UseAlternative":
      return empty(op.checkEmpty) ? [] : x.parts(host, op.word.parts, inDq);
    case "Length":
      if (value === undefined && s.options.nounset) unbound();
      return piece(String(name === "@" || name === "*" ? s.positional.length : [...(value ?? "")].length));
    case "Substring": {
      const chars = [...(value ?? "")];
      let off = await x.arith(host, op.offset);
      if (off < 0) off = Math.max(0, chars.length + off);
      let end = chars.length;
      if (op.length) {
        const len = await x.arith(host, op.length);
        end = len < 0 ? chars.length + len : off + len;
        if (end < off) throw new ExpansionError(`${len}: substring expression < 0`);
      }
      return piece(chars.slice(off, end).join(""));
    }
    case "PatternRemoval": {
      const v = value ?? "";
      const pat = await x.pattern(host, op.pattern);
      return piece(removePattern(v, pat, op.side, op.greedy));
    }
    case "PatternReplacement": {
      const v = value ?? "";
      const pat = await x.pattern(host, op.pattern);
      const rep = op.replacement ? await x.string(host, op.replacement) : "";
      return piece(replacePattern(v, pat, rep, op.all, op.anchor));
    }
    case "CaseModification": {
      const v = value ?? "";
      const f = op.direction === "upper" ? (c: string) => c.toUpperCase() : (c: string) => c.toLowerCase();
      return piece(op.all ? f(v) : f(v.slice(0, 1)) + v.slice(1));
    }
    case "Indirection": {
      const target = value ?? "";
      if (!/^[A-Za-z_][A-Za-z0-9_]*$|^\d+$|^[?$#@*!-]$/.test(target)) throw new ExpansionError(`${target}: invalid indirect expansion`);
      return piece(lookup(s, target) ?? "");
    }
    case "Transform":
      if (op.operator === "Q") return piece(`'${(value ?? "").replace(/'/g, `'\\''`)}'`);
      if (op.operator === "U") return piece((value ?? "").toUpperCase());
      if (op.operator === "L") return piece((value ?? "").toLowerCase());
      return piece(value ?? "");
    case "BadSubstitution":
      throw new ExpansionError(`${op.text}: bad substitution`);
    default:
      throw new ExpansionError(`\${${name}}: bad substitution`);
  }
}

function removePattern(v: string, pat: string, side: "prefix" | "suffix", greedy: boolean): string {
  const src = patternSource(pat);
  if (side === "prefix") {
    const lens = [...Array(v.length + 1).keys()];
    const order = greedy ? lens.reverse() : lens;
    for (const n of order) if (new RegExp(`^${src}$`).test(v.slice(0, n))) return v.slice(n);
    return v;
  }
  const starts = [...Array(v.length + 1).keys()];
  const order = greedy ? starts : starts.reverse();
  for (const i of order) if (new RegExp(`^${src}$`).test(v.slice(i))) return v.slice(0, i);
  return v;
}

function replacePattern(v: string, pat: string, rep: string, all: boolean, anchor: "start" | "end" | null): string {
  if (pat === "") return v;
  const src = patternSource(pat);
  if (anchor === "start") {
    for (let n = v.length; n >= 0; n--) if (new RegExp(`^${src}$`).test(v.slice(0, n))) return rep + v.slice(n);
    return v;
  }
  if (anchor === "end") {
    for (let i = 0; i <= v.length; i++) if (new RegExp(`^${src}$`).test(v.slice(i))) return v.slice(0, i) + rep;
    return v;
  }
  let out = "";
  let i = 0;
  let replaced = false;
  while (i <= v.length) {
    let matched = -1;
    if (!replaced || all) {
      for (let n = v.length; n > i; n--) {
        if (new RegExp(`^${src}$`).test(v.slice(i, n))) {
          matched = n;
          break;
        }
      }
    }
    if (matched > i) {
      out += rep;
      i = matched;
      replaced = true;
    } else {
      if (i < v.length) out += v[i];
      i++;
    }
  }
  return out;
}
