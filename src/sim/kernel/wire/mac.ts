/**
 * Ethernet MAC addresses as lower-case "aa:bb:cc:dd:ee:ff" text.
 */
import type { Rng } from "../../../core/random.js";

export const BROADCAST_MAC = "ff:ff:ff:ff:ff:ff";
export const ZERO_MAC = "00:00:00:00:00:00";

/**
 * A random unicast, locally administered MAC, as eth_random_addr() makes for veth, bridge,
 * vxlan and dummy devices: random bytes, multicast bit cleared, local bit set.
 */
export function randomMac(rng: Rng): string {
  const b: number[] = [];
  for (let i = 0; i < 6; i++) b.push(rng.int(256));
  b[0] = (b[0]! & 0xfe) | 0x02;
  return b.map((x) => x.toString(16).padStart(2, "0")).join(":");
}

/** Normalizes user-given MAC text to lower case with two hex digits per byte; undefined if malformed. */
export function parseMac(text: string): string | undefined {
  const parts = text.split(":");
  if (parts.length !== 6) return undefined;
  const out: string[] = [];
  for (const p of parts) {
    if (!/^[0-9a-fA-F]{1,2}$/.test(p)) return undefined;
    out.push(p.toLowerCase().padStart(2, "0"));
  }
  return out.join(":");
}

/** True for group (multicast or broadcast) addresses: the low bit of the first byte. */
export function isGroupMac(mac: string): boolean {
  return (parseInt(mac.slice(0, 2), 16) & 1) === 1;
}

/** Compares MACs as the bridge does to choose its own address (the numerically lowest port). */
export function macLess(a: string, b: string): boolean {
  return a < b;
}
