/**
 * The daemon's networks: the bridge driver's set-up of a network (bridge device, gateway,
 * iptables layout) and the network API (`docker network create/ls/inspect/rm/connect/
 * disconnect`), including IPAM's choice of a free default pool. Works on the daemon's DaemonState.
 */
import { DockerError, type NetworkSummary } from "./types.js";
import { networkJson } from "./inspect.js";
import { Pool, defaultPools } from "./ipam.js";
import { setupBridgeRules, teardownBridgeRules } from "./iptables.js";
import { attach, writeEtc } from "./container-net.js";
import type { DaemonState } from "./daemon-state.js";
import type { Network } from "./state.js";

/** Records a network; for the bridge driver, creates its bridge device, gateway address and iptables rules. */
export function addNetwork(s: DaemonState, name: string, driver: Network["driver"], o: { bridge?: string; subnet?: string; gateway?: string; isDefault?: boolean }): Network {
  const id = s.hex(64);
  const n: Network = {
    id, name, driver, createdMs: s.d.clock.now(), isDefault: !!o.isDefault, options: {}, ipamGateway: !o.isDefault,
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
    s.init.linkAdd({ name: n.bridge, kind: "bridge", address: s.randomMac(), txqlen: 0 });
    s.init.addrAdd(n.bridge, `${n.gateway}/${n.pool.plen}`, { broadcast: n.pool.broadcast() });
    s.init.linkSet(n.bridge, { up: true });
    s.ipt.batch(() => setupBridgeRules(s.ipt, n.bridge!, n.subnet!));
  }
  s.networks.push(n);
  return n;
}

/** `docker network create`: a bridge network on the given subnet or the next free default pool. */
export function networkCreate(s: DaemonState, name: string, opts: { driver?: string; subnet?: string; gateway?: string } = {}): string {
  if (s.networks.some((n) => n.name === name)) throw new DockerError("conflict", `network with name ${name} already exists`);
  const driver = opts.driver ?? "bridge";
  if (driver !== "bridge") throw new DockerError("notFound", `plugin "${driver}" not found`);
  let subnet = opts.subnet;
  if (!subnet) {
    // Pools are taken in turn after the last one handed out (a removed network's pool is not
    // reused until the list wraps), as the real daemon on the lab machine did: 172.18, 172.19, …
    const pools = defaultPools();
    for (let i = 1; i <= pools.length && !subnet; i++) {
      const k = (s.lastPool + i) % pools.length;
      if (!s.networks.some((n) => n.subnet && overlaps(n.subnet, pools[k]!))) {
        subnet = pools[k];
        s.lastPool = k;
      }
    }
    if (!subnet) throw new DockerError("runtime", "could not find an available, non-overlapping IPv4 address pool among the defaults to assign to the network");
  } else if (s.networks.some((n) => n.subnet && overlaps(n.subnet, subnet!))) {
    throw new DockerError("runtime", "Pool overlaps with other one on this address space");
  }
  return addNetwork(s, name, "bridge", { subnet, ...(opts.gateway ? { gateway: opts.gateway } : {}) }).id;
}

/** `docker network ls`: every network, sorted by name. */
export function networkList(s: DaemonState): NetworkSummary[] {
  return [...s.networks]
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
    .map((n) => ({ id: n.id, name: n.name, driver: n.driver, scope: "local", created: n.createdMs }));
}

/** `docker network inspect`: the Engine API's JSON for one network and the containers on it. */
export function networkInspect(s: DaemonState, ref: string): Record<string, unknown> {
  const n = s.findNetwork(ref);
  if (!n) throw new DockerError("notFound", `network ${ref} not found`, undefined, "network");
  return networkJson(n, s.containers.filter((c) => !c.removed), s.d.clock);
}

/** `docker network rm`: a user network with no active endpoints, its bridge and rules. */
export function networkRemove(s: DaemonState, ref: string): void {
  const n = s.findNetwork(ref);
  if (!n) throw new DockerError("notFound", `No such network: ${ref}`, undefined, "network");
  if (n.isDefault || n.driver !== "bridge") throw new DockerError("invalid", `${n.name} is a pre-defined network and cannot be removed`);
  if (s.containers.some((c) => !c.removed && c.endpoints.has(n.id))) {
    throw new DockerError("invalid", `error while removing network: network ${n.name} id ${n.id} has active endpoints`);
  }
  s.ipt.batch(() => teardownBridgeRules(s.ipt, n.bridge!, n.subnet!));
  s.init.linkDel(n.bridge!);
  s.networks.splice(s.networks.indexOf(n), 1);
  for (const c of s.containers) c.networks = c.networks.filter((id) => id !== n.id);
}

/** `docker network connect`: a running container gets its endpoint on `net` at once. */
export function networkConnect(s: DaemonState, net: string, ref: string): void {
  const n = s.findNetwork(net);
  if (!n) throw new DockerError("notFound", `network ${net} not found`);
  const c = s.get(ref);
  if (c.networks.includes(n.id)) throw new DockerError("invalid", `endpoint with name ${c.name} already exists in network ${n.name}`);
  c.networks.push(n.id);
  if (c.state === "running" && c.netns && n.driver === "bridge") {
    attach(s, c, n);
    writeEtc(s, c);
  }
}

/** `docker network disconnect`: the container leaves `net`, its endpoint and address freed. */
export function networkDisconnect(s: DaemonState, net: string, ref: string): void {
  const n = s.findNetwork(net);
  if (!n) throw new DockerError("notFound", `network ${net} not found`);
  const c = s.get(ref);
  if (!c.networks.includes(n.id)) throw new DockerError("invalid", `container ${c.id} is not connected to network ${n.name}`);
  c.networks = c.networks.filter((id) => id !== n.id);
  const ep = c.endpoints.get(n.id);
  if (ep) {
    n.pool?.release(ep.ip);
    s.init.linkDel(ep.hostVeth);
    c.endpoints.delete(n.id);
  }
}

function overlaps(a: string, b: string): boolean {
  const pa = new Pool(a);
  const pb = new Pool(b);
  return pa.base < pb.base + pb.size && pb.base < pa.base + pa.size;
}
