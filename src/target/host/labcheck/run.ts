/**
 * How host lab-check runs a tool: argv through execa (no shell), stdin closed, stdout and stderr
 * interleaved as a terminal shows them, a hard time limit, and a failure as data (exit 127 with
 * the shell's words when the tool is missing), never an exception.
 */
import { execa } from "execa";

/** The result of one tool run. */
export interface RunResult {
  code: number;
  out: string;
}

/** Runs argv; resolves with its exit status and output. */
export type Run = (argv: readonly string[]) => Promise<RunResult>;

/** The real runner: each tool gets at most `timeoutMs` (the probes themselves wait 1 s). */
export function execaRun(timeoutMs = 15_000): Run {
  return async (argv) => {
    const r = await execa(argv[0]!, argv.slice(1), { reject: false, all: true, stdin: "ignore", timeout: timeoutMs, stripFinalNewline: false });
    if (r.exitCode === undefined && !r.signal) return { code: 127, out: `${argv[0]}: not found\n` };
    const out = typeof r.all === "string" ? r.all : "";
    if (r.timedOut) return { code: 124, out: `${out}${out && !out.endsWith("\n") ? "\n" : ""}${argv[0]}: timed out after ${timeoutMs / 1000}s\n` };
    return { code: r.exitCode ?? 128, out };
  };
}

/**
 * The argv that runs `tool` (a busybox applet: nc, ping, nslookup) in the FROM context, as the
 * simulated lab-check does with `inContext`: `host` runs busybox here, `netns:NAME` through
 * `ip netns exec`, `pod/NAME[:C]` through `kubectl exec`, any other name is a container
 * (`docker exec`, whose busybox image has the applets on PATH).
 */
export function inContext(from: string, tool: readonly string[]): string[] {
  if (from === "host") return ["busybox", ...tool];
  if (from.startsWith("netns:")) return ["ip", "netns", "exec", from.slice(6), "busybox", ...tool];
  const pod = /^pod\/([^:]+)(?::(.+))?$/.exec(from);
  if (pod) return ["kubectl", "exec", pod[1]!, ...(pod[2] ? ["-c", pod[2]] : []), "--", ...tool];
  return ["docker", "exec", from, ...tool];
}
