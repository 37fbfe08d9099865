/**
 * One persistent shell process (bash on the host, sh in a container or pod) driven through its
 * stdin. Each command is written as
 *
 *     eval '<command>' </dev/null
 *     printf '\n%s %d\n' '__LAB_<nonce>__' "$?"
 *
 * and its output is everything up to the sentinel line. `exec 2>&1` at start makes stderr
 * interleave with stdout in write order, as a terminal shows it. The shell leads its own
 * process group, so a timeout kills the command and all its children at once.
 */
import { randomUUID } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import { execa, type ResultPromise } from "execa";
import type { ExecResult } from "../../core/exec-result.js";

/** Quotes text as one single-quoted shell word. */
export function shellQuote(text: string): string {
  return `'${text.replace(/'/g, `'\\''`)}'`;
}

interface Pending {
  resolve(r: ExecResult): void;
  started: number;
  cap: number;
  output: string;
  bytes: number;
  truncated: boolean;
  timer?: NodeJS.Timeout;
}

/** A persistent shell process for one context; one command at a time. */
export class PersistentShell {
  private proc?: ResultPromise<{ stdin: "pipe"; stdout: "pipe"; stderr: "pipe"; detached: true; reject: false; buffer: false }>;
  private readonly mark = `__LAB_${randomUUID().replace(/-/g, "")}__`;
  private pending?: Pending;
  private tail = "";
  private alive = false;

  /**
   * `argv` starts the shell, e.g. ["bash", "--noprofile", "--norc"]; `init` is shell text run
   * once each time it starts, before any command (the host target puts lab-check on PATH).
   */
  constructor(
    private readonly argv: readonly string[],
    private readonly init = "",
  ) {}

  private start(): void {
    const proc = execa(this.argv[0]!, this.argv.slice(1), {
      stdin: "pipe",
      stdout: "pipe",
      stderr: "pipe",
      detached: true,
      reject: false,
      buffer: false,
      cleanup: true,
    });
    this.proc = proc;
    this.alive = true;
    this.tail = "";
    proc.stdout.setEncoding("utf8");
    proc.stderr.setEncoding("utf8");
    proc.stdout.on("data", (chunk: string) => this.onData(chunk));
    proc.stderr.on("data", (chunk: string) => this.onData(chunk));
    proc.stdin.on("error", () => undefined);
    void proc.then((r) => {
      if (this.proc !== proc) return;
      this.alive = false;
      this.flushTail();
      if (r.exitCode === undefined && !r.signal) {
        // The shell could not even start (e.g. `docker` is not installed): say so, as a shell would.
        const why = String((r as { originalMessage?: string }).originalMessage ?? r.message ?? "").split("\n")[0];
        this.append(`lab: cannot start \`${this.argv.join(" ")}\`: ${why}\n`);
        this.settle(127, {});
        return;
      }
      this.settle(typeof r.exitCode === "number" ? r.exitCode : 128 + signalNumber(r.signal ?? ""), {});
    });
    proc.stdin.write(`exec 2>&1\n${this.init}`);
  }

  /** Runs one command; resolves with its exit status and interleaved output. */
  exec(command: string, opts: { timeoutMs: number; maxOutputBytes?: number }): Promise<ExecResult> {
    if (this.pending) return Promise.reject(new Error("a command is already running in this context"));
    if (!this.alive) this.start();
    return new Promise<ExecResult>((resolve) => {
      const pending: Pending = {
        resolve,
        started: performance.now(),
        cap: opts.maxOutputBytes ?? 1 << 20,
        output: "",
        bytes: 0,
        truncated: false,
      };
      this.pending = pending;
      pending.timer = setTimeout(() => this.kill(124, { timedOut: true }), opts.timeoutMs);
      this.proc!.stdin.write(`eval ${shellQuote(command)} </dev/null\nprintf '\\n%s %d\\n' '${this.mark}' "$?"\n`);
    });
  }

  /** Kills the shell's whole process group; a running command ends with `code` once the group's processes are gone. */
  kill(code = 130, extra: { timedOut?: boolean } = {}): void {
    const proc = this.proc;
    if (!proc) return;
    this.proc = undefined;
    this.alive = false;
    if (proc.pid !== undefined) {
      try {
        process.kill(-proc.pid, "SIGKILL");
      } catch {
        proc.kill("SIGKILL");
      }
    }
    this.flushTail();
    // The command ends once its processes are gone (a killed server no longer holds its port).
    if (proc.pid === undefined) this.settle(code, extra);
    else void groupGone(proc.pid, 2000).then(() => this.settle(code, extra));
  }

  /** True while a command runs. */
  get busy(): boolean {
    return this.pending !== undefined;
  }

  private onData(chunk: string): void {
    if (!this.pending) return; // output between commands (there is none by construction)
    this.tail += chunk;
    const re = new RegExp(`\\n${this.mark} (\\d+)\\n`);
    const m = re.exec(this.tail);
    if (m) {
      this.append(this.tail.slice(0, m.index));
      this.tail = this.tail.slice(m.index + m[0].length);
      this.settle(Number(m[1]), {});
      return;
    }
    // Keep enough of the end to recognise a sentinel split across chunks.
    const keep = this.mark.length + 8;
    if (this.tail.length > keep) {
      this.append(this.tail.slice(0, this.tail.length - keep));
      this.tail = this.tail.slice(this.tail.length - keep);
    }
  }

  private flushTail(): void {
    if (this.pending && this.tail) this.append(this.tail);
    this.tail = "";
  }

  private append(text: string): void {
    const p = this.pending;
    if (!p || text === "") return;
    if (p.truncated) return;
    const bytes = Buffer.byteLength(text);
    if (p.bytes + bytes <= p.cap) {
      p.output += text;
      p.bytes += bytes;
      return;
    }
    const room = p.cap - p.bytes;
    p.output += Buffer.from(text).subarray(0, Math.max(0, room)).toString("utf8").replace(/\uFFFD$/, "");
    p.bytes = p.cap;
    p.truncated = true;
  }

  private settle(exitCode: number, extra: { timedOut?: boolean }): void {
    const p = this.pending;
    if (!p) return;
    this.pending = undefined;
    if (p.timer) clearTimeout(p.timer);
    p.resolve({
      exitCode,
      output: p.output,
      durationMs: performance.now() - p.started,
      ...(extra.timedOut ? { timedOut: true } : {}),
      ...(p.truncated ? { truncated: true } : {}),
    });
  }

  /**
   * Ends the shell: EOF on stdin, then (after it exits, or after 2 s) the whole process group,
   * so background jobs a lesson started do not outlive it.
   */
  async close(): Promise<void> {
    const proc = this.proc;
    if (!proc) return;
    this.proc = undefined;
    this.alive = false;
    proc.stdin.end();
    let timer: NodeJS.Timeout | undefined;
    // The process's own exit, not its streams: a background job may hold stdout open.
    const exited = new Promise<boolean>((r) => {
      if (proc.exitCode !== null || proc.signalCode !== null) r(true);
      else proc.once("exit", () => r(true));
    });
    await Promise.race([
      exited,
      new Promise<boolean>((r) => {
        timer = setTimeout(() => r(false), 2000);
      }),
    ]);
    clearTimeout(timer);
    if (proc.pid !== undefined) {
      try {
        process.kill(-proc.pid, "SIGKILL");
      } catch {
        // The group is already gone.
      }
      await groupGone(proc.pid, 2000);
    }
  }
}

/**
 * Waits until no process of group `pgid` runs any more, at most `ms`: a SIGKILL is only queued
 * when kill() returns, and a loaded machine may run the victim later, so `close()` resolving
 * means the lesson's background jobs are gone, not just signalled. Zombies waiting for their
 * reaper (an orphan's is PID 1, which may take a second) no longer run, so they do not count.
 */
async function groupGone(pgid: number, ms: number): Promise<void> {
  const end = Date.now() + ms;
  while (Date.now() < end && groupRuns(pgid)) await new Promise((r) => setTimeout(r, 10));
}

/** Whether a live (not zombie) process of group `pgid` exists, from /proc/PID/stat. */
function groupRuns(pgid: number): boolean {
  let pids: string[];
  try {
    pids = readdirSync("/proc").filter((d) => /^\d+$/.test(d));
  } catch {
    return false;
  }
  for (const pid of pids) {
    let stat: string;
    try {
      stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    } catch {
      continue;
    }
    // pid (comm) state ppid pgrp ...: comm may hold spaces and parentheses, so split after the last ')'.
    const [state, , pgrp] = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    if (Number(pgrp) === pgid && state !== "Z" && state !== "X") return true;
  }
  return false;
}

const SIGNALS: Record<string, number> = { SIGHUP: 1, SIGINT: 2, SIGQUIT: 3, SIGKILL: 9, SIGPIPE: 13, SIGTERM: 15 };
function signalNumber(sig: string): number {
  return SIGNALS[sig] ?? 1;
}
