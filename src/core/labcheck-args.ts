/**
 * lab-check's vocabulary, shared by its two implementations (the simulated one,
 * src/sim/userland/labcheck, and the host one, src/target/host/labcheck): the command line, the
 * usage text (exit status 2), how a probe is named, and when a probe did not run at all.
 *
 *   lab-check reach    FROM TO[:PORT] [--proto tcp|udp|icmp]
 *   lab-check no-reach FROM TO[:PORT] [--proto tcp|udp|icmp]
 *   lab-check nat      FROM TO:PORT [--proto ...] --seen-as ADDR
 *   lab-check dns      FROM NAME --is ADDR
 *   lab-check rule     TABLE CHAIN MATCH...
 */

export const USAGE = `usage: lab-check reach|no-reach FROM TO[:PORT] [--proto tcp|udp|icmp]
       lab-check nat FROM TO:PORT --seen-as ADDR
       lab-check dns FROM NAME --is ADDR
       lab-check rule TABLE CHAIN MATCH...
`;

export type Proto = "tcp" | "udp" | "icmp";

/** A probe's destination: an address and, for tcp/udp, a port. */
export interface Dest {
  addr: string;
  port?: number;
}

/** One parsed check. */
export type Check =
  | { verb: "reach" | "no-reach" | "nat"; from: string; proto: Proto; dest: Dest; seenAs?: string }
  | { verb: "dns"; from: string; name: string; is: string }
  | { verb: "rule"; table: string; chain: string; match: string[] };

/** ADDR[:PORT] as the simulated lab-check accepts it (undefined when malformed). */
export function parseDest(s: string): Dest | undefined {
  const m = /^([^:\s]+)(?::(\d{1,5}))?$/.exec(s);
  if (!m) return undefined;
  const port = m[2] === undefined ? undefined : Number(m[2]);
  if (port !== undefined && (port < 1 || port > 65535)) return undefined;
  return { addr: m[1]!, port };
}

/** The port a probe of `proto` goes to (tcp 80 and udp 53 by default; icmp none). */
export function portOf(proto: Proto, d: Dest): number | undefined {
  if (proto === "icmp") return undefined;
  return d.port ?? (proto === "udp" ? 53 : 80);
}

/** How the check names a probe in its output line: `tcp from host to 172.17.0.1:1234`. */
export function describeProbe(c: { from: string; proto: Proto; dest: Dest }): string {
  const port = portOf(c.proto, c.dest);
  return `${c.proto} from ${c.from} to ${c.dest.addr}${port === undefined ? "" : `:${port}`}`;
}

function takeOpt(args: string[], name: string): string | undefined | null {
  const k = args.indexOf(name);
  if (k < 0) return undefined;
  const v = args[k + 1];
  args.splice(k, 2);
  return v === undefined ? null : v;
}

/** Parses argv (without the program name): a check, or the usage complaint (exit 2). */
export function parseCheck(argv: readonly string[]): Check | { usage: string } {
  const args = [...argv];
  const usage = (why: string) => ({ usage: `lab-check: ${why}\n${USAGE}` });
  const verb = args.shift();
  if (verb === undefined || verb === "--help" || verb === "-h") return usage("missing check");
  if (verb === "reach" || verb === "no-reach" || verb === "nat") {
    // `--proto` with no value is a usage error.
    const given = takeOpt(args, "--proto");
    const proto = given === undefined ? "tcp" : given;
    const seenAs = verb === "nat" ? takeOpt(args, "--seen-as") : undefined;
    if (proto === null || !["tcp", "udp", "icmp"].includes(proto)) return usage(`--proto takes tcp, udp or icmp`);
    if (verb === "nat" && (seenAs === undefined || seenAs === null)) return usage("nat needs --seen-as ADDR");
    if (args.length !== 2) return usage(`${verb} takes FROM and TO[:PORT]`);
    const [from, to] = args as [string, string];
    const dest = parseDest(to);
    if (!dest) return usage(`bad address "${to}", expected ADDR[:PORT]`);
    if (proto === "udp" && dest.port !== undefined && dest.port !== 53) return usage("udp probes go to port 53 (DNS) only");
    return { verb, from, proto: proto as Proto, dest, ...(seenAs ? { seenAs } : {}) };
  }
  if (verb === "dns") {
    const is = takeOpt(args, "--is");
    if (is === undefined || is === null) return usage("dns needs --is ADDR");
    if (args.length !== 2) return usage("dns takes FROM and NAME");
    return { verb, from: args[0]!, name: args[1]!, is };
  }
  if (verb === "rule") {
    if (args.length < 3) return usage("rule takes TABLE CHAIN MATCH...");
    const [table, chain, ...match] = args as [string, string, ...string[]];
    return { verb, table, chain, match };
  }
  return usage(`unknown check "${verb}", expected one of reach, no-reach, nat, dns, rule`);
}

/**
 * The probe never ran (no such container or namespace, a stopped container, a missing tool):
 * that is no answer about the network, so it fails every check, `no-reach` included. Words of
 * docker 20.10/28.2, iproute2 6.1 and kubectl, recorded here.
 */
const DID_NOT_RUN = /No such container|is not running|OCI runtime exec failed|executable file not found|Cannot open network namespace|^Error from server|: not found$/m;

/** True when a probe's exit status and output say it never ran (see DID_NOT_RUN). */
export function didNotRun(r: { code: number; out: string }): boolean {
  return r.code === 126 || r.code === 127 || DID_NOT_RUN.test(r.out);
}
