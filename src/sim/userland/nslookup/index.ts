/**
 * busybox 1.35 `nslookup` (networking/nslookup.c, the FEATURE_NSLOOKUP_BIG variant): real DNS
 * messages (lib/dns-message) over the kernel's udpRequest to the server given on the command
 * line or the first `nameserver` of /etc/resolv.conf. A name without a dot is tried with every
 * `search` domain. For each query it sends (A then AAAA unless -type=) it prints the reply:
 *
 *   Server:		10.0.0.1
 *   Address:	10.0.0.1:53
 *
 *   Non-authoritative answer:          (only when the AA bit is clear)
 *   Name:	web.lab
 *   Address: 10.0.0.80
 *                                      (a blank line after every reply)
 *
 * NXDOMAIN: `** server can't find NAME: NXDOMAIN` and exit 1; no answer at all:
 * `;; connection timed out; no servers could be reached`; an ICMP port unreachable:
 * `nslookup: write to 'IP': Connection refused` first. Proven against
 * test/fixtures/tools/nslookup.json (replayed by test/nslookup.test.ts).
 */
import { busyboxUsage } from "../lib/busybox.js";
import { DNS_TYPE, DnsFormatError, decodeDns, encodeQuery, type DnsMessage } from "../../kernel/wire/dns-message.js";
import { isIpv4Literal, parseResolvConf } from "../lib/resolver.js";
import { pastDeadline, waitMs } from "../lib/deadline.js";
import type { ProgramSpec, Proc } from "../types.js";

const QTYPES: Record<string, number> = {
  a: DNS_TYPE.A, aaaa: DNS_TYPE.AAAA, cname: DNS_TYPE.CNAME, mx: DNS_TYPE.MX, ns: DNS_TYPE.NS, ptr: DNS_TYPE.PTR,
  soa: DNS_TYPE.SOA, srv: DNS_TYPE.SRV, txt: DNS_TYPE.TXT, any: DNS_TYPE.ANY,
};

const RCODES = ["NOERROR", "FORMERR", "SERVFAIL", "NXDOMAIN", "NOTIMP", "REFUSED", "YXDOMAIN", "YXRRSET", "NXRRSET", "NOTAUTH", "NOTZONE"];

/** parse_reply(): the answer section of one reply, as busybox prints it. */
export function formatReply(m: DnsMessage): string {
  let s = m.authoritative ? "" : "Non-authoritative answer:\n";
  for (const r of m.answers) {
    switch (r.type) {
      case DNS_TYPE.A:
      case DNS_TYPE.AAAA:
        s += `Name:\t${r.name}\nAddress: ${r.data}\n`;
        break;
      case DNS_TYPE.CNAME:
        s += `${r.name}\tcanonical name = ${r.data}\n`;
        break;
      case DNS_TYPE.PTR:
        s += `${r.name}\tname = ${r.data}\n`;
        break;
      case DNS_TYPE.NS:
        s += `${r.name}\tnameserver = ${r.data}\n`;
        break;
      case DNS_TYPE.MX: {
        s += `${r.name}\tmail exchanger = ${r.data}\n`;
        break;
      }
      case DNS_TYPE.TXT:
        s += `${r.name}\ttext = "${r.data}"\n`;
        break;
      case DNS_TYPE.SRV:
        s += `${r.name}\tservice = ${r.data}\n`;
        break;
      case DNS_TYPE.SOA: {
        const [mname, rname, serial, refresh, retry, expire, minimum] = r.data.split(" ");
        s += `${r.name}\n\torigin = ${mname}\n\tmail addr = ${rname}\n\tserial = ${serial}\n\trefresh = ${refresh}\n\tretry = ${retry}\n\texpire = ${expire}\n\tminimum = ${minimum}\n`;
        break;
      }
      default:
        break;
    }
  }
  return s;
}

/** The in-addr.arpa name of an IPv4 address (reverse lookups). */
function reverseName(ip: string): string {
  return `${ip.split(".").reverse().join(".")}.in-addr.arpa`;
}

async function run(p: Proc): Promise<number> {
  let qtype: number | undefined;
  const operands: string[] = [];
  for (const a of p.argv.slice(1)) {
    const m = /^-(?:type|querytype|q|query)=(.*)$/i.exec(a);
    if (m) {
      const t = QTYPES[m[1]!.toLowerCase()];
      if (t === undefined) {
        p.err(`nslookup: invalid query type "${m[1]}"\n`);
        return 1;
      }
      qtype = t;
    } else if (a === "-debug" || a === "-d" || /^-(retry|timeout|port)=\d+$/.test(a)) {
      continue;
    } else if (a.startsWith("-") && a.length > 1) {
      p.err(busyboxUsage("nslookup"));
      return 1;
    } else operands.push(a);
  }
  if (operands.length === 0 || operands.length > 2) {
    p.err(busyboxUsage("nslookup"));
    return 1;
  }
  const name = operands[0]!;
  const rc = parseResolvConf(p.ctx.fs.readFile("/etc/resolv.conf"));
  const server = operands[1] ?? rc.nameservers[0] ?? "127.0.0.1";
  if (!isIpv4Literal(server)) {
    p.err(`nslookup: bad address '${server}'\n`);
    return 1;
  }
  // add_query_with_search(): the name itself, or one query per search domain when it has no dot.
  const queries: Array<{ name: string; type: number }> = [];
  const names = isIpv4Literal(name)
    ? [reverseName(name)]
    : !name.includes(".") && operands[1] === undefined && rc.search.length > 0
      ? rc.search.map((d) => `${name}.${d}`)
      : [name];
  const types = isIpv4Literal(name) ? [DNS_TYPE.PTR] : qtype !== undefined ? [qtype] : [DNS_TYPE.A, DNS_TYPE.AAAA];
  for (const n of names) for (const t of types) queries.push({ name: n, type: t });

  const ns = p.ctx.netns;
  let printedServer = false;
  let anyReply = false;
  let exit = 0;
  let id = (p.world.rng.uint32() & 0xffff) || 1;
  // busybox sends every query at once and waits for them together: a server that refuses or
  // never answers ends the whole run, not one query.
  let dead = false;
  for (const q of queries) {
    if (dead) break;
    let reply: DnsMessage | undefined;
    for (let attempt = 0; attempt < 2 && !reply && !dead; attempt++) {
      let query: Uint8Array;
      try {
        query = encodeQuery(id, q.name, q.type);
      } catch (e) {
        if (!(e instanceof DnsFormatError)) throw e;
        // res_mkquery() refuses the name: busybox still "sends" an empty query and fails.
        p.err(`nslookup: write to '${server}': Message too long\n`);
        dead = true;
        continue;
      }
      const res = ns.udpRequest(server, 53, query, { timeoutMs: waitMs(p, 5000) });
      if (!res.ok && pastDeadline(p)) return 124;
      if (!res.ok) {
        if (res.disposition.kind === "refused") {
          p.err(`nslookup: write to '${server}': Connection refused\n`);
          dead = true;
        } else if (attempt === 1 && !anyReply) dead = true;
        continue;
      }
      try {
        const m = decodeDns(res.response);
        if (m.id === id) reply = m;
      } catch {
        // a malformed reply is ignored, as busybox does
      }
    }
    id = (id + 1) & 0xffff;
    if (!reply) continue;
    anyReply = true;
    if (!printedServer) {
      p.out(`Server:\t\t${server}\nAddress:\t${server}:53\n\n`);
      printedServer = true;
    }
    if (reply.rcode !== 0) {
      p.out(`** server can't find ${q.name}: ${RCODES[reply.rcode] ?? String(reply.rcode)}\n\n`);
      exit = 1;
      continue;
    }
    p.out(formatReply(reply) + "\n");
  }
  if (!anyReply) {
    p.out(";; connection timed out; no servers could be reached\n\n");
    return 1;
  }
  return exit;
}

/** The busybox `nslookup` program. */
export const nslookup: ProgramSpec = { name: "nslookup", summary: "query DNS (busybox 1.35)", run };

/** Programs this folder provides. */
export const programs: ProgramSpec[] = [nslookup];
