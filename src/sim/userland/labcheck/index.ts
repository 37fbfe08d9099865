/**
 * `lab-check`: grading checks in network terms that observe behaviour, not command text.
 * Each check sends real probes through the simulated stack (busybox nc, ping, nslookup run in
 * the FROM context, exactly as a student would) and, on failure, names the cause from the packet
 * trace. Vocabulary (docs/grading.md):
 *
 *   lab-check reach    FROM TO:PORT [--proto tcp|udp|icmp]   a reply comes back
 *   lab-check no-reach FROM TO:PORT [--proto tcp|udp|icmp]   no reply comes back
 *   lab-check nat      FROM TO:PORT --seen-as ADDR           the server sees ADDR as the source
 *   lab-check dns      FROM NAME --is ADDR                    NAME resolves to ADDR in FROM
 *   lab-check rule     TABLE CHAIN MATCH...                   a rule with MATCH (iptables -S words, in order)
 *
 * FROM is a context: `host` (where lab-check runs), a container name, `pod/NAME[:CONTAINER]`, or
 * `netns:NAME` (a named namespace). Exit 0 pass, 1 fail, 2 usage.
 */
import type { Proc, ProgramSpec } from "../types.js";
import { causeOf, seenSource } from "./cause.js";
import { describeProbe, didNotRun, parseCheck, portOf, type Check, type Dest, type Proto } from "../../../core/labcheck-args.js";

/** A command line that runs `cmd` in the FROM context, seen from the context lab-check runs in. */
export function inContext(from: string, here: string, cmd: string): string {
  if (from === "host" || from === here) return cmd;
  if (from.startsWith("netns:")) return `ip netns exec ${from.slice(6)} ${cmd}`;
  const pod = /^pod\/([^:]+)(?::(.+))?$/.exec(from);
  if (pod) return `kubectl exec ${pod[1]}${pod[2] ? ` -c ${pod[2]}` : ""} -- ${cmd}`;
  return `docker exec ${from} ${cmd}`;
}

async function sh(p: Proc, script: string): Promise<{ code: number; out: string }> {
  let out = "";
  const code = await p.world.spawn(p.ctx, { script, stdin: "" }, { write: (_fd, t) => void (out += t) });
  return { code, out };
}

function probeCmd(proto: Proto, d: Dest): string {
  if (proto === "icmp") return `ping -c 1 -W 1 ${d.addr}`;
  if (proto === "udp") return `nslookup -timeout=1 lab-check.invalid ${d.addr}`;
  return `nc -w 1 ${d.addr} ${portOf(proto, d)}`;
}

interface ProbeResult {
  ok: boolean;
  /** The probe never ran (no such container, …): no answer about the network. */
  notRun?: string;
  cause?: string;
  seen?: string;
}

/** Sends one probe and returns whether a reply came back, the cause if not, and the trace. */
async function probe(p: Proc, from: string, proto: Proto, d: Dest): Promise<ProbeResult> {
  p.ctx.host.traceTake();
  const r = await sh(p, inContext(from, p.ctx.name, probeCmd(proto, d)));
  const events = p.ctx.host.traceTake();
  if (didNotRun(r)) return { ok: false, notRun: lastLine(r.out) ?? `exit ${r.code}` };
  // busybox nslookup exits 1 on NXDOMAIN too: any DNS answer means the UDP reply came back.
  const ok = r.code === 0 || (proto === "udp" && /server can't find|NXDOMAIN|NODATA/.test(r.out));
  const said = lastLine(r.out);
  return { ok, cause: ok ? undefined : causeOf(events) ?? (said ? `the probe said: ${said}` : undefined), seen: seenSource(events) };
}

function lastLine(s: string): string | undefined {
  const l = s.trim().split("\n").at(-1)?.trim();
  return l ? l : undefined;
}

async function probeCheck(p: Proc, c: Extract<Check, { verb: "reach" | "no-reach" | "nat" }>): Promise<number> {
  const what = describeProbe(c);
  const r = await probe(p, c.from, c.proto, c.dest);
  if (r.notRun !== undefined) {
    p.out(`not ok: ${what}: the probe did not run: ${r.notRun}\n`);
    return 1;
  }
  if (c.verb === "reach") {
    if (r.ok) p.out(`ok: ${what} gets a reply\n`);
    else p.out(`not ok: ${what}: no reply${r.cause ? `: ${r.cause}` : ""}\n`);
    return r.ok ? 0 : 1;
  }
  if (c.verb === "no-reach") {
    if (!r.ok) p.out(`ok: ${what} gets no reply\n`);
    else p.out(`not ok: ${what} gets a reply, expected none\n`);
    return r.ok ? 1 : 0;
  }
  if (!r.ok) {
    p.out(`not ok: ${what}: no reply${r.cause ? `: ${r.cause}` : ""}\n`);
    return 1;
  }
  if (r.seen === c.seenAs) {
    p.out(`ok: ${what}: the server sees ${c.seenAs}\n`);
    return 0;
  }
  p.out(`not ok: ${what}: the server sees ${r.seen ?? "an address the trace does not show"}, expected ${c.seenAs}\n`);
  return 1;
}

async function dnsCheck(p: Proc, c: Extract<Check, { verb: "dns" }>): Promise<number> {
  const r = await sh(p, inContext(c.from, p.ctx.name, `nslookup ${c.name}`));
  const body = r.out.split(/^Name:/m).slice(1).join("\n");
  const addrs = [...body.matchAll(/^Address(?: \d+)?:\s*([0-9a-f.:]+)/gm)].map((m) => m[1]!);
  if (addrs.includes(c.is)) {
    p.out(`ok: ${c.name} resolves to ${c.is} in ${c.from}\n`);
    return 0;
  }
  const why = addrs.length > 0 ? `resolves to ${addrs.join(", ")}` : `does not resolve (${lastLine(r.out) ?? "no answer"})`;
  p.out(`not ok: ${c.name} in ${c.from} ${why}, expected ${c.is}\n`);
  return 1;
}

async function ruleCheck(p: Proc, c: Extract<Check, { verb: "rule" }>): Promise<number> {
  const r = await sh(p, `iptables -t ${c.table} -S ${c.chain}`);
  if (r.code !== 0) {
    p.out(`not ok: no chain ${c.chain} in table ${c.table} (${r.out.trim().split("\n")[0]})\n`);
    return 1;
  }
  const rules = r.out.split("\n").filter((l) => l.startsWith(`-A ${c.chain} `));
  const hit = rules.find((l) => isSubsequence(c.match, l.split(/\s+/).slice(2)));
  if (hit) {
    p.out(`ok: ${c.table} ${c.chain} has ${hit}\n`);
    return 0;
  }
  p.out(`not ok: no rule in ${c.table} ${c.chain} matches "${c.match.join(" ")}" (${rules.length} rule${rules.length === 1 ? "" : "s"} there)\n`);
  return 1;
}

async function run(p: Proc): Promise<number> {
  const c = parseCheck(p.argv.slice(1));
  if ("usage" in c) {
    p.err(c.usage);
    return 2;
  }
  if (c.verb === "dns") return dnsCheck(p, c);
  if (c.verb === "rule") return ruleCheck(p, c);
  return probeCheck(p, c);
}

/** `want` appears in `have` in order (other words may sit between them). */
function isSubsequence(want: readonly string[], have: readonly string[]): boolean {
  let k = 0;
  for (const w of have) if (k < want.length && w === want[k]) k++;
  return k === want.length;
}

export const programs: ProgramSpec[] = [{ name: "lab-check", summary: "grading checks: reach, no-reach, nat, dns, rule", run }];
