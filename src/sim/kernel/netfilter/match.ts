/**
 * Rule matching: a rule's fixed part (`-s -d -i -o -p -f`) and its match extensions, compiled
 * once per table replace into closures over numbers, so a packet walks a long chain quickly.
 * Semantics follow the kernel modules: ip_tables.c ip_packet_match, xt_tcpudp, xt_multiport,
 * xt_addrtype, xt_conntrack, xt_state, xt_statistic, xt_mark, xt_physdev, xt_comment.
 */
import type { Rng } from "../../../core/random.js";
import type { ConntrackTuple, NfAddrMatch, NfIfaceMatch, NfMatch, NfPortRange, NfRule } from "../api.js";
import type { HookContext, Packet } from "../packet.js";
import { ipToU32, prefixMask, PROTO_NUMBERS } from "./addr.js";
import { ctBits } from "./conntrack.js";

/** What a match may look at besides the packet: where it is, and its conntrack state. */
export interface MatchEnv {
  hctx: HookContext;
  /** ctstate names that hold for this packet as CT_* bits (conntrack.ts): NEW/ESTABLISHED/RELATED/INVALID/UNTRACKED, plus SNAT/DNAT. */
  ctStates: number;
  /** The flow's original tuple: its destination and port for --ctorigdst / --ctorigdstport. */
  ctOrig?: ConntrackTuple;
  rng: Rng;
  /** The packet's addresses as numbers, parsed once per walk rather than once per rule. */
  srcU32: number;
  dstU32: number;
}

export type Predicate = (pkt: Packet, env: MatchEnv) => boolean;

const PROTO_OF: Record<Packet["ip"]["proto"], number> = { icmp: 1, tcp: 6, udp: 17 };

function addrPredicate(m: NfAddrMatch, which: "src" | "dst"): Predicate {
  const mask = prefixMask(m.plen);
  const net = (ipToU32(m.addr) & mask) >>> 0;
  const neg = m.neg;
  if (which === "src") return (_p, e) => (((e.srcU32 & mask) >>> 0) === net) !== neg;
  return (_p, e) => (((e.dstU32 & mask) >>> 0) === net) !== neg;
}

/** `-i eth+` matches every name starting with `eth` (ip_tables ifname_compare with a '+' mask). */
export function ifaceMatches(pattern: string, name: string | undefined): boolean {
  if (name === undefined) return false;
  if (pattern.endsWith("+")) return name.startsWith(pattern.slice(0, -1));
  return name === pattern;
}

function ifacePredicate(m: NfIfaceMatch, pick: (c: HookContext) => string | undefined): Predicate {
  return (_p, env) => {
    const dev = pick(env.hctx);
    // An interface match on a hook without that device never matches, even negated (the
    // kernel compares against an empty name, which only "+" would match).
    if (dev === undefined) return m.name === "+" ? !m.neg : m.neg;
    return ifaceMatches(m.name, dev) !== m.neg;
  };
}

function inRanges(ranges: NfPortRange[], port: number | undefined): boolean {
  if (port === undefined) return false;
  return ranges.some((r) => port >= r.from && port <= r.to);
}

function rangePredicate(r: NfPortRange): (port: number | undefined) => boolean {
  return (port) => port !== undefined && (port >= r.from && port <= r.to) !== !!r.neg;
}

function l4Ports(p: Packet): { sport?: number; dport?: number } {
  return p.tcp ?? p.udp ?? {};
}

function matchPredicate(m: NfMatch, rule: NfRule): Predicate {
  switch (m.kind) {
    case "tcp":
    case "udp": {
      const kind = m.kind;
      const sp = m.sport ? rangePredicate(m.sport) : undefined;
      const dp = m.dport ? rangePredicate(m.dport) : undefined;
      let flags: ((f: string[]) => boolean) | undefined;
      if (m.tcpFlags) {
        const { mask, comp, neg } = m.tcpFlags;
        const all = ["FIN", "SYN", "RST", "PSH", "ACK", "URG"];
        const maskSet = mask.includes("ALL") ? all : mask;
        const compSet = comp.includes("ALL") ? all : comp.includes("NONE") ? [] : comp;
        flags = (f) => maskSet.every((x) => f.includes(x) === compSet.includes(x)) !== neg;
      } else if (m.syn) {
        const neg = m.syn.neg;
        flags = (f) => (f.includes("SYN") && !f.includes("RST") && !f.includes("ACK") && !f.includes("FIN")) !== neg;
      }
      return (p) => {
        const l4 = kind === "tcp" ? p.tcp : p.udp;
        if (!l4) return false;
        if (sp && !sp(l4.sport)) return false;
        if (dp && !dp(l4.dport)) return false;
        if (flags && !flags(p.tcp?.flags ?? [])) return false;
        return true;
      };
    }
    case "icmp": {
      const t = m.icmpType;
      if (!t) return (p) => p.ip.proto === "icmp";
      return (p) => {
        if (!p.icmp) return false;
        const hit = t.type === 255 || (p.icmp.type === t.type && (t.code === undefined || p.icmp.code === t.code));
        return hit !== t.neg;
      };
    }
    case "multiport": {
      const { sports, dports, ports, neg } = m;
      return (p) => {
        const { sport, dport } = l4Ports(p);
        let hit: boolean;
        if (ports) hit = inRanges(ports, sport) || inRanges(ports, dport);
        else if (sports) hit = inRanges(sports, sport);
        else hit = inRanges(dports ?? [], dport);
        return hit !== neg;
      };
    }
    case "addrtype": {
      const { srcType, dstType, limitIfaceIn, limitIfaceOut } = m;
      return (p, env) => {
        const dev = limitIfaceIn ? env.hctx.inDev : limitIfaceOut ? env.hctx.outDev : undefined;
        if (srcType) {
          const types = env.hctx.addrType(p.ip.src, dev);
          if (srcType.types.some((t) => types.includes(t)) === srcType.neg) return false;
        }
        if (dstType) {
          const types = env.hctx.addrType(p.ip.dst, dev);
          if (dstType.types.some((t) => types.includes(t)) === dstType.neg) return false;
        }
        return true;
      };
    }
    case "conntrack": {
      const { ctstate, ctorigdst, ctorigdstport } = m;
      const want = ctstate ? ctBits(ctstate.states) : 0;
      const odMask = ctorigdst ? prefixMask(ctorigdst.plen) : 0;
      const odNet = ctorigdst ? (ipToU32(ctorigdst.addr) & odMask) >>> 0 : 0;
      return (_p, env) => {
        if (ctstate && ((env.ctStates & want) !== 0) === ctstate.neg) return false;
        if (ctorigdst) {
          const a = env.ctOrig?.dst;
          if (a === undefined) return false;
          if ((((ipToU32(a) & odMask) >>> 0) === odNet) === ctorigdst.neg) return false;
        }
        if (ctorigdstport) {
          const port = env.ctOrig?.dport;
          if (port === undefined) return false;
          if ((port >= ctorigdstport.from && port <= ctorigdstport.to) === ctorigdstport.neg) return false;
        }
        return true;
      };
    }
    case "state": {
      const want = ctBits(m.states);
      const neg = m.neg;
      return (_p, env) => ((env.ctStates & want) !== 0) !== neg;
    }
    case "statistic": {
      if (m.mode === "random") {
        // xt_statistic: (get_random_u32() & 0x7FFFFFFF) < probability
        const { probabilityU32, neg } = m;
        return (_p, env) => ((env.rng.uint32() & 0x7fffffff) >>> 0 < probabilityU32) !== neg;
      }
      // xt_statistic nth: the counter starts at `packet` and wraps at `every - 1`; a match when it wraps to 0.
      const every = m.every - 1;
      const neg = m.neg;
      let count = m.packet;
      return () => {
        count = count === every ? 0 : count + 1;
        return (count === 0) !== neg;
      };
    }
    case "comment":
      return () => true;
    case "mark": {
      const { value, mask, neg } = m;
      return (p) => ((((p.mark & mask) >>> 0) === value) !== neg);
    }
    case "physdev": {
      const { physdevIsBridged, physdevIn, physdevOut } = m;
      return (_p, env) => {
        const c = env.hctx;
        if (physdevIsBridged && !!c.bridged === physdevIsBridged.neg) return false;
        if (physdevIn && (c.physIn !== undefined && ifaceMatches(physdevIn.name, c.physIn)) === physdevIn.neg) return false;
        if (physdevOut && (c.physOut !== undefined && ifaceMatches(physdevOut.name, c.physOut)) === physdevOut.neg) return false;
        return true;
      };
    }
    case "set": {
      // xt_set: the set named at rule-add time, looked up in the namespace's ipset store per packet.
      const { name, flags, neg } = m;
      const update = !m.noUpdateCounters;
      return (p, env) => (env.hctx.ipsetMatch?.(name, flags, p, update) ?? false) !== neg;
    }
    case "recent":
      // Kept for listing (kube-proxy session affinity); the simulator has no recent lists, so it never matches.
      void rule;
      return () => false;
  }
}

/** Compiles a rule's matches into one predicate (all must hold, in order, as the kernel evaluates them). */
export function compileRule(rule: NfRule): Predicate {
  const preds: Predicate[] = [];
  if (rule.src) preds.push(addrPredicate(rule.src, "src"));
  if (rule.dst) preds.push(addrPredicate(rule.dst, "dst"));
  if (rule.inIface) preds.push(ifacePredicate(rule.inIface, (c) => c.inDev));
  if (rule.outIface) preds.push(ifacePredicate(rule.outIface, (c) => c.outDev));
  if (rule.proto) {
    const name = rule.proto.name;
    const num = PROTO_NUMBERS[name] ?? (/^\d+$/.test(name) ? Number(name) : -1);
    const neg = rule.proto.neg;
    if (num !== 0) preds.push((p) => (PROTO_OF[p.ip.proto] === num) !== neg);
    else if (neg) preds.push(() => false);
  }
  // The simulator never fragments: `-f` never matches, `! -f` always does.
  if (rule.fragment) {
    const neg = rule.fragment.neg;
    preds.push(() => neg);
  }
  for (const m of rule.matches) preds.push(matchPredicate(m, rule));
  if (preds.length === 0) return () => true;
  if (preds.length === 1) return preds[0]!;
  if (preds.length === 2) {
    const [a, b] = preds as [Predicate, Predicate];
    return (p, e) => a(p, e) && b(p, e);
  }
  if (preds.length === 3) {
    const [a, b, c] = preds as [Predicate, Predicate, Predicate];
    return (p, e) => a(p, e) && b(p, e) && c(p, e);
  }
  if (preds.length === 4) {
    const [a, b, c, d] = preds as [Predicate, Predicate, Predicate, Predicate];
    return (p, e) => a(p, e) && b(p, e) && c(p, e) && d(p, e);
  }
  return (p, e) => {
    for (const pr of preds) if (!pr(p, e)) return false;
    return true;
  };
}
