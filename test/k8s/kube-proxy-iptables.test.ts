/**
 * kube-proxy iptables-mode rules, checked against the constructed iptables-save of
 * /work/shared/reference/real-tools.md §1 (kubernetes pkg/proxy/iptables/proxier.go, 1.19, 1.22/1.23
 * and 1.24 files) and against the chain name printed in the source tutorial.
 */
import { describe, expect, it } from "vitest";
import { endpointChain, kubeProxyHash, serviceChain } from "../../src/sim/k8s/kubeproxy/hash.js";
import { computeProbability, formatStoredProbability, probabilityToU32 } from "../../src/sim/k8s/kubeproxy/probability.js";
import { generateIptablesRules } from "../../src/sim/k8s/kubeproxy/iptables.js";
import { applyDesired, emptyTable } from "../../src/sim/k8s/kubeproxy/apply.js";
import type { ProxyServicePort } from "../../src/sim/k8s/kubeproxy/model.js";
import { saveTable } from "./save-format.js";

describe("chain-name hashes (sha256 → base32 → 16 chars)", () => {
  it("matches kube-proxy's own test expectations and known real names", () => {
    expect(serviceChain("KUBE-SVC", "default/kubernetes:https", "TCP")).toBe("KUBE-SVC-NPX46M4PTMTKRN6Y");
    expect(serviceChain("KUBE-SVC", "kube-system/kube-dns:dns", "UDP")).toBe("KUBE-SVC-TCOU7JCQXEZGVUNU");
    expect(serviceChain("KUBE-SVC", "kube-system/kube-dns:dns-tcp", "TCP")).toBe("KUBE-SVC-ERIFXISQEP7F7OF4");
    expect(serviceChain("KUBE-SVC", "ns1/svc1:p80", "TCP")).toBe("KUBE-SVC-XPGD46QRK7WJZT7O");
    expect(endpointChain("ns1/svc1:p80", "TCP", "10.180.0.1:80")).toBe("KUBE-SEP-SXIVWICOYRO3J4NJ");
    expect(serviceChain("KUBE-SVC", "default/nginx", "TCP")).toBe("KUBE-SVC-2CMXP7HKUVJN7L6M");
    expect(endpointChain("default/nginx", "tcp", "10.244.1.2:80")).toBe("KUBE-SEP-L3TEFOPRMLPWJIHV");
  });
  it("reproduces the chain printed in the tutorial for default/nginx-server-service:http", () => {
    expect(kubeProxyHash("default/nginx-server-service:httptcp")).toBe("5MSM3UZHD6Y54CKX");
  });
});

describe("statistic probabilities", () => {
  it("writes 10 decimals and shows iptables-save's 11-decimal re-quantised value", () => {
    const shown = [2, 3, 4, 5, 6, 7, 8, 9, 10].map((n) => formatStoredProbability(probabilityToU32(computeProbability(n))));
    expect(computeProbability(3)).toBe("0.3333333333");
    expect(shown).toEqual([
      "0.50000000000", "0.33333333349", "0.25000000000", "0.20000000019", "0.16666666651",
      "0.14285714272", "0.12500000000", "0.11111111101", "0.10000000009",
    ]);
  });
});

const nginx: ProxyServicePort = {
  namespace: "default", name: "nginx", portName: "", protocol: "TCP", clusterIP: "10.96.123.45", port: 80,
  endpoints: [{ ip: "10.244.2.3", port: 80, local: false }, { ip: "10.244.1.2", port: 80, local: false }],
};

function natFor(version: string, ports: ProxyServicePort[]): string {
  const d = generateIptablesRules(ports, { version, clusterCIDR: "10.244.0.0/16", randomFully: true });
  return saveTable(applyDesired(emptyTable("nat"), d.nat));
}

describe("nat table by version", () => {
  it("v1.24+: KUBE-SVC holds the masquerade rule and '-> ip:port' comments", () => {
    expect(natFor("1.24", [nginx])).toBe(`*nat
:PREROUTING ACCEPT [0:0]
:INPUT ACCEPT [0:0]
:OUTPUT ACCEPT [0:0]
:POSTROUTING ACCEPT [0:0]
:KUBE-MARK-MASQ - [0:0]
:KUBE-NODEPORTS - [0:0]
:KUBE-POSTROUTING - [0:0]
:KUBE-SEP-L3TEFOPRMLPWJIHV - [0:0]
:KUBE-SEP-OI7NWIH7RAT2AOGF - [0:0]
:KUBE-SERVICES - [0:0]
:KUBE-SVC-2CMXP7HKUVJN7L6M - [0:0]
-A PREROUTING -m comment --comment "kubernetes service portals" -j KUBE-SERVICES
-A OUTPUT -m comment --comment "kubernetes service portals" -j KUBE-SERVICES
-A POSTROUTING -m comment --comment "kubernetes postrouting rules" -j KUBE-POSTROUTING
-A KUBE-MARK-MASQ -j MARK --set-xmark 0x4000/0x4000
-A KUBE-POSTROUTING -m mark ! --mark 0x4000/0x4000 -j RETURN
-A KUBE-POSTROUTING -j MARK --set-xmark 0x4000/0x0
-A KUBE-POSTROUTING -m comment --comment "kubernetes service traffic requiring SNAT" -j MASQUERADE --random-fully
-A KUBE-SEP-L3TEFOPRMLPWJIHV -s 10.244.1.2/32 -m comment --comment "default/nginx" -j KUBE-MARK-MASQ
-A KUBE-SEP-L3TEFOPRMLPWJIHV -p tcp -m comment --comment "default/nginx" -m tcp -j DNAT --to-destination 10.244.1.2:80
-A KUBE-SEP-OI7NWIH7RAT2AOGF -s 10.244.2.3/32 -m comment --comment "default/nginx" -j KUBE-MARK-MASQ
-A KUBE-SEP-OI7NWIH7RAT2AOGF -p tcp -m comment --comment "default/nginx" -m tcp -j DNAT --to-destination 10.244.2.3:80
-A KUBE-SERVICES -d 10.96.123.45/32 -p tcp -m comment --comment "default/nginx cluster IP" -m tcp --dport 80 -j KUBE-SVC-2CMXP7HKUVJN7L6M
-A KUBE-SERVICES -m comment --comment "kubernetes service nodeports; NOTE: this must be the last rule in this chain" -m addrtype --dst-type LOCAL -j KUBE-NODEPORTS
-A KUBE-SVC-2CMXP7HKUVJN7L6M ! -s 10.244.0.0/16 -d 10.96.123.45/32 -p tcp -m comment --comment "default/nginx cluster IP" -m tcp --dport 80 -j KUBE-MARK-MASQ
-A KUBE-SVC-2CMXP7HKUVJN7L6M -m comment --comment "default/nginx -> 10.244.1.2:80" -m statistic --mode random --probability 0.50000000000 -j KUBE-SEP-L3TEFOPRMLPWJIHV
-A KUBE-SVC-2CMXP7HKUVJN7L6M -m comment --comment "default/nginx -> 10.244.2.3:80" -j KUBE-SEP-OI7NWIH7RAT2AOGF
COMMIT
`);
  });

  it("v1.22/1.23: plain comments on the endpoint jumps", () => {
    const out = natFor("1.23", [nginx]).split("\n").filter((l) => l.startsWith("-A KUBE-SVC-"));
    expect(out).toEqual([
      '-A KUBE-SVC-2CMXP7HKUVJN7L6M ! -s 10.244.0.0/16 -d 10.96.123.45/32 -p tcp -m comment --comment "default/nginx cluster IP" -m tcp --dport 80 -j KUBE-MARK-MASQ',
      '-A KUBE-SVC-2CMXP7HKUVJN7L6M -m comment --comment "default/nginx" -m statistic --mode random --probability 0.50000000000 -j KUBE-SEP-L3TEFOPRMLPWJIHV',
      '-A KUBE-SVC-2CMXP7HKUVJN7L6M -m comment --comment "default/nginx" -j KUBE-SEP-OI7NWIH7RAT2AOGF',
    ]);
  });

  it("≤v1.21: the masquerade rule sits in KUBE-SERVICES before the jump", () => {
    const out = natFor("1.21", [nginx]).split("\n").filter((l) => l.startsWith("-A KUBE-SERVICES"));
    expect(out).toEqual([
      '-A KUBE-SERVICES ! -s 10.244.0.0/16 -d 10.96.123.45/32 -p tcp -m comment --comment "default/nginx cluster IP" -m tcp --dport 80 -j KUBE-MARK-MASQ',
      '-A KUBE-SERVICES -d 10.96.123.45/32 -p tcp -m comment --comment "default/nginx cluster IP" -m tcp --dport 80 -j KUBE-SVC-2CMXP7HKUVJN7L6M',
      '-A KUBE-SERVICES -m comment --comment "kubernetes service nodeports; NOTE: this must be the last rule in this chain" -m addrtype --dst-type LOCAL -j KUBE-NODEPORTS',
    ]);
  });

  it("NodePort: KUBE-EXT in 1.24+, KUBE-SVC masquerade in 1.22, two KUBE-NODEPORTS rules before", () => {
    const np = { ...nginx, nodePort: 30080 };
    const grep = (v: string) => natFor(v, [np]).split("\n").filter((l) => /30080|KUBE-EXT-2CMXP7HKUVJN7L6M/.test(l) && l.startsWith("-A"));
    expect(grep("1.24")).toEqual([
      '-A KUBE-EXT-2CMXP7HKUVJN7L6M -m comment --comment "masquerade traffic for default/nginx external destinations" -j KUBE-MARK-MASQ',
      "-A KUBE-EXT-2CMXP7HKUVJN7L6M -j KUBE-SVC-2CMXP7HKUVJN7L6M",
      '-A KUBE-NODEPORTS -p tcp -m comment --comment "default/nginx" -m tcp --dport 30080 -j KUBE-EXT-2CMXP7HKUVJN7L6M',
    ]);
    expect(grep("1.22")).toEqual([
      '-A KUBE-NODEPORTS -p tcp -m comment --comment "default/nginx" -m tcp --dport 30080 -j KUBE-SVC-2CMXP7HKUVJN7L6M',
      '-A KUBE-SVC-2CMXP7HKUVJN7L6M -p tcp -m comment --comment "default/nginx" -m tcp --dport 30080 -j KUBE-MARK-MASQ',
    ]);
    expect(grep("1.20")).toEqual([
      '-A KUBE-NODEPORTS -p tcp -m comment --comment "default/nginx" -m tcp --dport 30080 -j KUBE-MARK-MASQ',
      '-A KUBE-NODEPORTS -p tcp -m comment --comment "default/nginx" -m tcp --dport 30080 -j KUBE-SVC-2CMXP7HKUVJN7L6M',
    ]);
  });

  it("endpoints sort as strings, so .10 comes before .2, with probabilities 1/3, 1/2, none", () => {
    const three = { ...nginx, endpoints: [2, 10, 3].map((n) => ({ ip: `10.244.1.${n}`, port: 80, local: false })) };
    const out = natFor("1.28", [three]).split("\n").filter((l) => l.startsWith("-A KUBE-SVC-") && l.includes("->"));
    expect(out.map((l) => l.replace(/ -j KUBE-SEP-\w+$/, ""))).toEqual([
      '-A KUBE-SVC-2CMXP7HKUVJN7L6M -m comment --comment "default/nginx -> 10.244.1.10:80" -m statistic --mode random --probability 0.33333333349',
      '-A KUBE-SVC-2CMXP7HKUVJN7L6M -m comment --comment "default/nginx -> 10.244.1.2:80" -m statistic --mode random --probability 0.50000000000',
      '-A KUBE-SVC-2CMXP7HKUVJN7L6M -m comment --comment "default/nginx -> 10.244.1.3:80"',
    ]);
  });

  it("a service without endpoints gets a filter REJECT and no nat rules", () => {
    const d = generateIptablesRules([{ ...nginx, endpoints: [] }], { version: "1.28", clusterCIDR: "10.244.0.0/16" });
    const filter = saveTable(applyDesired(emptyTable("filter"), d.filter));
    expect(filter.split("\n").filter((l) => l.startsWith("-A KUBE-SERVICES"))).toEqual([
      '-A KUBE-SERVICES -d 10.96.123.45/32 -p tcp -m comment --comment "default/nginx has no endpoints" -m tcp --dport 80 -j REJECT --reject-with icmp-port-unreachable',
    ]);
    expect(saveTable(applyDesired(emptyTable("nat"), d.nat))).not.toContain("KUBE-SVC-");
  });
});

describe("applying to a live table", () => {
  it("keeps others' rules, prepends missing jumps once, deletes stale service chains", () => {
    const base = emptyTable("nat");
    base.chains[3]!.rules.push({ matches: [], src: { addr: "172.17.0.0", plen: 16, neg: false }, target: { kind: "MASQUERADE" }, counters: { packets: 0, bytes: 0 } });
    base.chains.push({ name: "DOCKER", rules: [], counters: { packets: 0, bytes: 0 } });
    const cfg = { version: "1.28", clusterCIDR: "10.244.0.0/16" };
    const once = applyDesired(base, generateIptablesRules([nginx], cfg).nat);
    const twice = applyDesired(once, generateIptablesRules([], cfg).nat);
    const out = saveTable(twice);
    expect(out).toContain(":DOCKER - [0:0]");
    expect(out).not.toContain("KUBE-SVC-");
    expect(out).not.toContain("KUBE-SEP-");
    expect(out.split("\n").filter((l) => l.startsWith("-A POSTROUTING"))).toEqual([
      '-A POSTROUTING -m comment --comment "kubernetes postrouting rules" -j KUBE-POSTROUTING',
      "-A POSTROUTING -s 172.17.0.0/16 -j MASQUERADE",
    ]);
  });
});
