/**
 * sleep (coreutils) in virtual time: `sleep 3600` moves the world's clock an hour on at once,
 * event by event, so what falls due runs at its own time (ARP ageing, pod start-up, a
 * container's own `sleep 2` waking up). Suffixes s, m, h, d; several
 * operands add up. Stops at the shell's deadline (the exec's timeout). In a background process
 * (a container's main process) it waits for the clock instead of moving it.
 */
import type { ProgramSpec } from "../types.js";
import { stepUntil } from "../lib/deadline.js";

const UNIT: Record<string, number> = { "": 1000, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

export const sleep: ProgramSpec = {
  name: "sleep",
  summary: "wait in virtual time",
  run: async (p) => {
    const args = p.argv.slice(1);
    if (args.length === 0) {
      p.err("sleep: missing operand\nTry 'sleep --help' for more information.\n");
      return 1;
    }
    let ms = 0;
    for (const a of args) {
      const m = /^(\d+(?:\.\d*)?|\.\d+)([smhd]?)$/.exec(a);
      if (!m) {
        p.err(`sleep: invalid time interval '${a}'\nTry 'sleep --help' for more information.\n`);
        return 1;
      }
      ms += Math.round(parseFloat(m[1]!) * UNIT[m[2]!]!);
    }
    const clock = p.world.clock;
    if (p.background) {
      // Nobody waits on us: wake up when the world's time gets there.
      const wake = new Promise<number>((resolve) => void clock.schedule(clock.now() + ms, () => resolve(0)));
      return p.world.blockOn ? p.world.blockOn(wake) : wake;
    }
    // In the foreground, time passes event by event: a background process that wakes up meanwhile
    // (a container's `sleep 2; exit 1`) runs at its own time, not when this sleep is over.
    await stepUntil(p, ms, () => undefined);
    return 0;
  },
};
