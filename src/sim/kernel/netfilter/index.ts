/**
 * The netfilter engine of one namespace: tables, chain walking, conntrack and NAT, driven by the
 * ip path through `runHook` at each hook (the hook order and its picture live in hooks.ts).
 */
import type { Rng } from "../../../core/random.js";
import { KernelError, type NfHook, type NfRule, type NfTable, type NfTableName } from "../api.js";
import type { HookContext, HookVerdict, NetfilterEngine, NetfilterFactory, Packet } from "../packet.js";
import { ConntrackTable, canCreate, ipvsAlterReply, ICMP_ERRORS, invertTuple, packetTuple, tupleKey, updateFlow, type CtDir, type CtFlow } from "./conntrack.js";
import { ipToU32 } from "./addr.js";
import { emptyTable, HOOK_STEPS, TABLE_NAMES } from "./hooks.js";
import type { MatchEnv } from "./match.js";
import { applyNat, applyNatIcmpError, bindNat, type Manip } from "./nat.js";
import { TraceLog } from "./trace.js";
import { validateTable } from "./validate.js";
import { surelyValidImport } from "./precheck.js";
import { ADDR_DST, ADDR_DST_NEG, ADDR_SRC, ADDR_SRC_NEG, addrIndex, countRule, predsOf, exportTable, importTable, type KChain, type KTable } from "./store.js";

/** Conntrack state a packet carries between hooks (skb->_nfct). */
interface PacketCt {
  flow?: CtFlow;
  dir: CtDir;
  /** ctstate names: NEW, ESTABLISHED, RELATED, INVALID, UNTRACKED (+ SNAT/DNAT for the conntrack match). */
  states: string[];
  related: boolean;
  untracked: boolean;
}

type ChainVerdict =
  | { kind: "accept" }
  | { kind: "drop"; reason: string }
  | { kind: "reject"; reason: string; with: string }
  | { kind: "nat"; reason: string; target: NfRule["target"] };

/** Longest chain of jumps before the kernel gives up (XT_MAX_JUMPS-like; validation already forbids loops). */
const MAX_STACK = 256;

class Engine implements NetfilterEngine {
  private tables = new Map<NfTableName, KTable>();
  private ct = new ConntrackTable();
  private pktCt = new Map<number, PacketCt>();
  private trace = new TraceLog();
  private evaluated = 0;
  private evaluatedIn: Record<NfTableName, number> = { filter: 0, nat: 0, mangle: 0, raw: 0 };
  /** Conntrack runs only while some table needs it (nf_ct_netns_get), as on Linux since 4.10. */
  private ctEnabled = false;

  constructor(private readonly rng: Rng, private readonly nsLabel: string) {
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
    this.trace.reset();
    const hook = ctx.hook as NfHook;
    let cur: Packet = { ...pkt };
    // A packet entering the stack starts without conntrack state, except one looping back through lo.
    if ((hook === "PREROUTING" && ctx.inDev !== "lo") || (hook === "OUTPUT" && !ctx.ipvsSent)) this.pktCt.delete(pkt.id);
    for (const step of HOOK_STEPS[hook]) {
      if (step.kind === "ct-in") {
        if (!this.pktCt.has(cur.id)) this.pktCt.set(cur.id, this.ctEnabled ? this.conntrackIn(cur, ctx) : UNTRACKED());
        continue;
      }
      if (step.kind === "ct-confirm") {
        this.confirm(cur, ctx);
        continue;
      }
      if (step.kind === "ipvs") {
        if (!ctx.ipvs) continue;
        const r = ctx.ipvs(step.stage, cur, ctx);
        if (r.verdict === "continue") {
          if (r.reason) this.trace.add(`ipvs ${ctx.hook}: ${r.reason}`);
          if (r.notrack) this.pktCt.set(cur.id, UNTRACKED());
          cur = r.pkt;
          continue;
        }
        this.trace.add(`ipvs ${ctx.hook}: ${r.reason}`);
        if (r.verdict === "xmit") {
          // ip_vs_update_conntrack (net.ipv4.vs.conntrack=1): a new entry's reply now comes from the real
          // server, and the packet IPVS sends on keeps the entry through LOCAL_OUT and POSTROUTING.
          // With net.ipv4.vs.conntrack=0 it leaves conntrack instead (ip_vs_notrack): no NAT applies to it.
          const flow = this.pktCt.get(cur.id)?.flow;
          const l4 = r.pkt.tcp ?? r.pkt.udp;
          if (r.notrack) this.pktCt.set(cur.id, UNTRACKED());
          else if (flow && !flow.confirmed && !r.nextHop) ipvsAlterReply(flow, r.pkt.ip.dst, l4?.dport);
          return r;
        }
        return this.stop(r, cur);
      }
      const pc = this.pktCt.get(cur.id) ?? this.lateCt(cur, ctx);
      if (step.table === "nat") {
        const r = this.natStep(cur, ctx, pc);
        if ("drop" in r) return this.stop({ verdict: "drop", reason: r.drop }, cur);
        cur = r.pkt;
        continue;
      }
      const v = this.walk(step.table, hook, cur, ctx, pc);
      if (v.kind === "drop") return this.stop({ verdict: "drop", reason: v.reason }, cur);
      if (v.kind === "reject") return this.stop({ verdict: "reject", reason: v.reason, with: v.with }, cur);
    }
    return { verdict: "accept", pkt: cur };
  }

  private stop(v: HookVerdict, pkt: Packet): HookVerdict {
    this.pktCt.delete(pkt.id);
    return v;
  }

  /** Packets first seen past PREROUTING/OUTPUT (an ip path that skipped a hook) get tracked here. */
  private lateCt(pkt: Packet, ctx: HookContext): PacketCt {
    const pc = this.ctEnabled ? this.conntrackIn(pkt, ctx) : UNTRACKED();
    this.pktCt.set(pkt.id, pc);
    return pc;
  }

  /** nf_conntrack_in: find or create the flow, update its state, and name the packet's ctstate. */
  private conntrackIn(pkt: Packet, ctx: HookContext): PacketCt {
    const now = ctx.now;
    if (this.pktCt.size > 4096) this.pktCt.clear();
    const invalid = (why: string): PacketCt => {
      this.trace.add(`conntrack: INVALID ${why}`);
      return { dir: "orig", states: ["INVALID"], related: false, untracked: false };
    };
    if (pkt.icmp && ICMP_ERRORS.has(pkt.icmp.type)) {
      const inner = pkt.icmp.inner;
      const it = inner ? packetTuple(inner) : undefined;
      if (!inner || !it) return invalid("icmp error without a quoted packet");
      const hit = this.ct.find(inner.ip.proto, invertTuple(inner.ip.proto, it), now);
      if (!hit) return invalid("icmp error for an unknown flow");
      this.trace.add(`conntrack: RELATED icmp type ${pkt.icmp.type} to ${hit.flow.proto} flow ${tupleText(hit.flow)}`);
      return { flow: hit.flow, dir: hit.dir, states: ["RELATED", ...natStates(hit.flow)], related: true, untracked: false };
    }
    const t = packetTuple(pkt);
    if (!t) return invalid("malformed packet");
    const proto = pkt.ip.proto;
    const hit = this.ct.find(proto, t, now);
    if (hit) {
      updateFlow(hit.flow, pkt, hit.dir, now);
      const established = hit.dir === "reply" || hit.flow.seenReply;
      const state = established ? "ESTABLISHED" : "NEW";
      this.trace.add(`conntrack: ${state} (${hit.dir === "reply" ? "reply" : "original"} direction) ${tupleText(hit.flow)}`);
      return { flow: hit.flow, dir: hit.dir, states: [state, ...natStates(hit.flow)], related: false, untracked: false };
    }
    if (!canCreate(pkt)) return invalid(`${proto} packet that cannot start a flow`);
    const flow = this.ct.create(proto, t, now);
    updateFlow(flow, pkt, "orig", now);
    this.trace.add(`conntrack: NEW ${tupleText(flow)}`);
    return { flow, dir: "orig", states: ["NEW"], related: false, untracked: false };
  }

  /** __nf_conntrack_confirm: a new flow enters the table when its first packet leaves the last hook. */
  private confirm(pkt: Packet, ctx: HookContext): void {
    const pc = this.pktCt.get(pkt.id);
    if (ctx.hook === "INPUT" || ctx.outDev !== "lo") this.pktCt.delete(pkt.id);
    const flow = pc?.flow;
    if (!flow || flow.confirmed || pc.untracked) return;
    flow.natDone.src = flow.natDone.dst = true;
    if (!this.ct.confirm(flow)) this.trace.add(`conntrack: clash for ${tupleText(flow)}, not confirmed`);
  }

  private natStep(pkt: Packet, ctx: HookContext, pc: PacketCt): { pkt: Packet } | { drop: string } {
    const flow = pc.flow;
    if (!flow || pc.untracked) return { pkt };
    const manip: Manip = ctx.hook === "PREROUTING" || ctx.hook === "OUTPUT" ? "dst" : "src";
    if (pc.related) {
      const out = applyNatIcmpError(pkt, flow, pc.dir, manip);
      if (out !== pkt) this.trace.add(`nat ${ctx.hook}: icmp error ${pktText(pkt)} → ${pktText(out)}`);
      return { pkt: out };
    }
    if (!flow.natDone[manip]) {
      const v = this.walk("nat", ctx.hook as NfHook, pkt, ctx, pc);
      flow.natDone[manip] = true;
      if (v.kind === "drop") return { drop: v.reason };
      if (v.kind === "reject") return { drop: v.reason };
      if (v.kind === "nat" && v.target) {
        const why = bindNat(flow, v.target, ctx, (reply) => this.ct.find(flow.proto, reply, ctx.now) !== undefined);
        if (why) {
          this.trace.add(`nat ${ctx.hook}: ${why}`);
          return { drop: `nat ${ctx.hook}: ${why}` };
        }
      }
    }
    const out = applyNat(pkt, flow, pc.dir, manip);
    if (out !== pkt) this.trace.add(`nat ${ctx.hook}: ${manip === "dst" ? "destination" : "source"} ${pktText(pkt)} → ${pktText(out)}`);
    return { pkt: out };
  }

  /** Walks one table's chain for `hook`, counting the rules evaluated (every rule the linear walk tries). */
  private walk(tableName: NfTableName, hook: NfHook, pkt: Packet, ctx: HookContext, pc: PacketCt): ChainVerdict {
    const before = this.evaluated;
    const v = this.walkChains(tableName, hook, pkt, ctx, pc);
    this.evaluatedIn[tableName] += this.evaluated - before;
    return v;
  }

  /** Walks one table's chain for `hook` as ipt_do_table does: jumps push, goto replaces, RETURN pops. */
  private walkChains(tableName: NfTableName, hook: NfHook, pkt: Packet, ctx: HookContext, pc: PacketCt): ChainVerdict {
    const table = this.tables.get(tableName)!;
    const base = table.chains.get(hook);
    // iptables-nft registers a table's hooks only once the table exists.
    if (!base || table.absent) return { kind: "accept" };
    const env: MatchEnv = {
      hctx: ctx,
      ctStates: pc.untracked ? ["UNTRACKED"] : pc.states,
      ctOrigDst: pc.flow ? { addr: pc.flow.orig.dst, port: pc.flow.orig.dport } : undefined,
      rng: this.rng,
      srcU32: ipToU32(pkt.ip.src),
      dstU32: ipToU32(pkt.ip.dst),
    };
    const { srcU32, dstU32 } = env;
    const stack: Array<{ c: KChain; i: number }> = [];
    let cur = base;
    let i = 0;
    let from = 0;
    const len = pkt.ip.len;
    for (;;) {
      const rules = cur.rules;
      const preds = predsOf(cur);
      let matched = -1;
      const ai = addrIndex(cur.shared);
      for (; i < rules.length; i++) {
        this.evaluated++;
        const f = ai[i * 5]!;
        if (f !== 0) {
          // A rule whose -s or -d does not match is passed over without calling its predicate.
          if (f & ADDR_SRC && (((srcU32 & ai[i * 5 + 2]!) >>> 0) === ai[i * 5 + 1]!) === ((f & ADDR_SRC_NEG) !== 0)) continue;
          if (f & ADDR_DST && (((dstU32 & ai[i * 5 + 4]!) >>> 0) === ai[i * 5 + 3]!) === ((f & ADDR_DST_NEG) !== 0)) continue;
        }
        if (preds[i]!(pkt, env)) {
          matched = i;
          break;
        }
      }
      if (matched < 0) {
        this.trace.segment(tableName, hook, cur, from, rules.length, -1);
        const up = stack.pop();
        if (!up) {
          const policy = cur.policy ?? "ACCEPT";
          if (cur.countersOn) {
            cur.counters.packets++;
            cur.counters.bytes += len;
          }
          if (policy === "DROP" || rules.length > 0) this.trace.add(`${tableName} ${hook}: policy ${policy}`, { table: tableName, chain: hook, policy });
          if (policy === "DROP") return { kind: "drop", reason: `${tableName} ${hook}: policy DROP` };
          return { kind: "accept" };
        }
        cur = up.c;
        i = up.i + 1;
        from = i;
        continue;
      }
      const rule = rules[matched]!;
      countRule(table, cur, matched, len);
      this.trace.segment(tableName, hook, cur, from, matched + 1, matched);
      const t = rule.target;
      const where = () => `${tableName} ${hook}: ${this.trace.ruleLine(cur, matched)}`;
      if (!t) {
        i = matched + 1;
        from = i;
        continue;
      }
      switch (t.kind) {
        case "ACCEPT":
          return { kind: "accept" };
        case "DROP":
          return { kind: "drop", reason: where() };
        case "REJECT":
          return { kind: "reject", reason: where(), with: t.rejectWith };
        case "DNAT":
        case "SNAT":
        case "MASQUERADE":
        case "REDIRECT":
          return { kind: "nat", reason: where(), target: t };
        case "RETURN": {
          const up = stack.pop();
          if (!up) {
            const policy = cur.policy ?? "ACCEPT";
            if (cur.countersOn) {
              cur.counters.packets++;
              cur.counters.bytes += len;
            }
            this.trace.add(`${tableName} ${hook}: policy ${policy}`, { table: tableName, chain: hook, policy });
            if (policy === "DROP") return { kind: "drop", reason: `${tableName} ${hook}: policy DROP` };
            return { kind: "accept" };
          }
          cur = up.c;
          i = up.i + 1;
          from = i;
          continue;
        }
        case "jump":
        case "goto": {
          const next = table.chains.get(t.chain);
          if (!next || stack.length >= MAX_STACK) return { kind: "drop", reason: `${where()}: jump failed` };
          if (t.kind === "jump") stack.push({ c: cur, i: matched });
          cur = next;
          i = 0;
          from = 0;
          continue;
        }
        case "MARK":
          pkt.mark = ((pkt.mark & ~t.mask) ^ t.value) >>> 0;
          break;
        case "NOTRACK":
          pc.untracked = true;
          pc.flow = undefined;
          env.ctStates = ["UNTRACKED"];
          break;
        case "LOG":
          this.trace.add(`${tableName} ${hook}: LOG ${t.prefix ?? ""}${pktText(pkt)}`);
          break;
        case "TRACE":
        case "CONNMARK":
          break;
      }
      i = matched + 1;
      from = i;
    }
  }
}

/** A packet seen while conntrack is off in the namespace: no flow, and `--ctstate` sees nothing. */
const UNTRACKED = (): PacketCt => ({ dir: "orig", states: [], related: false, untracked: true });

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

function natStates(f: CtFlow): string[] {
  const s: string[] = [];
  if (f.reply.dst !== f.orig.src) s.push("SNAT");
  if (f.reply.src !== f.orig.dst && !f.ipvs) s.push("DNAT");
  return s;
}

function tupleText(f: CtFlow): string {
  const o = f.orig;
  return f.proto === "icmp" ? `icmp ${o.src} → ${o.dst} id=${o.id}` : `${f.proto} ${o.src}:${o.sport} → ${o.dst}:${o.dport}`;
}

function pktText(p: Packet): string {
  const l4 = p.tcp ?? p.udp;
  return l4 ? `${p.ip.src}:${l4.sport} → ${p.ip.dst}:${l4.dport}` : `${p.ip.src} → ${p.ip.dst}`;
}

/** Builds a namespace's netfilter engine (see NetfilterEngine in ../packet.ts). */
export const createNetfilter: NetfilterFactory = ({ rng, nsLabel }) => new Engine(rng, nsLabel);

export { ruleText, saveString, targetText } from "../wire/nf-rule-text.js";
export { BUILTIN_CHAINS, emptyTable, HOOK_STEPS, TABLE_NAMES } from "./hooks.js";
