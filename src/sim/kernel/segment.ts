/**
 * An L2 segment joining hosts' physical NICs (the underlay of a cluster): a learning switch
 * that forwards to the NIC that owns the destination MAC, and floods group or unknown frames.
 */
import type { Engine } from "./engine.js";
import type { Packet } from "./packet.js";
import { isGroupMac } from "./wire/mac.js";
import type { Ether, Wire } from "./links/ether.js";

/** A shared segment. */
export class Segment implements Wire {
  readonly nics: Ether[] = [];
  private learned = new Map<string, Ether>();

  constructor(readonly name: string, private engine: Engine) {}

  /** Wires a NIC to the segment. */
  attach(nic: Ether): void {
    this.nics.push(nic);
  }

  /** Unplugs a NIC. */
  detach(nic: Ether): void {
    const i = this.nics.indexOf(nic);
    if (i >= 0) this.nics.splice(i, 1);
    for (const [mac, n] of this.learned) if (n === nic) this.learned.delete(mac);
  }

  send(from: Ether, frame: Packet): void {
    const l2 = frame.l2!;
    if (!isGroupMac(l2.src)) this.learned.set(l2.src, from);
    const known = isGroupMac(l2.dst) ? undefined : this.learned.get(l2.dst);
    const targets = known ? [known] : this.nics.filter((n) => n !== from);
    for (const nic of targets) {
      if (nic === from) continue;
      this.engine.post(() => nic.fromWire(frame));
    }
  }
}
