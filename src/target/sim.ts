/**
 * The `sim` target: one simulated world per lesson, built from the front matter (`world`,
 * `sim:` options), one persistent simulator shell per context. Timeouts are virtual time.
 */
import type { ExecResult } from "../core/exec-result.js";
import type { SimWorld, WorldOptions } from "../sim/api.js";
import { UnknownContextError } from "../sim/api.js";
import { TargetError, type OpenResult, type SessionSpec, type Target, type TargetSession } from "./types.js";

/** Builds a world; the real one is `createWorld` of `src/sim/index.ts`. */
export type WorldFactory = (opts: WorldOptions) => SimWorld | Promise<SimWorld>;

/** The simulator's one public entry; loaded lazily so a missing simulator is a message, not a crash. */
const SIM_ENTRY = "../sim/index.js";

/** Loads `createWorld` from the simulator's public entry, or explains what is missing. */
export async function loadWorldFactory(): Promise<WorldFactory> {
  let mod: { createWorld?: WorldFactory };
  try {
    mod = (await import(SIM_ENTRY)) as { createWorld?: WorldFactory };
  } catch (err) {
    const code = (err as { code?: string }).code;
    if (code === "ERR_MODULE_NOT_FOUND") {
      throw new TargetError("the simulator is not built yet: src/sim/index.ts (createWorld) is missing; use --target host meanwhile");
    }
    throw new TargetError(`the simulator failed to load: ${(err as Error).message}`);
  }
  if (typeof mod.createWorld !== "function") {
    throw new TargetError("the simulator entry src/sim/index.ts does not export createWorld yet");
  }
  return mod.createWorld;
}

/** Creates the sim target; tests pass a fake world factory. */
export function createSimTarget(factory?: WorldFactory): Target {
  return {
    name: "sim",
    async open(spec: SessionSpec): Promise<OpenResult> {
      const create = factory ?? (await loadWorldFactory());
      const world = await create({
        kind: spec.world,
        seed: spec.sim?.seed,
        nodes: spec.sim?.nodes,
        kubeProxyMode: spec.sim?.kubeProxyMode,
        kubeProxyVersion: spec.sim?.kubeProxyVersion,
      });
      return { session: new SimTargetSession(world) };
    },
  };
}

class SimTargetSession implements TargetSession {
  constructor(private readonly world: SimWorld) {}

  async exec(context: string, command: string, opts: { timeoutMs: number; maxOutputBytes?: number }): Promise<ExecResult> {
    let session;
    try {
      session = this.world.session(context);
    } catch (err) {
      if (err instanceof UnknownContextError) throw new TargetError(err.message);
      throw err;
    }
    return session.exec(command, { timeoutMs: opts.timeoutMs, maxOutputBytes: opts.maxOutputBytes });
  }

  /** Simulated commands finish in virtual time; there is nothing running to interrupt. */
  interrupt(): void {}

  async close(): Promise<void> {}
}
