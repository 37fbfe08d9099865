/**
 * Name resolution as a libc-linked busybox applet (ping, wget) does it: a dotted address is
 * used as is; otherwise /etc/hosts, then the nameservers of /etc/resolv.conf over UDP port 53
 * through the kernel (so a DNS server's reachability, NAT and firewall rules all apply),
 * trying the `search` domains for names with fewer dots than `ndots` (default 1) first.
 */
import type { NetnsApi } from "../../kernel/api.js";
import type { SimFs } from "../types.js";
import { DNS_TYPE, decodeDns, encodeQuery } from "../../kernel/wire/dns-message.js";

/** /etc/resolv.conf as the resolver reads it. */
export interface ResolvConf {
  nameservers: string[];
  search: string[];
  ndots: number;
  timeoutSec: number;
  attempts: number;
}

/** Parses /etc/resolv.conf text (`nameserver`, `search`/`domain`, `options ndots:N timeout:N attempts:N`). */
export function parseResolvConf(text: string | undefined): ResolvConf {
  const rc: ResolvConf = { nameservers: [], search: [], ndots: 1, timeoutSec: 5, attempts: 2 };
  for (const raw of (text ?? "").split("\n")) {
    const line = raw.replace(/[#;].*$/, "").trim();
    const [key, ...vals] = line.split(/\s+/);
    if (key === "nameserver" && vals[0] && rc.nameservers.length < 3) rc.nameservers.push(vals[0]);
    else if (key === "search") rc.search = vals;
    else if (key === "domain" && vals[0]) rc.search = [vals[0]];
    else if (key === "options") {
      for (const o of vals) {
        const m = /^(ndots|timeout|attempts):(\d+)$/.exec(o);
        if (!m) continue;
        if (m[1] === "ndots") rc.ndots = Math.min(15, Number(m[2]));
        else if (m[1] === "timeout") rc.timeoutSec = Math.max(1, Number(m[2]));
        else rc.attempts = Math.max(1, Number(m[2]));
      }
    }
  }
  return rc;
}

/** Looks `name` up in /etc/hosts text (first match, case-insensitive), IPv4 entries only. */
export function lookupHosts(text: string | undefined, name: string): string | undefined {
  const want = name.toLowerCase();
  for (const raw of (text ?? "").split("\n")) {
    const fields = raw.replace(/#.*$/, "").trim().split(/\s+/);
    if (fields.length < 2) continue;
    const addr = fields[0]!;
    if (!/^\d+\.\d+\.\d+\.\d+$/.test(addr)) continue;
    if (fields.slice(1).some((h) => h.toLowerCase() === want)) return addr;
  }
  return undefined;
}

/** True for a dotted-quad IPv4 literal. */
export function isIpv4Literal(s: string): boolean {
  return /^\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(s) && s.split(".").every((o) => Number(o) <= 255);
}

/** The candidate FQDNs glibc tries for `name`, in order. */
export function searchList(name: string, rc: ResolvConf): string[] {
  if (name.endsWith(".")) return [name.slice(0, -1)];
  const dots = name.split(".").length - 1;
  const withSearch = rc.search.map((d) => `${name}.${d}`);
  return dots >= rc.ndots ? [name, ...withSearch] : [...withSearch, name];
}

/**
 * Resolves `name` to an IPv4 address through hosts and DNS; undefined when nothing answers
 * with an address (the caller prints `bad address 'name'`). `limit` cuts each wait for a reply
 * (lib/deadline.ts waitMs: a process stops waiting at its deadline).
 */
export function resolveIpv4(ns: NetnsApi, fs: SimFs, name: string, idSeed = 0x1234, limit: (ms: number) => number = (ms) => ms): string | undefined {
  if (isIpv4Literal(name)) return name;
  const fromHosts = lookupHosts(fs.readFile("/etc/hosts"), name);
  if (fromHosts) return fromHosts;
  const rc = parseResolvConf(fs.readFile("/etc/resolv.conf"));
  let id = idSeed & 0xffff;
  for (const fqdn of searchList(name, rc)) {
    for (const server of rc.nameservers) {
      for (let attempt = 0; attempt < rc.attempts; attempt++) {
        let query: Uint8Array;
        try {
          query = encodeQuery(id++ & 0xffff, fqdn, DNS_TYPE.A);
        } catch {
          return undefined;
        }
        if (!isIpv4Literal(server)) break;
        const wait = limit(rc.timeoutSec * 1000);
        if (wait <= 0) return undefined;
        const res = ns.udpRequest(server, 53, query, { timeoutMs: wait });
        if (!res.ok) {
          if (res.disposition.kind === "timeout") continue;
          break;
        }
        let msg;
        try {
          msg = decodeDns(res.response);
        } catch {
          break;
        }
        const a = msg.answers.find((r) => r.type === DNS_TYPE.A);
        if (a) return a.data;
        attempt = rc.attempts;
      }
    }
  }
  return undefined;
}
