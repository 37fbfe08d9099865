/**
 * A network device (struct net_device): identity, admin state, carrier, counters, and the two
 * directions every kind implements: `transmit` (the stack hands it a frame) and `receive`
 * (a frame arrives from the wire or the peer, and goes to the bridge or the namespace's stack).
 */
import type { LinkInfo, LinkKind, SettableLinkFlag } from "../api.js";
import { IFF_PRINT_ORDER } from "../wire/iff.js";
import { isGroupMac } from "../wire/mac.js";
import type { Packet } from "../packet.js";
import type { Engine } from "../engine.js";

/** How a frame reached the stack: via a bridge port (`physIn`), already past PREROUTING (br_netfilter DNAT). */
export interface RxMeta {
  physIn?: string;
  skipPrerouting?: boolean;
}

/** What a device needs from the namespace it lives in. */
export interface DeviceNs {
  readonly engine: Engine;
  readonly label: string;
  readonly hostName: string;
  /** Hands a received frame to the namespace's L2/L3 input (ARP or IP); `physIn` when a bridge delivers it up. */
  netifReceive(dev: Device, frame: Packet, meta?: RxMeta): void;
  /** The device with this ifindex in this namespace. */
  deviceByIndex(ifindex: number): Device | undefined;
  /** A sysctl of this namespace, as text. */
  sysctl(key: string): string;
  /**
   * br_netfilter: runs an IPv4 hook for a bridged frame; returns the (maybe rewritten) frame, or
   * undefined when a rule dropped it (traced by the namespace).
   */
  bridgeHook(frame: Packet, hook: "PREROUTING" | "FORWARD" | "POSTROUTING", br: string, physIn?: string, physOut?: string): Packet | undefined;
  /** Sends a kernel-made IPv4 packet (a VXLAN outer packet) through ip_local_out; an empty src is chosen by routing. */
  tunnelOutput(pkt: Packet): void;
  /** A netnsid this namespace uses for `other` (allocating one, as peernet2id_alloc does). */
  nsidFor(other: DeviceNs): number;
  /** Called when a device's carrier or admin state changes (routes get `linkdown`, bridges recompute). */
  linkChanged(dev: Device): void;
}

/** The bridge a port belongs to, as the port sees it. */
export interface BridgeMaster {
  readonly name: string;
  /** A frame arrived on a port: learn, forward, flood or deliver up. */
  portReceive(port: Device, frame: Packet): void;
  portsChanged(): void;
}

/** Counters as `ip -s link` shows them. */
export interface DevStats {
  rxPackets: number; rxBytes: number; rxDropped: number;
  txPackets: number; txBytes: number; txDropped: number;
}

/** Base of every device kind. */
export abstract class Device {
  abstract readonly kind: LinkKind;
  adminUp = false;
  /** The bridge this device is a port of. */
  master: BridgeMaster | undefined;
  /** Set once the device has been up: a real NIC keeps its qdisc after going down. */
  everUp = false;
  readonly stats: DevStats = { rxPackets: 0, rxBytes: 0, rxDropped: 0, txPackets: 0, txBytes: 0, txDropped: 0 };
  txqlen = 1000;
  brd = "ff:ff:ff:ff:ff:ff";
  /** IPv6 all-nodes membership (33:33:00:00:00:01): joined at registration, left when IPv6 is disabled on the device later. */
  v6AllNodes = true;
  /** The device's sysctl key names the IPv4 path reads per packet (ip.ts confKeys), made once per device name. */
  confKeys: { name: string; forwarding: string; rpFilter: string; acceptLocal: string } | undefined;

  constructor(
    public ns: DeviceNs,
    public ifindex: number,
    public name: string,
    public mac: string,
    public mtu: number,
  ) {}

  /** Carrier (netif_carrier_ok): LOWER_UP. */
  abstract carrier(): boolean;
  /** Sends a frame out of this device (after neighbour resolution). */
  protected abstract xmit(frame: Packet): void;

  /** The IFF flags that are not state: BROADCAST, MULTICAST, NOARP, LOOPBACK. */
  protected baseFlags(): string[] {
    return ["BROADCAST", "MULTICAST"];
  }

  /** The flags that are not state: the kind's baseFlags() as `ip link set` changed them; made on first use. */
  private iff: Set<string> | undefined;

  private confFlags(): Set<string> {
    return (this.iff ??= new Set(this.baseFlags()));
  }

  /** Whether a non-state flag (NOARP, PROMISC, MULTICAST, ...) is set on the device. */
  hasFlag(name: string): boolean {
    return this.confFlags().has(name);
  }

  /**
   * dev_change_flags() for the flags `ip link set` may change: PROMISC and ALLMULTI are the
   * user's requests (gflags, one promiscuity/allmulti count each), the others dev->flags bits.
   * Returns the names whose state changed.
   */
  changeFlags(req: Partial<Record<SettableLinkFlag, boolean>>): string[] {
    const conf = this.confFlags();
    const changed: string[] = [];
    for (const [name, on] of Object.entries(req)) {
      if (on === undefined || conf.has(name) === on) continue;
      if (on) conf.add(name);
      else conf.delete(name);
      changed.push(name);
    }
    return changed;
  }

  /**
   * RFC 2863 operstate as default_operstate() (net/core/link_watch.c) derives it: without carrier,
   * LOWERLAYERDOWN when the device with index `iflink` *in this namespace* exists and has no
   * carrier either (a kernel quirk: for a veth whose peer moved away, that may be an unrelated device).
   */
  operstate(): string {
    if (!this.adminUp) return "DOWN";
    if (this.carrier()) return "UP";
    const iflink = this.iflink();
    if (iflink === this.ifindex) return "DOWN";
    const lower = this.ns.deviceByIndex(iflink);
    if (!lower) return "DOWN";
    return lower.adminUp && lower.carrier() ? "DOWN" : "LOWERLAYERDOWN";
  }

  /** The qdisc `ip link` shows: noop until the device is first up, noqueue for virtual devices. */
  qdisc(): string {
    return this.everUp ? "noqueue" : "noop";
  }

  /** Whether the link is RUNNING (admin up and operstate UP or UNKNOWN). */
  running(): boolean {
    const s = this.operstate();
    return this.adminUp && (s === "UP" || s === "UNKNOWN");
  }

  /** Flags in iproute2's print order, with NO-CARRIER first; M-DOWN is added by `info()`. */
  flags(): string[] {
    const f: string[] = [];
    if (this.adminUp && !this.running()) f.push("NO-CARRIER");
    const conf = this.confFlags();
    const up = this.adminUp;
    const lowerUp = up && this.carrier();
    for (const name of IFF_PRINT_ORDER) {
      if (name === "UP" ? up : name === "LOWER_UP" ? lowerUp : conf.has(name)) f.push(name);
    }
    return f;
  }

  /** The peer or lower device's ifindex (IFLA_LINK); itself when none. */
  iflink(): number {
    return this.ifindex;
  }

  /** iproute2's M-DOWN: the IFLA_LINK device is in the viewer's namespace and is down. */
  protected mdown(_viewer: DeviceNs): boolean {
    return false;
  }

  /** Extra fields of `LinkInfo` for this kind (peer, vxlan params). */
  protected infoExtra(_viewer: DeviceNs): Partial<LinkInfo> {
    return {};
  }

  /** The link as RTM_GETLINK reports it to a process in namespace `viewer`. */
  info(viewer: DeviceNs): LinkInfo {
    const extra = this.infoExtra(viewer);
    const flags = this.flags();
    if (this.mdown(viewer)) flags.push("M-DOWN");
    return {
      ifindex: this.ifindex,
      name: this.name,
      kind: this.kind,
      flags,
      mtu: this.mtu,
      qdisc: this.qdisc(),
      operstate: this.operstate(),
      mac: this.mac,
      brd: this.brd,
      ...(this.master ? { master: this.master.name } : {}),
      iflink: this.iflink(),
      stats: { ...this.stats },
      txqlen: this.txqlen,
      // A bridge port is made promiscuous and allmulti once by br_add_if.
      promiscuity: (this.master ? 1 : 0) + (this.hasFlag("PROMISC") ? 1 : 0),
      allmulti: (this.master ? 1 : 0) + (this.hasFlag("ALLMULTI") ? 1 : 0),
      ...extra,
    };
  }

  /** The bytes this device's counters add for `frame` (the whole frame; a tunnel counts less). */
  protected countedLen(frame: Packet): number {
    return frameLen(frame);
  }

  /** The stack sends `frame` out: counts it and hands it to the kind, or drops it if down. */
  transmit(frame: Packet): void {
    if (!this.adminUp) {
      this.stats.txDropped++;
      this.trace("drop", () => `${this.name} is down: frame not sent`, frame);
      return;
    }
    this.stats.txPackets += frame.ip.frags ?? 1;
    this.stats.txBytes += this.countedLen(frame);
    this.xmit(frame);
  }

  /**
   * A frame arrives on this device (counted, as the driver counts it): to the bridge if enslaved,
   * else to the namespace stack, unless eth_type_trans marks it PACKET_OTHERHOST, which ip_rcv and
   * arp_rcv drop (also when the device is promiscuous).
   */
  receive(frame: Packet): void {
    if (!this.adminUp) {
      this.stats.rxDropped++;
      return;
    }
    this.stats.rxPackets += frame.arp ? 1 : (frame.ip.frags ?? 1);
    this.stats.rxBytes += this.countedLen(frame);
    if (this.master) this.master.portReceive(this, frame);
    else if (otherHost(frame, this.mac)) this.dropOtherHost(frame, `${this.name} is ${this.mac}`);
    else this.ns.netifReceive(this, frame);
  }

  /** ip_rcv/arp_rcv drop a PACKET_OTHERHOST frame that came up through this device; `own` names the addresses it is not. */
  dropOtherHost(frame: Packet, own: string): void {
    if (!this.ns.engine.tracer.enabled) return;
    this.trace("drop", `${this.name}: ${frame.l2!.dst} is another host's address (${own}): PACKET_OTHERHOST, dropped by ${frame.arp ? "arp_rcv" : "ip_rcv"}`, frame);
  }

  /** Records a trace event at this device. */
  trace(step: import("../api.js").TraceEvent["step"], text: string | (() => string), frame: Packet, detail?: Record<string, unknown>): void {
    if (!this.ns.engine.tracer.enabled) return;
    this.ns.engine.tracer.emit({
      at: this.ns.engine.clock.now(),
      packetId: frame.id,
      host: this.ns.hostName,
      netns: this.ns.label,
      step,
      text: typeof text === "function" ? text() : text,
      dev: this.name,
      ...(detail ? { detail } : {}),
    });
  }

  /** Releases the device (deleted or its namespace died). */
  destroy(): void {
    this.adminUp = false;
  }
}

/**
 * eth_type_trans's PACKET_OTHERHOST: a unicast destination that is neither `mac` nor `alt` (the
 * bridge's own address, which br_handle_frame makes PACKET_HOST on any port). A frame without a
 * link header (loopback's own) is the host's.
 */
export function otherHost(frame: Packet, mac: string, alt?: string): boolean {
  const dst = frame.l2?.dst;
  return dst !== undefined && dst !== mac && dst !== alt && !isGroupMac(dst);
}

/** Bytes on the wire for counters: Ethernet header (14) + IP length, or 42 for ARP. */
export function frameLen(frame: Packet): number {
  if (frame.arp) return 42;
  const n = frame.ip.frags ?? 1;
  return 14 * n + frame.ip.len + 20 * (n - 1);
}
