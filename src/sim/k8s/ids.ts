/** Object UIDs as the API server writes them: version-4-shaped UUIDs. */

/** A version-4-shaped UUID from 32 hex digits (version nibble 4, variant bits 10). */
export function uuidOfHex(a: string): string {
  return `${a.slice(0, 8)}-${a.slice(8, 12)}-4${a.slice(13, 16)}-${((parseInt(a[16]!, 16) & 3) | 8).toString(16)}${a.slice(17, 20)}-${a.slice(20, 32)}`;
}

/** The UID of the n-th Event: a counter scrambled by a fixed multiplier (no Rng draw, so events never shift other objects' names). */
export function eventUid(n: number): string {
  const h = (x: number) => (Math.imul(x ^ 0x9e3779b9, 0x85ebca6b) >>> 0).toString(16).padStart(8, "0");
  return uuidOfHex(h(n) + h(n + 0x1000) + h(n + 0x2000) + h(n + 0x3000));
}
