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
  /** Grading role (docs/grading.md): exercise, check, or wrong-solution. */
  grade?: GradeMeta;
}

/** Grading meta of a block: `exercise`, `check points=N hint="..."`, `wrong-solution fails=A,B`. */
export interface GradeMeta {
  role: "exercise" | "check" | "wrong-solution";
  points?: number;
  hint?: string;
  fails?: string[];
  /** wrong-solution: the exercise id it replaces (default: the lesson's only exercise). */
  replaces?: string;
}

/** Every key an info string may carry, in the order error messages list them. */
export const META_KEYS = [
  "on", "timeout", "target", "id", "cleanup", "hidden", "skip", "normalize", "exit",
  "exercise", "check", "wrong-solution", "points", "hint", "fails", "replaces",
] as const;
const FLAGS = new Set(["cleanup", "hidden", "skip"]);
const ROLES = new Set(["exercise", "check", "wrong-solution"]);

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
  // points/hint/fails/replaces may come before the role flag; collected here, checked after.
  const pendingGrade: Omit<GradeMeta, "role"> = {};
  const gradeKeyAt: Record<string, number> = {};
  for (const t of tokenize(meta, baseColumn)) {
    if (!(META_KEYS as readonly string[]).includes(t.key)) {
      err(t.column, `Unexpected meta key "${t.key}", expected one of ${META_KEYS.join(", ")}`, "unknown-meta-key");
      continue;
    }
    if (seen.has(t.key)) err(t.column, `Duplicate meta key "${t.key}"`, "duplicate-meta-key");
    seen.add(t.key);
    if (ROLES.has(t.key)) {
      if (t.value !== undefined) err(t.column, `Meta key "${t.key}" is a flag and takes no value`, "bad-meta-value");
      else if (out.grade) err(t.column, `A block has one grading role; "${t.key}" conflicts with "${out.grade.role}"`, "bad-meta-value");
      else out.grade = { ...pendingGrade, role: t.key as GradeMeta["role"] };
      continue;
    }
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
      case "points":
        gradeKeyAt.points = t.column;
        if (/^\d+$/.test(t.value) && Number(t.value) <= 1000) pendingGrade.points = Number(t.value);
        else err(t.column, `Invalid points "${t.value}", expected a number 0..1000`, "bad-meta-value");
        break;
      case "hint":
        gradeKeyAt.hint = t.column;
        pendingGrade.hint = t.value;
        break;
      case "fails":
        gradeKeyAt.fails = t.column;
        pendingGrade.fails = t.value.split(",").filter(Boolean);
        break;
      case "replaces":
        gradeKeyAt.replaces = t.column;
        pendingGrade.replaces = t.value;
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
  if (out.grade) Object.assign(out.grade, pendingGrade);
  const allowed: Record<string, string[]> = { check: ["points", "hint"], "wrong-solution": ["fails", "replaces"], exercise: [] };
  for (const [key, column] of Object.entries(gradeKeyAt)) {
    const role = out.grade?.role;
    if (!role || !allowed[role]!.includes(key)) {
      const owner = key === "points" || key === "hint" ? "check" : "wrong-solution";
      err(column, `Meta key "${key}" belongs to ${owner} blocks`, "bad-meta-value");
    }
  }
  if (out.grade?.role === "check" && out.id === undefined) err(baseColumn, `A check block needs an id (check id=NAME)`, "bad-meta-value");
  if (out.grade?.role === "exercise" && out.id === undefined) err(baseColumn, `An exercise block needs an id (exercise id=NAME)`, "bad-meta-value");
  if (out.grade?.role === "wrong-solution") {
    if (!out.grade.fails || out.grade.fails.length === 0) err(baseColumn, `A wrong-solution block names the checks it fails (fails=CHECK[,CHECK])`, "bad-meta-value");
    // Plain `lab run` never runs a wrong solution; only `lab grade --validate` does.
    out.skip = true;
  }
  return { meta: out, diagnostics };
}
