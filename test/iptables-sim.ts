/** Helpers for the iptables tests: a fresh simulated namespace and a runner of the simulated tools. */
import { createVirtualClock } from "../src/core/clock.js";
import { createRng } from "../src/core/random.js";
import { createKernelWorld } from "../src/sim/kernel/index.js";
import type { NetnsApi } from "../src/sim/kernel/api.js";
import { programs as conntrackPrograms } from "../src/sim/userland/conntrack/index.js";
import { programs as iptablesPrograms } from "../src/sim/userland/iptables/index.js";
import type { Proc, SimFs, WorldServices } from "../src/sim/userland/types.js";

const PROGRAMS = new Map([...iptablesPrograms, ...conntrackPrograms].map((p) => [p.name, p]));

/** A read-only file system with the recording machine's /etc files that iptables reads. */
export function etcFs(): SimFs {
  const files: Record<string, string> = {
    "/etc/hosts": "127.0.0.1 localhost\n",
    "/etc/networks": "default\t\t0.0.0.0\nloopback\t127.0.0.0\nlink-local\t169.254.0.0\n",
  };
  return {
    readFile: (p) => files[p],
    writeFile: () => {},
    exists: (p) => p in files,
    isDir: () => false,
    readdir: () => undefined,
    mkdir: () => {},
    remove: () => false,
  };
}

/** A fresh simulated namespace and a runner of the simulated tools in it. */
export function simTools(seed = 1) {
  const clock = createVirtualClock();
  const rng = createRng(seed);
  const world = createKernelWorld({ clock, rng });
  const host = world.addHost("rec");
  const netns: NetnsApi = host.netnsAddNamed("lipt");
  const services = { clock, rng, daemons: {}, spawn: async () => 127 } as unknown as WorldServices;
  const fs = etcFs();
  const run = async (argv: string[], stdin = ""): Promise<{ stdout: string; stderr: string; exitCode: number }> => {
    let stdout = "";
    let stderr = "";
    const proc: Proc = {
      argv, stdin, env: {}, cwd: "/",
      out: (t) => (stdout += t),
      err: (t) => (stderr += t),
      ctx: { name: "host", host, netns, fs, hostname: "rec", env: {} },
      world: services,
    };
    const prog = PROGRAMS.get(argv[0]!);
    if (!prog) throw new Error(`no program ${argv[0]}`);
    const exitCode = await prog.run(proc);
    return { stdout, stderr, exitCode };
  };
  return Object.assign(run, { netns, clock, world, host });
}
