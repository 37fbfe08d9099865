/**
 * Builds a SimWorld: kernel world + clock + rng + services, a builder for the kind, contexts
 * by name, and one persistent shell session per context.
 */
import { createVirtualClock, type Clock } from "../../core/clock.js";
import { createRng } from "../../core/random.js";
import { UnknownContextError, type SimSession, type SimWorld, type WorldOptions } from "../api.js";
import { createKernelWorld } from "../kernel/index.js";
import type { HostKernelApi, NetnsApi } from "../kernel/api.js";
import { BackgroundJobs } from "../shell/jobs.js";
import { ShellSession } from "../shell/session.js";
import { computeTopology } from "../topology/compute.js";
import { VfsTree, VfsView } from "../shell/vfs.js";
import type { ProcContext, WorldServices } from "../userland/types.js";
import * as builders from "./builders.js";
import { MACHINE_DIRS, machineEnv, machineFiles } from "./files.js";
import type { Machine, MachineSpec, WorldBuilder, WorldEnv } from "./types.js";

/** Extra knobs for tests and tools (not part of WorldOptions): an injected clock. */
export interface AssembleOptions {
  clock?: Clock;
}

/** The builder registered for a kind, if any. */
export function builderFor(kind: string): WorldBuilder | undefined {
  const b = (builders as Record<string, WorldBuilder>)[kind];
  return b && b.kind === kind ? b : undefined;
}

/** Creates a world of `opts.kind`. Throws for a kind no builder is registered for. */
export function assembleWorld(opts: WorldOptions, extra: AssembleOptions = {}): SimWorld {
  const builder = builderFor(opts.kind);
  if (!builder) {
    throw new Error(`world kind "${opts.kind}" is not available (available: ${Object.keys(builders).sort().join(", ")})`);
  }
  const clock = extra.clock ?? createVirtualClock();
  const rng = createRng(opts.seed ?? 1);
  const kernel = createKernelWorld({ clock, rng });
  kernel.setTracing(opts.trace ?? false);
  const jobs = new BackgroundJobs();
  const services: WorldServices = {
    clock,
    rng,
    daemons: {},
    spawn: (ctx, spec, io) =>
      spec.background ? jobs.run(() => ShellSession.spawn(services, ctx, spec, io)) : ShellSession.spawn(services, ctx, spec, io),
    blockOn: (p) => jobs.blockOn(p),
    runJob: (job) => jobs.run(job),
    settle: () => jobs.settle(),
  };
  const processSources: Array<(host: HostKernelApi, pid: number) => ProcContext | undefined> = [];
  services.processOf = (host, pid) => {
    if (pid === 1) return [...machines.values()].find((m) => m.kernel === host)?.ctx;
    for (const source of processSources) {
      const ctx = source(host, pid);
      if (ctx) return ctx;
    }
    return undefined;
  };
  const contexts = new Map<string, () => ProcContext | undefined>();
  const sessions = new Map<string, ShellSession>();
  const machines = new Map<string, Machine>();
  let nextPid = 1000;
  const segments = new Set<string>();

  const env: WorldEnv = {
    opts,
    clock,
    rng,
    kernel,
    services,
    addMachine(spec: MachineSpec): Machine {
      const host = kernel.addHost(spec.name);
      const init = host.init;
      init.linkSet("lo", { up: true });
      if (spec.address) {
        const seg = spec.segment ?? "underlay";
        if (!segments.has(seg)) {
          kernel.addSegment(seg);
          segments.add(seg);
        }
        kernel.attach(spec.name, "eth0", seg);
        init.addrAdd("eth0", spec.address);
        init.linkSet("eth0", { up: true });
        if (spec.gateway) init.routeAdd({ dst: "default", via: spec.gateway });
      }
      const tree = new VfsTree({ ...machineFiles(spec.name), ...spec.files }, MACHINE_DIRS);
      const fs = new VfsView(tree, init, host);
      const ctx: ProcContext = {
        name: spec.name,
        host,
        netns: init,
        fs,
        hostname: spec.name,
        env: spec.env ?? machineEnv(spec.name),
        shell: "bash",
      };
      const machine: Machine = { name: spec.name, kernel: host, fs, ctx, fsFor: (ns: NetnsApi) => fs.withNetns(ns) };
      machines.set(spec.name, machine);
      contexts.set(spec.name, () => ctx);
      return machine;
    },
    machine: (name) => machines.get(name),
    addContext(name, resolve) {
      contexts.set(name, resolve);
      sessions.delete(name);
    },
    removeContext(name) {
      contexts.delete(name);
      sessions.delete(name);
    },
    addProcesses(lookup) {
      processSources.push(lookup);
    },
    newFs(netns, files = {}, dirs = []) {
      const view = new VfsView(new VfsTree({ "/dev/null": "", ...files }, ["/tmp", "/root", "/etc", "/proc", "/sys", "/dev", ...dirs]), netns);
      return { fs: view, fsFor: (ns: NetnsApi) => view.withNetns(ns) };
    },
  };
  builder.build(env);

  const live = (): string[] => [...contexts].filter(([, r]) => r() !== undefined).map(([n]) => n);
  return {
    kind: opts.kind,
    contexts: live,
    session(name: string): SimSession {
      const ctx = contexts.get(name)?.();
      if (!ctx) throw new UnknownContextError(name, live());
      let session = sessions.get(name);
      if (!session) {
        session = new ShellSession(ctx, services, { pid: nextPid++ });
        sessions.set(name, session);
      }
      const s = session;
      return {
        context: name,
        exec(command, o) {
          // The context may have changed under the same name (a restarted container): follow it.
          const now = contexts.get(name)?.();
          if (now) s.ctx = now;
          return s.exec(command, o);
        },
        isFunction: (fn) => s.isFunction(fn),
      };
    },
    traceTake: () => kernel.traceTake(),
    tracing: (on) => kernel.setTracing(on),
    now: () => clock.now(),
    topology: () => computeTopology(kernel.hosts(), services.daemons),
  };
}
