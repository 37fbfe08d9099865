/**
 * Literal words: the words the shell runs as written, with nothing to expand. Its own module so
 * that callers that only need to know what a command line's words are (grading keys,
 * src/sim/keys.ts) load no expansion machinery.
 */
import type { SimpleCommandNode, WordNode } from "./ast.js";

/** The one field of a word that is a literal without pattern characters or quoted text; else undefined. */
export function literalText(word: WordNode): string | undefined {
  if (word.parts.length !== 1) return undefined;
  const p = word.parts[0]!;
  if (p.type === "Literal" && !/[*?[]/.test(p.value)) return p.value;
  if (p.type === "SingleQuoted") return p.value;
  return undefined;
}

/** The words of a command that are all plain literals (most commands), without an async expansion. */
export function literalWords(node: SimpleCommandNode): string[] | undefined {
  const n = node.name ? 1 : 0;
  const out = new Array<string>(n + node.args.length);
  if (node.name) {
    const t = literalText(node.name);
    if (t === undefined) return undefined;
    out[0] = t;
  }
  for (let i = 0; i < node.args.length; i++) {
    const t = literalText(node.args[i]!);
    if (t === undefined) return undefined;
    out[n + i] = t;
  }
  return out;
}
