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

const USAGE = `usage: lab-check reach|no-reach FROM TO[:PORT] [--proto tcp|udp|icmp]
       lab-check nat FROM TO:PORT --seen-as ADDR
       lab-check dns FROM NAME --is ADDR
       lab-check rule TABLE CHAIN MATCH...
`;

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

interface Target {
  addr: string;
  port?: number;
}

function parseTarget(s: string): Target | undefined {
  const m = /^([^:\s]+)(?::(\d{1,5}))?$/.exec(s);
  if (!m) return undefined;
  const port = m[2] === undefined ? undefined : Number(m[2]);
  if (port !== undefined && (port < 1 || port > 65535)) return undefined;
  return { addr: m[1]!, port };
}

function probeCmd(proto: string, t: Target): string {
  if (proto === "icmp") return `ping -c 1 -W 1 ${t.addr}`;
  if (proto === "udp") return `nslookup -timeout=1 lab-check.invalid ${t.addr}`;
  return `nc -w 1 ${t.addr} ${t.port ?? 80}`;
}

/** Sends one probe and returns whether a reply came back, the cause if not, and the trace. */
async function probe(p: Proc, from: string, proto: string, t: Target): Promise<{ ok: boolean; cause?: string; seen?: string; out: string }> {
  p.ctx.host.traceTake();
  const r = await sh(p, inContext(from, p.ctx.name, probeCmd(proto, t)));
  const events = p.ctx.host.traceTake();
  // busybox nslookup exits 1 on NXDOMAIN too: any DNS answer means the UDP reply came back.
  const ok = r.code === 0 || (proto === "udp" && /server can't find|NXDOMAIN|NODATA/.test(r.out));
  return { ok, cause: ok ? undefined : causeOf(events) ?? lastLine(r.out), seen: seenSource(events), out: r.out };
}

function lastLine(s: string): string | undefined {
  const l = s.trim().split("\n").at(-1)?.trim();
  return l ? `the probe said: ${l}` : undefined;
}

function takeOpt(args: string[], name: string): string | undefined | null {
  const k = args.indexOf(name);
  if (k < 0) return undefined;
  const v = args[k + 1];
  args.splice(k, 2);
  return v === undefined ? null : v;
}

async function run(p: Proc): Promise<number> {
  const args = p.argv.slice(1);
  const usage = (why: string): number => {
    p.err(`lab-check: ${why}\n${USAGE}`);
    return 2;
  };
  const verb = args.shift();
  if (verb === undefined || verb === "--help" || verb === "-h") return usage("missing check");
  if (verb === "reach" || verb === "no-reach" || verb === "nat") {
    const proto = takeOpt(args, "--proto") ?? (verb === "nat" ? "tcp" : "tcp");
    const seenAs = verb === "nat" ? takeOpt(args, "--seen-as") : undefined;
    if (proto === null || !["tcp", "udp", "icmp"].includes(proto)) return usage(`--proto takes tcp, udp or icmp`);
    if (verb === "nat" && (seenAs === undefined || seenAs === null)) return usage("nat needs --seen-as ADDR");
    if (args.length !== 2) return usage(`${verb} takes FROM and TO[:PORT]`);
    const [from, to] = args as [string, string];
    const t = parseTarget(to);
    if (!t) return usage(`bad address "${to}", expected ADDR[:PORT]`);
    if (proto === "udp" && t.port !== undefined && t.port !== 53) return usage("udp probes go to port 53 (DNS) only");
    const what = `${proto} from ${from} to ${t.addr}${proto === "icmp" ? "" : `:${t.port ?? (proto === "udp" ? 53 : 80)}`}`;
    const r = await probe(p, from, proto, t);
    if (verb === "reach") {
      if (r.ok) p.out(`ok: ${what} gets a reply\n`);
      else p.out(`not ok: ${what}: no reply${r.cause ? `: ${r.cause}` : ""}\n`);
      return r.ok ? 0 : 1;
    }
    if (verb === "no-reach") {
      if (!r.ok) p.out(`ok: ${what} gets no reply\n`);
      else p.out(`not ok: ${what} gets a reply, expected none\n`);
      return r.ok ? 1 : 0;
    }
    if (!r.ok) {
      p.out(`not ok: ${what}: no reply${r.cause ? `: ${r.cause}` : ""}\n`);
      return 1;
    }
    if (r.seen === seenAs) {
      p.out(`ok: ${what}: the server sees ${seenAs}\n`);
      return 0;
    }
    p.out(`not ok: ${what}: the server sees ${r.seen ?? "an address the trace does not show"}, expected ${seenAs}\n`);
    return 1;
  }
  if (verb === "dns") {
    const is = takeOpt(args, "--is");
    if (is === undefined || is === null) return usage("dns needs --is ADDR");
    if (args.length !== 2) return usage("dns takes FROM and NAME");
    const [from, name] = args as [string, string];
    const r = await sh(p, inContext(from, p.ctx.name, `nslookup ${name}`));
    const body = r.out.split(/^Name:/m).slice(1).join("\n");
    const addrs = [...body.matchAll(/^Address(?: \d+)?:\s*([0-9a-f.:]+)/gm)].map((m) => m[1]!);
    if (addrs.includes(is)) {
      p.out(`ok: ${name} resolves to ${is} in ${from}\n`);
      return 0;
    }
    const why = addrs.length > 0 ? `resolves to ${addrs.join(", ")}` : `does not resolve (${lastLine(r.out)?.replace(/^the probe said: /, "") ?? "no answer"})`;
    p.out(`not ok: ${name} in ${from} ${why}, expected ${is}\n`);
    return 1;
  }
  if (verb === "rule") {
    if (args.length < 3) return usage("rule takes TABLE CHAIN MATCH...");
    const [table, chain, ...match] = args as [string, string, ...string[]];
    const r = await sh(p, `iptables -t ${table} -S ${chain}`);
    if (r.code !== 0) {
      p.out(`not ok: no chain ${chain} in table ${table} (${r.out.trim().split("\n")[0]})\n`);
      return 1;
    }
    const rules = r.out.split("\n").filter((l) => l.startsWith(`-A ${chain} `));
    const hit = rules.find((l) => isSubsequence(match, l.split(/\s+/).slice(2)));
    if (hit) {
      p.out(`ok: ${table} ${chain} has ${hit}\n`);
      return 0;
    }
    p.out(`not ok: no rule in ${table} ${chain} matches "${match.join(" ")}" (${rules.length} rule${rules.length === 1 ? "" : "s"} there)\n`);
    return 1;
  }
  return usage(`unknown check "${verb}", expected one of reach, no-reach, nat, dns, rule`);
}

/** `want` appears in `have` in order (other words may sit between them). */
function isSubsequence(want: readonly string[], have: readonly string[]): boolean {
  let k = 0;
  for (const w of have) if (k < want.length && w === want[k]) k++;
  return k === want.length;
}

export const programs: ProgramSpec[] = [{ name: "lab-check", summary: "grading checks: reach, no-reach, nat, dns, rule", run }];
