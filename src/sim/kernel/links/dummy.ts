/**
 * A dummy device: up with state UNKNOWN, NOARP, swallows everything it is given.
 * (The dummy module is absent on the recording machine; flags follow drivers/net/dummy.c.)
 */
import type { Packet } from "../packet.js";
import { Device } from "./device.js";

/** `type dummy`. */
export class Dummy extends Device {
  readonly kind = "dummy" as const;

  override carrier(): boolean {
    return true;
  }

  override operstate(): string {
    return this.adminUp ? "UNKNOWN" : "DOWN";
  }

  protected override baseFlags(): string[] {
    return ["BROADCAST", "NOARP"];
  }

  protected override xmit(frame: Packet): void {
    this.trace("drop", () => `${this.name} (dummy) discards every frame`, frame);
  }
}
