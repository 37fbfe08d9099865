/** A reporter observes run events (read-only) and writes somewhere; it never decides. */
import type { RunListener } from "../runner/events.js";

export interface Reporter extends RunListener {
  readonly name: string;
}

/** Where reporters write and what the terminal can do. */
export interface ReporterIO {
  write(text: string): void;
  /** A terminal: live progress and colours. */
  tty: boolean;
  color: boolean;
  /** Terminal width, to keep the status line on one line. */
  columns?: number;
}
