/**
 * flanneld with the VXLAN backend (flannel v0.14, --kube-subnet-mgr --ip-masq), as it programs a
 * node through netlink: the flannel.1 VTEP, /run/flannel/subnet.env, the masquerade rules, and
 * for every other node's lease a neighbour, an FDB entry and an onlink route:
 *
 *   10.244.2.0/24 via 10.244.2.0 dev flannel.1 onlink        (route: remote subnet via its .0)
 *   10.244.2.0 dev flannel.1 lladdr <remote VTEP MAC> PERMANENT (neigh: that .0 → remote VTEP MAC)
 *   <remote VTEP MAC> dev flannel.1 dst <remote node IP> self permanent   (fdb: MAC → underlay IP)
 *
 * Sources: flannel@v0.14.0 backend/vxlan/vxlan.go (flannel.<VNI>, VNI 1, /32 address),
 * vxlan_network.go handleSubnetEvents (neigh, then fdb, then route), device.go, main.go
 * WriteSubnetFile, network/iptables.go MasqRules. The kernel does the encapsulation; flannel
 * only configures it.
 */
import type { NetnsApi, NfRule, NfTable } from "../kernel/api.js";
import type { SimFs } from "../userland/types.js";
import { addr, rule } from "./kubeproxy/rules.js";
import { nthAddr } from "./net.js";

export interface FlannelLease {
  node: string;
  /** "10.244.1.0/24" */
  subnet: string;
  publicIP: string;
  vtepMac: string;
}

export const FLANNEL_NETWORK = "10.244.0.0/16";
export const FLANNEL_MTU = 1450;

/** One node's flanneld. */
export class Flanneld {
  constructor(private readonly ns: NetnsApi, private readonly fs: SimFs, readonly node: string, readonly subnet: string, readonly publicIP: string) {}

  /** Creates flannel.1, writes subnet.env and the masquerade rules; returns this node's lease. */
  start(): FlannelLease {
    const net = this.subnet.split("/")[0]!;
    this.ns.linkAdd({ name: "flannel.1", kind: "vxlan", vxlan: { vni: 1, local: this.publicIP, dev: "eth0", learning: false } });
    this.ns.addrAdd("flannel.1", `${net}/32`);
    this.ns.linkSet("flannel.1", { up: true });
    this.ns.sysctlSet("net.ipv4.ip_forward", "1");
    this.fs.mkdir("/run/flannel");
    this.fs.writeFile(
      "/run/flannel/subnet.env",
      `FLANNEL_NETWORK=${FLANNEL_NETWORK}\nFLANNEL_SUBNET=${nthAddr(this.subnet, 1)}/${this.subnet.split("/")[1]}\nFLANNEL_MTU=${FLANNEL_MTU}\nFLANNEL_IPMASQ=true\n`,
    );
    this.ensureIptables();
    return { node: this.node, subnet: this.subnet, publicIP: this.publicIP, vtepMac: this.ns.linkGet("flannel.1").mac };
  }

  /** handleSubnetEvents(added): neighbour, FDB entry, then the onlink route. */
  addLease(l: FlannelLease): void {
    const gw = l.subnet.split("/")[0]!;
    this.ns.neighAdd({ dst: gw, dev: "flannel.1", lladdr: l.vtepMac, state: "PERMANENT" }, { replace: true });
    this.ns.fdbAdd({ mac: l.vtepMac, dev: "flannel.1", dst: l.publicIP, self: true, state: "permanent" }, { replace: true });
    this.ns.routeAdd({ dst: l.subnet, via: gw, dev: "flannel.1", onlink: true }, { replace: true });
  }

  /** handleSubnetEvents(removed): the same three, deleted. */
  removeLease(l: FlannelLease): void {
    const gw = l.subnet.split("/")[0]!;
    for (const f of [
      () => this.ns.routeDel({ dst: l.subnet, via: gw, dev: "flannel.1" }),
      () => this.ns.fdbDel({ mac: l.vtepMac, dev: "flannel.1", dst: l.publicIP }),
      () => this.ns.neighDel(gw, "flannel.1"),
    ]) {
      try {
        f();
      } catch {
        /* already gone */
      }
    }
  }

  /** MasqRules (v0.14): appended to nat POSTROUTING, plus the FORWARD accepts. */
  private ensureIptables(): void {
    const n = FLANNEL_NETWORK;
    const masq: NfRule[] = [
      rule({ src: addr(n), dst: addr(n), target: { kind: "RETURN" } }),
      rule({ src: addr(n), dst: addr("224.0.0.0/4", true), target: { kind: "MASQUERADE", randomFully: true } }),
      rule({ src: addr(n, true), dst: addr(this.subnet), target: { kind: "RETURN" } }),
      rule({ src: addr(n, true), dst: addr(n), target: { kind: "MASQUERADE", randomFully: true } }),
    ];
    const fwd: NfRule[] = [rule({ src: addr(n), target: { kind: "ACCEPT" } }), rule({ dst: addr(n), target: { kind: "ACCEPT" } })];
    const append = (name: "nat" | "filter", chain: string, rules: NfRule[]) => {
      const t: NfTable = structuredClone(this.ns.nfTableGet(name));
      const c = t.chains.find((x) => x.name === chain)!;
      c.rules.push(...rules);
      this.ns.nfTableReplace(name, t);
    };
    append("nat", "POSTROUTING", masq);
    append("filter", "FORWARD", fwd);
  }
}
