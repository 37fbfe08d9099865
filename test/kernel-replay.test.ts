/**
 * Replays every real-kernel scenario (test/fixtures/scenarios/NAME.json, recorded by
 * scripts/record-scenarios.sh) through the simulator, command by command, in one fresh `bare`
 * world per scenario, and compares each command's output and exit code after the normalizers of
 * test/differential/normalize.ts. A step that differs must be listed in
 * test/fixtures/scenarios/known-divergences.json with an entry of docs/divergences.md; a listed
 * step that starts to agree fails too, so that the list only shrinks.
 */
import { appendFileSync, existsSync, readFileSync, readdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { parseScenario } from "../scripts/scenarios/parse.mjs";
import { createNormalizer } from "./differential/normalize.js";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const fixtureDir = join(root, "test/fixtures/scenarios");

interface Step { cmd: string; exitCode: number; output: string }
interface Fixture {
  scenario: string;
  description: string;
  source: string;
  recordedAt: string;
  recordedWith: Record<string, string>;
  steps: Step[];
  cleanup: Step[];
}
/** scenario → step index (as text) → the divergence that explains the difference. */
type Known = Record<string, Record<string, { id: string; cmd: string }>>;

const fixtures: Fixture[] = readdirSync(fixtureDir)
  .filter((f) => f.endsWith(".json") && f !== "known-divergences.json")
  .sort()
  .map((f) => JSON.parse(readFileSync(join(fixtureDir, f), "utf8")) as Fixture);
const known = JSON.parse(readFileSync(join(fixtureDir, "known-divergences.json"), "utf8")) as Known;
const divergenceDoc = readFileSync(join(root, "docs/divergences.md"), "utf8");

interface SimModule {
  createWorld(opts: { kind: "bare"; seed?: number }): {
    session(context: string): { exec(cmd: string, opts?: { timeoutMs?: number }): Promise<{ exitCode: number; output: string }> };
  };
}
// The simulator's entry is being built alongside; until it exists the replay is skipped, not faked.
const simEntry = join(root, "src/sim/index.ts");
const sim: SimModule | undefined = existsSync(simEntry) ? ((await import(simEntry)) as SimModule) : undefined;

describe("scenario fixtures", () => {
  it("exist and were recorded from the current scenario scripts", () => {
    expect(fixtures.map((f) => f.scenario).length).toBeGreaterThanOrEqual(7);
    for (const f of fixtures) {
      const script = parseScenario(readFileSync(join(root, f.source), "utf8"));
      expect({ scenario: f.scenario, commands: f.steps.map((s) => s.cmd), cleanup: f.cleanup.map((s) => s.cmd) })
        .toEqual({ scenario: f.scenario, commands: script.commands, cleanup: script.cleanup });
      expect(f.recordedWith.kernel).toMatch(/^\d+\.\d+/);
      expect(f.cleanup.every((s) => s.exitCode === 0)).toBe(true);
    }
  });

  it("list only divergences that docs/divergences.md explains, against commands that exist", () => {
    for (const [scenario, steps] of Object.entries(known)) {
      const f = fixtures.find((x) => x.scenario === scenario);
      expect(f, `known-divergences.json names unknown scenario ${scenario}`).toBeDefined();
      for (const [index, entry] of Object.entries(steps)) {
        expect(f!.steps[Number(index)]?.cmd, `${scenario} step ${index}`).toBe(entry.cmd);
        expect(divergenceDoc, `docs/divergences.md has no entry ${entry.id}`).toContain(`### ${entry.id}:`);
      }
    }
  });
});

describe.skipIf(!sim)("kernel replay on the simulator", () => {
  for (const f of fixtures) {
    it(`${f.scenario} agrees with the real kernel`, async () => {
      const world = sim!.createWorld({ kind: "bare", seed: 1 });
      const shell = world.session("host");
      const commands = f.steps.map((s) => s.cmd);
      const normReal = createNormalizer({ commands });
      const normSim = createNormalizer({ commands });
      const expectedKnown = known[f.scenario] ?? {};
      const unexpected: string[] = [];
      const fixed: string[] = [];
      for (const [i, step] of f.steps.entries()) {
        const got = await shell.exec(step.cmd, { timeoutMs: 60_000 });
        const want = normReal(step.output, step.cmd);
        const have = normSim(got.output, step.cmd);
        const same = want === have && step.exitCode === got.exitCode;
        const listed = expectedKnown[String(i)];
        // LAB_REPLAY_REPORT=FILE appends every differing step as a JSON line (for triage).
        if (!same && process.env.LAB_REPLAY_REPORT) {
          appendFileSync(process.env.LAB_REPLAY_REPORT, JSON.stringify({ scenario: f.scenario, index: i, cmd: step.cmd, realExit: step.exitCode, simExit: got.exitCode, real: want, sim: have, listed: listed?.id }) + "\n");
        }
        if (!same && !listed) {
          unexpected.push(`step ${i}: $ ${step.cmd}\n--- real [${step.exitCode}]\n${want}--- sim [${got.exitCode}]\n${have}`);
        } else if (same && listed) {
          fixed.push(`step ${i} (${listed.id}): $ ${step.cmd} now agrees; remove it from known-divergences.json and docs/divergences.md`);
        }
      }
      expect({ unexpected, fixed }).toEqual({ unexpected: [], fixed: [] });
    });
  }
});
