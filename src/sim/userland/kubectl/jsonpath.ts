/**
 * The part of kubectl's JSONPath (k8s.io/client-go/util/jsonpath) that lessons use: literal text,
 * `{.a.b}`, `{.items[0].x}`, `{.items[*].x}` (results joined by spaces), `{range .items[*]}…{end}`,
 * and `{"\n"}` string literals.
 */

type Node = { kind: "text"; text: string } | { kind: "path"; path: string } | { kind: "range"; path: string; body: Node[] };

function tokenize(tpl: string): Node[] {
  const out: Node[] = [];
  const stack: Array<{ path: string; body: Node[] }> = [];
  const push = (n: Node) => (stack.length ? stack[stack.length - 1]!.body : out).push(n);
  let i = 0;
  while (i < tpl.length) {
    const open = tpl.indexOf("{", i);
    if (open < 0) {
      push({ kind: "text", text: tpl.slice(i) });
      break;
    }
    if (open > i) push({ kind: "text", text: tpl.slice(i, open) });
    const close = tpl.indexOf("}", open);
    if (close < 0) throw new Error(`unclosed action`);
    const expr = tpl.slice(open + 1, close).trim();
    if (expr.startsWith("range ")) stack.push({ path: expr.slice(6).trim(), body: [] });
    else if (expr === "end") {
      const r = stack.pop();
      if (!r) throw new Error("not in range, nothing to end");
      push({ kind: "range", path: r.path, body: r.body });
    } else if (/^".*"$/.test(expr)) push({ kind: "text", text: JSON.parse(expr) });
    else push({ kind: "path", path: expr });
    i = close + 1;
  }
  return out;
}

function evalPath(data: unknown, path: string): unknown[] {
  let cur: unknown[] = [data];
  const re = /\.([A-Za-z0-9_\-]+)|\[(\*|\d+)\]|\['([^']+)'\]/g;
  const p = path.startsWith("$") ? path.slice(1) : path;
  let m: RegExpExecArray | null;
  while ((m = re.exec(p))) {
    const next: unknown[] = [];
    for (const v of cur) {
      if (v === null || typeof v !== "object") continue;
      if (m[1] !== undefined || m[3] !== undefined) {
        const key = m[1] ?? m[3]!;
        if (key in (v as object)) next.push((v as any)[key]);
      } else if (m[2] === "*") {
        if (Array.isArray(v)) next.push(...v);
        else next.push(...Object.values(v as object));
      } else if (Array.isArray(v) && Number(m[2]) < v.length) next.push(v[Number(m[2])]);
    }
    cur = next;
  }
  return cur;
}

const show = (v: unknown) => (typeof v === "string" ? v : JSON.stringify(v));

/** Renders `tpl` against `data`; throws with client-go's message on a bad template. */
export function jsonpath(tpl: string, data: unknown): string {
  const run = (nodes: Node[], ctx: unknown): string =>
    nodes
      .map((n) => {
        if (n.kind === "text") return n.text;
        if (n.kind === "path") return evalPath(ctx, n.path).map(show).join(" ");
        return evalPath(ctx, n.path).map((item) => run(n.body, item)).join("");
      })
      .join("");
  return run(tokenize(tpl), data);
}
