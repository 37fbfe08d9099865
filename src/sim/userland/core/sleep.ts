/**
 * sleep (coreutils) in virtual time: `sleep 3600` advances the world's clock by an hour at
 * once, running what falls due (ARP ageing, pod start-up). Suffixes s, m, h, d; several
 * operands add up. Stops at the shell's deadline (the exec's timeout). In a background process
 * (a container's main process) it waits for the clock instead of moving it.
 */
import type { ProgramSpec } from "../types.js";

const UNIT: Record<string, number> = { "": 1000, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

export const sleep: ProgramSpec = {
  name: "sleep",
  summary: "wait in virtual time",
  run: (p) => {
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
    const deadline = p.deadline ?? Infinity;
    const until = Math.min(clock.now() + ms, deadline);
    clock.advance(until - clock.now());
    return 0;
  },
};
