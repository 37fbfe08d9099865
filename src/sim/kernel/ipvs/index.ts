/**
 * IPVS of one namespace (net/netfilter/ipvs): virtual services in a hash table, their real
 * servers, the connection table, and the two things it does to packets at its netfilter hooks
 * (ip_vs_core.c; where each stage sits in a hook is drawn in ../netfilter/hooks.ts):
 *
 *   client ──► VIP:vport ──[request: LOCAL_IN (remote client) or LOCAL_OUT (local client)]──►
 *     lookup conn (in) ─ miss ─► lookup service (one Map.get: `ipvsLookups`) ─► schedule ─► new conn
 *     rewrite dst to RS:dport (masq) ─► xmit: re-route, LOCAL_OUT, POSTROUTING ─► real server
 *   real server ──► client ──[reply: LOCAL_IN (client is local) or FORWARD]──►
 *     lookup conn (out) ─► rewrite src back to VIP:vport ─► on to the client
 *
 * A SYN (or any UDP datagram) to a VIP:port with no real server available is answered with ICMP
 * port unreachable (ip_vs_leave). Non-SYN TCP packets with no connection pass untouched
 * (tcp_conn_schedule) and meet the local stack, which resets them.
 */
import { KernelError, type IpvsConnInfo, type IpvsDestInfo, type IpvsDestSpec, type IpvsInfo, type IpvsProto, type IpvsServiceInfo, type IpvsServiceKey, type IpvsServiceSpec } from "../api.js";
import type { HookContext, IpvsHookResult, Packet } from "../packet.js";
import { formatIp, parseIp } from "../wire/ipv4.js";
import { ConnTable, type IpvsConn } from "./conn.js";
import { makeScheduler, type Scheduler } from "./sched.js";
import { IpvsCounters } from "./stats.js";

interface Dest {
  addr: string;
  port: number;
  weight: number;
  fwd: IpvsDestSpec["fwd"];
  upperThreshold: number;
  lowerThreshold: number;
  activeConns: number;
  inactConns: number;
  persistConns: number;
  stats: IpvsCounters;
}

/** A persistence template (ip_vs_sched_persist): the client network's real server, until the timeout. */
interface Template {
  dest: Dest;
  client: string;
  expiresAt: number;
  seq: number;
}

interface Service {
  spec: IpvsServiceSpec;
  sched: Scheduler;
  /** Kernel list order: the newest real server first. */
  dests: Dest[];
  stats: IpvsCounters;
  /** Persistence templates: client network → real server, until the timeout. */
  persist: Map<string, Template>;
}

/** The IPVS version this kernel reports (include/uapi/linux/ip_vs.h IP_VS_VERSION_CODE 0x010201) and its conn table size (2^12). */
const INFO: IpvsInfo = { version: "1.2.1", connTabSize: 4096 };

const svcKey = (proto: string, addr: string, port: number) => `${proto} ${addr}:${port}`;

function checkAddr(a: string): void {
  if (parseIp(a) === undefined) throw new KernelError("EINVAL");
}

/** The IPVS state and packet path of one namespace. */
export class Ipvs {
  private readonly services = new Map<string, Service>();
  readonly conns = new ConnTable<Dest>();
  private lookups = 0;

  constructor(private readonly now: () => number, private readonly sysctl: (key: string) => number = () => 0) {}



  /** Virtual-service lookups made by the packet path (one Map.get per packet that reaches IPVS with no connection). */
  get serviceLookups(): number {
    return this.lookups;
  }

  info(): IpvsInfo {
    return { ...INFO };
  }

  private svc(key: IpvsServiceKey): Service {
    const s = this.services.get(svcKey(key.proto, key.addr, key.port));
    if (!s) throw new KernelError("ESRCH");
    return s;
  }

  /** IPVS_CMD_NEW_SERVICE (ip_vs_add_service). */
  addService(spec: IpvsServiceSpec): void {
    checkAddr(spec.addr);
    const k = svcKey(spec.proto, spec.addr, spec.port);
    if (this.services.has(k)) throw new KernelError("EEXIST");
    const sched = makeScheduler(spec.scheduler);
    if (!sched) throw new KernelError("ENOENT");
    const now = this.now();
    this.services.set(k, { spec: normSpec(spec), sched, dests: [], stats: new IpvsCounters(now), persist: new Map() });
  }

  /** IPVS_CMD_SET_SERVICE (ip_vs_edit_service): a new scheduler starts from scratch. */
  editService(spec: IpvsServiceSpec): void {
    const s = this.svc(spec);
    if (spec.scheduler !== s.spec.scheduler) {
      const sched = makeScheduler(spec.scheduler);
      if (!sched) throw new KernelError("ENOENT");
      s.sched = sched;
    }
    s.spec = normSpec(spec);
    if (!s.spec.persistent) s.persist.clear();
  }

  /** IPVS_CMD_DEL_SERVICE: its connections go with it. */
  delService(key: IpvsServiceKey): void {
    const s = this.svc(key);
    const k = svcKey(key.proto, key.addr, key.port);
    this.conns.dropWhere((c) => c.svcKey === k);
    this.services.delete(k);
    void s;
  }

  /** IPVS_CMD_FLUSH. */
  flush(): void {
    this.conns.dropWhere(() => true);
    this.services.clear();
  }

  /** IPVS_CMD_ZERO. */
  zero(key?: IpvsServiceKey): void {
    const now = this.now();
    const list = key ? [this.svc(key)] : [...this.services.values()];
    for (const s of list) {
      s.stats.zero(now);
      for (const d of s.dests) d.stats.zero(now);
    }
  }

  /** IPVS_CMD_NEW_DEST (ip_vs_add_dest): ERANGE for a bad weight or thresholds, EEXIST for a duplicate. */
  addDest(key: IpvsServiceKey, d: IpvsDestSpec): void {
    const s = this.svc(key);
    checkDest(d);
    if (s.dests.some((x) => x.addr === d.addr && x.port === d.port)) throw new KernelError("EEXIST");
    s.dests.unshift({
      addr: d.addr, port: d.port, weight: d.weight, fwd: d.fwd, upperThreshold: d.upperThreshold ?? 0, lowerThreshold: d.lowerThreshold ?? 0,
      activeConns: 0, inactConns: 0, persistConns: 0, stats: new IpvsCounters(this.now()),
    });
  }

  /** IPVS_CMD_SET_DEST (ip_vs_edit_dest). */
  editDest(key: IpvsServiceKey, d: IpvsDestSpec): void {
    const s = this.svc(key);
    checkDest(d);
    const x = s.dests.find((e) => e.addr === d.addr && e.port === d.port);
    if (!x) throw new KernelError("ENOENT");
    x.weight = d.weight;
    x.fwd = d.fwd;
    x.upperThreshold = d.upperThreshold ?? 0;
    x.lowerThreshold = d.lowerThreshold ?? 0;
  }

  /** IPVS_CMD_DEL_DEST (ip_vs_del_dest): existing connections keep their server until they end. */
  delDest(key: IpvsServiceKey, d: { addr: string; port: number }): void {
    const s = this.svc(key);
    const i = s.dests.findIndex((e) => e.addr === d.addr && e.port === d.port);
    if (i < 0) throw new KernelError("ENOENT");
    s.sched.removed(s.dests, s.dests[i]!);
    const [gone] = s.dests.splice(i, 1);
    for (const [k, t] of s.persist) if (t.dest === gone) s.persist.delete(k);
  }

  /** Services in creation order; ipvsadm sorts them. */
  list(): IpvsServiceInfo[] {
    const now = this.now();
    this.conns.sweep(now);
    return [...this.services.values()].map((s) => this.infoOf(s, now));
  }

  get(key: IpvsServiceKey): IpvsServiceInfo {
    const now = this.now();
    this.conns.sweep(now);
    return this.infoOf(this.svc(key), now);
  }

  /** Connections and persistence templates, in creation order. */
  connList(): IpvsConnInfo[] {
    const now = this.now();
    const all = this.conns.list(now);
    for (const s of this.services.values()) {
      for (const [k, t] of s.persist) {
        if (t.expiresAt <= now) {
          s.persist.delete(k);
          continue;
        }
        all.push({
          seq: t.seq, proto: s.spec.proto, template: true, state: s.spec.proto === "udp" ? "UDP" : "NONE",
          client: { addr: t.client, port: 0 }, virtual: { addr: s.spec.addr, port: s.spec.port },
          dest: { addr: t.dest.addr, port: t.dest.fwd === "masq" ? t.dest.port : s.spec.port },
          expiresSec: Math.floor((t.expiresAt - now) / 1000),
        });
      }
    }
    return all.sort((a, b) => a.seq - b.seq).map(({ seq: _seq, ...c }) => c);
  }

  private infoOf(s: Service, now: number): IpvsServiceInfo {
    for (const [k, t] of s.persist) if (t.expiresAt <= now) s.persist.delete(k);
    return {
      ...s.spec,
      stats: s.stats.read(now),
      dests: s.dests.map((d): IpvsDestInfo => ({
        addr: d.addr, port: d.port, weight: d.weight, fwd: d.fwd, upperThreshold: d.upperThreshold, lowerThreshold: d.lowerThreshold,
        activeConns: d.activeConns, inactConns: d.inactConns,
        persistConns: [...s.persist.values()].filter((t) => t.dest === d).length,
        stats: d.stats.read(now),
      })),
    };
  }

  /** The hook entry point (HookContext.ipvs). */
  hook(stage: "reply" | "request", pkt: Packet, ctx: HookContext): IpvsHookResult {
    const l4 = pkt.tcp ?? pkt.udp;
    if (!l4) return { verdict: "continue", pkt };
    const proto = pkt.ip.proto as IpvsProto;
    return stage === "reply" ? this.reply(proto, pkt, l4, ctx) : this.request(proto, pkt, l4, ctx);
  }

  /** ip_vs_out: a real server's packet to a client of one of our connections gets the VIP back as source. */
  private reply(proto: IpvsProto, pkt: Packet, l4: { sport: number; dport: number }, ctx: HookContext): IpvsHookResult {
    const now = ctx.now;
    const c = this.conns.getOut(proto, pkt.ip.src, l4.sport, pkt.ip.dst, l4.dport, now);
    if (!c) return { verdict: "continue", pkt };
    this.conns.transition(c, "out", pkt, now);
    this.count(c, "out", pkt.ip.len, now);
    const notrack = this.sysctl("net.ipv4.vs.conntrack") === 0;
    if (c.dest.fwd !== "masq") return { verdict: "continue", pkt, ...(notrack ? { notrack } : {}) };
    return {
      verdict: "continue",
      ...(notrack ? { notrack } : {}),
      pkt: rewrite(pkt, "src", c.vaddr, c.vport),
      reason: `${proto.toUpperCase()} reply ${pkt.ip.src}:${l4.sport} → ${pkt.ip.dst}:${l4.dport} of virtual service ${c.vaddr}:${c.vport}: source rewritten to ${c.vaddr}:${c.vport}`,
    };
  }

  /** ip_vs_in: a client's packet to a VIP — its connection, or a new one if a service owns the VIP:port. */
  private request(proto: IpvsProto, pkt: Packet, l4: { sport: number; dport: number }, ctx: HookContext): IpvsHookResult {
    const now = ctx.now;
    let c = this.conns.getIn(proto, pkt.ip.src, l4.sport, pkt.ip.dst, l4.dport, now);
    if (c && !this.services.get(c.svcKey)?.dests.includes(c.dest) && this.sysctl("net.ipv4.vs.expire_nodest_conn") !== 0) {
      // ip_vs_in: the real server is gone; the connection ends now, and only a packet that can start a new one goes on.
      this.conns.expireNow(c);
      c = undefined;
      if (pkt.tcp && !isSyn(pkt)) return { verdict: "drop", reason: `${proto.toUpperCase()} ${pkt.ip.dst}:${l4.dport}: real server gone (expire_nodest_conn)` };
    }
    if (!c) {
      this.lookups++;
      const key = svcKey(proto, pkt.ip.dst, l4.dport);
      const s = this.services.get(key);
      if (!s) return { verdict: "continue", pkt };
      // tcp_conn_schedule: only a SYN starts a connection.
      if (pkt.tcp && !isSyn(pkt)) {
        return { verdict: "continue", pkt };
      }
      const dest = this.pick(s, pkt.ip.src, now);
      if (!dest) {
        return { verdict: "reject", reason: `${proto.toUpperCase()} ${key.split(" ")[1]} (${s.spec.scheduler}): no destination available`, with: "icmp-port-unreachable" };
      }
      c = this.conns.create({
        proto, caddr: pkt.ip.src, cport: l4.sport, vaddr: pkt.ip.dst, vport: l4.dport, daddr: dest.addr, dport: dest.fwd === "masq" ? dest.port : l4.dport, dest, svcKey: key,
      }, now);
      s.stats.conn(now);
      dest.stats.conn(now);
    }
    this.conns.transition(c, "in", pkt, now);
    this.count(c, "in", pkt.ip.len, now);
    const what = `${proto.toUpperCase()} ${c.caddr}:${c.cport} → virtual service ${c.vaddr}:${c.vport} (${this.services.get(c.svcKey)?.spec.scheduler ?? "deleted"})`;
    const notrack = this.sysctl("net.ipv4.vs.conntrack") === 0 ? { notrack: true } : {};
    if (c.dest.fwd === "masq") return { verdict: "xmit", ...notrack, pkt: rewrite(pkt, "dst", c.daddr, c.dport), reason: `${what}: real server ${c.daddr}:${c.dport}, masq: destination rewritten, sent out through LOCAL_OUT` };
    // Direct routing (ip_vs_dr_xmit): the packet keeps its VIP and goes to the real server's MAC.
    return { verdict: "xmit", ...notrack, pkt: rewrite(pkt, "dst", pkt.ip.dst, l4.dport), nextHop: c.daddr, reason: `${what}: real server ${c.daddr}, route: sent to it unchanged` };
  }

  /** Persistence first (a template for the client's network), then the scheduler. */
  private pick(s: Service, caddr: string, now: number): Dest | undefined {
    const p = s.spec.persistent;
    let netKey = "";
    if (p) {
      const mask = parseIp(p.netmask ?? "255.255.255.255") ?? 0xffffffff;
      netKey = String(((parseIp(caddr) ?? 0) & mask) >>> 0);
      const t = s.persist.get(netKey);
      // ip_vs_sched_persist: a template to a deleted server is dropped; to a quiescent (weight 0) one, only with expire_quiescent_template.
      if (t && (!s.dests.includes(t.dest) || (t.dest.weight === 0 && this.sysctl("net.ipv4.vs.expire_quiescent_template") !== 0))) s.persist.delete(netKey);
      else if (t && t.expiresAt > now) {
        t.expiresAt = now + p.timeoutSec * 1000;
        return t.dest;
      }
    }
    const d = s.sched.schedule(s.dests);
    if (d && p) s.persist.set(netKey, { dest: d, client: formatIp(Number(netKey)), expiresAt: now + p.timeoutSec * 1000, seq: this.conns.nextSeq() });
    return d;
  }

  private count(c: IpvsConn<Dest>, dir: "in" | "out", bytes: number, now: number): void {
    c.dest.stats.count(dir, bytes, now);
    this.services.get(c.svcKey)?.stats.count(dir, bytes, now);
  }
}

/** A TCP segment that may start a connection (tcp_conn_schedule): SYN without ACK, RST or FIN. */
function isSyn(pkt: Packet): boolean {
  const f = pkt.tcp!.flags;
  return f.includes("SYN") && !f.includes("ACK") && !f.includes("RST") && !f.includes("FIN");
}

function normSpec(spec: IpvsServiceSpec): IpvsServiceSpec {
  return {
    proto: spec.proto, addr: spec.addr, port: spec.port, scheduler: spec.scheduler,
    ...(spec.persistent ? { persistent: { timeoutSec: spec.persistent.timeoutSec, netmask: spec.persistent.netmask ?? "255.255.255.255" } } : {}),
  };
}

/** ip_vs_genl_parse_dest / ip_vs_add_dest checks. */
function checkDest(d: IpvsDestSpec): void {
  checkAddr(d.addr);
  if (!Number.isInteger(d.weight) || d.weight < 0 || d.weight > 65535) throw new KernelError("ERANGE");
  if ((d.lowerThreshold ?? 0) > (d.upperThreshold ?? 0) && (d.upperThreshold ?? 0) > 0) throw new KernelError("ERANGE");
  if (d.fwd === "tunnel") throw new KernelError("EOPNOTSUPP");
}

/** A copy of `pkt` with its destination (or source) address and port replaced, as ip_vs_nat_xmit / ip_vs_snat handlers do. */
function rewrite(pkt: Packet, which: "src" | "dst", addr: string, port: number): Packet {
  const out: Packet = { ...pkt, ip: { ...pkt.ip, [which]: addr } };
  const portKey = which === "src" ? "sport" : "dport";
  if (pkt.tcp) out.tcp = { ...pkt.tcp, flags: [...pkt.tcp.flags], [portKey]: port };
  if (pkt.udp) out.udp = { ...pkt.udp, [portKey]: port };
  return out;
}

/** IPVS per namespace-like owner, made on first use. */
const tables = new WeakMap<object, Ipvs>();

/**
 * The net.ipv4.vs.* sysctls of the simulated IPVS (ip_vs_ctl.c vs_vars), with the kernel's
 * defaults: expire_nodest_conn (end a connection whose real server was deleted at its next
 * packet) and expire_quiescent_template (stop using a persistence template whose real server has
 * weight 0) and conntrack (0: IPVS's packets leave conntrack, ip_vs_notrack, so no NAT rule
 * applies to them; 1: ip_vs_update_conntrack keeps the client's entry) are read on the packet path.
 */
export const IPVS_SYSCTLS: Record<string, string> = {
  "net.ipv4.vs.conntrack": "0",
  "net.ipv4.vs.expire_nodest_conn": "0",
  "net.ipv4.vs.expire_quiescent_template": "0",
};

/** The IPVS of `owner` (a namespace), created on first use with its clock; creating it registers its sysctls. */
export function ipvsOf(owner: object, now: () => number, sysctl: (key: string) => number = () => 0, define?: (key: string, value: string) => void): Ipvs {
  let t = tables.get(owner);
  if (!t) {
    for (const [k, v] of Object.entries(IPVS_SYSCTLS)) define?.(k, v);
    tables.set(owner, (t = new Ipvs(now, sysctl)));
  }
  return t;
}

/** The IPVS of `owner` if anything ever configured it (the packet path skips namespaces without). */
export function ipvsIfAny(owner: object): Ipvs | undefined {
  return tables.get(owner);
}
