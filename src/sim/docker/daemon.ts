/**
 * The simulated dockerd: containers, networks and images, plumbed into the kernel only through
 * the kernel API, the way dockerd 20.10 + libnetwork + runc do it on a real host:
 *
 *   host (init netns)                          container netns (docker:<id12>)
 *   ┌───────────────────────────────┐          ┌──────────────────────────────┐
 *   │ docker0 172.17.0.1/16 (bridge)│          │ lo 127.0.0.1/8               │
 *   │   └─ vethXXXXXXX ─────────────┼── veth ──┼─ eth0 172.17.0.2/16          │
 *   │ iptables: DOCKER, DOCKER-USER,│          │    MAC 02:42:ac:11:00:02     │
 *   │  ISOLATION-1/2, MASQUERADE,   │          │ default via 172.17.0.1       │
 *   │  DNAT per published port      │          │ [user-defined networks: DNS  │
 *   │ docker-proxy on 0.0.0.0:HPORT │          │  127.0.0.11:53 DNAT→resolver]│
 *   └───────────────────────────────┘          └──────────────────────────────┘
 *
 * This file holds the daemon's API object: start-up (chains, docker0, the default networks), the
 * container lifecycle (create/start/stop/kill/restart/remove, list/inspect/logs, exec) and
 * images. A container's plumbing is in container-net.ts, network CRUD in networks.ts, the
 * shared tables and lookups in daemon-state.ts.
 *
 * Processes run through WorldServices.spawn in a ProcContext whose netns and fs are the
 * container's. Sockets the container's processes open are tracked, so stopping a container
 * closes them even when it shares the host's namespace (`--network host`).
 */
import type { ProcContext, SimFs, Stdio } from "../userland/types.js";
import { stepClock } from "../../core/clock.js";
import {
  DockerError, type ContainerSummary, type CreateRequest, type DockerDaemonApi, type ExecRequest,
  type ImageSummary, type NetworkSummary, type PortMapping,
} from "./types.js";
import { containerJson, imageJson } from "./inspect.js";
import { setupDaemonChains } from "./iptables.js";
import { randomName } from "./names.js";
import { humanDuration } from "./duration.js";
import { DaemonState, type DockerdDeps } from "./daemon-state.js";
import { setupNetwork, teardownNetwork } from "./container-net.js";
import {
  addNetwork, networkConnect, networkCreate, networkDisconnect, networkInspect, networkList, networkRemove,
} from "./networks.js";
import type { Container } from "./state.js";

export type { DockerdDeps } from "./daemon-state.js";

const STOP_TIMEOUT_S = 10;

/** Starts the daemon on `deps.host`: chains, docker0, the default networks; returns its API. */
export function createDockerd(deps: DockerdDeps): DockerDaemonApi {
  return new Dockerd(deps);
}

class Dockerd implements DockerDaemonApi {
  private readonly s: DaemonState;
  private nextPid = 4000;

  constructor(private readonly d: DockerdDeps) {
    const s = (this.s = new DaemonState(d));
    s.ipt.batch(() => {
      // setup_ip_forwarding.go: if forwarding was off, turn it on and set FORWARD's policy to DROP.
      if (s.init.sysctlGet("net.ipv4.ip_forward") !== "1") {
        s.init.sysctlSet("net.ipv4.ip_forward", "1");
        s.ipt.setPolicy("filter", "FORWARD", "DROP");
      }
      setupDaemonChains(s.ipt);
      addNetwork(s, "bridge", "bridge", { bridge: "docker0", subnet: "172.17.0.0/16", isDefault: true });
    });
    addNetwork(s, "host", "host", {});
    addNetwork(s, "none", "null", {});
  }

  // ---- containers

  containerCreate(req: CreateRequest): string {
    const image = this.s.findImage(req.image);
    if (!image) {
      // No registry answers in a lesson world: the pull fails as on a machine that cannot resolve Docker Hub.
      // Go's resolver names the server it asked (`on 10.255.255.53:53` on the lab machine).
      const ns = /^nameserver\s+(\S+)/m.exec(this.d.hostResolvConf ?? "")?.[1];
      throw new DockerError("pull", `Get "https://registry-1.docker.io/v2/": dial tcp: lookup registry-1.docker.io${ns ? ` on ${ns}:53` : ""}: no such host`);
    }
    if (req.name !== undefined) {
      if (!/^[a-zA-Z0-9][a-zA-Z0-9_.-]+$/.test(req.name)) {
        throw new DockerError("invalid", `Invalid container name (${req.name}), only [a-zA-Z0-9][a-zA-Z0-9_.-] are allowed`);
      }
      const other = this.s.containers.find((c) => !c.removed && c.name === req.name);
      if (other) {
        throw new DockerError("conflict", `Conflict. The container name "/${req.name}" is already in use by container "${other.id}". You have to remove (or rename) that container to be able to reuse that name.`);
      }
    }
    const mode = req.networkMode;
    let networks: string[] = [];
    if (mode === "default" || mode === "bridge") networks = [this.s.findNetwork("bridge")!.id];
    else if (mode === "host") networks = [this.s.findNetwork("host")!.id];
    else if (mode === "none") networks = [this.s.findNetwork("none")!.id];
    else if (mode.startsWith("container:")) {
      const target = mode.slice("container:".length);
      const t = this.s.find(target);
      if (!t) throw new DockerError("notFound", `No such container: ${target}`);
    } else {
      const n = this.s.findNetwork(mode);
      if (!n) throw new DockerError("notFound", `network ${mode} not found`);
      networks = [n.id];
    }
    let name = req.name;
    for (let retry = 0; name === undefined; retry++) {
      const cand = randomName(this.d.rng, retry);
      if (!this.s.containers.some((c) => !c.removed && c.name === cand)) name = cand;
    }
    const id = this.s.hex(64);
    const argv = [...(req.entrypoint ?? image.config.entrypoint ?? []), ...(req.cmd.length > 0 ? req.cmd : image.config.cmd)];
    const envMap = new Map<string, string>();
    for (const e of [...image.config.env, ...req.env]) {
      const i = e.indexOf("=");
      envMap.set(i < 0 ? e : e.slice(0, i), e);
    }
    const c: Container = {
      id, name, createdMs: this.d.clock.now(), image, imageRef: req.image, path: argv[0] ?? "", args: argv.slice(1), req,
      hostname: req.hostname ?? (mode === "host" ? this.d.host.hostname : id.slice(0, 12)),
      env: [...envMap.values()], state: "created", exitCode: 0, pid: 0, restartCount: 0,
      networks, endpoints: new Map(), ports: [], handles: [], log: "", generation: 0, waiters: [],
      fs: undefined as unknown as SimFs, sandboxId: this.s.hex(64), removed: false,
    };
    this.s.containers.push(c);
    return id;
  }

  containerStart(ref: string, attach?: Stdio, stdin?: string): void {
    const c = this.s.get(ref);
    if (c.state === "running") return;
    try {
      setupNetwork(this.s, c);
      this.checkExecutable(c, c.path, "create");
    } catch (e) {
      teardownNetwork(this.s, c);
      throw e;
    }
    c.state = "running";
    c.startedMs = this.d.clock.now();
    this.d.onStarted?.(c.name);
    c.pid = this.nextPid++;
    const gen = ++c.generation;
    const io: Stdio = {
      write: (fd, text) => {
        if (c.generation === gen) c.log += text;
        attach?.write(fd, text);
      },
    };
    const env = Object.fromEntries(c.env.map((e) => [e.slice(0, e.indexOf("=")), e.slice(e.indexOf("=") + 1)]));
    // A shell whose stdin is an open terminal nobody writes to (`-dit`) waits for input: it runs until stopped.
    if (c.req.openStdin && stdin === undefined) return;
    // The main process runs in virtual time beside its clients (its `sleep N` ends when the
    // world's clock gets there); an attached CLI waits on it, driving the clock meanwhile.
    this.d.spawn(c.ctx!, { argv: [c.path, ...c.args], env, background: true, ...(stdin !== undefined ? { stdin } : {}) }, io).then(
      (code) => { if (c.generation === gen) this.exited(c, code); },
      () => { if (c.generation === gen) this.exited(c, 1); },
    );
  }


  /** runc's exec: PATH lookup in the container's file system; errors carry Docker's exit codes. */
  private checkExecutable(c: Container, cmd: string, phase: "create" | "exec"): void {
    const prefix = phase === "create"
      ? "failed to create shim task: OCI runtime create failed: runc create failed: unable to start container process: "
      : "OCI runtime exec failed: exec failed: unable to start container process: ";
    const fail = (why: string, code: number) => { throw new DockerError("runtime", `${prefix}exec: "${cmd}": ${why}: unknown`, code); };
    if (cmd.includes("/")) {
      if (!c.fs.exists(cmd) && !c.image.executables.has(cmd)) fail("stat " + cmd + ": no such file or directory", 127);
      if (!c.image.executables.has(cmd)) fail("permission denied", 126);
      return;
    }
    const path = (c.env.find((e) => e.startsWith("PATH="))?.slice(5) ?? "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin").split(":");
    if (!path.some((d) => c.image.executables.has(`${d}/${cmd}`))) fail("executable file not found in $PATH", 127);
  }


  private exited(c: Container, code: number): void {
    if (c.state !== "running") return;
    c.generation++;
    c.state = "exited";
    c.exitCode = code;
    c.finishedMs = this.d.clock.now();
    c.pid = 0;
    teardownNetwork(this.s, c);
    c.ctx = undefined;
    for (const w of c.waiters.splice(0)) w(code);
    if (c.req.autoRemove) c.removed = true;
  }

  containerWait(ref: string): Promise<number> {
    const c = this.s.get(ref);
    if (c.state !== "running") return Promise.resolve(c.exitCode);
    return new Promise((resolve) => c.waiters.push(resolve));
  }

  async containerStop(ref: string, timeoutSec = STOP_TIMEOUT_S): Promise<void> {
    const c = this.s.get(ref);
    if (c.state !== "running") return;
    // SIGTERM to PID 1: only a program that installs a handler ends; others get SIGKILL after the timeout.
    const prog = c.path.slice(c.path.lastIndexOf("/") + 1);
    if (c.image.termHandlers.has(prog)) {
      this.exited(c, 0);
      return;
    }
    // PID 1 ignores SIGTERM: the daemon waits up to the timeout, and a main process that ends by
    // itself meanwhile (`sleep 3`) exits with its own code. Time moves event by event so that the
    // background process runs when its wake-up falls due.
    const generation = c.generation;
    const settle = this.d.settle;
    await stepClock(this.d.clock, settle && (() => settle.call(this.d)), this.d.clock.now() + timeoutSec * 1000, () => (c.generation !== generation ? true : undefined));
    if (c.generation === generation) this.exited(c, 137);
  }

  containerKill(ref: string): void {
    const c = this.s.get(ref);
    if (c.state !== "running") throw new DockerError("conflict", `Cannot kill container: ${ref}: Container ${c.id} is not running`);
    this.exited(c, 137);
  }

  async containerRestart(ref: string, timeoutSec = STOP_TIMEOUT_S): Promise<void> {
    const c = this.s.get(ref);
    await this.containerStop(ref, timeoutSec);
    c.restartCount++;
    this.containerStart(ref);
  }

  containerRemove(ref: string, opts: { force?: boolean } = {}): void {
    const c = this.s.get(ref);
    if (c.state === "running") {
      if (!opts.force) {
        throw new DockerError("conflict", `You cannot remove a running container ${c.id}. Stop the container before attempting removal or force remove`);
      }
      this.exited(c, 137);
    }
    c.removed = true;
  }

  containerList(opts: { all: boolean }): ContainerSummary[] {
    const now = this.d.clock.now();
    return this.s.containers
      .filter((c) => !c.removed && (opts.all || c.state === "running"))
      .reverse()
      .map((c) => ({
        id: c.id,
        names: [c.name],
        image: c.imageRef,
        command: [c.path, ...c.args].map(quoteArg).join(" "),
        created: c.createdMs,
        state: c.state,
        status: c.state === "running" ? `Up ${humanDuration(now - c.startedMs!)}`
          : c.state === "exited" ? `Exited (${c.exitCode}) ${humanDuration(now - c.finishedMs!)} ago` : "Created",
        ports: c.state !== "running" ? [] : [
          ...c.ports,
          ...c.image.config.exposedPorts
            .map((e) => ({ containerPort: Number(e.split("/")[0]), proto: e.split("/")[1] as "tcp" | "udp", hostIp: "", hostPort: 0 }))
            .filter((e) => !c.ports.some((p) => p.containerPort === e.containerPort && p.proto === e.proto)),
        ],
        networks: c.networks.map((id) => this.s.networks.find((n) => n.id === id)!.name),
      }));
  }

  containerInspect(ref: string): Record<string, unknown> {
    const c = this.s.get(ref);
    return containerJson(c, this.s.networks, this.d.clock);
  }

  containerLogs(ref: string): string {
    return this.s.get(ref).log;
  }

  containerPorts(ref: string): PortMapping[] {
    return [...this.s.get(ref).ports];
  }

  containerId(ref: string): string {
    return this.s.get(ref).id;
  }

  exec(ref: string, req: ExecRequest, io: Stdio): Promise<number> {
    const c = this.s.get(ref);
    if (c.state !== "running" || !c.ctx) throw new DockerError("notRunning", `Container ${c.id} is not running`);
    const cmd = req.cmd[0] ?? "";
    this.checkExecutable(c, cmd, "exec");
    const env = { ...c.ctx.env };
    for (const e of req.env) env[e.slice(0, e.indexOf("="))] = e.slice(e.indexOf("=") + 1);
    return this.d.spawn(c.ctx, { argv: req.cmd, env, ...(req.stdin !== undefined ? { stdin: req.stdin } : {}) }, io);
  }

  runningNames(): string[] {
    return this.s.containers.filter((c) => !c.removed && c.state === "running").map((c) => c.name);
  }

  contextOf(ref: string): ProcContext {
    const c = this.s.get(ref);
    if (!c.ctx) throw new DockerError("notRunning", `Container ${c.id} is not running`);
    return c.ctx;
  }

  contextOfPid(pid: number): ProcContext | undefined {
    if (pid <= 0) return undefined;
    return this.s.containers.find((c) => !c.removed && c.state === "running" && c.pid === pid)?.ctx;
  }

  // ---- networks (networks.ts)

  networkCreate(name: string, opts: { driver?: string; subnet?: string; gateway?: string } = {}): string {
    return networkCreate(this.s, name, opts);
  }

  networkList(): NetworkSummary[] {
    return networkList(this.s);
  }

  networkInspect(ref: string): Record<string, unknown> {
    return networkInspect(this.s, ref);
  }

  networkRemove(ref: string): void {
    networkRemove(this.s, ref);
  }

  networkConnect(net: string, ref: string): void {
    networkConnect(this.s, net, ref);
  }

  networkDisconnect(net: string, ref: string): void {
    networkDisconnect(this.s, net, ref);
  }

  // ---- images

  imageList(): ImageSummary[] {
    const out: ImageSummary[] = [];
    for (const i of [...this.s.images].sort((a, b) => b.createdMs - a.createdMs)) {
      for (const t of i.repoTags) {
        const [repository, tag] = t.split(":");
        out.push({ repository: repository!, tag: tag!, id: i.id, created: i.createdMs, size: i.size });
      }
    }
    return out;
  }

  imageInspect(ref: string): Record<string, unknown> {
    const i = this.s.findImage(ref);
    if (!i) throw new DockerError("notFound", `No such image: ${ref}`, undefined, "image");
    return imageJson(i, this.d.clock);
  }

  imageExists(ref: string): boolean {
    return this.s.findImage(ref) !== undefined;
  }
}


/** `docker ps` COMMAND: Go's strconv-free join, quoting args that contain spaces as the CLI does. */
function quoteArg(a: string): string {
  return /[\s'"]/.test(a) || a === "" ? `'${a}'` : a;
}
