/**
 * Names iptables prints without `-n`: services (Debian netbase /etc/services, the ports lessons
 * meet), protocols (/etc/protocols), ICMP types (libipt_icmp.c icmp_codes), and the reverse
 * lookups of addresses through /etc/hosts and /etc/networks (gethostbyaddr/getnetbyaddr).
 */
import type { SimFs } from "../types.js";

export { portToService, serviceToPort } from "../lib/services.js";

/** /etc/protocols (netbase), the protocols lessons meet. */
const PROTOCOLS: Record<number, string> = {
  0: "ip", 1: "icmp", 2: "igmp", 4: "ipencap", 6: "tcp", 8: "egp", 12: "pup", 17: "udp", 20: "hmp", 22: "xns-idp",
  27: "rdp", 29: "iso-tp4", 33: "dccp", 36: "xtp", 37: "ddp", 38: "idpr-cmtp", 41: "ipv6", 43: "ipv6-route",
  44: "ipv6-frag", 45: "idrp", 46: "rsvp", 47: "gre", 50: "esp", 51: "ah", 57: "skip", 58: "ipv6-icmp", 59: "ipv6-nonxt",
  60: "ipv6-opts", 73: "rspf", 81: "vmtp", 88: "eigrp", 89: "ospf", 93: "ax.25", 94: "ipip", 97: "etherip", 98: "encap",
  103: "pim", 108: "ipcomp", 112: "vrrp", 115: "l2tp", 124: "isis", 132: "sctp", 133: "fc", 135: "mobility-header",
  136: "udplite", 137: "mpls-in-ip", 138: "manet", 139: "hip", 140: "shim6", 141: "wesp", 142: "rohc", 143: "ethernet",
};

/** xtables_chain_protos: names iptables knows without /etc/protocols. */
export const CHAIN_PROTOS: Record<string, number> = { tcp: 6, sctp: 132, udp: 17, udplite: 136, icmp: 1, icmpv6: 58, esp: 50, ah: 51, mh: 135, all: 0 };

/** Protocol number from a name or number text; undefined when unknown. */
export function protoNumber(name: string): number | undefined {
  if (Object.hasOwn(CHAIN_PROTOS, name)) return CHAIN_PROTOS[name];
  if (/^\d+$/.test(name)) {
    const n = Number(name);
    return n <= 255 ? n : undefined;
  }
  const lower = name.toLowerCase();
  if (Object.hasOwn(CHAIN_PROTOS, lower)) return CHAIN_PROTOS[lower];
  for (const [n, p] of Object.entries(PROTOCOLS)) if (p === lower) return Number(n);
  return undefined;
}

/** The name iptables prints for a protocol number: its chain_protos name, then /etc/protocols. */
export function protoName(num: number): string | undefined {
  return CHAIN_PROTO_NAMES.get(num) ?? PROTOCOLS[num];
}

const CHAIN_PROTO_NAMES = new Map(Object.entries(CHAIN_PROTOS).map(([n, v]) => [v, n]));

/** libipt_icmp.c icmp_codes: name, type, code range. */
export const ICMP_CODES: Array<{ name: string; type: number; min: number; max: number }> = [
  { name: "any", type: 0xff, min: 0, max: 0xff },
  { name: "echo-reply", type: 0, min: 0, max: 0xff },
  { name: "destination-unreachable", type: 3, min: 0, max: 0xff },
  { name: "network-unreachable", type: 3, min: 0, max: 0 },
  { name: "host-unreachable", type: 3, min: 1, max: 1 },
  { name: "protocol-unreachable", type: 3, min: 2, max: 2 },
  { name: "port-unreachable", type: 3, min: 3, max: 3 },
  { name: "fragmentation-needed", type: 3, min: 4, max: 4 },
  { name: "source-route-failed", type: 3, min: 5, max: 5 },
  { name: "network-unknown", type: 3, min: 6, max: 6 },
  { name: "host-unknown", type: 3, min: 7, max: 7 },
  { name: "network-prohibited", type: 3, min: 9, max: 9 },
  { name: "host-prohibited", type: 3, min: 10, max: 10 },
  { name: "TOS-network-unreachable", type: 3, min: 11, max: 11 },
  { name: "TOS-host-unreachable", type: 3, min: 12, max: 12 },
  { name: "communication-prohibited", type: 3, min: 13, max: 13 },
  { name: "host-precedence-violation", type: 3, min: 14, max: 14 },
  { name: "precedence-cutoff", type: 3, min: 15, max: 15 },
  { name: "source-quench", type: 4, min: 0, max: 0xff },
  { name: "redirect", type: 5, min: 0, max: 0xff },
  { name: "network-redirect", type: 5, min: 0, max: 0 },
  { name: "host-redirect", type: 5, min: 1, max: 1 },
  { name: "TOS-network-redirect", type: 5, min: 2, max: 2 },
  { name: "TOS-host-redirect", type: 5, min: 3, max: 3 },
  { name: "echo-request", type: 8, min: 0, max: 0xff },
  { name: "router-advertisement", type: 9, min: 0, max: 0xff },
  { name: "router-solicitation", type: 10, min: 0, max: 0xff },
  { name: "time-exceeded", type: 11, min: 0, max: 0xff },
  { name: "ttl-zero-during-transit", type: 11, min: 0, max: 0 },
  { name: "ttl-zero-during-reassembly", type: 11, min: 1, max: 1 },
  { name: "parameter-problem", type: 12, min: 0, max: 0xff },
  { name: "ip-header-bad", type: 12, min: 0, max: 0 },
  { name: "required-option-missing", type: 12, min: 1, max: 1 },
  { name: "timestamp-request", type: 13, min: 0, max: 0xff },
  { name: "timestamp-reply", type: 14, min: 0, max: 0xff },
  { name: "address-mask-request", type: 17, min: 0, max: 0xff },
  { name: "address-mask-reply", type: 18, min: 0, max: 0xff },
];

/** Debian's default /etc/networks, used when the simulated file system has none. */
const DEFAULT_NETWORKS = "default\t\t0.0.0.0\nloopback\t127.0.0.0\nlink-local\t169.254.0.0\n";
const DEFAULT_HOSTS = "127.0.0.1\tlocalhost\n";

function table(text: string, addrFirst: boolean): Map<string, string> {
  const m = new Map<string, string>();
  for (const raw of text.split("\n")) {
    const line = raw.replace(/#.*/, "").trim();
    if (!line) continue;
    const f = line.split(/\s+/);
    const [addr, name] = addrFirst ? [f[0], f[1]] : [f[1], f[0]];
    if (addr && name && !m.has(addr)) m.set(addr, name);
  }
  return m;
}

/** Reverse lookups of addresses without `-n`: /etc/hosts first, then /etc/networks, else the number (files read on the first lookup). */
export function addressNamer(fs: SimFs | undefined): (addr: string) => string {
  let hosts: Map<string, string> | undefined;
  let nets: Map<string, string> | undefined;
  return (addr) => {
    hosts ??= table(fs?.readFile("/etc/hosts") ?? DEFAULT_HOSTS, true);
    nets ??= table(fs?.readFile("/etc/networks") ?? DEFAULT_NETWORKS, false);
    return hosts.get(addr) ?? nets.get(addr) ?? addr;
  };
}
