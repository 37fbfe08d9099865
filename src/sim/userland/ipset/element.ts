/**
 * ipset's element syntax (libipset/parse.c as ipset v7.17 parses it) for the set types the
 * simulator has, and the element text it prints (libipset/print.c):
 *
 *   hash:ip           IP | IP/CIDR | IP-IP          (a range adds every address)
 *   hash:ip,port      IP,[PROTO:]PORT[-PORT]        (PROTO defaults to tcp)
 *   hash:ip,port,ip   IP,[PROTO:]PORT,IP
 *   hash:ip,port,net  IP,[PROTO:]PORT,IP[/CIDR]
 *   hash:net          IP[/CIDR]
 *   bitmap:port       [PROTO:]PORT[-PORT]
 *
 * A parse error is thrown as an Error whose message is ipset's text after `ipset v7.17: `.
 */
import type { IpsetEntry, IpsetType } from "../../kernel/api.js";

const PROTOS = new Set(["tcp", "udp", "sctp", "udplite"]);

function parseIpv4(s: string): string {
  const parts = s.split(".");
  if (parts.length === 4 && parts.every((p) => /^\d{1,3}$/.test(p) && Number(p) <= 255)) return parts.map(Number).join(".");
  throw new Error(`Syntax error: cannot parse ${s}: resolving to IPv4 address failed`);
}

function ipNum(s: string): number {
  return s.split(".").reduce((a, p) => a * 256 + Number(p), 0);
}

function ipText(n: number): string {
  return [24, 16, 8, 0].map((b) => Math.floor(n / 2 ** b) % 256).join(".");
}

function parseCidr(s: string, min: number): number {
  if (!/^\d+$/.test(s) || Number(s) > 32) throw new Error(`Syntax error: '${s}' is out of range 0-32`);
  const n = Number(s);
  if (n < min) throw new Error("The value of the CIDR parameter of the IP address is invalid");
  return n;
}

/** IP, IP/CIDR or IP-IP as a list of addresses (hash:ip adds each one). */
function ipRange(s: string): string[] {
  const slash = s.indexOf("/");
  if (slash >= 0) {
    const base = ipNum(parseIpv4(s.slice(0, slash)));
    const c = parseCidr(s.slice(slash + 1), 1);
    const size = 2 ** (32 - c);
    const start = base - (base % size);
    return Array.from({ length: size }, (_, i) => ipText(start + i));
  }
  const dash = s.indexOf("-");
  if (dash >= 0) {
    const a = ipNum(parseIpv4(s.slice(0, dash)));
    const b = ipNum(parseIpv4(s.slice(dash + 1)));
    const [lo, hi] = a <= b ? [a, b] : [b, a];
    return Array.from({ length: hi - lo + 1 }, (_, i) => ipText(lo + i));
  }
  return [parseIpv4(s)];
}

function parsePortNum(s: string, proto: string): number {
  if (/^\d+$/.test(s) && Number(s) <= 65535) return Number(s);
  if (/^\d+$/.test(s)) throw new Error(`Syntax error: '${s}' is out of range 0-65535\nSyntax error: '${proto}' is invalid as number\ncannot parse '${s}' as a ${proto} port`);
  throw new Error(`Syntax error: cannot parse '${s}' as a ${proto} port`);
}

/** [PROTO:]PORT[-PORT] → proto and the ports of the range. */
function protoPorts(s: string): { proto: string; ports: number[] } {
  let proto = "tcp";
  let rest = s;
  const colon = s.indexOf(":");
  if (colon >= 0) {
    proto = s.slice(0, colon);
    rest = s.slice(colon + 1);
    if (proto === "icmp") throw new Error(`Cannot parse ${rest} as an ICMP type/code.`);
    if (!PROTOS.has(proto)) throw new Error(`Syntax error: cannot parse '${proto}' as a protocol`);
  }
  const dash = rest.indexOf("-");
  if (dash >= 0) {
    const a = parsePortNum(rest.slice(0, dash), proto);
    const b = parsePortNum(rest.slice(dash + 1), proto);
    const [lo, hi] = a <= b ? [a, b] : [b, a];
    return { proto, ports: Array.from({ length: hi - lo + 1 }, (_, i) => lo + i) };
  }
  return { proto, ports: [parsePortNum(rest, proto)] };
}

/** The element(s) an ENTRY argument stands for in a set of type `type` (ranges expand). */
export function parseElement(type: IpsetType, text: string): IpsetEntry[] {
  const parts = text.split(",");
  const need = type === "hash:ip,port" ? 2 : type === "hash:ip,port,ip" || type === "hash:ip,port,net" ? 3 : 1;
  if (parts.length < need) throw new Error(`Syntax error: ${need === 2 || parts.length === 1 ? "Second" : "Third"} element is missing from ${text}.`);
  if (parts.length > need) throw new Error(`Syntax error: Elem separator in ${text}, but settype ${type} supports none.`);
  switch (type) {
    case "hash:ip":
      return ipRange(parts[0]!).map((ip) => ({ ip }));
    case "hash:net": {
      const [a, c] = parts[0]!.split("/");
      const ip = parseIpv4(a!);
      // Without /CIDR no prefix is sent: `test` then tries every prefix length in the set (mtype_test_cidrs).
      return [c === undefined ? { ip } : { ip, cidr: parseCidr(c, 1) }];
    }
    case "bitmap:port":
      return protoPorts(parts[0]!).ports.map((port) => ({ port }));
    case "hash:ip,port": {
      const ips = ipRange(parts[0]!);
      const { proto, ports } = protoPorts(parts[1]!);
      return ips.flatMap((ip) => ports.map((port) => ({ ip, proto, port })));
    }
    case "hash:ip,port,ip": {
      const ips = ipRange(parts[0]!);
      const { proto, ports } = protoPorts(parts[1]!);
      const ip2 = parseIpv4(parts[2]!);
      return ips.flatMap((ip) => ports.map((port) => ({ ip, proto, port, ip2 })));
    }
    case "hash:ip,port,net": {
      const ips = ipRange(parts[0]!);
      const { proto, ports } = protoPorts(parts[1]!);
      const [a, c] = parts[2]!.split("/");
      const ip2 = parseIpv4(a!);
      const cidr2 = c === undefined ? undefined : parseCidr(c, 1);
      return ips.flatMap((ip) => ports.map((port) => ({ ip, proto, port, ip2, ...(cidr2 === undefined ? {} : { cidr2 }) })));
    }
  }
}

/** An element as ipset prints it in listings, saves and test messages. */
export function elementText(type: IpsetType, e: IpsetEntry): string {
  const net = (ip: string | undefined, c: number | undefined) => (c === undefined || c === 32 ? ip! : `${ip}/${c}`);
  switch (type) {
    case "hash:ip":
      return e.ip!;
    case "hash:net":
      return net(e.ip, e.cidr);
    case "bitmap:port":
      return String(e.port);
    case "hash:ip,port":
      return `${e.ip},${e.proto}:${e.port}`;
    case "hash:ip,port,ip":
      return `${e.ip},${e.proto}:${e.port},${e.ip2}`;
    case "hash:ip,port,net":
      return `${e.ip},${e.proto}:${e.port},${net(e.ip2, e.cidr2)}`;
  }
}
