/**
 * exec(2) of a program in another context, as `ip netns exec` and `nsenter` do after switching
 * namespaces: the child gets the caller's stdin, environment and deadline, and writes on the
 * caller's streams. A program that does not exist there fails silently with 127 (the shell's
 * spawn), so the caller prints its own error: `exec of "x" failed`, `failed to execute x`.
 */
import { deadlineOf } from "./deadline.js";
import type { Proc, ProcContext } from "../types.js";

/** Runs `argv` in `ctx` for `p`; `missing` when nothing ran (127 without a word of output). */
export async function execChild(p: Proc, ctx: ProcContext, argv: string[]): Promise<{ rc: number; missing: boolean }> {
  let wrote = false;
  // stdin inherited: taken from the caller only if the child reads it.
  const rc = await p.world.spawn(ctx, { argv, stdin: () => p.stdin, env: p.env, ...deadlineOf(p) }, {
    write: (fd, text) => {
      wrote = true;
      if (fd === 1) p.out(text);
      else p.err(text);
    },
  });
  return { rc, missing: rc === 127 && !wrote };
}
