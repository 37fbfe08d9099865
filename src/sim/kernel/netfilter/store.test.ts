import { describe, expect, it } from "vitest";
import { createRng } from "../../../core/random.js";
import type { NfRule, NfTable } from "../api.js";
import type { HookContext, Packet } from "../packet.js";
import { createNetfilter } from "./index.js";

const ctx: HookContext = { hook: "INPUT", inDev: "eth0", addrType: () => ["LOCAL"], primaryAddr: () => undefined, now: 0 };
let id = 1;
const udp = (dport: number): Packet => ({ id: id++, ip: { src: "10.0.0.5", dst: "10.0.0.1", ttl: 64, proto: "udp", len: 100 }, udp: { sport: 5000, dport }, mark: 0 });

function frozenRule(dport: number): NfRule {
  const r: NfRule = { proto: { name: "udp", neg: false }, matches: [{ kind: "udp", dport: { from: dport, to: dport } }], target: { kind: "ACCEPT" }, counters: { packets: 0, bytes: 0 } };
  const freeze = (v: unknown): void => {
    if (v && typeof v === "object") {
      for (const k in v) freeze((v as Record<string, unknown>)[k]);
      Object.freeze(v);
    }
  };
  freeze(r);
  return r;
}

function withInput(t: NfTable, rules: NfRule[]): NfTable {
  for (const c of t.chains) if (c.name === "INPUT") c.rules = rules;
  return t;
}

const counters = (t: NfTable, chain: string) => t.chains.find((c) => c.name === chain)!.rules.map((r) => [r.counters.packets, r.counters.bytes]);

describe("netfilter store: shared rules, own counters", () => {
  it("two namespaces share frozen rules yet count apart; the caller's rules are never written to", () => {
    const rules = [frozenRule(53), frozenRule(123)];
    const a = createNetfilter({ rng: createRng(1), nsLabel: "a" });
    const b = createNetfilter({ rng: createRng(1), nsLabel: "b" });
    a.tableReplace("filter", withInput(a.tableGet("filter"), rules));
    b.tableReplace("filter", withInput(b.tableGet("filter"), rules));
    a.runHook(udp(53), ctx);
    a.runHook(udp(53), ctx);
    b.runHook(udp(123), ctx);
    expect(counters(a.tableGet("filter"), "INPUT")).toEqual([[2, 200], [0, 0]]);
    expect(counters(b.tableGet("filter"), "INPUT")).toEqual([[0, 0], [1, 100]]);
    expect(rules.map((r) => r.counters)).toEqual([{ packets: 0, bytes: 0 }, { packets: 0, bytes: 0 }]);
  });

  it("a table read is a snapshot the caller owns: later packets and edits of the copy do not show through", () => {
    const nf = createNetfilter({ rng: createRng(1), nsLabel: "x" });
    nf.tableReplace("filter", withInput(nf.tableGet("filter"), [frozenRule(53)]));
    nf.runHook(udp(53), ctx);
    const snap = nf.tableGet("filter");
    const input = snap.chains.find((c) => c.name === "INPUT")!;
    nf.runHook(udp(53), ctx);
    expect(input.rules[0]!.counters).toEqual({ packets: 1, bytes: 100 });
    // Editing the copy (its rule objects and targets are the caller's) changes nothing in the kernel.
    input.rules[0]!.target = { kind: "DROP" };
    input.rules[0]!.counters.packets = 99;
    expect(nf.tableGet("filter").chains.find((c) => c.name === "INPUT")!.rules[0]).toEqual({ ...frozenRule(53), counters: { packets: 2, bytes: 200 } });
  });

  it("a chain handed back unread keeps its rules and the counters of the read; an edited one takes the edit", () => {
    const nf = createNetfilter({ rng: createRng(1), nsLabel: "x" });
    let t = nf.tableGet("filter");
    t.chains.push({ name: "SVC", rules: [frozenRule(53), frozenRule(123)], counters: { packets: 0, bytes: 0 } });
    withInput(t, [{ matches: [], target: { kind: "jump", chain: "SVC" }, counters: { packets: 0, bytes: 0 } }]);
    nf.tableReplace("filter", t);
    nf.runHook(udp(123), ctx);
    t = nf.tableGet("filter");
    // INPUT is read and edited (a rule inserted at the top); SVC is never read.
    t.chains.find((c) => c.name === "INPUT")!.rules.unshift({ matches: [], counters: { packets: 7, bytes: 700 } });
    nf.tableReplace("filter", t);
    const after = nf.tableGet("filter");
    expect(counters(after, "INPUT")).toEqual([[7, 700], [1, 100]]);
    expect(counters(after, "SVC")).toEqual([[0, 0], [1, 100]]);
    nf.runHook(udp(53), ctx);
    expect(counters(nf.tableGet("filter"), "SVC")).toEqual([[1, 100], [1, 100]]);
  });

  it("a rule renamed in the copy (iptables -E edits targets in place) is a new rule to the kernel", () => {
    const nf = createNetfilter({ rng: createRng(1), nsLabel: "x" });
    const t = nf.tableGet("filter");
    t.chains.push({ name: "A", rules: [], counters: { packets: 0, bytes: 0 } }, { name: "B", rules: [], counters: { packets: 0, bytes: 0 } });
    withInput(t, [{ matches: [], target: { kind: "jump", chain: "A" }, counters: { packets: 0, bytes: 0 } }]);
    nf.tableReplace("filter", t);
    const u = nf.tableGet("filter");
    const jump = u.chains.find((c) => c.name === "INPUT")!.rules[0]!;
    (jump.target as { chain: string }).chain = "B";
    nf.tableReplace("filter", u);
    expect(nf.tableGet("filter").chains.find((c) => c.name === "INPUT")!.rules[0]!.target).toEqual({ kind: "jump", chain: "B" });
  });
});
