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
import { strerror } from "../lib/errno.js";
import { KernelError } from "../../kernel/api.js";
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
  // G.default_timeout (s), G.default_retry and the server port: -timeout=, -retry=, -port=.
  const opt = { timeoutSec: 5, retry: 2, port: 53 };
  for (const a of p.argv.slice(1)) {
    const m = /^-(?:type|querytype|q|query)=(.*)$/i.exec(a);
    if (m) {
      const t = QTYPES[m[1]!.toLowerCase()];
      if (t === undefined) {
        p.err(`nslookup: invalid query type "${m[1]}"\n`);
        return 1;
      }
      qtype = t;
    } else if (a === "-debug" || a === "-d") {
      continue;
    } else if (/^-(retry|timeout|port)=\d+$/.test(a)) {
      const [key, value] = a.slice(1).split("=") as ["retry" | "timeout" | "port", string];
      if (key === "timeout") opt.timeoutSec = Number(value);
      else if (key === "retry") opt.retry = Math.max(1, Number(value));
      else opt.port = Number(value);
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

  const encoded: Array<{ name: string; bytes: Uint8Array | undefined; answered: boolean }> = [];
  let id = (p.world.rng.uint32() & 0xffff) || 1;
  for (const q of queries) {
    let bytes: Uint8Array | undefined;
    try {
      bytes = encodeQuery(id, q.name, q.type);
    } catch (e) {
      if (!(e instanceof DnsFormatError)) throw e;
    }
    encoded.push({ name: q.name, bytes, answered: false });
    id = (id + 1) & 0xffff;
  }
  const r = sendQueries(p, server, opt.port, encoded, opt.timeoutSec * 1000, opt.retry);
  if (r === "killed") return 124;
  if (r.replies <= 0) {
    p.out(";; connection timed out; no servers could be reached\n\n");
    return 1;
  }
  return r.exit;
}

/**
 * send_queries() of busybox 1.35: one socket connected to the server; every query sent at once,
 * the unanswered ones again every timeout/retry ms; a reply is matched to its query by id and
 * printed as it arrives (the Server/Address header before the first datagram). A pending
 * ICMP error is reported by the next write (`write to 'IP': ...`, which ends the exchange) or
 * read (`read: ...`, which does not). Returns the number of answered queries (-1 after a write
 * error) and the exit status the answers give, or "killed" when the process's deadline passed.
 */
function sendQueries(p: Proc, server: string, port: number, queries: Array<{ name: string; bytes: Uint8Array | undefined; answered: boolean }>, timeoutMs: number, retry: number): { replies: number; exit: number } | "killed" {
  const clock = p.world.clock;
  let sock;
  try {
    sock = p.ctx.netns.udpSocket(server, port);
  } catch (e) {
    if (!(e instanceof KernelError)) throw e;
    p.err(`nslookup: connect: ${strerror(e.errno)}\n`);
    return { replies: -1, exit: 1 };
  }
  const retryMs = Math.floor(timeoutMs / retry);
  let replies = 0;
  let received = 0;
  let exit = 0;
  let servfailRetry = 0;
  const start = clock.now();
  let sent = start;
  try {
    const sendAll = (): boolean => {
      for (const q of queries) {
        if (q.answered) continue;
        // res_mkquery() refused the name: busybox still writes, and the write fails (EMSGSIZE).
        const r = q.bytes ? sock.send(q.bytes) : undefined;
        if (!r?.ok) {
          p.err(`nslookup: write to '${server}': ${r ? strerror(r.errno) : "Message too long"}\n`);
          return false;
        }
      }
      sent = clock.now();
      servfailRetry = 2 * queries.length;
      return true;
    };
    if (!sendAll()) return { replies: -1, exit };
    while (clock.now() - start < timeoutMs) {
      if (clock.now() - sent >= retryMs && !sendAll()) return { replies: -1, exit };
      const got = sock.recv(waitMs(p, retryMs - (clock.now() - sent)));
      if (pastDeadline(p)) return "killed";
      if (got === undefined) continue;
      if ("errno" in got) {
        p.err(`nslookup: read: ${strerror(got.errno)}\n`);
        continue;
      }
      if (received++ === 0) p.out(`Server:\t\t${server}\nAddress:\t${server}:${port}\n\n`);
      const data = got.data;
      if (data.length < 4) continue;
      const q = queries.find((x) => x.bytes && x.bytes[0] === data[0] && x.bytes[1] === data[1]);
      if (!q || q.answered) continue;
      const rcode = data[3]! & 0x0f;
      if (rcode === 2 && servfailRetry > 0) {
        servfailRetry--;
        sock.send(q.bytes!);
        continue;
      }
      q.answered = true;
      if (rcode !== 0) {
        p.out(`** server can't find ${q.name}: ${RCODES[rcode] ?? String(rcode)}\n\n`);
        exit = 1;
      } else {
        let m: DnsMessage | undefined;
        try {
          m = decodeDns(data);
        } catch {
          m = undefined;
        }
        if (m) p.out(formatReply(m) + "\n");
        else {
          p.out(`*** Can't find ${q.name}: Parse error\n\n`);
          exit = 1;
        }
      }
      if (++replies >= queries.length) break;
    }
    return { replies, exit };
  } finally {
    sock.close();
  }
}

/** The busybox `nslookup` program. */
export const nslookup: ProgramSpec = { name: "nslookup", summary: "query DNS (busybox 1.35)", run };

/** Programs this folder provides. */
export const programs: ProgramSpec[] = [nslookup];
