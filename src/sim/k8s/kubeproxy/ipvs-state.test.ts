import { describe, expect, it } from "vitest";
import { ruleText } from "../../kernel/wire/nf-rule-text.js";
import type { DesiredTable } from "./iptables.js";
import { entryText, setDef } from "./ipvs-sets.js";
import { generateIpvsState, nodePortAddresses } from "./ipvs-state.js";
import type { ProxyServicePort } from "./model.js";

const ports: ProxyServicePort[] = [
  { namespace: "default", name: "kubernetes", portName: "https", protocol: "TCP", clusterIP: "10.96.0.1", port: 443, endpoints: [{ ip: "192.168.56.10", port: 6443, local: false }] },
  { namespace: "kube-system", name: "kube-dns", portName: "dns", protocol: "UDP", clusterIP: "10.96.0.10", port: 53, endpoints: [{ ip: "10.244.0.2", port: 53, local: false }] },
  {
    namespace: "default", name: "web", portName: "http", protocol: "TCP", clusterIP: "10.100.0.5", port: 80, nodePort: 30080,
    endpoints: [{ ip: "10.244.2.3", port: 80, local: false }, { ip: "10.244.1.4", port: 80, local: true }],
  },
  { namespace: "default", name: "empty", portName: "", protocol: "TCP", clusterIP: "10.100.0.9", port: 8080, endpoints: [] },
];

function lines(t: DesiredTable): string[] {
  const out = t.jumps.map((j) => ruleText(j.chain, j.rule));
  for (const [c, rules] of t.chains) {
    out.push(`:${c}`);
    for (const r of rules) out.push(ruleText(c, r));
  }
  return out;
}

describe("kube-proxy IPVS mode: desired state", () => {
  const cfg = { version: "1.28", clusterCIDR: "10.244.0.0/16", randomFully: true };
  const d = generateIpvsState(ports, cfg, ["192.168.56.11", "10.244.1.0", "10.244.1.1"]);

  it("binds every ClusterIP on kube-ipvs0 and makes a virtual server per ClusterIP:port and per node address:NodePort", () => {
    expect(d.bindAddrs).toEqual(["10.96.0.1", "10.96.0.10", "10.100.0.5", "10.100.0.9"]);
    const vs = d.services.map((s) => `${s.spec.proto} ${s.spec.addr}:${s.spec.port} ${s.spec.scheduler} -> ${s.dests.map((x) => `${x.addr}:${x.port}/${x.fwd}/${x.weight}`).join(" ")}`);
    expect(vs).toEqual([
      "tcp 10.96.0.1:443 rr -> 192.168.56.10:6443/masq/1",
      "udp 10.96.0.10:53 rr -> 10.244.0.2:53/masq/1",
      "tcp 10.100.0.5:80 rr -> 10.244.2.3:80/masq/1 10.244.1.4:80/masq/1",
      "tcp 192.168.56.11:30080 rr -> 10.244.2.3:80/masq/1 10.244.1.4:80/masq/1",
      "tcp 10.244.1.0:30080 rr -> 10.244.2.3:80/masq/1 10.244.1.4:80/masq/1",
      "tcp 10.244.1.1:30080 rr -> 10.244.2.3:80/masq/1 10.244.1.4:80/masq/1",
      "tcp 10.100.0.9:8080 rr -> ",
    ]);
  });

  it("fills the sets as utilipset writes entries", () => {
    const text = [...d.sets].filter(([, m]) => m.length).map(([name, m]) => `${name}: ${m.map((e) => entryText(setDef(name).type, e)).join(" ")}`);
    expect(text).toEqual([
      "KUBE-LOOP-BACK: 10.244.1.4,tcp:80,10.244.1.4",
      "KUBE-CLUSTER-IP: 10.96.0.1,tcp:443 10.96.0.10,udp:53 10.100.0.5,tcp:80 10.100.0.9,tcp:8080",
      "KUBE-NODE-PORT-TCP: 30080",
      "KUBE-IPVS-IPS: 10.96.0.1 10.96.0.10 10.100.0.5 10.100.0.9",
    ]);
    expect([...d.sets.keys()]).toHaveLength(17);
  });

  it("writes the v1.28 nat and filter rules (they match sets, so they do not grow with services)", () => {
    expect(lines(d.rules.nat)).toEqual([
      '-A OUTPUT -m comment --comment "kubernetes service portals" -j KUBE-SERVICES',
      '-A PREROUTING -m comment --comment "kubernetes service portals" -j KUBE-SERVICES',
      '-A POSTROUTING -m comment --comment "kubernetes postrouting rules" -j KUBE-POSTROUTING',
      ":KUBE-SERVICES",
      '-A KUBE-SERVICES ! -s 10.244.0.0/16 -m comment --comment "Kubernetes service cluster ip + port for masquerade purpose" -m set --match-set KUBE-CLUSTER-IP dst,dst -j KUBE-MARK-MASQ',
      "-A KUBE-SERVICES -m addrtype --dst-type LOCAL -j KUBE-NODE-PORT",
      "-A KUBE-SERVICES -m set --match-set KUBE-CLUSTER-IP dst,dst -j ACCEPT",
      ":KUBE-POSTROUTING",
      '-A KUBE-POSTROUTING -m comment --comment "Kubernetes endpoints dst ip:port, source ip for solving hairpin purpose" -m set --match-set KUBE-LOOP-BACK dst,dst,src -j MASQUERADE',
      "-A KUBE-POSTROUTING -m mark ! --mark 0x4000/0x4000 -j RETURN",
      "-A KUBE-POSTROUTING -j MARK --set-xmark 0x4000/0x0",
      '-A KUBE-POSTROUTING -m comment --comment "kubernetes service traffic requiring SNAT" -j MASQUERADE --random-fully',
      ":KUBE-NODE-PORT",
      '-A KUBE-NODE-PORT -p tcp -m comment --comment "Kubernetes nodeport TCP port for masquerade purpose" -m set --match-set KUBE-NODE-PORT-TCP dst -j KUBE-MARK-MASQ',
      ":KUBE-LOAD-BALANCER",
      "-A KUBE-LOAD-BALANCER -j KUBE-MARK-MASQ",
      ":KUBE-MARK-MASQ",
      "-A KUBE-MARK-MASQ -j MARK --set-xmark 0x4000/0x4000",
    ]);
    expect(lines(d.rules.filter)).toEqual([
      '-A FORWARD -m comment --comment "kubernetes forwarding rules" -j KUBE-FORWARD',
      '-A INPUT -m comment --comment "kubernetes health check rules" -j KUBE-NODE-PORT',
      '-A INPUT -m comment --comment "kube-proxy firewall rules" -j KUBE-PROXY-FIREWALL',
      '-A FORWARD -m comment --comment "kube-proxy firewall rules" -j KUBE-PROXY-FIREWALL',
      '-A INPUT -m comment --comment "kubernetes ipvs access filter" -j KUBE-IPVS-FILTER',
      ":KUBE-FORWARD",
      '-A KUBE-FORWARD -m comment --comment "kubernetes forwarding rules" -m mark --mark 0x4000/0x4000 -j ACCEPT',
      '-A KUBE-FORWARD -m comment --comment "kubernetes forwarding conntrack rule" -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT',
      ":KUBE-NODE-PORT",
      '-A KUBE-NODE-PORT -m comment --comment "Kubernetes health check node port" -m set --match-set KUBE-HEALTH-CHECK-NODE-PORT dst -j ACCEPT',
      ":KUBE-PROXY-FIREWALL",
      ":KUBE-SOURCE-RANGES-FIREWALL",
      "-A KUBE-SOURCE-RANGES-FIREWALL -j DROP",
      ":KUBE-IPVS-FILTER",
      "-A KUBE-IPVS-FILTER -m set --match-set KUBE-LOAD-BALANCER dst,dst -j RETURN",
      "-A KUBE-IPVS-FILTER -m set --match-set KUBE-CLUSTER-IP dst,dst -j RETURN",
      "-A KUBE-IPVS-FILTER -m set --match-set KUBE-EXTERNAL-IP dst,dst -j RETURN",
      "-A KUBE-IPVS-FILTER -m set --match-set KUBE-EXTERNAL-IP-LOCAL dst,dst -j RETURN",
      "-A KUBE-IPVS-FILTER -m set --match-set KUBE-HEALTH-CHECK-NODE-PORT dst -j RETURN",
      "-A KUBE-IPVS-FILTER -m conntrack --ctstate NEW -m set --match-set KUBE-IPVS-IPS dst -j REJECT --reject-with icmp-port-unreachable",
    ]);
  });

  it("externalTrafficPolicy: Local sends NodePort traffic to this node's endpoints only, and RETURNs before masquerading", () => {
    const local = generateIpvsState([{ ...ports[2]!, externalTrafficPolicy: "Local" }], cfg, ["192.168.56.11"]);
    expect(local.services.map((s) => `${s.spec.addr}:${s.spec.port} -> ${s.dests.map((x) => x.addr).join(" ")}`)).toEqual([
      "10.100.0.5:80 -> 10.244.2.3 10.244.1.4",
      "192.168.56.11:30080 -> 10.244.1.4",
    ]);
    expect(lines(local.rules.nat).filter((l) => l.startsWith("-A KUBE-NODE-PORT"))).toEqual([
      '-A KUBE-NODE-PORT -p tcp -m comment --comment "Kubernetes nodeport TCP port with externalTrafficPolicy=local" -m set --match-set KUBE-NODE-PORT-LOCAL-TCP dst -j RETURN',
      '-A KUBE-NODE-PORT -p tcp -m comment --comment "Kubernetes nodeport TCP port for masquerade purpose" -m set --match-set KUBE-NODE-PORT-TCP dst -j KUBE-MARK-MASQ',
    ]);
  });

  it("follows the version: no KUBE-IPVS-FILTER before 1.26; KUBE-IPVS-OUT-FILTER and the loopback RETURN from 1.29", () => {
    const v125 = generateIpvsState(ports, { ...cfg, version: "1.25" }, ["192.168.56.11"]);
    expect([...v125.rules.filter.chains.keys()]).toEqual(["KUBE-FORWARD", "KUBE-NODE-PORT", "KUBE-PROXY-FIREWALL", "KUBE-SOURCE-RANGES-FIREWALL"]);
    expect(v125.sets.has("KUBE-IPVS-IPS")).toBe(false);
    const v127 = generateIpvsState(ports, { ...cfg, version: "1.27" }, ["192.168.56.11"]);
    expect(v127.rules.filter.chains.get("KUBE-IPVS-FILTER")!.map((r) => ruleText("KUBE-IPVS-FILTER", r))).toEqual([
      "-A KUBE-IPVS-FILTER -m set --match-set KUBE-LOAD-BALANCER dst,dst -j RETURN",
      "-A KUBE-IPVS-FILTER -m set --match-set KUBE-CLUSTER-IP dst,dst -j RETURN",
      "-A KUBE-IPVS-FILTER -m set --match-set KUBE-EXTERNAL-IP dst,dst -j RETURN",
      "-A KUBE-IPVS-FILTER -m conntrack --ctstate NEW -m set --match-set KUBE-IPVS-IPS dst -j REJECT --reject-with icmp-port-unreachable",
    ]);
    const v129 = generateIpvsState(ports, { ...cfg, version: "1.29" }, ["192.168.56.11"]);
    expect(ruleText("KUBE-SERVICES", v129.rules.nat.chains.get("KUBE-SERVICES")![0]!)).toBe("-A KUBE-SERVICES -s 127.0.0.0/8 -j RETURN");
    expect(v129.rules.filter.jumps.map((j) => ruleText(j.chain, j.rule)).at(-1)).toBe('-A OUTPUT -m comment --comment "kubernetes ipvs access filter" -j KUBE-IPVS-OUT-FILTER');
  });

  it("takes NodePort addresses from every link but kube-ipvs0, loopback only before 1.27", () => {
    const addrs = [
      { dev: "lo", ip: "127.0.0.1" },
      { dev: "eth0", ip: "192.168.56.11" },
      { dev: "kube-ipvs0", ip: "10.96.0.1" },
      { dev: "cni0", ip: "10.244.1.1" },
    ];
    expect(nodePortAddresses(addrs, "1.28")).toEqual(["192.168.56.11", "10.244.1.1"]);
    expect(nodePortAddresses(addrs, "1.26")).toEqual(["127.0.0.1", "192.168.56.11", "10.244.1.1"]);
  });

  it("makes the virtual servers of a sessionAffinity: ClientIP service persistent for its timeout", () => {
    const sticky = generateIpvsState([ports[2]!], cfg, ["192.168.56.11"], new Map([["default/web", 10800]]));
    expect(sticky.services.map((s) => s.spec)).toEqual([
      { proto: "tcp", addr: "10.100.0.5", port: 80, scheduler: "rr", persistent: { timeoutSec: 10800, netmask: "255.255.255.255" } },
      { proto: "tcp", addr: "192.168.56.11", port: 30080, scheduler: "rr", persistent: { timeoutSec: 10800, netmask: "255.255.255.255" } },
    ]);
  });
});
