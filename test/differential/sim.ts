/**
 * Runs a differential case on the simulator: a fresh `bare` world per case, every command line
 * through the host session, probes one after another, then every namespace's conntrack table
 * listed once. The simulator is loaded lazily so that this
 * file compiles while src/sim/index.ts is still being built.
 */
import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { observeCommands, probeCommand, setupCommands, type Case } from "./case.js";
import { classifyProbe, conntrackFlows, type Observation } from "./observe.js";

interface SimSession { exec(cmd: string, opts?: { timeoutMs?: number }): Promise<{ exitCode: number; output: string }> }
/** The part of the simulator's entry (src/sim/index.ts) the differential test uses. */
export interface SimModule {
  createWorld(opts: { kind: "bare"; seed?: number }): { session(context: string): SimSession };
}

const entry = join(dirname(fileURLToPath(import.meta.url)), "../../src/sim/index.ts");

/** The simulator's entry, or undefined while it does not exist yet. */
export async function loadSim(): Promise<SimModule | undefined> {
  return existsSync(entry) ? ((await import(entry)) as SimModule) : undefined;
}

/** Runs one case in a fresh simulated world. */
export async function runSim(sim: SimModule, c: Case, prefix: string, seed: number): Promise<Observation> {
  const shell = sim.createWorld({ kind: "bare", seed }).session("host");
  const obs: Observation = { setupFailures: [], probes: [], conntrack: {} };
  for (const [i, cmd] of setupCommands(c, prefix).entries()) {
    const r = await shell.exec(cmd, { timeoutMs: 10_000 });
    if (r.exitCode !== 0) obs.setupFailures.push(`${i}: ${r.exitCode}`);
  }
  // The real side runs the probes at once and lists conntrack within about a second. Here they
  // run one after another, each stopped at its 1.5 s limit where it waits (as `timeout` does on
  // the real side), so the tables are listed once, after the last probe, a few seconds later.
  for (const p of c.probes) {
    const r = await shell.exec(probeCommand(p, prefix), { timeoutMs: 1500 });
    obs.probes.push(classifyProbe(p, r.output, r.exitCode));
  }
  for (const [id, cmd] of observeCommands(c, prefix)) {
    const l = await shell.exec(cmd, { timeoutMs: 10_000 });
    obs.conntrack[id] = [...new Set(conntrackFlows(l.output))].sort();
  }
  return obs;
}
