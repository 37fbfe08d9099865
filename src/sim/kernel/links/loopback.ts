/**
 * The loopback device `lo`: ifindex 1 in every namespace, mtu 65536, state UNKNOWN when up.
 * What it transmits it receives.
 */
import type { Packet } from "../packet.js";
import { Device, type DeviceNs } from "./device.js";

/** `lo`. */
export class Loopback extends Device {
  readonly kind = "loopback" as const;

  constructor(ns: DeviceNs) {
    super(ns, 1, "lo", "00:00:00:00:00:00", 65536);
    this.brd = "00:00:00:00:00:00";
  }

  override carrier(): boolean {
    return true;
  }

  override operstate(): string {
    return this.adminUp ? "UNKNOWN" : "DOWN";
  }

  protected override baseFlags(): string[] {
    return ["LOOPBACK"];
  }

  protected override xmit(frame: Packet): void {
    this.ns.engine.deliver(this, frame);
  }
}
