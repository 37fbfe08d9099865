/**
 * The parsed shape of a Markdown lesson: front matter, then runnable blocks in document order,
 * each command carrying the source positions that diagnostics, reports and `--update` need.
 */
import type { Position } from "../core/diagnostic.js";

/** What the simulator builds for a lesson (front matter `world`). */
export type WorldKind = "bare" | "docker" | "kubernetes";

/** What a real host must provide (front matter `requires`). */
export type Requirement = "docker" | "kubernetes" | "root";

/** Simulator-only world options (front matter `sim`). */
export interface SimOptions {
  seed?: number;
  nodes?: string[];
  kubeProxyMode?: "iptables" | "ipvs";
  kubeProxyVersion?: string;
}

export interface LessonMeta {
  title: string;
  description?: string;
  requires: Requirement[];
  world: WorldKind;
  /** Default per-command timeout in ms (front matter `timeout`). */
  timeoutMs?: number;
  /** Normalizers applied to every transcript of the lesson. */
  normalize: string[];
  sim: SimOptions;
}

/** One line of expected output of a transcript command. */
export type ExpectedLine =
  | { kind: "literal"; text: string; line: number; parts: LiteralPart[] }
  | { kind: "wildcard"; text: string; line: number }
  | { kind: "regex"; text: string; line: number; source: string };

/** A literal line splits into plain text and `{{name}}` captures. */
export type LiteralPart = { text: string } | { capture: string };

/** A `{{name}}` use inside a command, with its position for diagnostics. */
export interface CaptureUse {
  name: string;
  position: Position;
}

export interface Command {
  /** The command as the shell receives it (continuation lines joined with newlines). */
  text: string;
  /** Position of the `$ ` line (console) or the first line (sh). */
  position: Position;
  /** Expected output lines (console blocks only). */
  expected: ExpectedLine[];
  /** Expected exit status, or "any". */
  exit: number | "any";
  /** Source line range (1-based, inclusive) holding the expected output and the `[N]` line;
   *  `end < start` means none (insertion point is `start`). */
  outputLines: { start: number; end: number };
  /** Captures the command text uses. */
  uses: CaptureUse[];
}

/** `trace`: `$ lab trace ...` lines whose explained packet path is checked like a transcript. */
export type BlockKind = "console" | "sh" | "trace";

export interface Block {
  index: number;
  kind: BlockKind;
  lang: string;
  /** Position of the opening fence. */
  position: Position;
  /** Line of the closing fence (or the last line when the fence is unclosed). */
  endLine: number;
  /** Column where the block's content lines start (fences may be indented in lists). */
  indent: string;
  on: string;
  timeoutMs?: number;
  target?: "sim" | "host";
  id?: string;
  cleanup: boolean;
  hidden: boolean;
  skip: boolean;
  normalize: string[];
  /** Grading role (exercise, check, wrong-solution), absent for ordinary blocks. */
  grade?: import("./meta.js").GradeMeta;
  commands: Command[];
}

export interface Lesson {
  file: string;
  source: string;
  meta: LessonMeta;
  blocks: Block[];
}
