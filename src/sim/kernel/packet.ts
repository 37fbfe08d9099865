/**
 * An IPv4 packet as the simulated kernel moves it. Addresses are dotted strings for
 * readability in traces; the kernel may cache numeric forms. Payloads stay abstract:
 * the application bytes of a TCP request/response or a UDP datagram.
 *
 *   l2 (only on a wire/bridge) ─ ip ─ icmp | tcp | udp ─ payload
 *   VXLAN: the inner frame rides as `encap` inside an outer UDP packet to dstport.
 */
import type { ConntrackEntry, NfTable, NfTableName } from "./api.js";

export interface Packet {
  /** Unique per world, for traces. A reply gets a new id and `replyTo`. */
  id: number;
  replyTo?: number;
  l2?: { src: string; dst: string };
  ip: {
    src: string; dst: string; ttl: number; proto: "icmp" | "tcp" | "udp"; len: number;
    /** Don't Fragment (sockets in IP_PMTUDISC_WANT set it; ICMP replies and VXLAN outer packets do not). */
    df?: boolean;
    /** How many IP fragments the datagram travels as on the current link (absent: 1). Reassembled at its destination. */
    frags?: number;
  };
  icmp?: {
    type: number; code: number; id?: number; seq?: number;
    /** For ICMP errors: the offending packet's headers. */ inner?: Packet;
    /** Fragmentation needed (type 3 code 4): the next-hop MTU. */ mtu?: number;
  };
  tcp?: { sport: number; dport: number; flags: Array<"SYN" | "ACK" | "RST" | "FIN" | "PSH"> };
  udp?: { sport: number; dport: number };
  payload?: Uint8Array;
  /** VXLAN: the inner Ethernet frame carried by this outer UDP packet. */
  encap?: { vni: number; frame: Packet };
  /** skb->mark */
  mark: number;
  /**
   * Set when the frame is ARP (ethertype 0x0806) rather than IPv4: on a wire, a bridge or inside a
   * VXLAN `encap`. `ip` then mirrors spa→tpa for traces only; ARP frames never reach netfilter.
   */
  arp?: ArpMessage;
}

/** An ARP message for Ethernet/IPv4 (RFC 826): sender and target hardware and protocol addresses. */
export interface ArpMessage {
  op: "request" | "reply";
  sha: string;
  spa: string;
  tha: string;
  tpa: string;
}

export type Hook = "PREROUTING" | "INPUT" | "FORWARD" | "OUTPUT" | "POSTROUTING";

/** What the netfilter layer needs to know about where a packet is, at one hook. */
export interface HookContext {
  hook: Hook;
  /** Input device name (PREROUTING, INPUT, FORWARD); for bridged traffic the bridge. */
  inDev?: string;
  /** Output device name (FORWARD, OUTPUT, POSTROUTING). */
  outDev?: string;
  /** Bridge ports when the packet is bridged (br_netfilter, `-m physdev`). */
  physIn?: string;
  physOut?: string;
  /** True when called from the bridge path because bridge-nf-call-iptables = 1. */
  bridged?: boolean;
  /** Local address test for `-m addrtype` (LOCAL, UNICAST, BROADCAST, ...), answered by the namespace. */
  addrType(addr: string, dev?: string): string[];
  /** Address the namespace would use as source on `dev` (MASQUERADE). */
  primaryAddr(dev: string, towards: string): string | undefined;
  /** Virtual now, for conntrack timeouts. */
  now: number;
  /**
   * xt_set: whether the packet's fields picked by `flags` (src/dst per dimension) form an element
   * of the namespace's set `name`; false when the set is gone. Absent: no ipset in this kernel.
   */
  ipsetMatch?(name: string, flags: ReadonlyArray<"src" | "dst">, pkt: Packet, /** Count the packet on a `counters` set's member (false: `! --update-counters`). */ update?: boolean): boolean;
  /**
   * IPVS at its netfilter hooks (ip_vs_core.c ip_vs_ops4): "reply" de-NATs a real server's reply
   * (LOCAL_IN, FORWARD), "request" schedules and forwards a packet for a virtual service
   * (LOCAL_IN for remote clients, LOCAL_OUT for local ones). Absent: no IPVS in this namespace.
   */
  ipvs?(stage: "reply" | "request", pkt: Packet, ctx: HookContext): IpvsHookResult;
  /** IPVS itself sends the packet on (ip_vs_send_or_cont, skb->ipvs_property): it keeps its conntrack entry through LOCAL_OUT. */
  ipvsSent?: boolean;
  /** False when nobody records the packet trace: the engine then builds no trace lines (`takeTrace` has none). Absent: recorded. */
  tracing?: boolean;
}

/** What IPVS did with a packet at one hook: let it go on (maybe rewritten), or took it (transmitted it itself, or dropped it). */
export type IpvsHookResult =
  /** `reason`, when IPVS rewrote the packet (a reply's source back to the VIP), goes to the trace. */
  | { verdict: "continue"; pkt: Packet; reason?: string; /** ip_vs_notrack (net.ipv4.vs.conntrack=0): the packet leaves conntrack. */ notrack?: boolean }
  /** ip_vs_nat_xmit: the rewritten packet leaves through LOCAL_OUT and POSTROUTING (ip_vs_send_or_cont); the hook stops. */
  | { verdict: "xmit"; pkt: Packet; reason: string; /** Direct routing: the real server, reached as the next hop while the destination stays the VIP. */ nextHop?: string; /** ip_vs_notrack (net.ipv4.vs.conntrack=0). */ notrack?: boolean }
  | { verdict: "drop"; reason: string }
  /** ip_vs_leave: no real server available; ICMP port unreachable to the client, then drop. */
  | { verdict: "reject"; reason: string; with: string };

/** Verdict of one hook: the (maybe rewritten) packet goes on, or it stops with a reason. */
export type HookVerdict =
  | { verdict: "accept"; pkt: Packet }
  | { verdict: "drop"; reason: string }
  | { verdict: "reject"; reason: string; /** ICMP type/code or TCP RST to send back. */ with: string }
  /** IPVS took the packet (additive): the ip path sends `pkt`, rewritten to a real server, out through LOCAL_OUT. */
  | { verdict: "xmit"; reason: string; pkt: Packet; nextHop?: string };

/**
 * The netfilter engine of one namespace, as the ip path calls it. Conntrack lookup/creation
 * happens inside (before nat, as nf_conntrack_in does); NAT decisions are made on a flow's
 * first packet and applied to later and reply packets from the conntrack entry.
 */
export interface NetfilterEngine {
  runHook(pkt: Packet, ctx: HookContext): HookVerdict;
  tableGet(name: NfTableName): NfTable;
  /** Atomic replace; throws KernelError(EINVAL/ELOOP/ENOENT) for an invalid table (a jump to a missing chain, a loop). */
  tableReplace(name: NfTableName, next: NfTable): void;
  conntrackList(now: number): ConntrackEntry[];
  conntrackFlush(): void;
  /** Rules evaluated since creation (for the scale lesson and benchmarks). */
  readonly rulesEvaluated: number;
  /** Trace lines produced by the last runHook (rules evaluated, rule matched, NAT before/after). */
  takeTrace(): Array<{ text: string; detail?: Record<string, unknown> }>;
}

/** Builds a namespace's netfilter engine; implemented in netfilter/, called by the namespace. */
export type NetfilterFactory = (deps: { rng: import("../../core/random.js").Rng; nsLabel: string }) => NetfilterEngine;
