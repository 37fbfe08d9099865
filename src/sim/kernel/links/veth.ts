/**
 * A veth pair end. What one end transmits the other receives, in whatever namespace it is.
 * Carrier is on when both ends are up. `ip link` prints `name@peer` for a peer in the same
 * namespace, else `name@ifN` with `link-netnsid`.
 *
 *   ns A: veth0 ──────► veth1 :ns B      (iflink = the peer's ifindex)
 */
import type { LinkInfo } from "../api.js";
import type { Packet } from "../packet.js";
import { Device, type DeviceNs } from "./device.js";

/** One end of a veth pair. */
export class Veth extends Device {
  readonly kind = "veth" as const;
  peer!: Veth;

  override carrier(): boolean {
    return this.adminUp && this.peer.adminUp;
  }

  override iflink(): number {
    return this.peer.ifindex;
  }

  protected override mdown(viewer: DeviceNs): boolean {
    return this.peer.ns === viewer && this.ns === viewer && !this.peer.adminUp;
  }

  protected override infoExtra(viewer: DeviceNs): Partial<LinkInfo> {
    if (this.peer.ns === this.ns) return { peerName: this.peer.name };
    return { peerName: `if${this.peer.ifindex}`, linkNetnsId: viewer.nsidFor(this.peer.ns) };
  }

  protected override xmit(frame: Packet): void {
    const peer = this.peer;
    if (!peer.adminUp) {
      this.stats.txDropped++;
      this.trace("drop", () => `${this.name}: peer ${peer.name} is down`, frame);
      return;
    }
    if (this.ns.engine.tracer.enabled) this.trace("veth", `${this.name} → ${peer.name} (${peer.ns.label})`, frame);
    this.ns.engine.deliver(peer, frame);
  }
}
