/**
 * `lab-check` on a real machine (the host target): the simulated lab-check's vocabulary,
 * arguments, output lines and exit codes (0 pass, 1 fail, 2 usage), with real probes:
 *
 *   reach/no-reach  tcp: busybox `nc -w 1 ADDR PORT` (connect, then EOF); udp: busybox
 *                   `nslookup -timeout=1 lab-check.invalid ADDR` (any DNS answer is a reply);
 *                   icmp: busybox `ping -c 1 -W 1 ADDR`; each run in FROM (run.ts)
 *   nat             the same probe, then the source the server saw from the kernel's conntrack
 *                   entry of the probe (conntrack.ts)
 *   dns             `nslookup NAME` in FROM
 *   rule            `iptables -t TABLE -S CHAIN` here
 *
 * Where the simulator names a cause from its packet trace, the host says what it observed: the
 * probe's own last line and the deciding iptables rules whose counters rose during the probe
 * (counters.ts), in this namespace and, for a `netns:` FROM, in that one.
 */
import { describeProbe, didNotRun, parseCheck, portOf, type Check } from "../../../core/labcheck-args.js";
import { dnsVerdict, lastLine, probeArgv, probeReplied, ruleVerdict } from "../../../core/labcheck-verdicts.js";
import { parseConntrack, probeEntry } from "./conntrack.js";
import { formatRisen, risenRules } from "./counters.js";
import { execaRun, inContext, type Run } from "./run.js";

/** Where lab-check writes. */
export interface LabCheckIo {
  out(t: string): void;
  err(t: string): void;
}

/** `iptables-save -c` of the namespaces whose counters a probe from `from` may move (empty when unreadable). */
async function snapshot(run: Run, from: string): Promise<string[]> {
  const argvs = [["iptables-save", "-c"], ...(from.startsWith("netns:") ? [["ip", "netns", "exec", from.slice(6), "iptables-save", "-c"]] : [])];
  const out: string[] = [];
  for (const a of argvs) {
    const r = await run(a);
    out.push(r.code === 0 ? r.out : "");
  }
  return out;
}

/** Runs one check; resolves to lab-check's exit status. */
export async function runLabCheck(argv: readonly string[], io: LabCheckIo, run: Run = execaRun()): Promise<number> {
  const check = parseCheck(argv);
  if ("usage" in check) {
    io.err(check.usage);
    return 2;
  }
  if (check.verb === "dns") return dns(check, io, run);
  if (check.verb === "rule") return rule(check, io, run);
  return probe(check, io, run);
}

async function probe(c: Extract<Check, { verb: "reach" | "no-reach" | "nat" }>, io: LabCheckIo, run: Run): Promise<number> {
  const what = describeProbe(c);
  const port = portOf(c.proto, c.dest);
  const before = await snapshot(run, c.from);
  const ctBefore = c.verb === "nat" ? await run(["conntrack", "-L", "-o", "id"]) : undefined;
  const r = await run(inContext(c.from, probeArgv(c.proto, c.dest)));
  if (didNotRun(r)) {
    io.out(`not ok: ${what}: the probe did not run: ${lastLine(r.out) ?? `exit ${r.code}`}\n`);
    return 1;
  }
  const ok = probeReplied(c.proto, r);
  const noReply = async (): Promise<string> => {
    const after = await snapshot(run, c.from);
    const risen = formatRisen(after.flatMap((a, k) => risenRules(before[k]!, a).map((x) => (k === 0 ? x : { ...x, table: `${c.from} ${x.table}` }))));
    const said = lastLine(r.out);
    const parts = [said ? `the probe said: ${said}` : undefined, risen ? `iptables counters that rose during the probe: ${risen}` : undefined].filter(Boolean);
    return `not ok: ${what}: no reply${parts.length ? `: ${parts.join("; ")}` : ""}\n`;
  };
  if (c.verb === "reach") {
    if (ok) io.out(`ok: ${what} gets a reply\n`);
    else io.out(await noReply());
    return ok ? 0 : 1;
  }
  if (c.verb === "no-reach") {
    if (!ok) io.out(`ok: ${what} gets no reply\n`);
    else io.out(`not ok: ${what} gets a reply, expected none\n`);
    return ok ? 1 : 0;
  }
  if (!ok) {
    io.out(await noReply());
    return 1;
  }
  const ctAfter = await run(["conntrack", "-L", "-o", "id"]);
  if (ctBefore!.code !== 0 || ctAfter.code !== 0) {
    io.out(`not ok: ${what}: cannot read this host's conntrack table (${lastLine(ctAfter.code !== 0 ? ctAfter.out : ctBefore!.out) ?? `exit ${ctAfter.code}`})\n`);
    return 1;
  }
  const entry = probeEntry(parseConntrack(ctBefore!.out), parseConntrack(ctAfter.out), c.proto, c.dest.addr, port);
  const seen = entry?.reply.dst;
  if (seen === c.seenAs) {
    io.out(`ok: ${what}: the server sees ${c.seenAs}\n`);
    return 0;
  }
  io.out(`not ok: ${what}: the server sees ${seen ?? "an address this host's conntrack table does not show (the probe did not pass through this host's network namespace)"}, expected ${c.seenAs}\n`);
  return 1;
}

async function dns(c: Extract<Check, { verb: "dns" }>, io: LabCheckIo, run: Run): Promise<number> {
  const v = dnsVerdict(c, await run(inContext(c.from, ["nslookup", c.name])));
  io.out(v.line);
  return v.code;
}

async function rule(c: Extract<Check, { verb: "rule" }>, io: LabCheckIo, run: Run): Promise<number> {
  const v = ruleVerdict(c, await run(["iptables", "-t", c.table, "-S", c.chain]));
  io.out(v.line);
  return v.code;
}
