/**
 * A physical NIC (eth0) wired to an L2 segment shared with other hosts: the underlay.
 * It receives frames addressed to its MAC, group frames, and everything when a bridge owns it.
 */
import type { Packet } from "../packet.js";
import { isGroupMac } from "../wire/mac.js";
import { Device, type DeviceNs } from "./device.js";

/** An L2 segment: a switch that delivers each frame to every other attached NIC. */
export interface Wire {
  readonly name: string;
  send(from: Ether, frame: Packet): void;
}

/** A host NIC on a segment. */
export class Ether extends Device {
  readonly kind = "ether" as const;

  constructor(ns: DeviceNs, ifindex: number, name: string, mac: string, readonly wire: Wire) {
    super(ns, ifindex, name, mac, 1500);
  }

  override carrier(): boolean {
    return true;
  }

  override qdisc(): string {
    return this.everUp ? "fq_codel" : "noop";
  }

  protected override xmit(frame: Packet): void {
    this.trace("send", () => `${this.name} → segment ${this.wire.name}`, frame);
    this.wire.send(this, frame);
  }

  /**
   * A frame from the wire: the NIC's filter drops it unless for us, a group, or the NIC is
   * promiscuous (a bridge port, or `promisc on`: then the stack drops what is for another host).
   */
  fromWire(frame: Packet): void {
    const dst = frame.l2!.dst;
    if (dst !== this.mac && !isGroupMac(dst) && !this.master && !this.hasFlag("PROMISC")) return;
    this.receive(frame);
  }
}
