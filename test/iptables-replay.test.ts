/**
 * Replays the iptables/conntrack corpus recorded on the real tools (scripts/record-iptables.sh →
 * test/fixtures/iptables/*.json) against the simulated programs over a simulated kernel, and
 * compares stdout, stderr and exit status of every step byte for byte.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { simTools } from "./iptables-sim.js";

interface Step {
  argv: string[];
  stdin?: string;
  stdout: string;
  stderr: string;
  exitCode: number;
}

const DIR = join(import.meta.dirname, "fixtures", "iptables");

const fixtures = readdirSync(DIR).filter((f) => f.endsWith(".json")).sort();

describe("iptables and conntrack replay against real captures", () => {
  for (const f of fixtures) {
    const fx = JSON.parse(readFileSync(join(DIR, f), "utf8")) as { scenario: string; steps: Step[] };
    it(`${fx.scenario}: ${fx.steps.length} steps byte for byte`, async () => {
      const run = simTools();
      const mismatches: string[] = [];
      for (const [i, s] of fx.steps.entries()) {
        const got = await run(s.argv, s.stdin);
        const want = { stdout: s.stdout, stderr: s.stderr, exitCode: s.exitCode };
        if (JSON.stringify(got) !== JSON.stringify(want)) {
          mismatches.push(`step ${i}: ${s.argv.join(" ")}\n--- real [${s.exitCode}]\n${s.stdout}${s.stderr}--- sim [${got.exitCode}]\n${got.stdout}${got.stderr}`);
        }
      }
      expect(mismatches).toEqual([]);
    });
  }
});
