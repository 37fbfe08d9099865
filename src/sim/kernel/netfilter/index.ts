/**
 * The netfilter engine of one namespace: tables, chain walking, conntrack and NAT, driven by the
 * ip path through `runHook` at each hook (the hook order and its picture live in hooks.ts).
 */
import type { Rng } from "../../../core/random.js";
import { KernelError, type NfHook, type NfRule, type NfTable, type NfTableName } from "../api.js";
import type { HookContext, HookVerdict, NetfilterEngine, NetfilterFactory, Packet } from "../packet.js";
import { ConntrackTable, canCreate, CT_ESTABLISHED, CT_INVALID, CT_NEW, CT_RELATED, CT_UNTRACKED, ctStates, ipvsAlterReply, ICMP_ERRORS, invertTuple, packetTuple, UNTRACKED, updateFlow, type CtFlow, type PacketCt } from "./conntrack.js";
import { ipToU32 } from "./addr.js";
import { emptyTable, HOOK_STEPS, TABLE_NAMES } from "./hooks.js";
import type { MatchEnv } from "./match.js";
import { applyNat, applyNatIcmpError, bindNat, type Manip } from "./nat.js";
import { TraceLog } from "./trace.js";
import { validateTable } from "./validate.js";
import { surelyValidImport } from "./precheck.js";
import { exportTable, importTable, type KTable } from "./store.js";
import { ACCEPTED, pktText, walkChains, type ChainVerdict, type WalkOut } from "./walk.js";

class Engine implements NetfilterEngine {
  private tables = new Map<NfTableName, KTable>();
  private ct = new ConntrackTable();
  private pktCt = new Map<number, PacketCt>();
  private trace = new TraceLog();
  private evaluated = 0;
  private evaluatedIn: Record<NfTableName, number> = { filter: 0, nat: 0, mangle: 0, raw: 0 };
  /** Conntrack runs only while some table needs it (nf_ct_netns_get), as on Linux since 4.10. */
  private ctEnabled = false;
  /** No table was ever written (all absent, so no conntrack either): hooks have nothing to walk. */
  private idle = true;
  /** The current hook run records trace lines (HookContext.tracing). */
  private traced = true;
  /** Scratch of one walk, refilled by `walk` (walks of one engine never nest: matches send no packets). */
  private readonly env: MatchEnv;
  private readonly walkOut: WalkOut = { evaluated: 0, notrack: false, orig: undefined!, pkt: undefined! };

  constructor(private readonly rng: Rng, private readonly nsLabel: string) {
    this.env = { hctx: undefined!, ctStates: CT_UNTRACKED, ctOrig: undefined, rng, srcU32: 0, dstU32: 0 };
    for (const n of TABLE_NAMES) this.tables.set(n, importTable(emptyTable(n), undefined, usesConntrack));
  }

  get rulesEvaluated(): number {
    return this.evaluated;
  }

  /** Rules evaluated in one table since creation (white-box: benchmarks and tests; not in the NetfilterEngine contract). */
  rulesEvaluatedIn(table: NfTableName): number {
    return this.evaluatedIn[table];
  }

  tableGet(name: NfTableName): NfTable {
    const c = this.tables.get(name);
    if (!c) throw new KernelError("ENOENT", `table ${name}`);
    return exportTable(c);
  }

  tableReplace(name: NfTableName, next: NfTable): void {
    if (!this.tables.has(name) || next.name !== name) throw new KernelError("EINVAL", `table ${name}`);
    // A written table exists from now on (`absent` is only ever the kernel's own initial state).
    const t = importTable({ name, chains: next.chains }, this.tables.get(name), usesConntrack);
    // The fast check passes nearly every table; validateTable names what is wrong with the rest.
    if (!surelyValidImport(next, t)) validateTable(next);
    this.tables.set(name, t);
    this.ctEnabled = [...this.tables.values()].some(needsConntrack);
    this.idle = false;
  }

  conntrackList(now: number) {
    return this.ct.list(now);
  }

  conntrackFlush(): void {
    this.ct.flush();
  }

  takeTrace() {
    return this.trace.take();
  }

  runHook(pkt: Packet, ctx: HookContext): HookVerdict {
    const tracing = ctx.tracing !== false;
    // Lines of an earlier traced run that nobody took are dropped here, as every run starts afresh.
    if (tracing || this.traced) this.trace.reset();
    this.traced = tracing;
    const hook = ctx.hook as NfHook;
    if (this.idle && !ctx.ipvs) return this.idleRun(pkt, ctx);
    // `cur` is the caller's packet until something rewrites it: NAT and IPVS return copies, MARK copies first.
    let cur: Packet = pkt;
    // The packet's conntrack state (pktCt's entry for its id, which no step but ours changes during a run).
    let pc: PacketCt | undefined;
    // A packet entering the stack starts without conntrack state, except one looping back through lo.
    if ((hook === "PREROUTING" && ctx.inDev !== "lo") || (hook === "OUTPUT" && !ctx.ipvsSent)) this.pktCt.delete(pkt.id);
    else pc = this.pktCt.get(pkt.id);
    for (const step of HOOK_STEPS[hook]) {
      if (step.kind === "ct-in") {
        if (!pc) this.pktCt.set(cur.id, (pc = this.ctEnabled ? this.conntrackIn(cur, ctx) : UNTRACKED));
        continue;
      }
      if (step.kind === "ct-confirm") {
        this.confirm(cur, ctx, pc);
        continue;
      }
      if (step.kind === "ipvs") {
        if (!ctx.ipvs) continue;
        const r = ctx.ipvs(step.stage, cur, ctx);
        if (r.verdict === "continue") {
          if (r.reason && this.traced) this.trace.add(`ipvs ${ctx.hook}: ${r.reason}`);
          if (r.notrack) this.pktCt.set(cur.id, (pc = UNTRACKED));
          cur = r.pkt;
          continue;
        }
        if (this.traced) this.trace.add(`ipvs ${ctx.hook}: ${r.reason}`);
        if (r.verdict === "xmit") {
          // ip_vs_update_conntrack (net.ipv4.vs.conntrack=1): a new entry's reply now comes from the real
          // server, and the packet IPVS sends on keeps the entry through LOCAL_OUT and POSTROUTING.
          // With net.ipv4.vs.conntrack=0 it leaves conntrack instead (ip_vs_notrack): no NAT applies to it.
          const flow = pc?.flow;
          const l4 = r.pkt.tcp ?? r.pkt.udp;
          if (r.notrack) this.pktCt.set(cur.id, UNTRACKED);
          else if (flow && !flow.confirmed && !r.nextHop) ipvsAlterReply(flow, r.pkt.ip.dst, l4?.dport);
          return r;
        }
        return this.stop(r, cur);
      }
      pc ??= this.lateCt(cur, ctx);
      if (step.table === "nat") {
        const r = this.natStep(cur, pkt, ctx, pc);
        if (typeof r === "string") return this.stop({ verdict: "drop", reason: r }, cur);
        cur = r;
        continue;
      }
      const v = this.walk(step.table, hook, cur, pkt, ctx, pc);
      cur = this.walkOut.pkt;
      if (v.kind === "drop") return this.stop({ verdict: "drop", reason: v.reason }, cur);
      if (v.kind === "reject") return this.stop({ verdict: "reject", reason: v.reason, with: v.with }, cur);
    }
    return { verdict: "accept", pkt: cur };
  }

  /**
   * A hook in a namespace without tables: every step would accept and leave no line, so only the
   * packet's untracked record moves as the steps would move it (made at its first hook, dropped
   * where conntrack confirms: INPUT, or POSTROUTING out of anything but lo).
   */
  private idleRun(pkt: Packet, ctx: HookContext): HookVerdict {
    const hook = ctx.hook;
    if (hook === "INPUT" || (hook === "POSTROUTING" && ctx.outDev !== "lo")) this.pktCt.delete(pkt.id);
    else if ((hook === "PREROUTING" && ctx.inDev !== "lo") || (hook === "OUTPUT" && !ctx.ipvsSent) || !this.pktCt.has(pkt.id)) this.pktCt.set(pkt.id, UNTRACKED);
    return { verdict: "accept", pkt };
  }

  private stop(v: HookVerdict, pkt: Packet): HookVerdict {
    this.pktCt.delete(pkt.id);
    return v;
  }

  /** Packets first seen past PREROUTING/OUTPUT (an ip path that skipped a hook) get tracked here. */
  private lateCt(pkt: Packet, ctx: HookContext): PacketCt {
    const pc = this.ctEnabled ? this.conntrackIn(pkt, ctx) : UNTRACKED;
    this.pktCt.set(pkt.id, pc);
    return pc;
  }

  /** nf_conntrack_in: find or create the flow, update its state, and name the packet's ctstate. */
  private conntrackIn(pkt: Packet, ctx: HookContext): PacketCt {
    const now = ctx.now;
    if (this.pktCt.size > 4096) this.pktCt.clear();
    const invalid = (why: string): PacketCt => {
      if (this.traced) this.trace.add(`conntrack: INVALID ${why}`);
      return { dir: "orig", states: CT_INVALID, related: false, untracked: false };
    };
    if (pkt.icmp && ICMP_ERRORS.has(pkt.icmp.type)) {
      const inner = pkt.icmp.inner;
      const it = inner ? packetTuple(inner) : undefined;
      if (!inner || !it) return invalid("icmp error without a quoted packet");
      const hit = this.ct.find(inner.ip.proto, invertTuple(inner.ip.proto, it), now);
      if (!hit) return invalid("icmp error for an unknown flow");
      if (this.traced) this.trace.add(`conntrack: RELATED icmp type ${pkt.icmp.type} to ${hit.flow.proto} flow ${tupleText(hit.flow)}`);
      return { flow: hit.flow, dir: hit.dir, states: ctStates(CT_RELATED, hit.flow), related: true, untracked: false };
    }
    const proto = pkt.ip.proto;
    if (proto === "icmp" ? !pkt.icmp : !(pkt.tcp ?? pkt.udp)) return invalid("malformed packet");
    const hit = this.ct.findPacket(pkt, now);
    if (hit) {
      // tcp_packet(): "If only reply is a RST, we can consider ourselves not to have an
      // established connection [...] so we can delete the conntrack immediately." The packet
      // keeps its flow (NAT still undoes itself on the RST); the table forgets it.
      const rstKills = hit.flow.proto === "tcp" && !hit.flow.seenReply && pkt.tcp!.flags.includes("RST");
      updateFlow(hit.flow, pkt, hit.dir, now);
      const established = hit.dir === "reply" || hit.flow.seenReply;
      if (this.traced) this.trace.add(`conntrack: ${established ? "ESTABLISHED" : "NEW"} (${hit.dir === "reply" ? "reply" : "original"} direction) ${tupleText(hit.flow)}`);
      if (rstKills) {
        this.ct.remove(hit.flow);
        if (this.traced) this.trace.add(`conntrack: RST before any other reply, entry deleted ${tupleText(hit.flow)}`);
      }
      return { flow: hit.flow, dir: hit.dir, states: ctStates(established ? CT_ESTABLISHED : CT_NEW, hit.flow), related: false, untracked: false };
    }
    if (!canCreate(pkt)) return invalid(`${proto} packet that cannot start a flow`);
    const flow = this.ct.create(proto, packetTuple(pkt)!, now);
    updateFlow(flow, pkt, "orig", now);
    if (this.traced) this.trace.add(`conntrack: NEW ${tupleText(flow)}`);
    return { flow, dir: "orig", states: CT_NEW, related: false, untracked: false };
  }

  /** __nf_conntrack_confirm: a new flow enters the table when its first packet leaves the last hook. */
  private confirm(pkt: Packet, ctx: HookContext, pc: PacketCt | undefined): void {
    if (ctx.hook === "INPUT" || ctx.outDev !== "lo") this.pktCt.delete(pkt.id);
    const flow = pc?.flow;
    if (!flow || flow.confirmed || pc.untracked) return;
    flow.natDone.src = flow.natDone.dst = true;
    if (!this.ct.confirm(flow) && this.traced) this.trace.add(`conntrack: clash for ${tupleText(flow)}, not confirmed`);
  }

  /** The nat step of a hook: the table is walked by a flow's first packet only; returns the packet, or a drop reason. */
  private natStep(pkt: Packet, orig: Packet, ctx: HookContext, pc: PacketCt): Packet | string {
    const flow = pc.flow;
    if (!flow || pc.untracked) return pkt;
    const manip: Manip = ctx.hook === "PREROUTING" || ctx.hook === "OUTPUT" ? "dst" : "src";
    if (pc.related) {
      const out = applyNatIcmpError(pkt, flow, pc.dir, manip);
      if (out !== pkt && this.traced) this.trace.add(`nat ${ctx.hook}: icmp error ${pktText(pkt)} → ${pktText(out)}`);
      return out;
    }
    if (!flow.natDone[manip]) {
      const v = this.walk("nat", ctx.hook as NfHook, pkt, orig, ctx, pc);
      pkt = this.walkOut.pkt;
      flow.natDone[manip] = true;
      if (v.kind === "drop") return v.reason;
      if (v.kind === "reject") return v.reason;
      if (v.kind === "nat" && v.target) {
        const why = bindNat(flow, v.target, ctx, (reply) => this.ct.find(flow.proto, reply, ctx.now) !== undefined);
        if (why) {
          if (this.traced) this.trace.add(`nat ${ctx.hook}: ${why}`);
          return `nat ${ctx.hook}: ${why}`;
        }
      }
    }
    const out = applyNat(pkt, flow, pc.dir, manip);
    if (out !== pkt && this.traced) this.trace.add(`nat ${ctx.hook}: ${manip === "dst" ? "destination" : "source"} ${pktText(pkt)} → ${pktText(out)}`);
    return out;
  }

  /** Walks one table's chain for `hook`, counting the rules evaluated (every rule the linear walk tries). */
  private walk(tableName: NfTableName, hook: NfHook, pkt: Packet, orig: Packet, ctx: HookContext, pc: PacketCt): ChainVerdict {
    const table = this.tables.get(tableName)!;
    const out = this.walkOut;
    out.pkt = pkt;
    // iptables-nft registers a table's hooks only once the table exists.
    if (table.absent || !table.chains.has(hook)) return ACCEPTED;
    const env = this.env;
    env.hctx = ctx;
    env.ctStates = pc.untracked ? CT_UNTRACKED : pc.states;
    env.ctOrig = pc.flow?.orig;
    env.srcU32 = ipToU32(pkt.ip.src);
    env.dstU32 = ipToU32(pkt.ip.dst);
    out.orig = orig;
    out.evaluated = 0;
    out.notrack = false;
    const v = walkChains(table, hook, pkt, env, out, this.traced ? this.trace : undefined);
    this.evaluated += out.evaluated;
    this.evaluatedIn[tableName] += out.evaluated;
    if (out.notrack && !pc.untracked) {
      pc.untracked = true;
      pc.flow = undefined;
    }
    return v;
  }
}


/**
 * Whether a table makes the kernel track connections: a nat table exists (nf_nat registers its
 * hooks), or a rule uses conntrack state or a NAT/CT target (their checkentry takes a
 * nf_ct_netns_get reference). A namespace with only plain filter rules tracks nothing.
 */
function needsConntrack(t: KTable): boolean {
  if (t.absent) return false;
  return t.name === "nat" || t.usesConntrack;
}

function usesConntrack(rules: readonly NfRule[]): boolean {
  for (const r of rules) {
    if (r.matches.some((m) => m.kind === "conntrack" || m.kind === "state")) return true;
    const k = r.target?.kind;
    if (k === "DNAT" || k === "SNAT" || k === "MASQUERADE" || k === "REDIRECT" || k === "NOTRACK" || k === "CONNMARK") return true;
  }
  return false;
}

function tupleText(f: CtFlow): string {
  const o = f.orig;
  return f.proto === "icmp" ? `icmp ${o.src} → ${o.dst} id=${o.id}` : `${f.proto} ${o.src}:${o.sport} → ${o.dst}:${o.dport}`;
}

/** Builds a namespace's netfilter engine (see NetfilterEngine in ../packet.ts). */
export const createNetfilter: NetfilterFactory = ({ rng, nsLabel }) => new Engine(rng, nsLabel);

export { ruleText, saveString, targetText } from "../wire/nf-rule-text.js";
export { BUILTIN_CHAINS, emptyTable, HOOK_STEPS, TABLE_NAMES } from "./hooks.js";
