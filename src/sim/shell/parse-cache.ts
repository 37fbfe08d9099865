/**
 * The shell's parser behind a cache: the one place a script's text becomes the tree the
 * interpreter runs (session.ts), and the tree command keys read (src/sim/keys.ts), so a key
 * describes exactly what will run.
 */
import { parse } from "just-bash";
import type { ScriptNode } from "./ast.js";

/**
 * Parsed scripts by text. Parsing is a pure function of the text, and the same lines are parsed
 * again and again (a lesson's commands in every graded submission, a loop body's `sh -c`). The
 * trees are deep-frozen: the interpreter only reads them, and a write would throw right where it
 * happens instead of leaking into the next world that runs the same text.
 */
const parsed = new Map<string, ScriptNode | { error: unknown }>();
const PARSED_MAX = 2000;

/** The parsed (deep-frozen) script of `text`, or the parser's error; cached by text. */
export function parseScript(text: string): ScriptNode | { error: unknown } {
  const hit = parsed.get(text);
  if (hit) return hit;
  let r: ScriptNode | { error: unknown };
  try {
    r = deepFreeze(parse(text));
  } catch (e) {
    r = { error: e };
  }
  if (parsed.size >= PARSED_MAX) parsed.clear();
  parsed.set(text, r);
  return r;
}

function deepFreeze<T>(v: T): T {
  if (v === null || typeof v !== "object" || Object.isFrozen(v)) return v;
  Object.freeze(v);
  for (const k of Object.keys(v)) deepFreeze((v as Record<string, unknown>)[k]);
  return v;
}
