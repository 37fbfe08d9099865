/**
 * The subset of Go's text/template that `docker inspect -f` and `docker ps --format` users write:
 * `{{.A.B}}`, `{{json .X}}`, `{{index .X "key"}}`, `{{range .X}}…{{end}}` (with `.` rebound),
 * `{{if .X}}…{{else}}…{{end}}`, `{{join .X ","}}`, `{{upper}}`/`{{lower}}`, `{{println}}`, and
 * literal text. Values print as Go's fmt %v does: maps as `map[k:v]` with sorted keys, slices as
 * `[a b]`, nil as `<nil>` (or `<no value>` for a missing key).
 */

type Node =
  | { kind: "text"; text: string }
  | { kind: "action"; expr: string }
  | { kind: "range"; expr: string; body: Node[]; alt: Node[] }
  | { kind: "if"; expr: string; body: Node[]; alt: Node[] };

/** A template parse or execution error, worded as Go's. */
export class TemplateError extends Error {}

/** Parses a template; throws TemplateError. */
export function parseTemplate(src: string): Node[] {
  const tokens: Array<{ t: "text" | "act"; v: string }> = [];
  let i = 0;
  while (i < src.length) {
    const o = src.indexOf("{{", i);
    if (o < 0) {
      tokens.push({ t: "text", v: src.slice(i) });
      break;
    }
    if (o > i) tokens.push({ t: "text", v: src.slice(i, o) });
    const c = src.indexOf("}}", o);
    if (c < 0) throw new TemplateError(`template: :1: unclosed action`);
    let inner = src.slice(o + 2, c);
    if (inner.startsWith("-")) {
      inner = inner.slice(1);
      const last = tokens[tokens.length - 1];
      if (last?.t === "text") last.v = last.v.trimEnd();
    }
    let trimAfter = false;
    if (inner.endsWith("-")) {
      inner = inner.slice(0, -1);
      trimAfter = true;
    }
    tokens.push({ t: "act", v: inner.trim() });
    i = c + 2;
    if (trimAfter) while (i < src.length && /\s/.test(src[i]!)) i++;
  }
  let pos = 0;
  const block = (): { nodes: Node[]; end: "end" | "else" | "eof" } => {
    const nodes: Node[] = [];
    while (pos < tokens.length) {
      const tk = tokens[pos++]!;
      if (tk.t === "text") {
        nodes.push({ kind: "text", text: tk.v });
        continue;
      }
      const [word] = tk.v.split(/\s+/);
      if (word === "end") return { nodes, end: "end" };
      if (word === "else") return { nodes, end: "else" };
      if (word === "range" || word === "if") {
        const expr = tk.v.slice(word.length).trim();
        const body = block();
        let alt: Node[] = [];
        if (body.end === "else") {
          const a = block();
          if (a.end !== "end") throw new TemplateError(`template: :1: unexpected EOF`);
          alt = a.nodes;
        } else if (body.end !== "end") throw new TemplateError(`template: :1: unexpected EOF`);
        nodes.push({ kind: word, expr, body: body.nodes, alt });
        continue;
      }
      nodes.push({ kind: "action", expr: tk.v });
    }
    return { nodes, end: "eof" };
  };
  const r = block();
  if (r.end !== "eof") throw new TemplateError(`template: :1: unexpected {{${r.end}}}`);
  return r.nodes;
}

function tokenizeArgs(expr: string): string[] {
  const out: string[] = [];
  const re = /"((?:[^"\\]|\\.)*)"|(\S+)/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(expr))) out.push(m[1] !== undefined ? JSON.stringify(JSON.parse(`"${m[1]}"`)) : m[2]!);
  return out;
}

const MISSING = Symbol("missing");

function field(dot: unknown, path: string): unknown {
  if (path === ".") return dot;
  let v: unknown = dot;
  for (const seg of path.split(".").slice(1)) {
    if (v === null || v === undefined || typeof v !== "object") {
      throw new TemplateError(`template: :1:2: executing "" at <${path}>: nil pointer evaluating interface {}.${seg}`);
    }
    const o = v as Record<string, unknown>;
    if (!(seg in o)) {
      if (Array.isArray(v)) throw new TemplateError(`template: :1:2: executing "" at <${path}>: can't evaluate field ${seg} in type []interface {}`);
      return MISSING;
    }
    v = o[seg];
  }
  return v;
}

/** Go's %v of a decoded JSON value. */
export function goFormat(v: unknown): string {
  if (v === MISSING) return "<no value>";
  if (v === null || v === undefined) return "<nil>";
  if (Array.isArray(v)) return `[${v.map(goFormat).join(" ")}]`;
  if (typeof v === "object") {
    const o = v as Record<string, unknown>;
    return `map[${Object.keys(o).sort().map((k) => `${k}:${goFormat(o[k])}`).join(" ")}]`;
  }
  return String(v);
}

function truthy(v: unknown): boolean {
  if (v === MISSING || v === null || v === undefined || v === false || v === 0 || v === "") return false;
  if (Array.isArray(v)) return v.length > 0;
  if (typeof v === "object") return Object.keys(v as object).length > 0;
  return true;
}

function evalExpr(expr: string, dot: unknown): unknown {
  const args = tokenizeArgs(expr);
  const val = (a: string): unknown => (a.startsWith(".") ? field(dot, a) : a.startsWith('"') ? JSON.parse(a) : /^\d+$/.test(a) ? Number(a) : a);
  const [fn, ...rest] = args;
  if (fn === undefined) throw new TemplateError(`template: :1: missing value for command`);
  if (fn.startsWith(".") || fn.startsWith('"')) return val(fn);
  switch (fn) {
    case "json":
      return { __raw: JSON.stringify(val(rest[0] ?? ".") === MISSING ? null : val(rest[0] ?? ".")) };
    case "index": {
      let v = val(rest[0]!);
      for (const k of rest.slice(1).map(val)) {
        if (v === null || v === undefined || v === MISSING) return MISSING;
        v = (v as Record<string, unknown>)[String(k)];
        if (v === undefined) return MISSING;
      }
      return v;
    }
    case "join": {
      const v = val(rest[0]!);
      return Array.isArray(v) ? v.map(goFormat).join(String(val(rest[1]!))) : goFormat(v);
    }
    case "upper":
      return goFormat(val(rest[0]!)).toUpperCase();
    case "lower":
      return goFormat(val(rest[0]!)).toLowerCase();
    case "println":
      return { __raw: rest.map((a) => goFormat(val(a))).join(" ") + "\n" };
    case "len": {
      const v = val(rest[0]!);
      return Array.isArray(v) ? v.length : typeof v === "object" && v ? Object.keys(v).length : String(v).length;
    }
    default:
      throw new TemplateError(`template: :1: function "${fn}" not defined`);
  }
}

/** Executes a parsed template against `data`. */
export function execTemplate(nodes: Node[], data: unknown): string {
  let out = "";
  for (const n of nodes) {
    if (n.kind === "text") out += n.text;
    else if (n.kind === "action") {
      const v = evalExpr(n.expr, data);
      out += v && typeof v === "object" && "__raw" in (v as object) ? (v as { __raw: string }).__raw : goFormat(v);
    } else if (n.kind === "if") {
      out += execTemplate(truthy(evalExpr(n.expr, data)) ? n.body : n.alt, data);
    } else {
      const v = evalExpr(n.expr, data);
      const items = Array.isArray(v) ? v : v && typeof v === "object" ? Object.keys(v).sort().map((k) => (v as Record<string, unknown>)[k]) : [];
      if (items.length === 0) out += execTemplate(n.alt, data);
      for (const it of items) out += execTemplate(n.body, it);
    }
  }
  return out;
}

/** Parses and runs in one go. */
export function renderTemplate(src: string, data: unknown): string {
  return execTemplate(parseTemplate(src), data);
}
