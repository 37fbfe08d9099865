/**
 * Shell patterns (`*`, `?`, `[...]`, `[!...]`) for `case`, `${v#pat}` and pathname expansion.
 * A pattern arrives as text where quoted characters are escaped with a backslash, so
 * `"*".txt` matches only a literal star.
 */

/** Escapes the pattern characters of a quoted string so it matches only itself. */
export function quotePattern(s: string): string {
  return s.replace(/[\\*?[\]]/g, (c) => "\\" + c);
}

/** True if the (escaped) pattern has an unescaped `*`, `?` or `[`. */
export function hasGlob(pattern: string): boolean {
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === "\\") {
      i++;
      continue;
    }
    if (c === "*" || c === "?") return true;
    if (c === "[" && pattern.indexOf("]", i + 2) > 0) return true;
  }
  return false;
}

/** Removes pattern escapes: the literal text an unmatched glob stands for. */
export function unescapePattern(pattern: string): string {
  return pattern.replace(/\\(.)/gs, "$1");
}

/** Compiles a pattern into a regular-expression source (no anchors); `greedy` false makes `*` lazy. */
export function patternSource(pattern: string, greedy = true): string {
  let re = "";
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === "\\" && i + 1 < pattern.length) {
      re += escapeRe(pattern[++i]!);
    } else if (c === "*") {
      re += greedy ? "[\\s\\S]*" : "[\\s\\S]*?";
    } else if (c === "?") {
      re += "[\\s\\S]";
    } else if (c === "[") {
      const end = pattern.indexOf("]", i + 2);
      if (end < 0) {
        re += "\\[";
        continue;
      }
      let body = pattern.slice(i + 1, end);
      let neg = false;
      if (body[0] === "!" || body[0] === "^") {
        neg = true;
        body = body.slice(1);
      }
      const cls = body
        .replace(/\[:(\w+):\]/g, (_, n: string) => POSIX_CLASSES[n] ?? "")
        .replace(/\\(.)/g, "$1")
        .replace(/[\\\]^]/g, (ch) => "\\" + ch);
      re += `[${neg ? "^" : ""}${cls}]`;
      i = end;
    } else {
      re += escapeRe(c);
    }
  }
  return re;
}

const POSIX_CLASSES: Record<string, string> = {
  alpha: "a-zA-Z", digit: "0-9", alnum: "a-zA-Z0-9", upper: "A-Z", lower: "a-z", space: " \\t\\n\\r\\f\\v",
  xdigit: "0-9A-Fa-f", punct: "!-\\/:-@\\[-`{-~", blank: " \\t",
};

function escapeRe(c: string): string {
  return /[.*+?^${}()|[\]\\/]/.test(c) ? "\\" + c : c;
}

/** Whole-string match of a shell pattern. */
export function matchPattern(pattern: string, text: string): boolean {
  try {
    return new RegExp(`^${patternSource(pattern)}$`).test(text);
  } catch {
    return unescapePattern(pattern) === text;
  }
}
