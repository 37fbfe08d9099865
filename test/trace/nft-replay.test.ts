/**
 * Proof of `lab trace`'s netfilter steps against the real kernel: for each recorded scenario
 * (scripts/record-nft-trace.sh, test/fixtures/nft-trace/*.json) the lesson's simulated world
 * sends the same packet, and the hook/table/chain/rule sequence of the simulator's trace must
 * equal the one nf_tables traced, for the probe and for its reply. Policy lines of empty base
 * chains are left out on both sides (see docs/divergences.md, D-TRACE-1).
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { buildLessonSession } from "../../src/cli/trace.js";
import { loadLessons } from "../../src/cli/files.js";
import { traceLine } from "../../src/trace/args.js";
import type { ProbeSpec } from "../../src/trace/probe.js";
import type { ExplainedTrace } from "../../src/sim/trace/types.js";
import { realSteps, simSteps, withoutEmptyPolicies } from "./nft-replay.js";

const DIR = new URL("../fixtures/nft-trace/", import.meta.url);

interface Fixture {
  scenario: string;
  rules: string;
  probe: string;
  monitor: string[];
}

const SCENARIOS: Array<{ name: string; lesson: string; setup?: string; probe: ProbeSpec; disposition?: string; exit?: number }> = [
  { name: "dnat-from-client", lesson: "lessons/03-port-mapping.md", probe: { context: "host", netns: "client", addr: "198.51.100.1", port: 1234, proto: "tcp" } },
  { name: "dnat-from-host", lesson: "lessons/03-port-mapping.md", probe: { context: "host", addr: "172.17.0.1", port: 1234, proto: "tcp" } },
  { name: "masquerade-egress", lesson: "lessons/04-egress.md", probe: { context: "c1", addr: "203.0.113.2", proto: "icmp" } },
  {
    name: "forward-policy-drop",
    lesson: "lessons/03-port-mapping.md",
    setup: "ip -n client route add 172.17.0.0/16 via 198.51.100.1",
    probe: { context: "host", netns: "client", addr: "172.17.0.2", proto: "icmp" },
    disposition: "dropped",
    exit: 1,
  },
];

const stripSave = (t: string): string =>
  t
    .split("\n")
    .filter((l) => l !== "" && !l.startsWith("#"))
    .join("\n");

describe("netfilter steps of lab trace equal the kernel's own nf_tables trace", () => {
  for (const sc of SCENARIOS) {
    it(sc.name, async () => {
      const fx = JSON.parse(readFileSync(new URL(`${sc.name}.json`, DIR), "utf8")) as Fixture;
      const rules = readFileSync(new URL(fx.rules, DIR), "utf8");
      const lesson = (await loadLessons([sc.lesson], process.cwd())).lessons[0]!;
      const session = await buildLessonSession(lesson, undefined);
      if (typeof session === "string") throw new Error(session);
      // The real kernel ran exactly the rules the simulated Docker wrote.
      const save = await session.exec("host", "iptables-save", { timeoutMs: 10_000 });
      expect(stripSave(save.output)).toBe(stripSave(rules));

      if (sc.setup) expect((await session.exec("host", sc.setup, { timeoutMs: 10_000 })).exitCode).toBe(0);
      // The probe goes the way `lab trace` sends it (the sim target's trace, JSON format).
      const out = await session.trace!(sc.probe.context, traceLine(sc.probe, "json"), { timeoutMs: 60_000 });
      const j = JSON.parse(out.output) as { steps: ExplainedTrace["probe"]; reply: ExplainedTrace["reply"]; disposition: ExplainedTrace["disposition"] };
      const trace: ExplainedTrace = { probe: j.steps, reply: j.reply, disposition: j.disposition };
      const sim = simSteps(trace, "init");
      const real = realSteps(fx.monitor);
      expect(real.probe.length).toBeGreaterThan(0);
      expect(withoutEmptyPolicies(sim.probe, rules)).toEqual(withoutEmptyPolicies(real.probe, rules));
      expect(withoutEmptyPolicies(sim.reply, rules)).toEqual(withoutEmptyPolicies(real.reply, rules));
      expect([trace.disposition.kind, out.exitCode]).toEqual([sc.disposition ?? "delivered", sc.exit ?? 0]);
    }, 60_000);
  }
});
