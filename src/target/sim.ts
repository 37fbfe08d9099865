/**
 * The `sim` target: one simulated world per lesson, built from the front matter (`world`,
 * `sim:` options), one persistent simulator shell per context. Timeouts are virtual time.
 */
import type { ExecResult } from "../core/exec-result.js";
import { createWorld, UnknownContextError, type SimWorld, type WorldOptions } from "../sim/index.js";
import { runTraceLine } from "../trace/block.js";
import { TargetError, type OpenResult, type SessionSpec, type Target, type TargetSession } from "./types.js";

/** Builds a world; the real one is `createWorld` of `src/sim/index.ts`. */
export type WorldFactory = (opts: WorldOptions) => SimWorld | Promise<SimWorld>;

/** Creates the sim target; tests pass a fake world factory. */
export function createSimTarget(factory: WorldFactory = createWorld): Target {
  return {
    name: "sim",
    async open(spec: SessionSpec): Promise<OpenResult> {
      let world: SimWorld;
      try {
        world = await factory({
        kind: spec.world,
        seed: spec.sim?.seed,
        nodes: spec.sim?.nodes,
        kubeProxyMode: spec.sim?.kubeProxyMode,
        kubeProxyVersion: spec.sim?.kubeProxyVersion,
      });
      } catch (err) {
        // A world kind the simulator cannot build yet is a plain message, not a stack trace.
        throw new TargetError(`the simulator cannot build a "${spec.world}" world: ${(err as Error).message}`);
      }
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

  /** A trace block's line: one probe in this lesson's world, explained (src/trace/block.ts). */
  async trace(_context: string, line: string): Promise<ExecResult> {
    return runTraceLine(this.world, line);
  }

  /** Simulated commands finish in virtual time; there is nothing running to interrupt. */
  interrupt(): void {}

  async close(): Promise<void> {}
}
