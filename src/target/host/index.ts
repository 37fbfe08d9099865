/**
 * The `host` target: real commands on this machine, one persistent shell per context for the
 * whole lesson (cd, export and variables carry over). A timeout or Ctrl-C kills the context's
 * process group; the next command in that context starts a fresh shell.
 */
import { fileURLToPath } from "node:url";
import type { ExecResult } from "../../core/exec-result.js";
import type { OpenResult, SessionSpec, Target, TargetSession } from "../types.js";
import { shellArgv, type HostConfig } from "./contexts.js";
import { unmetRequirement, type Requirement } from "./requires.js";
import { PersistentShell, shellQuote } from "./shell.js";

export type { HostConfig } from "./contexts.js";

/** Creates the host target with the contexts of `config`. */
export function createHostTarget(config: HostConfig = {}): Target {
  const cache = new Map<Requirement, boolean>();
  return {
    name: "host",
    async open(spec: SessionSpec): Promise<OpenResult> {
      const reason = await unmetRequirement(spec.requires, cache);
      if (reason) return { skip: reason };
      return { session: new HostSession(config) };
    },
  };
}

/**
 * The package's bin/ (from src/target/host/ and dist/target/host/ alike): its `lab-check` is the
 * host implementation of the checks (src/target/host/labcheck), first on the host shell's PATH.
 */
const BIN = fileURLToPath(new URL("../../../bin", import.meta.url));

class HostSession implements TargetSession {
  private readonly shells = new Map<string, PersistentShell>();

  constructor(private readonly config: HostConfig) {}

  exec(context: string, command: string, opts: { timeoutMs: number; maxOutputBytes?: number }): Promise<ExecResult> {
    let shell = this.shells.get(context);
    if (!shell) {
      const hostShell = context === "host" && this.config.contexts?.[context] === undefined;
      shell = new PersistentShell(shellArgv(context, this.config), hostShell ? `export PATH=${shellQuote(BIN)}:"$PATH"\n` : "");
      this.shells.set(context, shell);
    }
    return shell.exec(command, opts);
  }

  interrupt(): void {
    for (const s of this.shells.values()) if (s.busy) s.kill(130);
  }

  async close(): Promise<void> {
    await Promise.all([...this.shells.values()].map((s) => s.close()));
    this.shells.clear();
  }
}
