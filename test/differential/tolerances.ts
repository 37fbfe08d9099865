/**
 * Known divergences of the simulator that the differential test tolerates, each one an entry of
 * docs/divergences.md. A tolerance that no case of a full run needs any more fails the run, so
 * that fixing the simulator also removes its tolerance (and its entry).
 */
import type { Tolerance } from "./compare.js";

export const TOLERANCES: Tolerance[] = [
  {
    id: "D-TCP-1",
    summary: "an ICMP net/host unreachable makes the simulator's connect() fail at once; for the kernel it is a soft error and connect() keeps retrying",
    explains: (item) => item.kind === "probe" && item.real === "no answer" && /(Network is unreachable|No route to host)$/.test(item.sim),
  },
  {
    id: "D-BR-2",
    summary: "bridged traffic that NAT rules touch (br_netfilter) gets its TTL decremented in the simulator; the kernel bridges it unchanged",
    explains: (item, c) =>
      item.kind === "probe" && /^reply from \S+ ttl=64$/.test(item.real) && item.sim === item.real.replace("ttl=64", "ttl=63") &&
      c.rules.some((r) => r.includes("-t nat") && r.includes("br0")),
  },
  {
    id: "D-BR-3",
    summary: "a packet DNATed back to its sender on the same bridge port is dropped by the kernel's bridge (no hairpin) before conntrack confirms it, so no entry is listed; the simulator lists an unreplied one",
    explains: (item) => {
      if (item.kind !== "conntrack" || item.side !== "sim") return false;
      const m = /^\w+ ([\d.]+) > \S+(?: type \d+)? \| reply ([\d.]+)(?::\d+)? > ([\d.]+) unreplied$/.exec(item.flow);
      return !!m && m[1] === m[2] && m[2] === m[3];
    },
  },
];
