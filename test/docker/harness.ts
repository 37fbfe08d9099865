/**
 * A small world for docker tests while the shell's world builder is not in: the real kernel, a
 * Map-backed file system, and a spawn that runs registered programs directly (no shell syntax).
 */
import { createVirtualClock } from "../../src/core/clock.js";
import { createRng } from "../../src/core/random.js";
import { createKernelWorld } from "../../src/sim/kernel/index.js";
import type { HostKernelApi } from "../../src/sim/kernel/api.js";
import { createDockerd, type DockerDaemonApi } from "../../src/sim/docker/api.js";
import { programs } from "../../src/sim/userland/docker/index.js";
import type { ProcContext, ProgramSpec, SimFs, Stdio, WorldServices } from "../../src/sim/userland/types.js";

/** A flat in-memory SimFs. */
export function memFs(files: Record<string, string> = {}, dirs: string[] = []): SimFs {
  const f = new Map(Object.entries(files));
  const d = new Set(["/", ...dirs]);
  return {
    readFile: (p) => f.get(p),
    writeFile: (p, c, o) => void f.set(p, o?.append ? (f.get(p) ?? "") + c : c),
    exists: (p) => f.has(p) || d.has(p),
    isDir: (p) => d.has(p),
    readdir: (p) => [...f.keys()].filter((k) => k.startsWith(p.endsWith("/") ? p : p + "/")).map((k) => k.slice(p.length + 1).split("/")[0]!),
    mkdir: (p) => void d.add(p),
    remove: (p) => f.delete(p),
  };
}

export interface Harness {
  host: HostKernelApi;
  docker: DockerDaemonApi;
  world: WorldServices;
  hostCtx: ProcContext;
  /** Runs argv (one program, no shell) in a context; returns exit code and interleaved output. */
  run(argv: string[], ctx?: ProcContext): Promise<{ code: number; out: string }>;
}

/** Builds a one-host world running dockerd; `extra` programs join the docker CLI and nginx. */
export function harness(extra: ProgramSpec[] = [], seed = 1): Harness {
  const clock = createVirtualClock();
  const rng = createRng(seed);
  const kw = createKernelWorld({ clock, rng });
  const host = kw.addHost("host");
  host.init.linkSet("lo", { up: true });
  const table = new Map<string, ProgramSpec>([...programs, ...extra].map((p) => [p.name, p]));
  const world: WorldServices = {
    clock, rng, daemons: {},
    async spawn(ctx, spec, io) {
      const argv = spec.argv ?? ["sh", "-c", spec.script ?? ""];
      const name = argv[0]!.slice(argv[0]!.lastIndexOf("/") + 1);
      const prog = table.get(name);
      if (!prog || (ctx.available && !ctx.available(name))) {
        io.write(2, `${name}: not found\n`);
        return 127;
      }
      return prog.run({ argv, stdin: typeof spec.stdin === "function" ? spec.stdin() : (spec.stdin ?? ""), env: { ...ctx.env, ...spec.env }, cwd: "/", out: (t) => io.write(1, t), err: (t) => io.write(2, t), ctx, world, ...(spec.background ? { background: true } : {}) });
    },
  };
  const docker = createDockerd({ host, clock, rng, spawn: world.spawn, makeFs: (files, dirs) => memFs(files, dirs), hostResolvConf: "nameserver 10.0.2.3\n" });
  world.daemons.docker = docker;
  const hostCtx: ProcContext = { name: "host", host, netns: host.init, fs: memFs(), hostname: host.hostname, env: {} };
  return {
    host, docker, world, hostCtx,
    async run(argv, ctx = hostCtx) {
      let out = "";
      const io: Stdio = { write: (_fd, t) => void (out += t) };
      const code = await world.spawn(ctx, { argv }, io);
      return { code, out };
    },
  };
}
