/**
 * A submission's answers and how an answer becomes commands. Kept apart from submission.ts
 * (which parses Markdown) so a grading worker loads no Markdown parser.
 */
import { splitShell } from "../lesson/shsplit.js";

/** Exercise id → the student's shell text for it. */
export type Answers = Map<string, string>;

/** The commands of an answer, split as sh blocks are (continuations, heredocs). */
export function answerCommands(text: string): string[] {
  if (text.trim() === "") return [];
  return splitShell(text.split("\n")).map((c) => c.text).filter((t) => t.trim() !== "" && !/^\s*#/.test(t));
}
