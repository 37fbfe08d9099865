/**
 * The kernel's trace lines print rules with their own copy of the save printer (the kernel may
 * not import userland); this test feeds every rule of the recorded corpus through iptables and
 * checks that both printers give the same text for each.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ruleText } from "../src/sim/kernel/netfilter/rule-text.js";
import { saveRule } from "../src/sim/userland/iptables/format.js";
import { simTools } from "./iptables-sim.js";

const DIR = join(import.meta.dirname, "fixtures", "iptables");

describe("kernel trace rule text = iptables -S text", () => {
  it("agrees on every rule of the recorded corpus", async () => {
    let rules = 0;
    for (const f of readdirSync(DIR).filter((x) => x.endsWith(".json"))) {
      const fx = JSON.parse(readFileSync(join(DIR, f), "utf8")) as { steps: Array<{ argv: string[]; stdin?: string }> };
      const run = simTools();
      for (const s of fx.steps) await run(s.argv, s.stdin);
      for (const t of ["filter", "nat", "mangle", "raw"] as const) {
        for (const c of run.netns.nfTableGet(t).chains) {
          for (const r of c.rules) {
            expect(ruleText(c.name, r)).toBe(saveRule(c.name, r));
            rules++;
          }
        }
      }
    }
    expect(rules).toBeGreaterThan(40);
  });
});
