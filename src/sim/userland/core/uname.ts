/**
 * uname (coreutils): the simulated kernel is Linux 6.1.0 (Debian 12's kernel, the iproute2 and
 * iptables versions the simulator imitates), x86_64; the node name is the context's host name.
 */
import type { ProgramSpec } from "../types.js";

const KERNEL = { s: "Linux", r: "6.1.0-18-amd64", v: "#1 SMP PREEMPT_DYNAMIC Debian 6.1.76-1 (2024-02-01)", m: "x86_64", o: "GNU/Linux" };

export const uname: ProgramSpec = {
  name: "uname",
  summary: "print system information",
  run: (p) => {
    const flags = new Set<string>();
    for (const a of p.argv.slice(1)) {
      const long: Record<string, string> = { "--all": "a", "--kernel-name": "s", "--nodename": "n", "--kernel-release": "r", "--kernel-version": "v", "--machine": "m", "--processor": "p", "--hardware-platform": "i", "--operating-system": "o" };
      if (long[a]) flags.add(long[a]!);
      else if (/^-[asnrvmpio]+$/.test(a)) for (const c of a.slice(1)) flags.add(c);
      else if (a.startsWith("-")) {
        p.err(`uname: invalid option -- '${a.slice(1, 2)}'\nTry 'uname --help' for more information.\n`);
        return 1;
      } else {
        p.err(`uname: extra operand \u2018${a}\u2019\nTry 'uname --help' for more information.\n`);
        return 1;
      }
    }
    if (flags.size === 0) flags.add("s");
    const all = flags.has("a");
    const parts: string[] = [];
    if (all || flags.has("s")) parts.push(KERNEL.s);
    if (all || flags.has("n")) parts.push(p.ctx.hostname);
    if (all || flags.has("r")) parts.push(KERNEL.r);
    if (all || flags.has("v")) parts.push(KERNEL.v);
    if (all || flags.has("m")) parts.push(KERNEL.m);
    if (!all && flags.has("p")) parts.push("unknown");
    if (!all && flags.has("i")) parts.push("unknown");
    if (all || flags.has("o")) parts.push(KERNEL.o);
    p.out(parts.join(" ") + "\n");
    return 0;
  },
};
