/**
 * A container's networking, as libnetwork plumbs it when the container starts and unplumbs it
 * when it stops: its namespace (own, the host's, or another container's), a veth endpoint per
 * bridge network with the embedded DNS server (resolver.ts) on user-defined ones, /etc/hosts, /etc/hostname
 * and /etc/resolv.conf, the process context with socket tracking, and published ports (host port
 * allocation, docker-proxy, DNAT rules). Everything here works on the daemon's DaemonState.
 */
import { KernelError, type ListenHandle, type NetnsApi } from "../kernel/api.js";
import { DockerError } from "./types.js";
import { programsOf } from "./images.js";
import { addPortRules, removePortRules } from "./iptables.js";
import { startResolver } from "./resolver.js";
import { EPHEMERAL_END, EPHEMERAL_START, type DaemonState } from "./daemon-state.js";
import type { Container, Endpoint, Network } from "./state.js";

/** `ns` as the container's processes see it: every socket they listen on joins `handles`. */
function trackSockets(ns: NetnsApi, handles: ListenHandle[]): NetnsApi {
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

/** Container start: its namespace and endpoints, file system and /etc files, process context, published ports. */
export function setupNetwork(s: DaemonState, c: Container): void {
  const mode = c.req.networkMode;
  let ns: NetnsApi;
  if (mode === "host") {
    ns = s.init;
  } else if (mode.startsWith("container:")) {
    const t = s.get(mode.slice("container:".length));
    if (t.state !== "running" || !t.ctx) throw new DockerError("conflict", `cannot join network of a non running container: ${t.id}`);
    ns = t.netns ?? s.init;
  } else {
    ns = s.d.host.netnsCreate(`docker:${c.id.slice(0, 12)}`);
    c.netns = ns;
    ns.linkSet("lo", { up: true });
    for (const nid of c.networks) {
      const n = s.networks.find((x) => x.id === nid);
      if (n?.driver === "bridge") attach(s, c, n);
    }
  }
  if (!c.fs) c.fs = s.d.makeFs(c.image.files, c.image.dirs, ns);
  writeEtc(s, c);
  const programs = programsOf(c.image);
  const env: Record<string, string> = {};
  for (const e of c.env) env[e.slice(0, e.indexOf("="))] = e.slice(e.indexOf("=") + 1);
  env.HOSTNAME = c.hostname;
  env.HOME = "/root";
  c.ctx = {
    name: c.name, host: s.d.host, netns: trackSockets(ns, c.handles), fs: c.fs, hostname: c.hostname,
    available: (cmd) => programs.has(cmd), env, shell: "ash",
  };
  publish(s, c);
}

/** libnetwork bridge driver Join: a veth pair, the container end renamed eth<N> in its namespace. */
export function attach(s: DaemonState, c: Container, n: Network): void {
  const ns = c.netns!;
  const ip = n.pool!.take();
  if (!ip) throw new DockerError("runtime", `no available IPv4 addresses on this network's address pools: ${n.name} (${n.id})`);
  const o = ip.split(".").map(Number);
  const mac = ["02", "42", ...o.map((x) => x.toString(16).padStart(2, "0"))].join(":");
  const hostVeth = `veth${s.hex(7)}`;
  const tmp = `veth${s.hex(7)}`;
  const ifname = `eth${c.endpoints.size}`;
  // libnetwork creates the pair with netlink TxQLen 0: `txqueuelen:0` in the container's ifconfig.
  // libnetwork (vishvananda/netlink) gives the peer the same TxQLen in its own attributes.
  s.init.linkAdd({ name: hostVeth, kind: "veth", txqlen: 0, peer: { name: tmp, txqlen: 0 } });
  s.init.linkSet(tmp, { address: mac });
  s.init.linkSet(hostVeth, { master: n.bridge!, up: true });
  s.init.linkSet(tmp, { netns: { id: ns.id } });
  ns.linkSet(tmp, { name: ifname });
  ns.addrAdd(ifname, `${ip}/${n.pool!.plen}`, { broadcast: n.pool!.broadcast() });
  ns.linkSet(ifname, { up: true });
  if (c.endpoints.size === 0) ns.routeAdd({ dst: "default", via: n.gateway! });
  const ep: Endpoint = { id: s.hex(64), networkId: n.id, ip, mac, hostVeth, ifname };
  c.endpoints.set(n.id, ep);
  // The embedded DNS server starts with the first user-defined network the container joins.
  if (!n.isDefault && !c.resolver) {
    c.resolver = startResolver(s, c, ns);
    c.handles.push(...c.resolver);
  }
}

/** /etc/hosts, /etc/hostname and /etc/resolv.conf (embedded DNS on user networks, the host's otherwise). */
export function writeEtc(s: DaemonState, c: Container): void {
  const first = [...c.endpoints.values()][0];
  const hosts = [
    "127.0.0.1\tlocalhost", "::1\tlocalhost ip6-localhost ip6-loopback", "fe00::0\tip6-localnet",
    "ff00::0\tip6-mcastprefix", "ff02::1\tip6-allnodes", "ff02::2\tip6-allrouters",
    ...(first ? [`${first.ip}\t${c.hostname}`] : []),
  ];
  c.fs.writeFile("/etc/hosts", hosts.join("\n") + "\n");
  c.fs.writeFile("/etc/hostname", c.hostname + "\n");
  const userNet = [...c.endpoints.keys()].some((id) => !s.networks.find((n) => n.id === id)?.isDefault);
  c.fs.writeFile("/etc/resolv.conf", userNet ? "nameserver 127.0.0.11\noptions ndots:0\n" : (s.d.hostResolvConf ?? ""));
}

/** portmapper: allocate host ports, start docker-proxy, program DNAT/ACCEPT/hairpin rules. */
function publish(s: DaemonState, c: Container): void {
  const ep = [...c.endpoints.values()][0];
  if (!ep) return;
  const n = s.networks.find((x) => x.id === ep.networkId)!;
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
      hostPort = ephemeral(s, r.proto, hostIp);
    } else {
      hostPort = Number(r.hostPort);
      const key = `${r.proto}/${hostIp}/${hostPort}`;
      const clash = [...s.allocated].some((k) => {
        const [p, ip, port] = k.split("/");
        return p === r.proto && Number(port) === hostPort && (ip === hostIp || ip === "0.0.0.0" || hostIp === "0.0.0.0");
      });
      if (clash) throw connectivityError(c, ep, `Bind for ${hostIp}:${hostPort} failed: port is already allocated`);
      s.allocated.add(key);
    }
    const m = { proto: r.proto, hostIp, hostPort, containerIp: ep.ip, containerPort: r.containerPort };
    c.ports.push({ containerPort: r.containerPort, proto: r.proto, hostIp, hostPort });
    s.ipt.batch(() => addPortRules(s.ipt, n.bridge!, m));
    try {
      c.handles.push(proxy(s, m));
    } catch (e) {
      if (e instanceof KernelError && e.errno === "EADDRINUSE") {
        throw connectivityError(c, ep, `Error starting userland proxy: listen ${r.proto}4 ${hostIp}:${hostPort}: bind: address already in use`);
      }
      throw e;
    }
    if (hostIp === "0.0.0.0") c.ports.push({ containerPort: r.containerPort, proto: r.proto, hostIp: "::", hostPort });
  }
}

function connectivityError(c: Container, ep: Endpoint, why: string): DockerError {
  return new DockerError("runtime", `driver failed programming external connectivity on endpoint ${c.name} (${ep.id}): ${why}`, 125);
}

function ephemeral(s: DaemonState, proto: string, hostIp: string): number {
  for (let i = 0; i <= EPHEMERAL_END - EPHEMERAL_START; i++) {
    s.lastEphemeral = s.lastEphemeral >= EPHEMERAL_END ? EPHEMERAL_START : s.lastEphemeral + 1;
    const key = `${proto}/${hostIp}/${s.lastEphemeral}`;
    if (!s.allocated.has(key)) {
      s.allocated.add(key);
      return s.lastEphemeral;
    }
  }
  throw new DockerError("runtime", "all ports are allocated");
}

/** docker-proxy: a listener in the host namespace relaying each exchange to the container. */
function proxy(s: DaemonState, m: { proto: "tcp" | "udp"; hostIp: string; hostPort: number; containerIp: string; containerPort: number }): ListenHandle {
  if (m.proto === "tcp") {
    return s.init.tcpListen(m.hostIp, m.hostPort, (req) => {
      const r = s.init.tcpRequest(m.containerIp, m.containerPort, req);
      return r.ok ? r.response : new Uint8Array();
    });
  }
  return s.init.udpListen(m.hostIp, m.hostPort, (payload) => {
    const r = s.init.udpRequest(m.containerIp, m.containerPort, payload);
    return r.ok ? r.response : undefined;
  });
}

/** Container stop: closes its sockets, frees its host ports, rules, addresses and veths, releases its namespace. */
export function teardownNetwork(s: DaemonState, c: Container): void {
  for (const h of c.handles.splice(0)) h.close();
  c.resolver = undefined;
  const ep = [...c.endpoints.values()][0];
  const n = ep && s.networks.find((x) => x.id === ep.networkId);
  for (const p of c.ports) {
    if (p.hostIp === "::") continue;
    s.allocated.delete(`${p.proto}/${p.hostIp}/${p.hostPort}`);
    if (n?.bridge) s.ipt.batch(() => removePortRules(s.ipt, n.bridge!, { ...p, containerIp: ep!.ip }));
  }
  c.ports = [];
  for (const e of c.endpoints.values()) {
    s.networks.find((x) => x.id === e.networkId)?.pool?.release(e.ip);
    try {
      s.init.linkDel(e.hostVeth);
    } catch {
      // already gone with its peer
    }
  }
  c.endpoints.clear();
  if (c.netns) {
    s.d.host.netnsRelease(c.netns);
    c.netns = undefined;
  }
}
