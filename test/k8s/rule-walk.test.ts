/**
 * The rule-walk counter: in iptables mode a new connection to the k-th service is evaluated
 * against every KUBE-SERVICES rule before it (ipt_do_table walks the chain linearly), then its
 * KUBE-SVC- and KUBE-SEP- chains. The kernel counts each rule it tries; the trace shows the same
 * walk ("N rules of KUBE-SERVICES did not match").
 */
import { describe, expect, it } from "vitest";
import { createRng } from "../../src/core/random.js";
import type { HookContext, Packet } from "../../src/sim/kernel/packet.js";
import { createNetfilter } from "../../src/sim/kernel/netfilter/index.js";
import { generateIptablesRules } from "../../src/sim/k8s/kubeproxy/iptables.js";
import { applyDesired, emptyTable } from "../../src/sim/k8s/kubeproxy/apply.js";
import type { ProxyServicePort } from "../../src/sim/k8s/kubeproxy/model.js";

const SERVICES = 500;

function clusterIP(s: number): string {
  return `10.96.${s >> 8}.${s & 255}`;
}

function ports(endpoints: number): ProxyServicePort[] {
  return Array.from({ length: SERVICES }, (_, s) => ({
    namespace: "default", name: `svc-${s}`, portName: "http", protocol: "TCP" as const, clusterIP: clusterIP(s + 1), port: 80,
    endpoints: Array.from({ length: endpoints }, (_, e) => ({ ip: `10.244.${e + 1}.${(s % 250) + 2}`, port: 8080, local: false })),
  }));
}

function node(endpoints: number) {
  const nf = createNetfilter({ rng: createRng(3), nsLabel: "node2" });
  const d = generateIptablesRules(ports(endpoints), { version: "1.28", clusterCIDR: "10.244.0.0/16", randomFully: true });
  nf.tableReplace("nat", applyDesired(nf.tableGet("nat"), d.nat));
  return nf;
}

let id = 1;
function syn(dst: string, sport = 40000 + id): Packet {
  return { id: id++, ip: { src: "10.244.2.7", dst, ttl: 64, proto: "tcp", len: 60 }, tcp: { sport, dport: 80, flags: ["SYN"] }, mark: 0 };
}

const pre: HookContext = { hook: "PREROUTING", inDev: "cni0", addrType: () => ["UNICAST"], primaryAddr: () => "10.244.2.1", now: 0 };

describe("rules a new connection walks in iptables mode", () => {
  it("the k-th service: 1 PREROUTING jump + k KUBE-SERVICES rules + 2 in KUBE-SVC- + 2 in KUBE-SEP- (one endpoint)", () => {
    const nf = node(1);
    const walked = [1, 17, 250, SERVICES].map((k) => {
      const before = nf.rulesEvaluated;
      const v = nf.runHook(syn(clusterIP(k)), pre);
      expect(v.verdict).toBe("accept");
      return nf.rulesEvaluated - before;
    });
    expect(walked).toEqual([1 + 1 + 2 + 2, 1 + 17 + 2 + 2, 1 + 250 + 2 + 2, 1 + SERVICES + 2 + 2]);
  });

  it("counts per table, and a destination no service has walks all of KUBE-SERVICES (500 + the NodePort rule)", () => {
    const nf = node(1) as ReturnType<typeof node> & { rulesEvaluatedIn(t: string): number };
    const before = nf.rulesEvaluatedIn("nat");
    nf.runHook(syn("10.96.200.200"), pre);
    expect(nf.rulesEvaluatedIn("nat") - before).toBe(1 + SERVICES + 1);
    expect(nf.rulesEvaluatedIn("filter")).toBe(0);
  });

  it("the trace shows the same walk, with 10 endpoints (statistic rules tried until one matches)", () => {
    const nf = node(10);
    const before = nf.rulesEvaluated;
    nf.runHook(syn(clusterIP(SERVICES), 45000), pre);
    const walked = nf.rulesEvaluated - before;
    const lines = nf.takeTrace().map((l) => l.text);
    // Rules the trace names or summarises: one line per tried rule, or "N rules of C did not match".
    const traced = lines.reduce((n, l) => {
      const m = /^nat PREROUTING: (\d+) rules of \S+ did not match$/.exec(l);
      return n + (m ? Number(m[1]) : /^nat PREROUTING: -A /.test(l) ? 1 : 0);
    }, 0);
    expect(traced).toBe(walked);
    expect(lines[0]).toBe("conntrack: NEW tcp 10.244.2.7:45000 → 10.96.1.244:80");
    expect(lines[1]).toBe("nat PREROUTING: -A PREROUTING -m comment --comment \"kubernetes service portals\" -j KUBE-SERVICES");
    expect(lines[2]).toBe(`nat PREROUTING: ${SERVICES - 1} rules of KUBE-SERVICES did not match`);
    expect(walked).toBeGreaterThanOrEqual(1 + SERVICES + 2 + 2);
    expect(walked).toBeLessThanOrEqual(1 + SERVICES + 11 + 2);
  });
});
