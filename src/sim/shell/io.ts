/**
 * File descriptors of the simulated shell. Every write lands in order in the sink its fd points
 * to; the terminal sink is one ordered buffer for fd 1 and fd 2 together, which is why stdout
 * and stderr of `{ a; b; } 2>&1` or of a program that logs before printing interleave exactly
 * as on a terminal.
 *
 *   fd table (per command) ──► Sink: Terminal(1|2) · Buffer (pipe, $(...)) · File (VFS) · Null
 */
import type { SimFs } from "../userland/types.js";
import { LimitAbort } from "./signals.js";

/** Where the bytes written to one file descriptor go. */
export interface Sink {
  write(text: string): void;
}

/** The ordered terminal of one exec: what ExecResult.output shows, capped at maxBytes. */
export class Terminal {
  private chunks: string[] = [];
  private bytes = 0;
  truncated = false;

  constructor(private readonly maxBytes: number) {}

  /** Appends `text`; past the cap, keeps what fits, marks truncation and stops the exec. */
  write(text: string): void {
    if (this.truncated || text === "") return;
    const size = Buffer.byteLength(text);
    if (this.bytes + size <= this.maxBytes) {
      this.chunks.push(text);
      this.bytes += size;
      return;
    }
    let room = this.maxBytes - this.bytes;
    let cut = "";
    for (const ch of text) {
      const b = Buffer.byteLength(ch);
      if (b > room) break;
      cut += ch;
      room -= b;
    }
    this.chunks.push(cut);
    this.bytes = this.maxBytes;
    this.truncated = true;
    throw new LimitAbort("output", 141);
  }

  text(): string {
    return this.chunks.join("");
  }
}

/** A sink collecting text (a pipe between commands, a command substitution). */
export class BufferSink implements Sink {
  private chunks: string[] = [];
  private size = 0;

  constructor(private readonly maxChars = 64 * 1024 * 1024) {}

  write(text: string): void {
    this.size += text.length;
    if (this.size > this.maxChars) throw new LimitAbort("output", 141, "lab: pipe buffer limit reached; command stopped\n");
    this.chunks.push(text);
  }

  text(): string {
    return this.chunks.join("");
  }
}

/** A sink appending each write to a VFS file (opened, and truncated or not, by the redirection). */
export class FileSink implements Sink {
  constructor(private readonly fs: SimFs, private readonly path: string) {}
  write(text: string): void {
    if (text !== "") this.fs.writeFile(this.path, text, { append: true });
  }
}

/** /dev/null. */
export const NULL_SINK: Sink = { write() {} };

/** One standard input shared by the commands that read it in turn (`while read l; do ...; done < f`). */
export class Input {
  private text: string | undefined;

  /**
   * `source` may be a function: an inherited stdin read only if the program reads it (the caller's
   * own stdin is then taken from it), so `ip netns exec` inside `while read` leaves the loop's input.
   */
  constructor(
    private source: string | (() => string),
    public pos = 0,
  ) {
    if (typeof source === "string") this.text = source;
  }

  /** The whole input (resolved on first use when it is inherited). */
  get data(): string {
    return (this.text ??= (this.source as () => string)());
  }

  /** Everything not yet read, consumed (a program reading its stdin to EOF). */
  takeAll(): string {
    const rest = this.data.slice(this.pos);
    this.pos = this.data.length;
    return rest;
  }

  /** One line without its newline, or undefined at EOF; `sawNewline` false for a last unterminated line. */
  takeLine(): { line: string; sawNewline: boolean } | undefined {
    if (this.pos >= this.data.length) return undefined;
    const nl = this.data.indexOf("\n", this.pos);
    if (nl < 0) {
      const line = this.data.slice(this.pos);
      this.pos = this.data.length;
      return { line, sawNewline: false };
    }
    const line = this.data.slice(this.pos, nl);
    this.pos = nl + 1;
    return { line, sawNewline: true };
  }
}

/** The fd table of a command: fd number → sink (output) and stdin. */
export interface Fds {
  out: Map<number, Sink>;
  stdin: Input;
}

/** Copies an fd table (redirections of one command never leak into the next). */
export function cloneFds(fds: Fds): Fds {
  return { out: new Map(fds.out), stdin: fds.stdin };
}
