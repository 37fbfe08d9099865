/**
 * hostname (net-tools/busybox style): prints the context's host name; `-s` the short name.
 * Setting the name is refused as without CAP_SYS_ADMIN in a container.
 */
import type { ProgramSpec } from "../types.js";

export const hostname: ProgramSpec = {
  name: "hostname",
  summary: "print the host name",
  run: (p) => {
    const args = p.argv.slice(1);
    const name = p.ctx.hostname;
    if (args.length === 0 || args.every((a) => a === "-s" || a === "--short" || a === "-f" || a === "--fqdn")) {
      p.out((args.includes("-s") || args.includes("--short") ? name.split(".")[0] : name) + "\n");
      return 0;
    }
    if (args[0] === "-i" || args[0] === "-I") {
      const addrs = p.ctx.netns.addrList().filter((a) => a.scope === "global").map((a) => a.cidr.split("/")[0]);
      p.out(args[0] === "-I" ? addrs.join(" ") + " \n" : (addrs[0] ?? "") + "\n");
      return 0;
    }
    if (args[0]!.startsWith("-")) {
      p.err(`hostname: invalid option -- '${args[0]!.slice(1, 2)}'\n`);
      return 1;
    }
    p.err("hostname: you must be root to change the host name\n");
    return 1;
  },
};
