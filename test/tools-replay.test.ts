/**
 * Replays the real-tool captures of test/fixtures/tools/*.json (recorded on this machine by
 * scripts/record-tools.sh: iproute2 6.1.0, busybox 1.35.0, bridge-utils, procps) through the
 * simulator, step by step in a fresh `bare` world per fixture, and compares every step's output
 * byte for byte and its exit status, after the normalizations the fixture declares:
 *   mac     random MACs → MAC1, MAC2... in order of first appearance (MACs typed in the
 *           fixture's commands stay literal); brctl's 12-hex bridge ids likewise
 *   rtt     ping round-trip times → T
 *   date    the HTTP Date and Last-Modified values, the mtime half of busybox httpd's ETag
 *   ageing  brctl showmacs ageing timers
 * A step that differs must be listed in test/fixtures/tools/known-divergences.json with a reason;
 * a listed step that starts to agree fails too, so the list only shrinks.
 */
import { readFileSync, readdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { createWorld } from "../src/sim/index.js";
import { makeNormalizer } from "./tools-normalize.js";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const dir = join(root, "test/fixtures/tools");

interface Step { cmd: string; output: string; exitCode: number; normalize?: string[] }
interface Fixture { name: string; description: string; normalizeAlways: string[]; steps: Step[] }
type Known = Record<string, Record<string, { cmd: string; reason: string }>>;

/** Fixtures whose server side is not a simulated program, replayed at program level elsewhere. */
const PROGRAM_LEVEL: Record<string, string> = {
  nslookup: "test/nslookup.test.ts (the DNS server is a recorder-side script)",
  "busybox-ip": "test/busybox-ip.test.ts (busybox's ip applet runs in an ash context)",
};

const all: Fixture[] = readdirSync(dir)
  .filter((f) => f.endsWith(".json") && f !== "known-divergences.json")
  .sort()
  .map((f) => JSON.parse(readFileSync(join(dir, f), "utf8")) as Fixture);
const fixtures = all.filter((f) => !(f.name in PROGRAM_LEVEL));
const known = JSON.parse(readFileSync(join(dir, "known-divergences.json"), "utf8")) as Known;

describe("tool fixtures", () => {
  it("are recorded on iproute2 6.1.0 and busybox 1.35.0", () => {
    expect(all.length).toBeGreaterThanOrEqual(14);
    for (const f of all) {
      const rw = (f as unknown as { recordedWith: Record<string, string> }).recordedWith;
      expect(rw.iproute2).toContain("iproute2-6.1.0");
      expect(rw.busybox).toContain("v1.35.0");
    }
  });

  it("list known divergences only against steps that exist", () => {
    for (const [name, steps] of Object.entries(known)) {
      const f = fixtures.find((x) => x.name === name);
      expect(f, `unknown fixture ${name}`).toBeDefined();
      for (const [i, e] of Object.entries(steps)) expect(f!.steps[Number(i)]?.cmd, `${name} step ${i}`).toBe(e.cmd);
    }
  });
});

describe("tool fixtures replayed on the simulator", () => {
  for (const f of fixtures) {
    it(`${f.name}: ${f.description}`, async () => {
      const world = createWorld({ kind: "bare", seed: 1 });
      const sh = world.session("host");
      const commands = f.steps.map((s) => s.cmd);
      const normReal = makeNormalizer(commands);
      const normSim = makeNormalizer(commands);
      const listed = known[f.name] ?? {};
      const unexpected: string[] = [];
      const fixed: string[] = [];
      for (const [i, step] of f.steps.entries()) {
        const got = await sh.exec(step.cmd, { timeoutMs: 60_000 });
        const norms = [...f.normalizeAlways, ...(step.normalize ?? [])];
        const want = normReal(step.output, norms);
        const have = normSim(got.output, norms);
        const same = want === have && got.exitCode === step.exitCode;
        const k = listed[String(i)];
        if (!same && !k) unexpected.push(`step ${i}: $ ${step.cmd}\n--- real [${step.exitCode}]\n${want}--- sim [${got.exitCode}]\n${have}`);
        if (same && k) fixed.push(`step ${i}: $ ${step.cmd} now agrees; remove it from known-divergences.json`);
      }
      expect({ unexpected, fixed }).toEqual({ unexpected: [], fixed: [] });
    });
  }
});
