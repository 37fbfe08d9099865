/**
 * What lab-check concludes from the tools' output, shared by its two implementations (the
 * simulated one runs busybox in the simulator, the host one on the real machine): the probe
 * command, whether a probe got a reply, and the verdict lines of `dns` and `rule`.
 */
import type { Check, Dest, Proto } from "./labcheck-args.js";
import { portOf } from "./labcheck-args.js";

/** A tool's exit status and interleaved output. */
export interface ToolRun {
  code: number;
  out: string;
}

/** A check's exit status (0 pass, 1 fail) and its output line. */
export interface Verdict {
  code: 0 | 1;
  line: string;
}

/** The busybox probe for `proto` to `dest`: `nc -w 1` (tcp), `nslookup -timeout=1` (udp), `ping -c 1 -W 1` (icmp). */
export function probeArgv(proto: Proto, dest: Dest): string[] {
  if (proto === "icmp") return ["ping", "-c", "1", "-W", "1", dest.addr];
  if (proto === "udp") return ["nslookup", "-timeout=1", "lab-check.invalid", dest.addr];
  return ["nc", "-w", "1", dest.addr, String(portOf(proto, dest))];
}

/** True when the probe got a reply; busybox nslookup exits 1 on NXDOMAIN too, and any DNS answer is a reply. */
export function probeReplied(proto: Proto, r: ToolRun): boolean {
  return r.code === 0 || (proto === "udp" && /server can't find|NXDOMAIN|NODATA/.test(r.out));
}

/** The last non-empty line of a tool's output, trimmed. */
export function lastLine(s: string): string | undefined {
  const l = s.trim().split("\n").at(-1)?.trim();
  return l ? l : undefined;
}

/** `dns FROM NAME --is ADDR` from the output of `nslookup NAME` run in FROM. */
export function dnsVerdict(c: Extract<Check, { verb: "dns" }>, r: ToolRun): Verdict {
  const body = r.out.split(/^Name:/m).slice(1).join("\n");
  const addrs = [...body.matchAll(/^Address(?: \d+)?:\s*([0-9a-f.:]+)/gm)].map((m) => m[1]!);
  if (addrs.includes(c.is)) return { code: 0, line: `ok: ${c.name} resolves to ${c.is} in ${c.from}\n` };
  const why = addrs.length > 0 ? `resolves to ${addrs.join(", ")}` : `does not resolve (${lastLine(r.out) ?? "no answer"})`;
  return { code: 1, line: `not ok: ${c.name} in ${c.from} ${why}, expected ${c.is}\n` };
}

/** `rule TABLE CHAIN MATCH...` from the output of `iptables -t TABLE -S CHAIN`. */
export function ruleVerdict(c: Extract<Check, { verb: "rule" }>, r: ToolRun): Verdict {
  if (r.code !== 0) return { code: 1, line: `not ok: no chain ${c.chain} in table ${c.table} (${r.out.trim().split("\n")[0]})\n` };
  const rules = r.out.split("\n").filter((l) => l.startsWith(`-A ${c.chain} `));
  const hit = rules.find((l) => isSubsequence(c.match, l.split(/\s+/).slice(2)));
  if (hit) return { code: 0, line: `ok: ${c.table} ${c.chain} has ${hit}\n` };
  return { code: 1, line: `not ok: no rule in ${c.table} ${c.chain} matches "${c.match.join(" ")}" (${rules.length} rule${rules.length === 1 ? "" : "s"} there)\n` };
}

/** `want` appears in `have` in order (other words may sit between them). */
function isSubsequence(want: readonly string[], have: readonly string[]): boolean {
  let k = 0;
  for (const w of have) if (k < want.length && w === want[k]) k++;
  return k === want.length;
}
