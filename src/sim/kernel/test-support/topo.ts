/**
 * Test-only helpers that build small topologies through the public API.
 */
import { createRng } from "../../../core/random.js";
import { createVirtualClock } from "../../../core/clock.js";
import type { NetfilterFactory } from "../packet.js";
import type { NetnsApi } from "../api.js";
import { createKernelWorld } from "../world.js";
import { acceptAll } from "./accept-all.js";

/** A world with one host and the accept-all engine (or the one given). */
export function oneHost(seed = 1, netfilter: NetfilterFactory = acceptAll()) {
  const clock = createVirtualClock();
  const world = createKernelWorld({ clock, rng: createRng(seed), netfilter });
  const host = world.addHost("host1");
  return { clock, world, host };
}

/** Puts `ns` on a veth pair whose host end `hostIf` goes into `bridge` (or stays in init), with `cidr` inside. */
export function plug(root: NetnsApi, ns: NetnsApi, hostIf: string, cidr: string, bridge?: string): void {
  root.linkAdd({ name: hostIf, kind: "veth", peer: { name: "eth0", netns: { id: ns.id } } });
  ns.linkSet("lo", { up: true });
  ns.linkSet("eth0", { up: true });
  ns.addrAdd("eth0", cidr);
  if (bridge) root.linkSet(hostIf, { master: bridge });
  root.linkSet(hostIf, { up: true });
}

/** A Kubernetes node's pod side for IPVS: forwarding on, bridge cni0 (10.244.0.1/24, up, bridge-nf-call-iptables) and the dummy kube-ipvs0 for the VIPs. */
export function ipvsNode(root: NetnsApi): void {
  root.sysctlSet("net.ipv4.ip_forward", "1");
  root.linkAdd({ name: "cni0", kind: "bridge" });
  root.addrAdd("cni0", "10.244.0.1/24");
  root.linkSet("cni0", { up: true });
  root.sysctlSet("net.bridge.bridge-nf-call-iptables", "1");
  root.linkAdd({ name: "kube-ipvs0", kind: "dummy" });
}
