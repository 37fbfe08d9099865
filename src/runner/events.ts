/**
 * Results and events of a run: read-only views that reporters observe. Reporters never decide
 * anything; everything they print is here.
 */
import type { Diagnostic } from "../core/diagnostic.js";

export type Status = "passed" | "failed" | "skipped";

export interface LessonInfo {
  readonly file: string;
  readonly title: string;
  /** Markdown source, for code frames. */
  readonly source: string;
  readonly blockCount: number;
}

export interface BlockInfo {
  readonly lesson: LessonInfo;
  readonly index: number;
  readonly id?: string;
  readonly kind: "console" | "sh" | "trace";
  readonly context: string;
  readonly cleanup: boolean;
  /** Opening fence position and closing fence line. */
  readonly line: number;
  readonly column: number;
  readonly endLine: number;
}

export interface CommandInfo {
  readonly block: BlockInfo;
  /** The command as sent to the target (captures filled in). */
  readonly command: string;
  readonly line: number;
  readonly column: number;
  readonly timeoutMs: number;
}

export interface CommandResult {
  readonly command: string;
  readonly line: number;
  readonly column: number;
  readonly context: string;
  readonly status: Status;
  readonly exitCode: number;
  readonly expectedExit: number | "any";
  readonly output: string;
  readonly durationMs: number;
  readonly timedOut: boolean;
  readonly truncated: boolean;
  /** Why it failed, in one line (mismatch, exit status, timeout, target or capture error). */
  readonly message?: string;
  /** Expected and actual sides for a diff (console blocks). */
  readonly diff?: { readonly expected: readonly string[]; readonly actual: readonly string[] };
  readonly skipReason?: string;
}

export interface BlockResult {
  readonly block: BlockInfo;
  readonly status: Status;
  readonly durationMs: number;
  readonly commands: readonly CommandResult[];
  readonly skipReason?: string;
}

export interface LessonResult {
  readonly lesson: LessonInfo;
  readonly status: Status;
  readonly durationMs: number;
  readonly blocks: readonly BlockResult[];
  readonly skipReason?: string;
  /** A problem that stopped the lesson before or between blocks (target error). */
  readonly error?: string;
  /** `--update`: the rewritten source, when it differs from the original. */
  readonly updatedSource?: string;
}

export interface RunInfo {
  readonly target: string;
  readonly lessons: readonly LessonInfo[];
}

export interface RunSummary {
  readonly target: string;
  readonly lessons: readonly LessonResult[];
  readonly passed: number;
  readonly failed: number;
  readonly skipped: number;
  readonly durationMs: number;
  readonly interrupted: boolean;
  readonly diagnostics: readonly Diagnostic[];
}

/** Optional hooks; every one is called in run order. */
export interface RunListener {
  onRunStart?(info: RunInfo): void;
  onLessonStart?(lesson: LessonInfo): void;
  onBlockStart?(block: BlockInfo): void;
  onCommandStart?(command: CommandInfo): void;
  onCommandEnd?(result: CommandResult, block: BlockInfo): void;
  onBlockEnd?(result: BlockResult): void;
  onLessonEnd?(result: LessonResult): void;
  onRunEnd?(summary: RunSummary): void;
}

const HOOKS = [
  "onRunStart",
  "onLessonStart",
  "onBlockStart",
  "onCommandStart",
  "onCommandEnd",
  "onBlockEnd",
  "onLessonEnd",
  "onRunEnd",
] as const;

/**
 * Fans events out to listeners; a listener that throws is reported once through `onError`
 * and then left out, so a broken reporter never breaks a run.
 */
export function fanOut(listeners: readonly RunListener[], onError: (name: string, err: unknown) => void): Required<RunListener> {
  const broken = new Set<RunListener>();
  const out = {} as Record<(typeof HOOKS)[number], (...args: unknown[]) => void>;
  for (const hook of HOOKS) {
    out[hook] = (...args: unknown[]) => {
      for (const l of listeners) {
        const fn = l[hook] as ((...a: unknown[]) => void) | undefined;
        if (!fn || broken.has(l)) continue;
        try {
          fn.apply(l, args);
        } catch (err) {
          broken.add(l);
          onError(hook, err);
        }
      }
    };
  }
  return out as unknown as Required<RunListener>;
}
