/**
 * Per-namespace sysctls (the net.* subset networking lessons use), as dotted keys.
 * A new namespace copies net.ipv4.conf.{all,default} and ip_forward from the initial one
 * (devconf_inherit_init_net = 0: IPv4 inherits); a new device copies conf.default.
 * net.ipv4.ip_forward and conf.all.forwarding are one switch: writing either sets every device's.
 */
import { KernelError } from "./api.js";

/** Per-interface keys under net.ipv4.conf.<dev>, with kernel defaults. */
export const CONF_DEFAULTS: Record<string, string> = {
  accept_local: "0",
  accept_redirects: "1",
  arp_announce: "0",
  arp_ignore: "0",
  forwarding: "0",
  proxy_arp: "0",
  route_localnet: "0",
  rp_filter: "0",
  send_redirects: "1",
};

/** Per-interface keys under net.ipv6.conf.<dev>; a new namespace starts from these (IPv6 does not inherit). */
export const CONF6_DEFAULTS: Record<string, string> = {
  accept_ra: "1",
  autoconf: "1",
  disable_ipv6: "0",
  forwarding: "0",
};

/** Namespace-wide keys with their values on the recording machine's initial namespace. */
const GLOBAL_DEFAULTS: Record<string, string> = {
  "net.bridge.bridge-nf-call-arptables": "1",
  "net.bridge.bridge-nf-call-ip6tables": "1",
  "net.bridge.bridge-nf-call-iptables": "1",
  "net.ipv4.conf.all.forwarding": "0",
  "net.ipv4.ip_forward": "0",
  "net.ipv4.icmp_echo_ignore_all": "0",
  "net.ipv4.icmp_echo_ignore_broadcasts": "1",
  "net.ipv4.ip_local_port_range": "32768\t60999",
  "net.ipv4.ping_group_range": "0\t2147483647",
  "net.ipv4.tcp_fin_timeout": "60",
  "net.ipv4.neigh.default.gc_stale_time": "60",
  "net.ipv4.neigh.default.base_reachable_time_ms": "30000",
  "net.netfilter.nf_conntrack_max": "262144",
  "net.core.somaxconn": "4096",
};

/** One namespace's sysctl table. */
export class Sysctls {
  private values = new Map<string, string>();
  private devs = new Set<string>();

  /** A table with kernel defaults, or inheriting the IPv4 conf of `from` (the initial namespace). */
  constructor(from?: Sysctls) {
    for (const [k, v] of Object.entries(GLOBAL_DEFAULTS)) this.values.set(k, v);
    for (const scope of ["all", "default"]) {
      for (const [k, v] of Object.entries(CONF_DEFAULTS)) this.values.set(`net.ipv4.conf.${scope}.${k}`, v);
      for (const [k, v] of Object.entries(CONF6_DEFAULTS)) this.values.set(`net.ipv6.conf.${scope}.${k}`, v);
    }
    if (from) {
      for (const [k, v] of from.values) {
        if (k.startsWith("net.ipv4.conf.all.") || k.startsWith("net.ipv4.conf.default.") || k === "net.ipv4.ip_forward") this.values.set(k, v);
      }
    }
  }

  /** Creates net.ipv4.conf.<dev>.* from conf.default (forwarding follows `all`). */
  addDevice(dev: string): void {
    this.devs.add(dev);
    for (const k of Object.keys(CONF_DEFAULTS)) {
      const v = k === "forwarding" ? this.values.get("net.ipv4.conf.all.forwarding")! : this.values.get(`net.ipv4.conf.default.${k}`)!;
      this.values.set(`net.ipv4.conf.${dev}.${k}`, v);
    }
    for (const k of Object.keys(CONF6_DEFAULTS)) this.values.set(`net.ipv6.conf.${dev}.${k}`, this.values.get(`net.ipv6.conf.default.${k}`)!);
  }

  /** Removes a device's keys. */
  removeDevice(dev: string): void {
    this.devs.delete(dev);
    for (const k of Object.keys(CONF_DEFAULTS)) this.values.delete(`net.ipv4.conf.${dev}.${k}`);
    for (const k of Object.keys(CONF6_DEFAULTS)) this.values.delete(`net.ipv6.conf.${dev}.${k}`);
  }

  /** Renames a device's keys. */
  renameDevice(from: string, to: string): void {
    this.devs.delete(from);
    this.devs.add(to);
    for (const [fam, keys] of [["ipv4", CONF_DEFAULTS], ["ipv6", CONF6_DEFAULTS]] as const) {
      for (const k of Object.keys(keys)) {
        const v = this.values.get(`net.${fam}.conf.${from}.${k}`);
        this.values.delete(`net.${fam}.conf.${from}.${k}`);
        if (v !== undefined) this.values.set(`net.${fam}.conf.${to}.${k}`, v);
      }
    }
  }

  /** Reads a key without throwing (the stack's own lookups). */
  peek(key: string): string | undefined {
    return this.values.get(key);
  }

  /** Reads a key; ENOENT if it does not exist. */
  get(key: string): string {
    const v = this.values.get(key);
    if (v === undefined) throw new KernelError("ENOENT");
    return v;
  }

  /** Writes a key; ENOENT if unknown, EINVAL for a non-numeric value where a number is due. */
  set(key: string, value: string): void {
    if (!this.values.has(key)) throw new KernelError("ENOENT");
    const v = value.trim();
    if (key === "net.ipv4.ip_local_port_range" || key === "net.ipv4.ping_group_range") {
      const parts = v.split(/\s+/);
      if (parts.length !== 2 || !parts.every((p) => /^-?\d+$/.test(p))) throw new KernelError("EINVAL");
      this.values.set(key, parts.join("\t"));
      return;
    }
    if (!/^-?\d+$/.test(v)) throw new KernelError("EINVAL");
    const n = String(Number(v));
    if (key === "net.ipv4.ip_forward" || key === "net.ipv4.conf.all.forwarding") {
      const on = Number(v) !== 0 ? "1" : "0";
      this.values.set("net.ipv4.ip_forward", on);
      this.values.set("net.ipv4.conf.all.forwarding", on);
      this.values.set("net.ipv4.conf.default.forwarding", on);
      for (const d of this.devs) this.values.set(`net.ipv4.conf.${d}.forwarding`, on);
      return;
    }
    this.values.set(key, n);
    const all6 = /^net\.ipv6\.conf\.all\.(disable_ipv6|forwarding)$/.exec(key);
    if (all6) {
      // Writing conf.all.{disable_ipv6,forwarding} sets every device's (addrconf_disable_ipv6 / addrconf_fixup_forwarding).
      this.values.set(`net.ipv6.conf.default.${all6[1]}`, n);
      for (const d of this.devs) this.values.set(`net.ipv6.conf.${d}.${all6[1]}`, n);
    }
  }

  /** Every key under `prefix` ("" for all), sorted as `sysctl -a` prints them. */
  list(prefix: string): Array<[string, string]> {
    return [...this.values.entries()].filter(([k]) => k.startsWith(prefix)).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  }

  /** A numeric value, for the stack's own decisions. */
  num(key: string): number {
    return Number(this.values.get(key) ?? "0");
  }

  /** Adds a key with its default unless present: a module registering its table (ip_vs's net.ipv4.vs.*). */
  define(key: string, value: string): void {
    if (!this.values.has(key)) this.values.set(key, value);
  }
}
