/**
 * `{{name}}` captures. Only a bare identifier between double braces is a capture; Go templates
 * (`{{.NetworkSettings.IPAddress}}`, `{{json .}}`) and Go's bare keywords (`{{end}}`,
 * `{{else}}`, ...) are left alone, so `docker inspect -f` and `--format` work untouched.
 */

/** Go text/template words that may appear alone in braces and are never captures. */
export const GO_TEMPLATE_WORDS: ReadonlySet<string> = new Set(["end", "else", "break", "continue", "nil", "true", "false"]);

export interface CaptureMatch {
  name: string;
  /** Offset of `{{` in the text. */
  index: number;
  length: number;
}

/** Finds every capture in `text`, in order. */
export function findCaptures(text: string): CaptureMatch[] {
  const out: CaptureMatch[] = [];
  const re = /\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}/g;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    if (GO_TEMPLATE_WORDS.has(m[1]!)) continue;
    // `{{{name}}}` is not ours either: leave triple braces alone.
    if (text[m.index - 1] === "{" || text[m.index + m[0].length] === "}") continue;
    out.push({ name: m[1]!, index: m.index, length: m[0].length });
  }
  return out;
}
