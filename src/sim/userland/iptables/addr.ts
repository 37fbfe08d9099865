/** Address arguments of iptables (`-s`, `-d`, `--ctorigdst`): inet_aton forms, `/len` or `/mask`. */
import type { NfAddrMatch } from "../../kernel/api.js";
import { paramError } from "./errors.js";

/** inet_aton: `a`, `a.b`, `a.b.c`, `a.b.c.d`, each part decimal, 0x hex or 0 octal; undefined when invalid. */
export function inetAton(s: string): number | undefined {
  const q = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(s);
  if (q && !q.slice(1).some((x) => x.length > 1 && x.startsWith("0"))) {
    const [a, b, c, d] = q.slice(1).map(Number) as [number, number, number, number];
    if (a > 255 || b > 255 || c > 255 || d > 255) return undefined;
    return ((a << 24) | (b << 16) | (c << 8) | d) >>> 0;
  }
  if (s === "" || s.endsWith(".")) return undefined;
  const parts = s.split(".");
  if (parts.length > 4) return undefined;
  const nums: number[] = [];
  for (const p of parts) {
    let v: number;
    if (/^0x[0-9a-f]*$/i.test(p)) v = p.length === 2 ? 0 : parseInt(p.slice(2), 16);
    else if (/^0[0-7]*$/.test(p)) v = parseInt(p, 8);
    else if (/^[1-9]\d*$/.test(p)) v = Number(p);
    else return undefined;
    nums.push(v);
  }
  const last = nums.pop()!;
  for (const n of nums) if (n > 255) return undefined;
  const room = 4 - nums.length;
  if (last >= 2 ** (8 * room)) return undefined;
  let n = 0;
  for (const x of nums) n = n * 256 + x;
  return (n * 2 ** (8 * room) + last) >>> 0;
}

function dotted(n: number): string {
  return `${(n >>> 24) & 255}.${(n >>> 16) & 255}.${(n >>> 8) & 255}.${n & 255}`;
}

/**
 * xtables_numeric_to_ipaddr: up to four dot-separated parts, each 0..255 in C notation
 * (decimal, 0x hex, 0 octal), missing trailing parts are 0: `10.1` is 10.1.0.0.
 */
export function xtablesNumeric(s: string): number | undefined {
  const parts = s.split(".");
  if (parts.length > 4 || s === "") return undefined;
  let n = 0;
  for (let k = 0; k < 4; k++) {
    const p = parts[k];
    let v = 0;
    if (p !== undefined) {
      if (/^0x[0-9a-f]+$/i.test(p)) v = parseInt(p.slice(2), 16);
      else if (/^0[0-7]*$/.test(p)) v = parseInt(p, 8);
      else if (/^[1-9]\d*$/.test(p)) v = Number(p);
      else return undefined;
      if (v > 255) return undefined;
    }
    n = n * 256 + v;
  }
  return n >>> 0;
}

/** Parses `addr[/mask]` into a network (address masked, as the kernel stores it); hosts from `hosts` resolve names. */
export function parseIpv4(s: string, hosts?: (name: string) => string | undefined): Omit<NfAddrMatch, "neg"> {
  const slash = s.indexOf("/");
  const host = slash < 0 ? s : s.slice(0, slash);
  let plen = 32;
  if (slash >= 0) {
    const m = s.slice(slash + 1);
    if (m.includes(".")) {
      const mask = inetAton(m);
      if (mask === undefined) throw paramError(`host/network \`${m}' not found`);
      const inv = ~mask >>> 0;
      if ((inv & (inv + 1)) !== 0) throw paramError(`invalid mask \`${m}' specified`);
      plen = 32 - Math.log2(inv + 1);
    } else {
      if (!/^\d+$/.test(m) || Number(m) > 32) throw paramError(`invalid mask \`${m}' specified`);
      plen = Number(m);
    }
  }
  // A numeric address first, then what getaddrinfo accepts (inet_aton forms), then /etc/hosts.
  let n = xtablesNumeric(host) ?? inetAton(host);
  if (n === undefined) {
    const resolved = hosts?.(host);
    if (resolved !== undefined) n = inetAton(resolved);
  }
  if (n === undefined) throw paramError(`host/network \`${host}' not found`);
  const mask = plen === 0 ? 0 : (0xffffffff << (32 - plen)) >>> 0;
  return { addr: dotted((n & mask) >>> 0), plen };
}
