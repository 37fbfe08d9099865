/**
 * Control flow inside the interpreter, carried by exceptions: `exit`, `return`, `break`,
 * `continue`, and the per-exec limits (commands, loop iterations, output, virtual time).
 * A program that throws anything else is a simulator bug (exit 70, `lab: internal error`).
 */

/** `exit N`: ends the current exec (the session's state survives). */
export class ExitSignal {
  constructor(readonly status: number) {}
}

/** `return N` from a function or a sourced script. */
export class ReturnSignal {
  constructor(readonly status: number) {}
}

/** `break N` / `continue N`. */
export class LoopSignal {
  constructor(readonly kind: "break" | "continue", public levels: number) {}
}

/** A per-exec limit was hit: the whole exec stops with `status`, printing `message` if any. */
export class LimitAbort {
  constructor(
    readonly kind: "timeout" | "commands" | "loop" | "output" | "depth" | "processes",
    readonly status: number,
    readonly message?: string,
  ) {}
}

/** True for the interpreter's own control-flow throwables (never reported as internal errors). */
export function isShellSignal(e: unknown): boolean {
  return e instanceof ExitSignal || e instanceof ReturnSignal || e instanceof LoopSignal || e instanceof LimitAbort;
}
