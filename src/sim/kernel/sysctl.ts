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

/** Every namespace-wide key of a fresh namespace with its kernel default (never mutated). */
const FRESH: ReadonlyMap<string, string> = (() => {
  const m = new Map(Object.entries(GLOBAL_DEFAULTS));
  for (const scope of ["all", "default"]) {
    for (const [k, v] of Object.entries(CONF_DEFAULTS)) m.set(`net.ipv4.conf.${scope}.${k}`, v);
    for (const [k, v] of Object.entries(CONF6_DEFAULTS)) m.set(`net.ipv6.conf.${scope}.${k}`, v);
  }
  return m;
})();

const V4 = "net.ipv4.conf.";
const V6 = "net.ipv6.conf.";

/** A device's conf keys as conf.default had them when it was registered (frozen, shared by the devices registered meanwhile). */
interface DevBase {
  v4: Readonly<Record<string, string>>;
  v6: Readonly<Record<string, string>>;
}

/** The base of a device registered while conf.default is untouched, per value of conf.all.forwarding. */
const PRISTINE_BASE: Record<string, DevBase> = Object.fromEntries(["0", "1"].map((fwd) => [fwd, {
  v4: Object.freeze({ ...CONF_DEFAULTS, forwarding: fwd }),
  v6: Object.freeze({ ...CONF6_DEFAULTS }),
}]));

/** A device's keys: its base, and whether some of its keys were written (those live in the table). */
interface DevConf {
  base: DevBase;
  written: boolean;
}

/** A key inherited by a namespace created from this one (devconf_inherit_init_net = 0). */
const inheritable = (k: string): boolean => k.startsWith("net.ipv4.conf.all.") || k.startsWith("net.ipv4.conf.default.") || k === "net.ipv4.ip_forward";

/**
 * One namespace's sysctl table: the process-wide defaults (FRESH) under this table's own
 * values, `null` for a default key that was removed. The own map starts as what the namespace
 * inherits from the initial one, shared with its siblings until the first write. A device's keys
 * are not materialised: they read through to the conf.default values captured when it was
 * registered, and only keys written since (all of them for a device named `all` or `default`,
 * whose keys are conf.all/conf.default's own) sit in the own map.
 */
export class Sysctls {
  private own: Map<string, string | null>;
  /** `own` is shared (with the initial namespace's other children): copied before the first write. */
  private shared: boolean;
  private devs = new Map<string, DevConf>();
  /** The base a device registered now gets; dropped on every write. */
  private base: DevBase | undefined;
  /** What a namespace created from this one starts with (shared by all of them); dropped on every write. */
  private inherited: Map<string, string | null> | undefined;
  /** Values read since the last change, by key (the packet path reads the same few again and again). */
  private read = new Map<string, string>();

  /** A table with kernel defaults, or inheriting the IPv4 conf of `from` (the initial namespace). */
  constructor(from?: Sysctls) {
    this.own = from ? from.inheritedValues() : new Map();
    this.shared = from !== undefined;
  }

  /** This table's net.ipv4.conf.{all,default}.* and ip_forward, shared by the namespaces created from it. */
  private inheritedValues(): Map<string, string | null> {
    if (this.inherited) return this.inherited;
    const m = new Map<string, string | null>();
    for (const [k, v] of this.own) if (v !== null && inheritable(k)) m.set(k, v);
    return (this.inherited = m);
  }

  /** The own map, ready to change: caches derived from it are dropped. */
  private changing(): Map<string, string | null> {
    if (this.shared) {
      this.own = new Map(this.own);
      this.shared = false;
    }
    this.base = undefined;
    this.inherited = undefined;
    if (this.read.size > 0) this.read.clear();
    return this.own;
  }

  private write(key: string, value: string): void {
    this.changing().set(key, value);
  }

  private remove(key: string): void {
    const m = this.changing();
    if (FRESH.has(key)) m.set(key, null);
    else m.delete(key);
  }

  private devBase(): DevBase {
    if (this.base) return this.base;
    let pristine = true;
    for (const k of this.own.keys()) {
      if ((k.startsWith("net.ipv4.conf.default.") && k !== "net.ipv4.conf.default.forwarding") || k.startsWith("net.ipv6.conf.default.")) pristine = false;
    }
    const fwd = this.lookup("net.ipv4.conf.all.forwarding")!;
    if (pristine && PRISTINE_BASE[fwd]) return (this.base = PRISTINE_BASE[fwd]);
    const v4: Record<string, string> = {};
    for (const k of Object.keys(CONF_DEFAULTS)) v4[k] = k === "forwarding" ? fwd : this.lookup(`net.ipv4.conf.default.${k}`)!;
    const v6: Record<string, string> = {};
    for (const k of Object.keys(CONF6_DEFAULTS)) v6[k] = this.lookup(`net.ipv6.conf.default.${k}`)!;
    return (this.base = { v4: Object.freeze(v4), v6: Object.freeze(v6) });
  }

  /** A device's key not written since it was registered (undefined when `key` is no such key). */
  private devValue(key: string): string | undefined {
    const v4 = key.startsWith(V4);
    if (!v4 && !key.startsWith(V6)) return undefined;
    const dot = key.lastIndexOf(".");
    if (dot < V4.length) return undefined;
    const conf = this.devs.get(key.slice(V4.length, dot));
    if (!conf) return undefined;
    const k = key.slice(dot + 1);
    if (!Object.hasOwn(v4 ? CONF_DEFAULTS : CONF6_DEFAULTS, k)) return undefined;
    return (v4 ? conf.base.v4 : conf.base.v6)[k];
  }

  private lookup(key: string): string | undefined {
    const r = this.read.get(key);
    if (r !== undefined) return r;
    const o = this.own.get(key);
    const v = o !== undefined ? (o ?? undefined) : (FRESH.get(key) ?? this.devValue(key));
    if (v !== undefined) this.read.set(key, v);
    return v;
  }

  /** Creates net.ipv4.conf.<dev>.* from conf.default (forwarding follows `all`). */
  addDevice(dev: string): void {
    const base = this.devBase();
    // Registering `all` or `default` overwrites those scopes' own keys, as it always has here.
    const eager = dev === "all" || dev === "default";
    this.devs.set(dev, { base, written: eager });
    if (eager) {
      for (const [k, v] of Object.entries(base.v4)) this.write(`${V4}${dev}.${k}`, v);
      for (const [k, v] of Object.entries(base.v6)) this.write(`${V6}${dev}.${k}`, v);
    }
  }

  /** Removes a device's keys. */
  removeDevice(dev: string): void {
    const conf = this.devs.get(dev);
    this.devs.delete(dev);
    if (this.read.size > 0) this.read.clear();
    if (!conf?.written) return;
    for (const k of Object.keys(CONF_DEFAULTS)) this.remove(`${V4}${dev}.${k}`);
    for (const k of Object.keys(CONF6_DEFAULTS)) this.remove(`${V6}${dev}.${k}`);
  }

  /** Renames a device's keys. */
  renameDevice(from: string, to: string): void {
    const conf = this.devs.get(from);
    this.devs.delete(from);
    if (!conf) return;
    this.devs.set(to, conf);
    if (this.read.size > 0) this.read.clear();
    // Written keys move; renaming to `all`/`default` writes them all over that scope's, as before.
    const eager = to === "all" || to === "default";
    if (!conf.written && !eager) return;
    const scopeKeys = from === "all" || from === "default";
    for (const [fam, keys, base] of [["ipv4", CONF_DEFAULTS, conf.base.v4], ["ipv6", CONF6_DEFAULTS, conf.base.v6]] as const) {
      for (const k of Object.keys(keys)) {
        const old = `net.${fam}.conf.${from}.${k}`;
        const o = this.own.get(old);
        const v = o !== undefined ? (o ?? undefined) : scopeKeys ? FRESH.get(old) : base[k];
        this.remove(old);
        if (v !== undefined) this.write(`net.${fam}.conf.${to}.${k}`, v);
      }
    }
    conf.written = true;
  }

  /** Reads a key without throwing (the stack's own lookups). */
  peek(key: string): string | undefined {
    return this.lookup(key);
  }

  /** Reads a key; ENOENT if it does not exist. */
  get(key: string): string {
    const v = this.lookup(key);
    if (v === undefined) throw new KernelError("ENOENT");
    return v;
  }

  /** Writes a key; ENOENT if unknown, EINVAL for a non-numeric value where a number is due. */
  set(key: string, value: string): void {
    if (this.lookup(key) === undefined) throw new KernelError("ENOENT");
    const v = value.trim();
    if (key === "net.ipv4.ip_local_port_range" || key === "net.ipv4.ping_group_range") {
      const parts = v.split(/\s+/);
      if (parts.length !== 2 || !parts.every((p) => /^-?\d+$/.test(p))) throw new KernelError("EINVAL");
      this.write(key, parts.join("\t"));
      return;
    }
    if (!/^-?\d+$/.test(v)) throw new KernelError("EINVAL");
    const n = String(Number(v));
    if (key === "net.ipv4.ip_forward" || key === "net.ipv4.conf.all.forwarding") {
      const on = Number(v) !== 0 ? "1" : "0";
      this.write("net.ipv4.ip_forward", on);
      this.write("net.ipv4.conf.all.forwarding", on);
      this.write("net.ipv4.conf.default.forwarding", on);
      for (const d of this.devs.keys()) this.writeDev(d, `${V4}${d}.forwarding`, on);
      return;
    }
    this.writeDevKey(key, n);
    const all6 = /^net\.ipv6\.conf\.all\.(disable_ipv6|forwarding)$/.exec(key);
    if (all6) {
      // Writing conf.all.{disable_ipv6,forwarding} sets every device's (addrconf_disable_ipv6 / addrconf_fixup_forwarding).
      this.write(`net.ipv6.conf.default.${all6[1]}`, n);
      for (const d of this.devs.keys()) this.writeDev(d, `${V6}${d}.${all6[1]}`, n);
    }
  }

  /** Writes `key`, marking its device's keys as (partly) in the own map when it is a device's. */
  private writeDevKey(key: string, value: string): void {
    if (key.startsWith(V4) || key.startsWith(V6)) {
      const conf = this.devs.get(key.slice(V4.length, key.lastIndexOf(".")));
      if (conf) conf.written = true;
    }
    this.write(key, value);
  }

  private writeDev(dev: string, key: string, value: string): void {
    this.devs.get(dev)!.written = true;
    this.write(key, value);
  }

  /** Every key under `prefix` ("" for all), sorted as `sysctl -a` prints them. */
  list(prefix: string): Array<[string, string]> {
    const out: Array<[string, string]> = [];
    for (const [k, v] of FRESH) if (k.startsWith(prefix) && !this.own.has(k)) out.push([k, v]);
    for (const [k, v] of this.own) if (v !== null && k.startsWith(prefix)) out.push([k, v]);
    for (const [dev, conf] of this.devs) {
      for (const [fam, base] of [[V4, conf.base.v4], [V6, conf.base.v6]] as const) {
        for (const [k, v] of Object.entries(base)) {
          const key = `${fam}${dev}.${k}`;
          if (key.startsWith(prefix) && !this.own.has(key) && !FRESH.has(key)) out.push([key, v]);
        }
      }
    }
    return out.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  }

  /** A numeric value, for the stack's own decisions. */
  num(key: string): number {
    return Number(this.lookup(key) ?? "0");
  }

  /** Adds a key with its default unless present: a module registering its table (ip_vs's net.ipv4.vs.*). */
  define(key: string, value: string): void {
    if (this.lookup(key) === undefined) this.write(key, value);
  }
}
