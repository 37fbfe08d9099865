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
import type { TraceEvent } from "../../kernel/api.js";
import { causeOf, seenSource } from "./cause.js";
import { describeProbe, didNotRun, parseCheck, type Check, type Dest, type Proto } from "../../../core/labcheck-args.js";
import { dnsVerdict, lastLine, probeArgv, probeReplied, ruleVerdict } from "../../../core/labcheck-verdicts.js";
import { deadlineOf } from "../lib/deadline.js";

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
  const code = await p.world.spawn(p.ctx, { script, stdin: "", ...deadlineOf(p) }, { write: (_fd, t) => void (out += t) });
  return { code, out };
}

interface ProbeResult {
  ok: boolean;
  /** The probe never ran (no such container, …): no answer about the network. */
  notRun?: string;
  cause?: string;
  seen?: string;
}

/** Sends one probe and returns whether a reply came back, the cause if not, and (when `wantSeen`) the source the server saw. */
async function probe(p: Proc, from: string, proto: Proto, d: Dest, wantSeen: boolean): Promise<ProbeResult> {
  // The cause of a failure is read from the probe's own trace: recorded for the probe alone.
  const was = p.ctx.host.tracing(true);
  p.ctx.host.traceTake();
  let r: { code: number; out: string };
  let events: TraceEvent[];
  try {
    r = await sh(p, inContext(from, p.ctx.name, probeArgv(proto, d).join(" ")));
  } finally {
    events = p.ctx.host.traceTake();
    p.ctx.host.tracing(was);
  }
  if (didNotRun(r)) return { ok: false, notRun: lastLine(r.out) ?? `exit ${r.code}` };
  const ok = probeReplied(proto, r);
  const said = lastLine(r.out);
  // Each explanation reads the whole trace: only the ones the verdict prints are made.
  return { ok, cause: ok ? undefined : causeOf(events) ?? (said ? `the probe said: ${said}` : undefined), seen: ok && wantSeen ? seenSource(events) : undefined };
}

async function probeCheck(p: Proc, c: Extract<Check, { verb: "reach" | "no-reach" | "nat" }>): Promise<number> {
  const what = describeProbe(c);
  const r = await probe(p, c.from, c.proto, c.dest, c.verb === "nat");
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
  const v = dnsVerdict(c, await sh(p, inContext(c.from, p.ctx.name, `nslookup ${c.name}`)));
  p.out(v.line);
  return v.code;
}

async function ruleCheck(p: Proc, c: Extract<Check, { verb: "rule" }>): Promise<number> {
  const v = ruleVerdict(c, await sh(p, `iptables -t ${c.table} -S ${c.chain}`));
  p.out(v.line);
  return v.code;
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

export const programs: ProgramSpec[] = [{ name: "lab-check", summary: "grading checks: reach, no-reach, nat, dns, rule", run }];
