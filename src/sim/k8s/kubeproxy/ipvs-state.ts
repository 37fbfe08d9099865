/**
 * kube-proxy, IPVS mode: the kernel state one sync wants on a node, as pure data.
 *
 *   per service port:  VIP bound /32 on kube-ipvs0 · virtual server VIP:port (rr)
 *                      · real servers = cluster endpoints (Masq, weight 1) · KUBE-CLUSTER-IP VIP,proto:port
 *   per NodePort:      a virtual server on every node address · KUBE-NODE-PORT-TCP/UDP port
 *                      (externalTrafficPolicy: Local → only this node's endpoints, if it has any)
 *   per local endpoint: KUBE-LOOP-BACK ip,proto:port,ip (hairpin masquerade)
 *
 * Source: kubernetes/kubernetes pkg/proxy/ipvs/proxier.go `syncProxyRules` (the loop over
 * svcPortMap), `syncService`, `syncEndpoint` (RealServer{Address, Port, Weight: 1}, forwarding
 * method left at 0 = IP_VS_CONN_F_MASQ) and netlink_linux.go (`EnsureDummyDevice`: a dummy link
 * never set up, created from a bare `netlink.LinkAttrs{Name}` whose TxQLen 0 vishvananda/netlink
 * sends as IFLA_TXQLEN 0, so `ip link` prints no qlen; `EnsureAddressBind`: the VIP as a /32,
 * scope global). Node addresses for
 * NodePorts: every address of every link but kube-ipvs0; loopback is left out from v1.27 on
 * (`isValidForSet`, issue #114815), older releases took 127.0.0.1 from the local table too.
 */
import type { IpsetEntry, IpvsDestSpec, IpvsServiceSpec } from "../../kernel/api.js";
import { minorOf, type ProxyConfig, type ProxyServicePort } from "./model.js";
import { generateIpvsRules } from "./ipvs-rules.js";
import { ipvsSets, SET } from "./ipvs-sets.js";
import type { DesiredRules } from "./iptables.js";

/** The dummy device the VIPs are bound to (`defaultDummyDevice`). */
export const DUMMY_DEVICE = "kube-ipvs0";
/** `defaultScheduler`. */
export const SCHEDULER = "rr";

/** One virtual server and the real servers it should have. */
export interface DesiredService {
  spec: IpvsServiceSpec;
  dests: IpvsDestSpec[];
}

/** What one IPVS-mode sync wants in the node's kernel. */
export interface IpvsDesired {
  /** VIPs to bind (as /32) on kube-ipvs0. */
  bindAddrs: string[];
  services: DesiredService[];
  /** Members per set name, for every set kube-proxy creates (empty sets included). */
  sets: Map<string, IpsetEntry[]>;
  rules: DesiredRules;
}

/** Node addresses kube-proxy `version` opens NodePorts on, from every IPv4 address of the node except kube-ipvs0's. */
export function nodePortAddresses(addrs: Array<{ dev: string; ip: string }>, version: string): string[] {
  const minor = minorOf(version);
  const out = new Set<string>();
  for (const a of addrs) {
    if (a.dev === DUMMY_DEVICE) continue;
    if (minor >= 27 && a.ip.startsWith("127.")) continue;
    if (minor < 27 && a.ip.startsWith("127.") && a.ip !== "127.0.0.1") continue;
    out.add(a.ip);
  }
  return [...out];
}

/**
 * The kernel state kube-proxy (IPVS mode) wants for `ports` on a node with `nodeIPs`.
 * `stickySec` maps "namespace/name" of a Service with `sessionAffinity: ClientIP` to its
 * timeoutSeconds: its virtual servers are persistent for that long (FlagPersistent, Timeout;
 * netmask 255.255.255.255 as pkg/proxy/ipvs/util/ipvs_linux.go toIPVSService sets for IPv4).
 */
export function generateIpvsState(ports: ProxyServicePort[], cfg: ProxyConfig, nodeIPs: string[], stickySec: ReadonlyMap<string, number> = new Map()): IpvsDesired {
  const minor = minorOf(cfg.version);
  const sets = new Map<string, IpsetEntry[]>(ipvsSets(minor).map((s) => [s.name, []]));
  const seen = new Map<string, Set<string>>();
  const add = (set: string, e: IpsetEntry) => {
    const key = JSON.stringify(e);
    let keys = seen.get(set);
    if (!keys) seen.set(set, (keys = new Set()));
    if (keys.has(key)) return;
    keys.add(key);
    sets.get(set)!.push(e);
  };
  const services: DesiredService[] = [];
  const bind = new Set<string>();

  for (const sp of ports) {
    // IPVS virtual services here are TCP or UDP (the kernel model has no SCTP).
    if (sp.protocol === "SCTP") continue;
    const proto = sp.protocol === "UDP" ? "udp" : "tcp";
    const sticky = stickySec.get(`${sp.namespace}/${sp.name}`);
    const vs = (addr: string, port: number): IpvsServiceSpec => ({
      proto, addr, port, scheduler: SCHEDULER, ...(sticky !== undefined ? { persistent: { timeoutSec: sticky, netmask: "255.255.255.255" } } : {}),
    });
    for (const ep of sp.endpoints) {
      if (ep.local) add(SET.loopBack, { ip: ep.ip, proto, port: ep.port, ip2: ep.ip });
    }
    add(SET.clusterIP, { ip: sp.clusterIP, proto, port: sp.port });
    const dests = (eps: ProxyServicePort["endpoints"]): IpvsDestSpec[] => {
      const uniq = new Map<string, IpvsDestSpec>();
      for (const e of eps) uniq.set(`${e.ip}:${e.port}`, { addr: e.ip, port: e.port, weight: 1, fwd: "masq" });
      return [...uniq.values()];
    };
    services.push({ spec: vs(sp.clusterIP, sp.port), dests: dests(sp.endpoints) });
    bind.add(sp.clusterIP);

    if (sp.nodePort !== undefined && nodeIPs.length > 0) {
      add(proto === "udp" ? SET.nodePortUDP : SET.nodePortTCP, { port: sp.nodePort });
      const local = sp.externalTrafficPolicy === "Local";
      if (local) add(proto === "udp" ? SET.nodePortLocalUDP : SET.nodePortLocalTCP, { port: sp.nodePort });
      // syncEndpoint(onlyNodeLocalEndpoints): local endpoints, or all of them when there are none (PR #97081).
      const mine = sp.endpoints.filter((e) => e.local);
      const eps = local && mine.length > 0 ? mine : sp.endpoints;
      for (const ip of nodeIPs) services.push({ spec: vs(ip, sp.nodePort), dests: dests(eps) });
    }
  }
  const bindAddrs = [...bind];
  if (sets.has(SET.ipvsIPs)) for (const ip of bindAddrs) add(SET.ipvsIPs, { ip });
  const nonEmpty = new Set([...sets].filter(([, v]) => v.length > 0).map(([k]) => k));
  return { bindAddrs, services, sets, rules: generateIpvsRules(nonEmpty, cfg) };
}
