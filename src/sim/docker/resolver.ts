/**
 * dockerd's embedded DNS server for a container on a user-defined network (libnetwork
 * resolver.go, resolver_unix.go). In the container's namespace the daemon binds a UDP and a TCP
 * socket to 127.0.0.11 port 0 (the kernel picks each port in ip_local_port_range), then programs
 * the namespace's nat table so that port 53 reaches them (setupIPTable, iptables -I each):
 *
 *   -N DOCKER_OUTPUT;      -I OUTPUT -d 127.0.0.11/32 -j DOCKER_OUTPUT
 *   -N DOCKER_POSTROUTING; -I POSTROUTING -d 127.0.0.11/32 -j DOCKER_POSTROUTING
 *   -I DOCKER_OUTPUT      -d 127.0.0.11/32 -p udp -m udp --dport 53 -j DNAT --to-destination 127.0.0.11:UDP
 *   -I DOCKER_POSTROUTING -s 127.0.0.11/32 -p udp -m udp --sport UDP -j SNAT --to-source :53
 *   -I DOCKER_OUTPUT      -d 127.0.0.11/32 -p tcp -m tcp --dport 53 -j DNAT --to-destination 127.0.0.11:TCP
 *   -I DOCKER_POSTROUTING -s 127.0.0.11/32 -p tcp -m tcp --sport TCP -j SNAT --to-source :53
 *
 * A query to 127.0.0.11:53 is DNATed in OUTPUT, loops through lo to the socket, and its answer
 * leaves the socket's port and is un-DNATed by conntrack back to port 53.
 */
import type { ListenHandle, NetnsApi, NfRule } from "../kernel/api.js";
import { answerQuery, DNS_TYPE } from "../kernel/wire/dns-message.js";
import { Iptables } from "./iptables.js";
import type { DaemonState } from "./daemon-state.js";
import type { Container } from "./state.js";

/** The address the resolver listens on in every container (resolverIPSandbox). */
export const RESOLVER_IP = "127.0.0.11";
const DNS_PORT = 53;
const OUTPUT_CHAIN = "DOCKER_OUTPUT";
const POSTROUTING_CHAIN = "DOCKER_POSTROUTING";

const host = (addr: string) => ({ addr, plen: 32, neg: false });
const rule = (r: Omit<NfRule, "counters">): NfRule => ({ ...r, counters: { packets: 0, bytes: 0 } });

/** The resolver's two port-53 redirections, in the order setupIPTable inserts them. */
function redirectRules(udpPort: number, tcpPort: number): Array<{ chain: string; rule: NfRule }> {
  const pair = (proto: "udp" | "tcp", port: number) => [
    {
      chain: OUTPUT_CHAIN,
      rule: rule({
        dst: host(RESOLVER_IP), proto: { name: proto, neg: false },
        matches: [{ kind: proto, dport: { from: DNS_PORT, to: DNS_PORT } }],
        target: { kind: "DNAT", toAddr: RESOLVER_IP, toPort: port },
      }),
    },
    {
      chain: POSTROUTING_CHAIN,
      rule: rule({
        src: host(RESOLVER_IP), proto: { name: proto, neg: false },
        matches: [{ kind: proto, sport: { from: port, to: port } }],
        target: { kind: "SNAT", toPort: DNS_PORT },
      }),
    },
  ];
  return [...pair("udp", udpPort), ...pair("tcp", tcpPort)];
}

/** Programs the container namespace's nat table for a resolver listening at `udpPort`/`tcpPort`. */
function setupIpTable(ns: NetnsApi, udpPort: number, tcpPort: number): void {
  const ipt = new Iptables(ns);
  ipt.batch(() => {
    for (const [hook, chain] of [["OUTPUT", OUTPUT_CHAIN], ["POSTROUTING", POSTROUTING_CHAIN]] as const) {
      const jump = rule({ dst: host(RESOLVER_IP), matches: [], target: { kind: "jump", chain } });
      // A namespace that has the jump already (a second start of the resolver) gets its chain
      // flushed; otherwise the chain is created and hooked in.
      if (ipt.exists("nat", hook, jump)) ipt.flush("nat", chain);
      else {
        ipt.newChain("nat", chain);
        ipt.insert("nat", hook, jump);
      }
    }
    for (const r of redirectRules(udpPort, tcpPort)) ipt.insert("nat", r.chain, r.rule);
  });
}

/**
 * Starts the embedded DNS server in `c`'s namespace (once per container start): the two sockets,
 * which join `c.handles` and close when it stops, and the nat rules that lead port 53 to them.
 */
export function startResolver(s: DaemonState, c: Container, ns: NetnsApi): ListenHandle[] {
  const udp = ns.udpListen(RESOLVER_IP, 0, (payload) => resolve(s, c, payload));
  const tcp = ns.tcpListen(RESOLVER_IP, 0, (req) => {
    // DNS over TCP: each message behind a two-byte length (RFC 1035 4.2.2).
    if (req.length < 2) return new Uint8Array();
    const len = (req[0]! << 8) | req[1]!;
    const answer = resolve(s, c, req.subarray(2, 2 + len));
    if (!answer) return new Uint8Array();
    const out = new Uint8Array(answer.length + 2);
    out[0] = answer.length >> 8;
    out[1] = answer.length & 0xff;
    out.set(answer, 2);
    return out;
  });
  setupIpTable(ns, udp.port, tcp.port);
  return [udp, tcp];
}

/**
 * The resolver's answers (libnetwork resolver.go): names of running containers sharing a
 * user-defined network with `c`. Answers carry RA and not AA (busybox nslookup prints
 * "Non-authoritative answer:"); an AAAA query for a known name gets an empty NOERROR answer (no
 * IPv6); unknown names get NXDOMAIN (the real resolver forwards them to the host's, which a
 * lesson world lacks). TTL 600 s (libnetwork respTTL).
 */
function resolve(s: DaemonState, c: Container, payload: Uint8Array): Uint8Array | undefined {
  return answerQuery(payload, (q) => {
    const name = q.name.toLowerCase().replace(/\.$/, "");
    const addrs: string[] = [];
    for (const [nid] of c.endpoints) {
      const n = s.networks.find((x) => x.id === nid);
      if (!n || n.isDefault) continue;
      for (const o of s.containers) {
        if (o.removed || o.state !== "running") continue;
        const ep = o.endpoints.get(nid);
        if (ep && (o.name === name || o.id.slice(0, 12) === name)) addrs.push(ep.ip);
      }
    }
    if (addrs.length === 0) return undefined;
    return q.type === DNS_TYPE.A ? addrs.map((a) => ({ name: q.name, type: DNS_TYPE.A, ttl: 600, data: a })) : [];
  });
}
