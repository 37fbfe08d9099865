/**
 * What a differential case observes, reduced to what must agree between the real kernel and the
 * simulator: each probe's outcome (who answered, with which TTL, which page, or which error) and
 * each namespace's conntrack table as flows (protocol, original source → destination and port,
 * the reply's source → destination, replied or not), without timeouts, ephemeral ports, echo ids
 * or listing order.
 */
import type { Probe } from "./case.js";

/** A probe's outcome as a short canonical text. */
export function classifyProbe(p: Probe, output: string, exitCode: number): string {
  if (p.kind === "udp") return "sent";
  if (p.kind === "ping") {
    const reply = /^\d+ bytes from ([\d.]+): seq=\d+ ttl=(\d+)/m.exec(output);
    if (reply) return `reply from ${reply[1]} ttl=${reply[2]}`;
    const err = /^ping: (.*)$/m.exec(output);
    if (err) return `error ${err[1]}`;
    return exitCode === 124 || /0 packets received/.test(output) ? "no reply" : `exit ${exitCode}: ${output.trim()}`;
  }
  if (exitCode === 0) return `page ${output.trim()}`;
  // The real side cuts a probe at 1.5 s; left alone, busybox wget would end with this error
  // after the kernel's SYN retries (about two minutes). Both mean that nothing answered.
  if (/^wget: can't connect to remote host \(.*\): Connection timed out$/m.test(output)) return "no answer";
  const err = /^wget: (.*)$/m.exec(output);
  if (err) return `error ${err[1]}`;
  return exitCode === 124 || output.trim() === "" ? "no answer" : `exit ${exitCode}: ${output.trim()}`;
}

/** Parses `conntrack -L` output into canonical flow lines, sorted. */
export function conntrackFlows(output: string): string[] {
  const flows: string[] = [];
  for (const line of output.split("\n")) {
    const m = /^(tcp|udp|icmp)\s+\d+\s+\d+\s+(?:[A-Z_]+\s+)?(.*)$/.exec(line);
    if (!m) continue;
    const proto = m[1]!;
    const rest = m[2]!;
    const tuples = [...rest.matchAll(/src=([\d.]+) dst=([\d.]+) (?:sport=(\d+) dport=(\d+)|type=(\d+) code=\d+ id=\d+)/g)];
    if (tuples.length < 2) continue;
    const [o, r] = tuples as [RegExpMatchArray, RegExpMatchArray];
    const oPort = proto === "icmp" ? ` type ${o[5]}` : `:${o[4]}`;
    const rPort = proto === "icmp" ? "" : `:${r[3]}`;
    const unreplied = rest.includes("[UNREPLIED]") ? " unreplied" : "";
    flows.push(`${proto} ${o[1]} > ${o[2]}${oPort} | reply ${r[1]}${rPort} > ${r[2]}${unreplied}`);
  }
  return flows.sort();
}

/** Everything one side observed for one case. */
export interface Observation {
  /** Setup commands that failed: "index: exit code". */
  setupFailures: string[];
  probes: string[];
  /** Namespace id (r, a, b, c) → flows. */
  conntrack: Record<string, string[]>;
}
