/**
 * The pod network plugin chain kube-flannel.yml installs: the `flannel` CNI plugin reads
 * /run/flannel/subnet.env and delegates to `bridge` (cni0, isGateway, isDefaultGateway, hairpin,
 * MTU from FLANNEL_MTU) with `host-local` IPAM over the node's subnet:
 *
 *   node: cni0 10.244.N.1/24 ── vethXXXXXXXX ═══ eth0 10.244.N.k/24 (pod netns)
 *   pod routes: default via 10.244.N.1; 10.244.0.0/16 via 10.244.N.1; 10.244.N.0/24 dev eth0
 *
 * Sources: flannel-io/cni-plugin flannel_linux.go (delegate config), containernetworking/plugins
 * bridge.go (defaultBrName cni0, calcGateways), ip/link_linux.go RandomVethName (veth + 8 hex),
 * host-local allocator.go (round-robin from the last reserved address, gateway .1 skipped).
 */
import type { Rng } from "../../core/random.js";
import type { NetnsApi } from "../kernel/api.js";
import type { SimFs } from "../userland/types.js";
import { FLANNEL_MTU, FLANNEL_NETWORK } from "./flannel.js";
import { intToIp, ipToInt, nthAddr } from "./net.js";

export interface PodAttachment {
  ip: string;
  hostVeth: string;
}

/** CNI ADD/DEL for one node. */
export class FlannelCni {
  private lastReserved: number;
  private readonly used = new Set<string>();

  constructor(private readonly init: NetnsApi, private readonly fs: SimFs, private readonly subnet: string, private readonly rng: Rng) {
    this.lastReserved = ipToInt(nthAddr(subnet, 1));
  }

  private ensureBridge(): void {
    if (this.init.linkList().some((l) => l.name === "cni0")) return;
    this.init.linkAdd({ name: "cni0", kind: "bridge", mtu: FLANNEL_MTU });
    this.init.addrAdd("cni0", `${nthAddr(this.subnet, 1)}/${this.subnet.split("/")[1]}`);
    this.init.linkSet("cni0", { up: true });
  }

  /** host-local: the next free address after the last one reserved, wrapping inside the range. */
  private allocate(): string {
    const [base, plen] = this.subnet.split("/");
    const size = 2 ** (32 - Number(plen));
    const first = ipToInt(base!) + 1;
    const last = ipToInt(base!) + size - 2;
    const gw = nthAddr(this.subnet, 1);
    for (let i = 0, cur = this.lastReserved; i < size; i++) {
      cur = cur >= last ? first : cur + 1;
      const ip = intToIp(cur);
      if (ip === gw || this.used.has(ip)) continue;
      this.used.add(ip);
      this.lastReserved = cur;
      this.fs.mkdir("/var/lib/cni/networks/cbr0");
      this.fs.writeFile(`/var/lib/cni/networks/cbr0/${ip}`, "");
      this.fs.writeFile("/var/lib/cni/networks/cbr0/last_reserved_ip.0", ip);
      return ip;
    }
    throw new Error(`failed to allocate for range 0: no IP addresses available in range set: ${intToIp(first)}-${intToIp(last)}`);
  }

  /** ADD: wires the pod namespace to cni0 and returns its address. */
  add(pod: NetnsApi): PodAttachment {
    this.ensureBridge();
    const ip = this.allocate();
    const hostVeth = `veth${Array.from({ length: 8 }, () => "0123456789abcdef"[this.rng.int(16)]).join("")}`;
    const gw = nthAddr(this.subnet, 1);
    pod.linkAdd({ name: "eth0", kind: "veth", mtu: FLANNEL_MTU, peer: { name: hostVeth, netns: "init" } });
    this.init.linkSet(hostVeth, { master: "cni0", up: true });
    pod.addrAdd("eth0", `${ip}/${this.subnet.split("/")[1]}`);
    pod.linkSet("eth0", { up: true });
    pod.routeAdd({ dst: "default", via: gw, dev: "eth0" });
    pod.routeAdd({ dst: FLANNEL_NETWORK, via: gw, dev: "eth0" });
    return { ip, hostVeth };
  }

  /** DEL: releases the address (the veth dies with the namespace). */
  del(ip: string): void {
    this.used.delete(ip);
    this.fs.remove(`/var/lib/cni/networks/cbr0/${ip}`);
  }
}
