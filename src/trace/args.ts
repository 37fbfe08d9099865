/**
 * The arguments of `lab trace`, shared by the CLI subcommand and the lessons' `trace` blocks:
 * parsed and checked into a probe, or a one-line usage error.
 */
import { isIP } from "node:net";
import { parseArgs } from "node:util";
import type { ProbeProto, ProbeSpec } from "./probe.js";

export interface TraceArgs {
  help: boolean;
  lesson?: string;
  after?: string;
  world?: "bare" | "docker" | "kubernetes";
  format: "text" | "json";
  probe: ProbeSpec;
}

/** Parses `lab trace` arguments (after `trace`); `{ error }` holds the usage message. */
export function parseTraceArgs(argv: readonly string[]): TraceArgs | { error: string } | { help: true } {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      allowPositionals: true,
      strict: true,
      options: {
        from: { type: "string" },
        netns: { type: "string" },
        to: { type: "string" },
        proto: { type: "string" },
        after: { type: "string" },
        world: { type: "string" },
        format: { type: "string" },
        help: { type: "boolean", short: "h" },
      },
    });
  } catch (e) {
    return { error: (e as Error).message.split("\n")[0]! };
  }
  const v = parsed.values;
  if (v.help) return { help: true };
  if (parsed.positionals.length > 1) return { error: `expected at most one lesson, got ${parsed.positionals.length}` };
  if (v.from === undefined) return { error: "missing --from CONTEXT" };
  if (v.netns !== undefined && !/^[A-Za-z0-9_.-]+$/.test(v.netns)) return { error: `invalid --netns "${v.netns}"` };
  if (v.to === undefined) return { error: "missing --to ADDR[:PORT]" };
  const to = /^([^:]+)(?::(\d+))?$/.exec(v.to);
  if (!to || isIP(to[1]!) !== 4) return { error: `invalid --to "${v.to}", expected an IPv4 address with an optional :PORT` };
  const port = to[2] === undefined ? undefined : Number(to[2]);
  if (port !== undefined && (port < 1 || port > 65535)) return { error: `invalid port ${to[2]} in --to, expected 1-65535` };
  const proto = (v.proto ?? (port === undefined ? "icmp" : "tcp")) as ProbeProto;
  if (proto !== "tcp" && proto !== "udp" && proto !== "icmp") return { error: `unknown --proto "${v.proto}", expected one of tcp, udp, icmp` };
  if (proto === "icmp" && port !== undefined) return { error: "--proto icmp takes no port in --to" };
  if (proto === "udp" && port !== undefined && port !== 53) return { error: "the simulator's UDP probe is busybox nslookup: port 53 only" };
  const format = v.format ?? "text";
  if (format !== "text" && format !== "json") return { error: `unknown --format "${v.format}", expected one of text, json` };
  const world = v.world;
  if (world !== undefined && world !== "bare" && world !== "docker" && world !== "kubernetes") return { error: `unknown --world "${world}", expected one of bare, docker, kubernetes` };
  const lesson = parsed.positionals[0];
  if (lesson !== undefined && world !== undefined) return { error: "--world is for traces without a lesson (the lesson names its world)" };
  if (lesson === undefined && v.after !== undefined) return { error: "--after needs a LESSON" };
  return {
    help: false,
    ...(lesson !== undefined ? { lesson } : {}),
    ...(v.after !== undefined ? { after: v.after } : {}),
    ...(world !== undefined ? { world } : {}),
    format,
    probe: { context: v.from, ...(v.netns !== undefined ? { netns: v.netns } : {}), addr: to[1]!, ...(port !== undefined ? { port } : {}), proto },
  };
}

/** The `lab trace ...` line (as a trace block holds it) that sends `probe`. */
export function traceLine(probe: ProbeSpec, format: "text" | "json"): string {
  const to = probe.port !== undefined ? `${probe.addr}:${probe.port}` : probe.addr;
  return `lab trace --from ${probe.context}${probe.netns !== undefined ? ` --netns ${probe.netns}` : ""} --to ${to} --proto ${probe.proto} --format ${format}`;
}
