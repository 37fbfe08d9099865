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
 *   │  DNAT per published port      │          │ [127.0.0.11:53 embedded DNS  │
 *   │ docker-proxy on 0.0.0.0:HPORT │          │  on user-defined networks]   │
 *   └───────────────────────────────┘          └──────────────────────────────┘
 *
 * Processes run through WorldServices.spawn in a ProcContext whose netns and fs are the
 * container's. Sockets the container's processes open are tracked, so stopping a container
 * closes them even when it shares the host's namespace (`--network host`).
 */
import type { Clock } from "../../core/clock.js";
import type { Rng } from "../../core/random.js";
import { KernelError, type HostKernelApi, type ListenHandle, type NetnsApi } from "../kernel/api.js";
import type { ProcContext, SimFs, Stdio, WorldServices } from "../userland/types.js";
import {
  DockerError, type ContainerSummary, type CreateRequest, type DockerDaemonApi, type ExecRequest,
  type ImageSummary, type NetworkSummary, type PortMapping,
} from "./types.js";
import { answerQuery, DNS_TYPE } from "../kernel/wire/dns-message.js";
import { defaultImages, normalizeRef, programsOf, type Image } from "./images.js";
import { containerJson, networkJson, imageJson } from "./inspect.js";
import { Pool, defaultPools } from "./ipam.js";
import { Iptables, addPortRules, removePortRules, setupBridgeRules, setupDaemonChains, teardownBridgeRules } from "./iptables.js";
import { randomName } from "./names.js";
import { humanDuration } from "./duration.js";
import type { Container, Endpoint, Network } from "./state.js";

/** What the daemon needs from the world it runs in. */
export interface DockerdDeps {
  host: HostKernelApi;
  clock: Clock;
  rng: Rng;
  spawn: WorldServices["spawn"];
  /** Builds a container's root file system from image files, its /sys and /proc seen from `netns`. */
  makeFs(files: Record<string, string>, dirs: string[], netns: NetnsApi): SimFs;
  /** The host's /etc/resolv.conf, copied into containers on the default bridge. */
  hostResolvConf?: string;
  /** Told when a container starts running (the world makes its name a context). */
  onStarted?(name: string): void;
  /** Lets the world's background processes run to their next wait (WorldServices.settle). */
  settle?(): Promise<void>;
}

const STOP_TIMEOUT_S = 10;
/** Character codes of the hex digits, and a scratch array hex() fills (it never re-enters). */
const HEX_DIGITS = Array.from("0123456789abcdef", (c) => c.charCodeAt(0));
const HEX_SCRATCH = new Array<number>(64).fill(0);
const EPHEMERAL_START = 32768;
const EPHEMERAL_END = 60999;

/** Starts the daemon on `deps.host`: chains, docker0, the default networks; returns its API. */
export function createDockerd(deps: DockerdDeps): DockerDaemonApi {
  return new Dockerd(deps);
}

class Dockerd implements DockerDaemonApi {
  private readonly init: NetnsApi;
  private readonly ipt: Iptables;
  private readonly images: Image[];
  private readonly networks: Network[] = [];
  private readonly containers: Container[] = [];
  /** Host ports in use per proto (portallocator): "tcp/0.0.0.0/1234". */
  private readonly allocated = new Set<string>();
  private lastEphemeral = EPHEMERAL_START - 1;
  /** Index in defaultPools() of the last pool given to a network (docker0 has the first). */
  private lastPool = 0;
  private nextPid = 4000;

  constructor(private readonly d: DockerdDeps) {
    this.init = d.host.init;
    this.ipt = new Iptables(this.init);
    this.images = defaultImages((n) => this.hex(n));
    this.ipt.batch(() => {
      // setup_ip_forwarding.go: if forwarding was off, turn it on and set FORWARD's policy to DROP.
      if (this.init.sysctlGet("net.ipv4.ip_forward") !== "1") {
        this.init.sysctlSet("net.ipv4.ip_forward", "1");
        this.ipt.setPolicy("filter", "FORWARD", "DROP");
      }
      setupDaemonChains(this.ipt);
      this.addNetwork("bridge", "bridge", { bridge: "docker0", subnet: "172.17.0.0/16", isDefault: true });
    });
    this.addNetwork("host", "host", {});
    this.addNetwork("none", "null", {});
  }

  // ---- helpers

  /** `n` hex digits from the Rng, eight per uint32 (the digits of toString(16) padded to 8), built as one string. */
  private hex(n: number): string {
    const codes = n <= HEX_SCRATCH.length ? HEX_SCRATCH : new Array<number>(n);
    for (let i = 0; i < n; i += 8) {
      let x = this.d.rng.uint32();
      for (let j = 7; j >= 0; j--) {
        if (i + j < n) codes[i + j] = HEX_DIGITS[x & 15]!;
        x >>>= 4;
      }
    }
    return String.fromCharCode.apply(null, codes.length === n ? codes : codes.slice(0, n));
  }

  private randomMac(): string {
    const b = [0x02, 0x42, ...Array.from({ length: 4 }, () => this.d.rng.int(256))];
    return b.map((x) => x.toString(16).padStart(2, "0")).join(":");
  }

  private addNetwork(name: string, driver: Network["driver"], o: { bridge?: string; subnet?: string; gateway?: string; isDefault?: boolean }): Network {
    const id = this.hex(64);
    const n: Network = {
      id, name, driver, createdMs: this.d.clock.now(), isDefault: !!o.isDefault, options: {}, ipamGateway: !o.isDefault,
    };
    if (driver === "bridge") {
      n.bridge = o.bridge ?? `br-${id.slice(0, 12)}`;
      n.subnet = o.subnet!;
      n.pool = new Pool(n.subnet);
      n.gateway = n.pool.take(o.gateway)!;
      if (o.isDefault) {
        n.options = {
          "com.docker.network.bridge.default_bridge": "true",
          "com.docker.network.bridge.enable_icc": "true",
          "com.docker.network.bridge.enable_ip_masquerade": "true",
          "com.docker.network.bridge.host_binding_ipv4": "0.0.0.0",
          "com.docker.network.bridge.name": "docker0",
          "com.docker.network.driver.mtu": "1500",
        };
      }
      // bridge driver: the device, its gateway address, up; then the iptables layout. dockerd gives
      // the bridge a random 02:42 MAC (setup_device.go), which the kernel then keeps (NET_ADDR_SET),
      // and netlink's TxQLen 0 (no `qlen` in `ip link`).
      this.init.linkAdd({ name: n.bridge, kind: "bridge", address: this.randomMac(), txqlen: 0 });
      this.init.addrAdd(n.bridge, `${n.gateway}/${n.pool.plen}`, { broadcast: n.pool.broadcast() });
      this.init.linkSet(n.bridge, { up: true });
      this.ipt.batch(() => setupBridgeRules(this.ipt, n.bridge!, n.subnet!));
    }
    this.networks.push(n);
    return n;
  }

  private findNetwork(ref: string): Network | undefined {
    return this.networks.find((n) => n.name === ref) ?? this.networks.find((n) => n.id === ref)
      ?? this.uniquePrefix(this.networks, ref);
  }

  private uniquePrefix<T extends { id: string }>(list: T[], ref: string): T | undefined {
    if (ref.length === 0) return undefined;
    const hits = list.filter((x) => x.id.startsWith(ref));
    return hits.length === 1 ? hits[0] : undefined;
  }

  private find(ref: string): Container | undefined {
    const live = this.containers.filter((c) => !c.removed);
    const r = ref.startsWith("/") ? ref.slice(1) : ref;
    return live.find((c) => c.id === r) ?? live.find((c) => c.name === r) ?? this.uniquePrefix(live, r);
  }

  private get(ref: string): Container {
    const c = this.find(ref);
    if (!c) throw new DockerError("notFound", `No such container: ${ref}`, undefined, "container");
    return c;
  }

  private findImage(ref: string): Image | undefined {
    const full = normalizeRef(ref);
    return this.images.find((i) => i.repoTags.includes(full)) ?? this.images.find((i) => i.id === ref || i.id.startsWith(ref.replace(/^sha256:/, "")) && ref.length >= 4);
  }

  // ---- containers

  containerCreate(req: CreateRequest): string {
    const image = this.findImage(req.image);
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
      const other = this.containers.find((c) => !c.removed && c.name === req.name);
      if (other) {
        throw new DockerError("conflict", `Conflict. The container name "/${req.name}" is already in use by container "${other.id}". You have to remove (or rename) that container to be able to reuse that name.`);
      }
    }
    const mode = req.networkMode;
    let networks: string[] = [];
    if (mode === "default" || mode === "bridge") networks = [this.findNetwork("bridge")!.id];
    else if (mode === "host") networks = [this.findNetwork("host")!.id];
    else if (mode === "none") networks = [this.findNetwork("none")!.id];
    else if (mode.startsWith("container:")) {
      const target = mode.slice("container:".length);
      const t = this.find(target);
      if (!t) throw new DockerError("notFound", `No such container: ${target}`);
    } else {
      const n = this.findNetwork(mode);
      if (!n) throw new DockerError("notFound", `network ${mode} not found`);
      networks = [n.id];
    }
    let name = req.name;
    for (let retry = 0; name === undefined; retry++) {
      const cand = randomName(this.d.rng, retry);
      if (!this.containers.some((c) => !c.removed && c.name === cand)) name = cand;
    }
    const id = this.hex(64);
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
      fs: undefined as unknown as SimFs, sandboxId: this.hex(64), removed: false,
    };
    this.containers.push(c);
    return id;
  }

  containerStart(ref: string, attach?: Stdio, stdin?: string): void {
    const c = this.get(ref);
    if (c.state === "running") return;
    try {
      this.setupNetwork(c);
      this.checkExecutable(c, c.path, "create");
    } catch (e) {
      this.teardownNetwork(c);
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
    // Detached, the main process runs beside the CLI in virtual time (its `sleep N` ends when the
    // world's clock gets there); attached, the CLI waits on it, so it moves time itself.
    this.d.spawn(c.ctx!, { argv: [c.path, ...c.args], env, background: attach === undefined, ...(stdin !== undefined ? { stdin } : {}) }, io).then(
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

  private trackSockets(ns: NetnsApi, handles: ListenHandle[]): NetnsApi {
    // Methods come back bound to the namespace, each bound once per container start (and again
    // should the namespace's method itself change).
    const methods = new Map<PropertyKey, { fn: unknown; bound: unknown }>();
    return new Proxy(ns, {
      get(t, k) {
        const v = (t as unknown as Record<PropertyKey, unknown>)[k];
        if (typeof v !== "function") return v;
        let m = methods.get(k);
        if (m === undefined || m.fn !== v) {
          const bound = k === "tcpListen" || k === "udpListen"
            ? (...a: unknown[]) => {
              const h = (v as (...x: unknown[]) => ListenHandle).apply(t, a);
              handles.push(h);
              return h;
            }
            : (v as (...x: unknown[]) => unknown).bind(t);
          methods.set(k, (m = { fn: v, bound }));
        }
        return m.bound;
      },
    });
  }

  private setupNetwork(c: Container): void {
    const mode = c.req.networkMode;
    let ns: NetnsApi;
    if (mode === "host") {
      ns = this.init;
    } else if (mode.startsWith("container:")) {
      const t = this.get(mode.slice("container:".length));
      if (t.state !== "running" || !t.ctx) throw new DockerError("conflict", `cannot join network of a non running container: ${t.id}`);
      ns = t.netns ?? this.init;
    } else {
      ns = this.d.host.netnsCreate(`docker:${c.id.slice(0, 12)}`);
      c.netns = ns;
      ns.linkSet("lo", { up: true });
      for (const nid of c.networks) {
        const n = this.networks.find((x) => x.id === nid);
        if (n?.driver === "bridge") this.attach(c, n);
      }
    }
    if (!c.fs) c.fs = this.d.makeFs(c.image.files, c.image.dirs, ns);
    this.writeEtc(c);
    const programs = programsOf(c.image);
    const env: Record<string, string> = {};
    for (const e of c.env) env[e.slice(0, e.indexOf("="))] = e.slice(e.indexOf("=") + 1);
    env.HOSTNAME = c.hostname;
    env.HOME = "/root";
    c.ctx = {
      name: c.name, host: this.d.host, netns: this.trackSockets(ns, c.handles), fs: c.fs, hostname: c.hostname,
      available: (cmd) => programs.has(cmd), env, shell: "ash",
    };
    this.publish(c);
  }

  /** libnetwork bridge driver Join: a veth pair, the container end renamed eth<N> in its namespace. */
  private attach(c: Container, n: Network): void {
    const ns = c.netns!;
    const ip = n.pool!.take();
    if (!ip) throw new DockerError("runtime", `no available IPv4 addresses on this network's address pools: ${n.name} (${n.id})`);
    const o = ip.split(".").map(Number);
    const mac = ["02", "42", ...o.map((x) => x.toString(16).padStart(2, "0"))].join(":");
    const hostVeth = `veth${this.hex(7)}`;
    const tmp = `veth${this.hex(7)}`;
    const ifname = `eth${c.endpoints.size}`;
    // libnetwork creates the pair with netlink TxQLen 0: `txqueuelen:0` in the container's ifconfig.
    this.init.linkAdd({ name: hostVeth, kind: "veth", txqlen: 0, peer: { name: tmp } });
    this.init.linkSet(tmp, { address: mac });
    this.init.linkSet(hostVeth, { master: n.bridge!, up: true });
    this.init.linkSet(tmp, { netns: { id: ns.id } });
    ns.linkSet(tmp, { name: ifname });
    ns.addrAdd(ifname, `${ip}/${n.pool!.plen}`, { broadcast: n.pool!.broadcast() });
    ns.linkSet(ifname, { up: true });
    if (c.endpoints.size === 0) ns.routeAdd({ dst: "default", via: n.gateway! });
    const ep: Endpoint = { id: this.hex(64), networkId: n.id, ip, mac, hostVeth, ifname };
    c.endpoints.set(n.id, ep);
    if (!n.isDefault && !c.handles.some((h) => (h as { dns?: boolean }).dns)) {
      const handler = (payload: Uint8Array) => this.resolve(c, payload);
      let h: ListenHandle & { dns?: boolean };
      try {
        h = ns.udpListen("127.0.0.11", 53, handler);
      } catch (e) {
        // Linux lets a socket bind any 127/8 address (the local route); a kernel that only accepts
        // configured addresses gets the wildcard instead, which still receives 127.0.0.11.
        if (!(e instanceof KernelError) || e.errno !== "EADDRNOTAVAIL") throw e;
        h = ns.udpListen("0.0.0.0", 53, handler);
      }
      h.dns = true;
      c.handles.push(h);
    }
  }

  /**
   * Embedded DNS (libnetwork resolver.go): names of running containers sharing a user-defined
   * network with `c`. Answers carry RA and not AA (busybox nslookup prints "Non-authoritative
   * answer:"); an AAAA query for a known name gets an empty NOERROR answer (no IPv6); unknown
   * names get NXDOMAIN (the real resolver forwards them to the host's, which a lesson world lacks).
   * TTL 600 s (libnetwork respTTL).
   */
  private resolve(c: Container, payload: Uint8Array): Uint8Array | undefined {
    return answerQuery(payload, (q) => {
      const name = q.name.toLowerCase().replace(/\.$/, "");
      const addrs: string[] = [];
      for (const [nid] of c.endpoints) {
        const n = this.networks.find((x) => x.id === nid);
        if (!n || n.isDefault) continue;
        for (const o of this.containers) {
          if (o.removed || o.state !== "running") continue;
          const ep = o.endpoints.get(nid);
          if (ep && (o.name === name || o.id.slice(0, 12) === name)) addrs.push(ep.ip);
        }
      }
      if (addrs.length === 0) return undefined;
      return q.type === DNS_TYPE.A ? addrs.map((a) => ({ name: q.name, type: DNS_TYPE.A, ttl: 600, data: a })) : [];
    });
  }

  private writeEtc(c: Container): void {
    const first = [...c.endpoints.values()][0];
    const hosts = [
      "127.0.0.1\tlocalhost", "::1\tlocalhost ip6-localhost ip6-loopback", "fe00::0\tip6-localnet",
      "ff00::0\tip6-mcastprefix", "ff02::1\tip6-allnodes", "ff02::2\tip6-allrouters",
      ...(first ? [`${first.ip}\t${c.hostname}`] : []),
    ];
    c.fs.writeFile("/etc/hosts", hosts.join("\n") + "\n");
    c.fs.writeFile("/etc/hostname", c.hostname + "\n");
    const userNet = [...c.endpoints.keys()].some((id) => !this.networks.find((n) => n.id === id)?.isDefault);
    c.fs.writeFile("/etc/resolv.conf", userNet ? "nameserver 127.0.0.11\noptions ndots:0\n" : (this.d.hostResolvConf ?? ""));
  }

  /** portmapper: allocate host ports, start docker-proxy, program DNAT/ACCEPT/hairpin rules. */
  private publish(c: Container): void {
    const ep = [...c.endpoints.values()][0];
    if (!ep) return;
    const n = this.networks.find((x) => x.id === ep.networkId)!;
    const reqs = [...c.req.portBindings];
    if (c.req.publishAll) {
      for (const p of c.image.config.exposedPorts) {
        const [port, proto] = p.split("/");
        if (!reqs.some((r) => r.containerPort === Number(port) && r.proto === proto)) {
          reqs.push({ hostIp: "", hostPort: "", containerPort: Number(port), proto: proto as "tcp" | "udp" });
        }
      }
    }
    // Docker sorts bindings by container port/proto before mapping (nat.SortPortMap).
    for (const r of reqs) {
      const hostIp = r.hostIp || "0.0.0.0";
      let hostPort: number;
      if (r.hostPort === "") {
        hostPort = this.ephemeral(r.proto, hostIp);
      } else {
        hostPort = Number(r.hostPort);
        const key = `${r.proto}/${hostIp}/${hostPort}`;
        const clash = [...this.allocated].some((k) => {
          const [p, ip, port] = k.split("/");
          return p === r.proto && Number(port) === hostPort && (ip === hostIp || ip === "0.0.0.0" || hostIp === "0.0.0.0");
        });
        if (clash) throw this.connectivityError(c, ep, `Bind for ${hostIp}:${hostPort} failed: port is already allocated`);
        this.allocated.add(key);
      }
      const m = { proto: r.proto, hostIp, hostPort, containerIp: ep.ip, containerPort: r.containerPort };
      c.ports.push({ containerPort: r.containerPort, proto: r.proto, hostIp, hostPort });
      this.ipt.batch(() => addPortRules(this.ipt, n.bridge!, m));
      try {
        c.handles.push(this.proxy(m));
      } catch (e) {
        if (e instanceof KernelError && e.errno === "EADDRINUSE") {
          throw this.connectivityError(c, ep, `Error starting userland proxy: listen ${r.proto}4 ${hostIp}:${hostPort}: bind: address already in use`);
        }
        throw e;
      }
      if (hostIp === "0.0.0.0") c.ports.push({ containerPort: r.containerPort, proto: r.proto, hostIp: "::", hostPort });
    }
  }

  private connectivityError(c: Container, ep: Endpoint, why: string): DockerError {
    return new DockerError("runtime", `driver failed programming external connectivity on endpoint ${c.name} (${ep.id}): ${why}`, 125);
  }

  private ephemeral(proto: string, hostIp: string): number {
    for (let i = 0; i <= EPHEMERAL_END - EPHEMERAL_START; i++) {
      this.lastEphemeral = this.lastEphemeral >= EPHEMERAL_END ? EPHEMERAL_START : this.lastEphemeral + 1;
      const key = `${proto}/${hostIp}/${this.lastEphemeral}`;
      if (!this.allocated.has(key)) {
        this.allocated.add(key);
        return this.lastEphemeral;
      }
    }
    throw new DockerError("runtime", "all ports are allocated");
  }

  /** docker-proxy: a listener in the host namespace relaying each exchange to the container. */
  private proxy(m: { proto: "tcp" | "udp"; hostIp: string; hostPort: number; containerIp: string; containerPort: number }): ListenHandle {
    if (m.proto === "tcp") {
      return this.init.tcpListen(m.hostIp, m.hostPort, (req) => {
        const r = this.init.tcpRequest(m.containerIp, m.containerPort, req);
        return r.ok ? r.response : new Uint8Array();
      });
    }
    return this.init.udpListen(m.hostIp, m.hostPort, (payload) => {
      const r = this.init.udpRequest(m.containerIp, m.containerPort, payload);
      return r.ok ? r.response : undefined;
    });
  }

  private teardownNetwork(c: Container): void {
    for (const h of c.handles.splice(0)) h.close();
    const ep = [...c.endpoints.values()][0];
    const n = ep && this.networks.find((x) => x.id === ep.networkId);
    for (const p of c.ports) {
      if (p.hostIp === "::") continue;
      this.allocated.delete(`${p.proto}/${p.hostIp}/${p.hostPort}`);
      if (n?.bridge) this.ipt.batch(() => removePortRules(this.ipt, n.bridge!, { ...p, containerIp: ep!.ip }));
    }
    c.ports = [];
    for (const e of c.endpoints.values()) {
      this.networks.find((x) => x.id === e.networkId)?.pool?.release(e.ip);
      try {
        this.init.linkDel(e.hostVeth);
      } catch {
        // already gone with its peer
      }
    }
    c.endpoints.clear();
    if (c.netns) {
      this.d.host.netnsRelease(c.netns);
      c.netns = undefined;
    }
  }

  private exited(c: Container, code: number): void {
    if (c.state !== "running") return;
    c.generation++;
    c.state = "exited";
    c.exitCode = code;
    c.finishedMs = this.d.clock.now();
    c.pid = 0;
    this.teardownNetwork(c);
    c.ctx = undefined;
    for (const w of c.waiters.splice(0)) w(code);
    if (c.req.autoRemove) c.removed = true;
  }

  containerWait(ref: string): Promise<number> {
    const c = this.get(ref);
    if (c.state !== "running") return Promise.resolve(c.exitCode);
    return new Promise((resolve) => c.waiters.push(resolve));
  }

  async containerStop(ref: string, timeoutSec = STOP_TIMEOUT_S): Promise<void> {
    const c = this.get(ref);
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
    const clock = this.d.clock;
    const deadline = clock.now() + timeoutSec * 1000;
    const generation = c.generation;
    await this.d.settle?.();
    for (let steps = 0; c.generation === generation && clock.now() < deadline && steps < 100_000; steps++) {
      const next = this.d.settle ? clock.nextDue?.() : undefined;
      const to = next === undefined || next > deadline ? deadline : Math.max(next, clock.now());
      clock.advance(to - clock.now());
      await this.d.settle?.();
    }
    if (c.generation === generation) this.exited(c, 137);
  }

  containerKill(ref: string): void {
    const c = this.get(ref);
    if (c.state !== "running") throw new DockerError("conflict", `Cannot kill container: ${ref}: Container ${c.id} is not running`);
    this.exited(c, 137);
  }

  async containerRestart(ref: string, timeoutSec = STOP_TIMEOUT_S): Promise<void> {
    const c = this.get(ref);
    await this.containerStop(ref, timeoutSec);
    c.restartCount++;
    this.containerStart(ref);
  }

  containerRemove(ref: string, opts: { force?: boolean } = {}): void {
    const c = this.get(ref);
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
    return this.containers
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
        networks: c.networks.map((id) => this.networks.find((n) => n.id === id)!.name),
      }));
  }

  containerInspect(ref: string): Record<string, unknown> {
    const c = this.get(ref);
    return containerJson(c, this.networks, this.d.clock);
  }

  containerLogs(ref: string): string {
    return this.get(ref).log;
  }

  containerPorts(ref: string): PortMapping[] {
    return [...this.get(ref).ports];
  }

  containerId(ref: string): string {
    return this.get(ref).id;
  }

  exec(ref: string, req: ExecRequest, io: Stdio): Promise<number> {
    const c = this.get(ref);
    if (c.state !== "running" || !c.ctx) throw new DockerError("notRunning", `Container ${c.id} is not running`);
    const cmd = req.cmd[0] ?? "";
    this.checkExecutable(c, cmd, "exec");
    const env = { ...c.ctx.env };
    for (const e of req.env) env[e.slice(0, e.indexOf("="))] = e.slice(e.indexOf("=") + 1);
    return this.d.spawn(c.ctx, { argv: req.cmd, env, ...(req.stdin !== undefined ? { stdin: req.stdin } : {}) }, io);
  }

  runningNames(): string[] {
    return this.containers.filter((c) => !c.removed && c.state === "running").map((c) => c.name);
  }

  contextOf(ref: string): ProcContext {
    const c = this.get(ref);
    if (!c.ctx) throw new DockerError("notRunning", `Container ${c.id} is not running`);
    return c.ctx;
  }

  // ---- networks

  networkCreate(name: string, opts: { driver?: string; subnet?: string; gateway?: string } = {}): string {
    if (this.networks.some((n) => n.name === name)) throw new DockerError("conflict", `network with name ${name} already exists`);
    const driver = opts.driver ?? "bridge";
    if (driver !== "bridge") throw new DockerError("notFound", `plugin "${driver}" not found`);
    let subnet = opts.subnet;
    if (!subnet) {
      // Pools are taken in turn after the last one handed out (a removed network's pool is not
      // reused until the list wraps), as the real daemon on the lab machine did: 172.18, 172.19, …
      const pools = defaultPools();
      for (let i = 1; i <= pools.length && !subnet; i++) {
        const k = (this.lastPool + i) % pools.length;
        if (!this.networks.some((n) => n.subnet && overlaps(n.subnet, pools[k]!))) {
          subnet = pools[k];
          this.lastPool = k;
        }
      }
      if (!subnet) throw new DockerError("runtime", "could not find an available, non-overlapping IPv4 address pool among the defaults to assign to the network");
    } else if (this.networks.some((n) => n.subnet && overlaps(n.subnet, subnet!))) {
      throw new DockerError("runtime", "Pool overlaps with other one on this address space");
    }
    return this.addNetwork(name, "bridge", { subnet, ...(opts.gateway ? { gateway: opts.gateway } : {}) }).id;
  }

  networkList(): NetworkSummary[] {
    return [...this.networks]
      .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
      .map((n) => ({ id: n.id, name: n.name, driver: n.driver, scope: "local", created: n.createdMs }));
  }

  networkInspect(ref: string): Record<string, unknown> {
    const n = this.findNetwork(ref);
    if (!n) throw new DockerError("notFound", `network ${ref} not found`, undefined, "network");
    return networkJson(n, this.containers.filter((c) => !c.removed), this.d.clock);
  }

  networkRemove(ref: string): void {
    const n = this.findNetwork(ref);
    if (!n) throw new DockerError("notFound", `No such network: ${ref}`, undefined, "network");
    if (n.isDefault || n.driver !== "bridge") throw new DockerError("invalid", `${n.name} is a pre-defined network and cannot be removed`);
    if (this.containers.some((c) => !c.removed && c.endpoints.has(n.id))) {
      throw new DockerError("invalid", `error while removing network: network ${n.name} id ${n.id} has active endpoints`);
    }
    this.ipt.batch(() => teardownBridgeRules(this.ipt, n.bridge!, n.subnet!));
    this.init.linkDel(n.bridge!);
    this.networks.splice(this.networks.indexOf(n), 1);
    for (const c of this.containers) c.networks = c.networks.filter((id) => id !== n.id);
  }

  networkConnect(net: string, ref: string): void {
    const n = this.findNetwork(net);
    if (!n) throw new DockerError("notFound", `network ${net} not found`);
    const c = this.get(ref);
    if (c.networks.includes(n.id)) throw new DockerError("invalid", `endpoint with name ${c.name} already exists in network ${n.name}`);
    c.networks.push(n.id);
    if (c.state === "running" && c.netns && n.driver === "bridge") {
      this.attach(c, n);
      this.writeEtc(c);
    }
  }

  networkDisconnect(net: string, ref: string): void {
    const n = this.findNetwork(net);
    if (!n) throw new DockerError("notFound", `network ${net} not found`);
    const c = this.get(ref);
    if (!c.networks.includes(n.id)) throw new DockerError("invalid", `container ${c.id} is not connected to network ${n.name}`);
    c.networks = c.networks.filter((id) => id !== n.id);
    const ep = c.endpoints.get(n.id);
    if (ep) {
      n.pool?.release(ep.ip);
      this.init.linkDel(ep.hostVeth);
      c.endpoints.delete(n.id);
    }
  }

  // ---- images

  imageList(): ImageSummary[] {
    const out: ImageSummary[] = [];
    for (const i of [...this.images].sort((a, b) => b.createdMs - a.createdMs)) {
      for (const t of i.repoTags) {
        const [repository, tag] = t.split(":");
        out.push({ repository: repository!, tag: tag!, id: i.id, created: i.createdMs, size: i.size });
      }
    }
    return out;
  }

  imageInspect(ref: string): Record<string, unknown> {
    const i = this.findImage(ref);
    if (!i) throw new DockerError("notFound", `No such image: ${ref}`, undefined, "image");
    return imageJson(i, this.d.clock);
  }

  imageExists(ref: string): boolean {
    return this.findImage(ref) !== undefined;
  }
}

function overlaps(a: string, b: string): boolean {
  const pa = new Pool(a);
  const pb = new Pool(b);
  return pa.base < pb.base + pb.size && pb.base < pa.base + pa.size;
}

/** `docker ps` COMMAND: Go's strconv-free join, quoting args that contain spaces as the CLI does. */
function quoteArg(a: string): string {
  return /[\s'"]/.test(a) || a === "" ? `'${a}'` : a;
}

