/**
 * The nodes' container runtime (containerd-like, as kubeadm 1.24+ nodes run): a pod sandbox is a
 * network namespace held by the pause container; app containers join it (same netns, own file
 * system), so every container of a pod sees the same eth0 and `localhost`.
 *
 *   sandbox (pause) ── netns "cni-<uuid>" ◄── container busybox (fs A)
 *                                          ◄── container nginx   (fs B)
 *
 * Images: busybox and nginx come from the Docker engine's image data (sim/docker/images.ts, the
 * same file systems and CMDs, handed in by the world builder), plus the cluster's own images whose main process is built in
 * (CoreDNS, ingress-nginx, pause). A main process runs as a program of the world (nginx's
 * stand-in server), except `sleep N`, which is a timer here: a program's virtual wait would move
 * the shared clock for everyone.
 */
import type { Clock } from "../../core/clock.js";
import type { Rng } from "../../core/random.js";
import type { HostKernelApi, NetnsApi } from "../kernel/api.js";
import type { ProcContext, SimFs, Stdio, WorldServices } from "../userland/types.js";

/** A process built into the simulator (CoreDNS, the ingress controller): started with its context, stopped by closing. */
export type BuiltinProcess = (ctx: ProcContext, log: (line: string) => void, args: string[]) => { stop(): void };

export interface RuntimeImage {
  /** Every reference it answers to, normalised (`nginx:1.16.1`, `registry.k8s.io/pause:3.9`). */
  refs: string[];
  /** `docker.io/library/nginx@sha256:…` */
  imageID: string;
  cmd: string[];
  entrypoint: string[];
  env: Record<string, string>;
  files: Record<string, string>;
  dirs: string[];
  programs: Set<string>;
  /** Programs whose PID-1 process ends on SIGTERM (sim/docker/images.ts termHandlers). */
  termHandlers?: Set<string>;
  builtin?: BuiltinProcess;
}

export interface RuntimeDeps {
  host: HostKernelApi;
  clock: Clock;
  rng: Rng;
  spawn: WorldServices["spawn"];
  makeFs(files: Record<string, string>, dirs: string[], netns: NetnsApi): SimFs;
  /** Extra images (the cluster's own), by canonical name. */
  images: RuntimeImage[];
}

export interface Sandbox {
  id: string;
  netns: NetnsApi;
  hostname: string;
  /** The name under /var/run/netns. */
  nsName: string;
}

export interface RuntimeContainer {
  id: string;
  name: string;
  image: RuntimeImage;
  ctx: ProcContext;
  state: "created" | "running" | "exited";
  exitCode?: number;
  startedAt?: number;
  log: string;
  stop(): void;
  /**
   * Signals the main process: KILL ends it (exit 137); TERM ends it (exit 0) only if its program
   * handles SIGTERM (`handlesTerm`), else PID 1 ignores it. An ending calls the start's `onExit`.
   */
  signal(sig: "TERM" | "KILL"): void;
  /** Whether the main process ends on SIGTERM (nginx, the built-in daemons; not `sleep` or a shell). */
  readonly handlesTerm: boolean;
  /**
   * CRI Attach: `io` gets the main process's output so far (this container instance's, so an
   * attach right after the start misses nothing) and everything it writes until `detach`. A
   * container started with `waitStdin` runs its main process at the first attach, reading
   * `stdin` (then EOF, as stdinOnce closes the stream when that attach ends).
   */
  attach(io: Stdio, stdin?: string): { detach(): void };
  /**
   * CRI ExecSync without a timeout (a lifecycle hook's exec): `argv` in the container; `done`
   * gets its exit code one promise turn after it ends, as a main process's exit is seen.
   */
  exec(argv: string[], io: Stdio, done: (code: number) => void): void;
}

const hex = (rng: Rng, n: number) => Array.from({ length: n }, () => "0123456789abcdef"[rng.int(16)]).join("");

/** An image as the Docker engine's image store describes it (sim/docker/images.ts `Image`). */
export interface ImageData {
  repoTags: string[];
  config: { cmd: string[]; entrypoint: string[] | null; env: string[] };
  files: Record<string, string>;
  dirs: string[];
  executables: Set<string>;
  /** Programs whose PID-1 process ends on SIGTERM; the others wait for the SIGKILL. */
  termHandlers?: Set<string>;
}

/** The library images every node can run, from the Docker engine's image data. */
export function libraryImages(rng: Rng, images: ImageData[]): RuntimeImage[] {
  return images.map((img) => {
    const env: Record<string, string> = {};
    for (const e of img.config.env) env[e.slice(0, e.indexOf("="))] = e.slice(e.indexOf("=") + 1);
    const repo = img.repoTags[0]!.split(":")[0]!;
    const programs = new Set<string>();
    for (const p of img.executables) programs.add(p.slice(p.lastIndexOf("/") + 1));
    return {
      refs: img.repoTags.flatMap((t) => [t, `docker.io/library/${t}`]),
      imageID: `docker.io/library/${repo}@sha256:${hex(rng, 64)}`,
      cmd: img.config.cmd,
      entrypoint: img.config.entrypoint ?? [],
      env,
      files: img.files,
      dirs: img.dirs,
      programs,
      ...(img.termHandlers ? { termHandlers: img.termHandlers } : {}),
    };
  });
}

/** Canonical form of an image reference: default tag `latest`, docker.io/library/ implied. */
export function canonicalImage(ref: string): string {
  const r = ref.split("@")[0]!;
  const n = r.slice(r.lastIndexOf("/") + 1).includes(":") ? r : `${r}:latest`;
  return n.startsWith("docker.io/library/") ? n.slice("docker.io/library/".length) : n;
}

export class ContainerRuntime {
  private readonly pulled = new Set<string>();
  constructor(private readonly d: RuntimeDeps, private readonly library: RuntimeImage[]) {}

  /** The image a reference names, or undefined (no registry is reachable: ErrImagePull). */
  findImage(ref: string): RuntimeImage | undefined {
    const c = canonicalImage(ref);
    return [...this.library, ...this.d.images].find((i) => i.refs.includes(c) || i.refs.includes(ref));
  }

  /** A fresh 64-hex container id. */
  newId(): string {
    return hex(this.d.rng, 64);
  }

  /** The node's own network namespace (the kubelet's, for httpGet hooks). */
  nodeNetns(): NetnsApi {
    return this.d.host.init;
  }

  /** Whether the image is already on this node (a first pull takes time). */
  isPulled(ref: string): boolean {
    return this.pulled.has(canonicalImage(ref));
  }

  markPulled(ref: string): void {
    this.pulled.add(canonicalImage(ref));
  }

  /**
   * RunPodSandbox: a fresh network namespace, bind-mounted under /var/run/netns as containerd
   * does (`cni-<uuid>`), so `ip netns list` on the node shows one per pod.
   */
  runPodSandbox(hostname: string): Sandbox {
    const id = hex(this.d.rng, 64);
    const u = hex(this.d.rng, 32);
    const name = `cni-${u.slice(0, 8)}-${u.slice(8, 12)}-${u.slice(12, 16)}-${u.slice(16, 20)}-${u.slice(20)}`;
    const netns = this.d.host.netnsAddNamed(name);
    netns.linkSet("lo", { up: true });
    return { id, netns, hostname, nsName: name };
  }

  /** StopPodSandbox + RemovePodSandbox: the namespace goes, and with it the pod's veth end. */
  removePodSandbox(s: Sandbox): void {
    this.d.host.netnsDelNamed(s.nsName);
  }

  /** CreateContainer + StartContainer in `sandbox`; `onExit` gets the main process's exit code. */
  start(
    sandbox: Sandbox,
    spec: { name: string; image: RuntimeImage; command?: string[]; args?: string[]; env?: Record<string, string>; files?: Record<string, string>; waitStdin?: boolean },
    onExit: (code: number) => void,
  ): RuntimeContainer {
    const img = spec.image;
    const fs = this.d.makeFs({ ...img.files, ...(spec.files ?? {}) }, img.dirs, sandbox.netns);
    const env = { ...img.env, HOSTNAME: sandbox.hostname, HOME: "/root", ...(spec.env ?? {}) };
    const ctx: ProcContext = { name: spec.name, host: this.d.host, netns: sandbox.netns, fs, hostname: sandbox.hostname, available: (c) => img.programs.has(c), env, shell: "ash" };
    // Kubernetes: command replaces ENTRYPOINT, args replace CMD.
    const argv = spec.command?.length ? [...spec.command, ...(spec.args ?? [])] : [...img.entrypoint, ...(spec.args?.length ? spec.args : img.cmd)];
    let stopped = false;
    let stopper: (() => void) | undefined;
    // Output by stream, for attach's replay, and the attached streams.
    const chunks: Array<{ fd: 1 | 2; text: string }> = [];
    const attached = new Set<Stdio>();
    let startMain: ((stdin: string) => void) | undefined;
    // PID 1 has no default signal handlers: only a program that installs one ends on SIGTERM.
    const prog = argv[0] ?? "";
    const handlesTerm = !!img.builtin || (img.termHandlers?.has(prog.slice(prog.lastIndexOf("/") + 1)) ?? false);
    const c: RuntimeContainer = {
      id: hex(this.d.rng, 64),
      name: spec.name,
      image: img,
      ctx,
      state: "running",
      startedAt: this.d.clock.now(),
      log: "",
      stop: () => {
        if (stopped) return;
        stopped = true;
        stopper?.();
        c.state = "exited";
      },
      handlesTerm,
      signal: (sig) => {
        if (sig === "TERM" && !handlesTerm) return;
        if (stopped) return;
        stopper?.();
        exit(sig === "KILL" ? 137 : 0);
      },
      attach: (io, stdin) => {
        for (const ch of chunks) io.write(ch.fd, ch.text);
        attached.add(io);
        const start = startMain;
        startMain = undefined;
        start?.(stdin ?? "");
        return { detach: () => attached.delete(io) };
      },
      // Background: the hook's `sleep` waits for virtual time as the main process's does.
      exec: (execArgv, execIo, done) => void this.d.spawn(ctx, { argv: execArgv, env, background: true }, execIo).then(done, () => done(1)),
    };
    const emit = (fd: 1 | 2, text: string) => {
      c.log += text;
      chunks.push({ fd, text });
      for (const a of attached) a.write(fd, text);
    };
    const exit = (code: number) => {
      if (stopped) return;
      stopped = true;
      c.state = "exited";
      c.exitCode = code;
      onExit(code);
    };
    if (img.builtin) {
      const h = img.builtin(ctx, (line) => emit(1, line), argv);
      stopper = () => h.stop();
      return c;
    }
    if (argv[0] === "sleep" && argv.length === 2 && /^\d+$/.test(argv[1]!)) {
      const handle = this.d.clock.schedule(this.d.clock.now() + Number(argv[1]) * 1000, () => exit(0));
      stopper = () => this.d.clock.cancel(handle);
      return c;
    }
    const io: Stdio = { write: (fd, text) => emit(fd, text) };
    const handles: Array<{ close(): void }> = [];
    // Sockets the main process opens close when the container stops.
    const netns = new Proxy(sandbox.netns, {
      get(t, k) {
        if (k === "tcpListen" || k === "udpListen") {
          return (...a: unknown[]) => {
            const h = (t as any)[k](...a);
            handles.push(h);
            return h;
          };
        }
        const v = (t as any)[k];
        return typeof v === "function" ? v.bind(t) : v;
      },
    });
    stopper = () => handles.forEach((h) => h.close());
    const main = (stdin: string) => {
      if (stopped) return;
      this.d.spawn({ ...ctx, netns }, { argv, env, stdin, background: true }, io).then(exit, () => exit(1));
    };
    // A process whose stdin is held open for an attacher (stdin: true) waits for it to read.
    if (spec.waitStdin) startMain = main;
    else main("");
    return c;
  }
}
