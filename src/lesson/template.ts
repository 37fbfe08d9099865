/**
 * Fills `{{name}}` captures into a command with handlebars (strict: an unknown name is an
 * error). Everything that is not a capture (Go templates such as `{{json .}}`, `{{end}}`, stray
 * braces) is escaped first, so handlebars never sees it and the shell gets it untouched.
 */
import Handlebars from "handlebars";
import { findCaptures } from "./captures.js";

const hb = Handlebars.create();

/** Outcome of rendering: the command text, or the name that is not bound. */
export type RenderResult = { ok: true; text: string } | { ok: false; missing: string; message: string };

/** Replaces captures in `command` with their bound values. */
export function renderCommand(command: string, captures: Readonly<Record<string, string>>): RenderResult {
  const found = findCaptures(command);
  if (found.length === 0) return { ok: true, text: command };
  for (const c of found) {
    if (!Object.prototype.hasOwnProperty.call(captures, c.name)) {
      return { ok: false, missing: c.name, message: `Capture "${c.name}" is not bound` };
    }
  }
  // Build a template in which only our captures are mustaches; escape every other `{{` and
  // protect backslashes that handlebars would read as escapes.
  let template = "";
  let at = 0;
  const literal = (s: string): string => s.replace(/\\/g, "{{bs}}").replace(/\{\{(?!bs\}\})/g, "\\{{");
  for (const c of found) {
    template += literal(command.slice(at, c.index)) + `{{lookup captures "${c.name}"}}`;
    at = c.index + c.length;
  }
  template += literal(command.slice(at));
  try {
    const fn = hb.compile(template, { strict: true, noEscape: true });
    return { ok: true, text: fn({ captures: { ...captures }, bs: "\\" }) };
  } catch (e) {
    return { ok: false, missing: "", message: (e as Error).message.split("\n")[0]! };
  }
}
