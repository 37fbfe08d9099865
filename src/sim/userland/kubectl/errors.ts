/**
 * How kubectl words errors (kubectl/pkg/cmd/util/helpers.go checkErr / StandardErrorMessage):
 * API status errors as `Error from server (Reason): message`, Invalid errors as
 * `The Kind "name" is invalid: field: body` (one cause) or a `* field: body` list, anything
 * else prefixed `error: `. Exit code 1.
 */
import type { ApiError } from "../../k8s/api.js";

/** kubectl's text for an API error; `source` wraps it as `error when creating "FILE": …`. */
export function apiErrorText(e: ApiError, verb?: { verb: string; source: string }): string {
  if (e.reason === "Invalid" && e.details) {
    const s = `The ${e.details.kind} "${e.details.name}" is invalid`;
    const causes = [...new Set(e.details.causes.map((c) => `${c.field}: ${c.body}`))];
    if (causes.length === 0) return s + "\n";
    if (causes.length === 1) return `${s}: ${causes[0]}\n`;
    return `${s}: \n${causes.map((c) => `* ${c}\n`).join("")}`;
  }
  const msg = verb ? `error when ${verb.verb} "${verb.source}": ${e.message}` : e.message;
  return `Error from server (${e.reason}): ${msg}\n`;
}

/** `error: TEXT` unless it already starts so. */
export function plainError(text: string): string {
  return (text.startsWith("error: ") ? text : `error: ${text}`) + "\n";
}

/** kubectl's complaint when a command that takes resources (delete, expose, …) got none (cmdutil resource builder). */
export const NO_RESOURCES = "You must provide one or more resources by argument or filename.\nExample resource specifications include:\n   '-f rsrc.yaml'\n   '--filename=rsrc.json'\n   '<resource> <name>'\n   '<resource>'";
