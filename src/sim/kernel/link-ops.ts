/**
 * `ip link add` and `ip link set` for a namespace: creating veth pairs (peer registered
 * first), bridges, VXLAN and dummy devices with the kernel's checks, and changing name, MAC,
 * MTU, master, namespace, interface flags (multicast, arp, promisc, ...) and admin state.
 */
import { KernelError, type LinkAddRequest, type LinkSetRequest } from "./api.js";
import type { Netns } from "./netns.js";
import { Veth } from "./links/veth.js";
import { Bridge } from "./links/bridge.js";
import { Vxlan, VXLAN_HEADROOM } from "./links/vxlan.js";
import { Dummy } from "./links/dummy.js";
import type { Device } from "./links/device.js";
import { randomMac, parseMac } from "./wire/mac.js";

/**
 * "all" and "default" name the conf sysctl directories of every namespace (net.ipv4.conf.all,
 * .default): a device of either name cannot get its own, so the kernel refuses it with EINVAL
 * (recorded on kernel 6.18: test/fixtures/kernel-api/reserved-names.json).
 */
export function reservedName(name: string): boolean {
  return name === "all" || name === "default";
}

/** `ip link add`. */
export function linkAdd(ns: Netns, req: LinkAddRequest): void {
  ns.checkName(req.name);
  const rng = ns.engine.rng;
  const mac = (given?: string) => {
    if (given === undefined) return randomMac(rng);
    const m = parseMac(given);
    if (!m) throw new KernelError("EINVAL");
    return m;
  };
  switch (req.kind) {
    case "veth": {
      const peerNs = req.peer?.netns ? ns.host.resolve(req.peer.netns) : ns;
      // Without a name the kernel picks the lowest free veth%d in the peer's namespace.
      let peerName = req.peer?.name;
      for (let n = 0; peerName === undefined; n++) if (!peerNs.devByName(`veth${n}`) && !(peerNs === ns && req.name === `veth${n}`)) peerName = `veth${n}`;
      if (peerName === req.name && peerNs === ns) throw new KernelError("EEXIST");
      peerNs.checkName(peerName);
      // The peer is registered first; when this end's name is refused, both indexes are spent.
      if (reservedName(req.name) && !reservedName(peerName)) {
        peerNs.burnIfindex();
        ns.burnIfindex();
        throw new KernelError("EINVAL");
      }
      // veth_newlink registers the peer first, so it gets the lower index in a shared namespace.
      const peerMac = mac(req.peer?.address);
      const ownMac = mac(req.address);
      // veth_newlink: a peer given its own attributes (`peer name X`) gets only those, so the
      // mtu and txqueuelen of the command apply to the named end alone; without a peer clause
      // the peer is made from the same attributes.
      const shared = req.peer === undefined;
      const peer = new Veth(peerNs, 0, peerName, peerMac, req.peer?.mtu ?? (shared ? (req.mtu ?? 1500) : 1500));
      const self = new Veth(ns, 0, req.name, ownMac, req.mtu ?? 1500);
      peer.peer = self;
      self.peer = peer;
      if (req.txqlen !== undefined) self.txqlen = req.txqlen;
      const peerTxqlen = req.peer?.txqlen ?? (shared ? req.txqlen : undefined);
      if (peerTxqlen !== undefined) peer.txqlen = peerTxqlen;
      peerNs.register(peer);
      ns.register(self);
      if (peerNs !== ns) {
        ns.nsidFor(peerNs);
        peerNs.nsidFor(ns);
      }
      return;
    }
    case "bridge": {
      const br = new Bridge(ns, 0, req.name, mac(req.address), req.mtu ?? 1500);
      if (req.address) br.macSetByUser = true;
      // rtnl_create_link applies IFLA_TXQLEN to every kind (libnetwork asks 0 for its bridges).
      if (req.txqlen !== undefined) br.txqlen = req.txqlen;
      ns.register(br);
      return;
    }
    case "dummy": {
      const d = new Dummy(ns, 0, req.name, mac(req.address), req.mtu ?? 1500);
      if (req.txqlen !== undefined) d.txqlen = req.txqlen;
      ns.register(d);
      return;
    }
    case "vxlan": {
      const p = req.vxlan;
      if (!p || !Number.isInteger(p.vni) || p.vni < 0 || p.vni > 0xffffff) throw new KernelError("EINVAL", "VXLAN network identifier is not a valid number");
      let lower: Device | undefined;
      if (p.dev) lower = ns.dev(p.dev);
      for (const d of ns.devices) {
        if (d instanceof Vxlan && d.params.vni === p.vni && d.params.dstport === (p.dstport || 8472) && (d.params.local ?? "") === (p.local ?? "")) {
          throw new KernelError("EEXIST", "A VXLAN device with the specified VNI already exists");
        }
      }
      const mtu = req.mtu ?? (lower ? lower.mtu - VXLAN_HEADROOM : 1500);
      const vx = new Vxlan(ns, 0, req.name, mac(req.address), mtu, p);
      if (req.txqlen !== undefined) vx.txqlen = req.txqlen;
      ns.register(vx);
      return;
    }
    case "ipvs":
      throw new KernelError("EOPNOTSUPP");
  }
}

/** `ip link set`. */
export function linkSet(ns: Netns, name: string, req: LinkSetRequest): void {
  let dev = ns.dev(name);
  if (req.name !== undefined && req.name !== dev.name) {
    // Kernel 6.x renames a device that is up (the recording machine's does; older kernels said EBUSY).
    ns.checkName(req.name);
    if (reservedName(req.name)) throw new KernelError("EINVAL");
    ns.sysctls.renameDevice(dev.name, req.name);
    dev.name = req.name;
  }
  if (req.address !== undefined) {
    const m = parseMac(req.address);
    if (!m || (parseInt(m.slice(0, 2), 16) & 1) === 1 || m === "00:00:00:00:00:00") throw new KernelError("EADDRNOTAVAIL");
    const old = dev.mac;
    dev.mac = m;
    if (dev instanceof Bridge) dev.macSetByUser = true;
    if (dev.master) (dev.master as Bridge).portMacChanged(dev, old);
  }
  if (req.mtu !== undefined) {
    const min = dev.kind === "loopback" ? 68 : 68;
    const max = dev.kind === "ether" ? 9000 : 65535;
    if (req.mtu < min) throw new KernelError("EINVAL", "mtu less than device minimum");
    if (req.mtu > max) throw new KernelError("EINVAL", "mtu greater than device maximum");
    // vxlan_change_mtu: with a lower device, at most its MTU minus the encapsulation (no extack).
    if (dev instanceof Vxlan && dev.params.dev !== undefined) {
      const lower = ns.devices.find((d) => d.name === dev.params.dev);
      if (lower && req.mtu > lower.mtu - VXLAN_HEADROOM) throw new KernelError("EINVAL");
    }
    dev.mtu = req.mtu;
    if (dev instanceof Bridge) dev.mtuSetByUser = true;
    if (dev.master) (dev.master as Bridge).portsChanged();
  }
  if (req.learning !== undefined && dev instanceof Vxlan) dev.params.learning = req.learning;
  if (req.master !== undefined) {
    if (req.master === null) {
      if (dev.master) (dev.master as Bridge).removePort(dev);
    } else {
      const br = ns.devByName(req.master);
      if (!br) throw new KernelError("ENODEV");
      if (!(br instanceof Bridge)) throw new KernelError("EOPNOTSUPP");
      if (br === dev) throw new KernelError("ELOOP");
      if (dev.kind === "loopback") throw new KernelError("EINVAL", "Device does not allow enslaving to a bridge");
      if (dev instanceof Bridge) throw new KernelError("ELOOP");
      if (dev.master && dev.master !== br) (dev.master as Bridge).removePort(dev);
      if (!dev.master) {
        // A port's addresses stay, but its own routes stop mattering: traffic goes through the bridge.
        br.addPort(dev);
      }
    }
  }
  if (req.netns !== undefined) {
    const target = ns.host.resolve(req.netns);
    if (target !== ns) {
      // netns_local devices (__dev_change_net_namespace's extack).
      if (dev.kind === "loopback" || dev.kind === "bridge") throw new KernelError("EINVAL", "The interface netns is immutable");
      if (target.devByName(dev.name)) throw new KernelError("EEXIST");
      ns.unregister(dev);
      dev.adminUp = false;
      target.register(dev, dev.ifindex);
      if (dev instanceof Vxlan && dev.underlay === ns && !ns.movedTunnels.includes(dev)) ns.movedTunnels.push(dev);
      if (dev instanceof Veth && dev.peer.ns !== target) {
        target.nsidFor(dev.peer.ns);
        (dev.peer.ns as Netns).nsidFor(target);
      }
    }
  }
  // After a move the device belongs to the target namespace.
  const owner = dev.ns as Netns;
  if (req.flags !== undefined) {
    const changed = dev.changeFlags(req.flags);
    // arp_netdev_event: NOARP changing on a device that is up flushes its neighbours (neigh_changeaddr, permanent ones too).
    if (changed.includes("NOARP") && dev.adminUp) owner.neigh.flushDev(dev, true);
  }
  if (req.up !== undefined) {
    if (req.up) owner.linkUp(dev);
    else owner.linkDown(dev);
  }
}
