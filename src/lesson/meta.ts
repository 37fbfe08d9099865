/**
 * Info-string meta of a fenced block: ```` ```console on=web timeout=10s cleanup ````.
 * Tokens are `key=value` (value may be double-quoted) or bare flags. Unknown keys are errors
 * that list the valid ones, as unified-style linters do.
 */
import type { Diagnostic } from "../core/diagnostic.js";
import { parseDuration } from "./duration.js";

export interface BlockMeta {
  on: string;
  timeoutMs?: number;
  target?: "sim" | "host";
  id?: string;
  cleanup: boolean;
  hidden: boolean;
  skip: boolean;
  normalize: string[];
  exit?: number | "any";
}

/** Every key an info string may carry, in the order error messages list them. */
export const META_KEYS = ["on", "timeout", "target", "id", "cleanup", "hidden", "skip", "normalize", "exit"] as const;
const FLAGS = new Set(["cleanup", "hidden", "skip"]);

interface Token {
  key: string;
  value?: string;
  column: number;
}

function tokenize(meta: string, baseColumn: number): Token[] {
  const tokens: Token[] = [];
  const re = /([^\s=]+)(?:=("([^"]*)"|\S*))?/g;
  for (let m = re.exec(meta); m; m = re.exec(meta)) {
    const value = m[2] === undefined ? undefined : m[3] ?? m[2];
    tokens.push({ key: m[1]!, value, column: baseColumn + m.index });
  }
  return tokens;
}

/**
 * Parses the meta part of an info string. `line`/`baseColumn` locate the meta text in the file
 * so that each diagnostic points at its token. `kind` decides which keys make sense.
 */
export function parseBlockMeta(
  meta: string,
  kind: "console" | "sh",
  file: string,
  line: number,
  baseColumn: number,
  knownNormalizers?: readonly string[],
): { meta: BlockMeta; diagnostics: Diagnostic[] } {
  const out: BlockMeta = { on: "host", cleanup: false, hidden: false, skip: false, normalize: [] };
  const diagnostics: Diagnostic[] = [];
  const err = (column: number, message: string, rule: string): void => {
    diagnostics.push({ file, position: { line, column }, severity: "error", message, rule });
  };
  const seen = new Set<string>();
  for (const t of tokenize(meta, baseColumn)) {
    if (!(META_KEYS as readonly string[]).includes(t.key)) {
      err(t.column, `Unexpected meta key "${t.key}", expected one of ${META_KEYS.join(", ")}`, "unknown-meta-key");
      continue;
    }
    if (seen.has(t.key)) err(t.column, `Duplicate meta key "${t.key}"`, "duplicate-meta-key");
    seen.add(t.key);
    if (FLAGS.has(t.key)) {
      if (t.value !== undefined) err(t.column, `Meta key "${t.key}" is a flag and takes no value`, "bad-meta-value");
      else out[t.key as "cleanup" | "hidden" | "skip"] = true;
      continue;
    }
    if (t.value === undefined || t.value === "") {
      err(t.column, `Meta key "${t.key}" needs a value (${t.key}=...)`, "bad-meta-value");
      continue;
    }
    switch (t.key) {
      case "on":
        out.on = t.value;
        break;
      case "timeout": {
        const ms = parseDuration(t.value);
        if (ms === undefined) err(t.column, `Invalid timeout "${t.value}", expected a duration like 500ms, 10s or 2m`, "bad-meta-value");
        else out.timeoutMs = ms;
        break;
      }
      case "target":
        if (t.value === "sim" || t.value === "host") out.target = t.value;
        else err(t.column, `Invalid target "${t.value}", expected one of sim, host`, "bad-meta-value");
        break;
      case "id":
        out.id = t.value;
        break;
      case "normalize":
        for (const name of t.value.split(",").filter(Boolean)) {
          if (knownNormalizers && !knownNormalizers.includes(name)) {
            err(t.column, `Unknown normalizer "${name}", expected one of ${knownNormalizers.join(", ")}`, "unknown-normalizer");
          } else out.normalize.push(name);
        }
        break;
      case "exit":
        if (kind === "console") {
          err(t.column, `Meta key "exit" is for sh blocks; console transcripts give the exit status with a [N] line`, "bad-meta-value");
        } else if (t.value === "any") out.exit = "any";
        else if (/^\d+$/.test(t.value) && Number(t.value) <= 255) out.exit = Number(t.value);
        else err(t.column, `Invalid exit "${t.value}", expected a number 0..255 or any`, "bad-meta-value");
        break;
    }
  }
  return { meta: out, diagnostics };
}
