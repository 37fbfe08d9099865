/**
 * The process a registry program runs as (userland's Proc). Standard input is taken (consumed)
 * when the program reads it; the environment (exported variables plus the command's prefix
 * assignments) is built when the program first reads it, which most programs never do: nothing
 * can change the shell's variables while its foreground program runs. Accessors live on the
 * class, so a process costs one object and its two output closures.
 */
import type { Proc, ProcContext, WorldServices } from "../userland/types.js";
import type { Fds } from "./io.js";
import type { Runtime } from "./runtime.js";
import { exportedEnv, type ShellState } from "./state.js";

/** A program's process over a shell's state and fd table. */
export class ShellProc implements Proc {
  cwd: string;
  ctx: ProcContext;
  world: WorldServices;
  deadline: number;
  background: boolean;
  out: (text: string) => void;
  err: (text: string) => void;
  private envValue: Record<string, string> | undefined;

  constructor(
    readonly argv: string[],
    private readonly state: ShellState,
    private readonly fds: Fds,
    private readonly tempEnv: Record<string, string>,
    rt: Runtime,
  ) {
    const stdout = fds.out.get(1);
    const stderr = fds.out.get(2);
    this.cwd = state.cwd;
    this.ctx = rt.ctx;
    this.world = rt.world;
    this.deadline = rt.budget.deadline;
    this.background = rt.background === true;
    this.out = (t) => stdout?.write(t);
    this.err = (t) => stderr?.write(t);
  }

  get stdin(): string {
    return this.fds.stdin.takeAll();
  }

  get env(): Record<string, string> {
    return (this.envValue ??= { ...exportedEnv(this.state), ...this.tempEnv });
  }

  set env(v: Record<string, string>) {
    this.envValue = v;
  }
}
