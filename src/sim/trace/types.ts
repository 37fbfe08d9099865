/**
 * The explained trace: what `lab trace` prints, grading feedback quotes and the docs' packet-path
 * figures draw. Built from the kernel's TraceEvents (src/sim/kernel/api.ts) by `explain`.
 */

/** Where a step happened. */
export interface StepWhere {
  host: string;
  netns: string;
  dev?: string;
}

/** One explained step of a packet's path. */
export type TraceStep = StepWhere &
  (
    | { kind: "send"; packet: string; lladdr?: string; text: string }
    | { kind: "recv"; packet: string; text: string }
    | { kind: "veth"; from: string; to: string; peerNetns: string; text: string }
    | { kind: "bridge"; bridge: string; mac: string; action: "forward" | "flood" | "local" | "flood-local" | "dnat" | "filtered"; port?: string; text: string }
    | { kind: "route"; dst: string; decision: "forward" | "output" | "local" | "reroute"; via?: string; outDev?: string; route?: string; src?: string; text: string }
    | { kind: "arp"; op: "request" | "reply" | "answer"; ip: string; mac?: string; text: string }
    | {
        kind: "netfilter";
        hook: string;
        table: string;
        bridged: boolean;
        /** Chains entered, in order. */
        chains: string[];
        /** Rules that matched, as `iptables -S` prints them. */
        matched: string[];
        /** Rules evaluated (matching or not) in this table at this hook. */
        evaluated: number;
        /** The table's verdict at this hook: the last matched rule's target, or `policy X`. */
        verdict: string;
        text: string;
      }
    | { kind: "nat"; hook: string; manip: "source" | "destination"; before: string; after: string; text: string }
    | { kind: "conntrack"; hook: string; state: string; direction?: "original" | "reply"; flow: string; text: string }
    | { kind: "vxlan-encap"; dev: string; vni: number; remote: string; port: number; text: string }
    | { kind: "vxlan-decap"; dev: string; vni: number; outerSrc: string; text: string }
    | { kind: "deliver"; packet: string; text: string }
    | { kind: "reply"; text: string }
    | { kind: "drop"; reason: string; text: string }
    | { kind: "note"; text: string }
  );

/** How the probe ended, and why. */
export type Disposition =
  | { kind: "delivered"; reason: string }
  | { kind: "reset"; reason: string }
  | { kind: "dropped"; reason: string }
  | { kind: "no-route"; reason: string }
  | { kind: "neighbour-unreachable"; reason: string }
  | { kind: "port-unreachable"; reason: string }
  | { kind: "lost"; reason: string };

/** A whole explained trace: the probe's path, the reply's path, and the disposition. */
export interface ExplainedTrace {
  probe: TraceStep[];
  reply: TraceStep[];
  disposition: Disposition;
}
