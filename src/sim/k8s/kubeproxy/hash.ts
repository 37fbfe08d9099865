/**
 * kube-proxy's chain names: sha256 of the service-port name (and endpoint) → base32 (RFC 4648,
 * A–Z2–7) → first 16 characters, behind a prefix such as KUBE-SVC- or KUBE-SEP-.
 * Source: kubernetes/kubernetes pkg/proxy/iptables/proxier.go `portProtoHash` and
 * `servicePortEndpointChainName` (same algorithm v1.10–v1.30).
 */
import { createHash, hash as oneShotHash } from "node:crypto";

const B32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

/** Standard base32 (no padding) of `bytes`, enough characters for `n` (we only need 16). */
function base32(bytes: Uint8Array, n: number): string {
  let out = "";
  let bits = 0;
  let value = 0;
  for (const b of bytes) {
    value = ((value << 8) | b) & 0xffff;
    bits += 8;
    while (bits >= 5) {
      out += B32[(value >>> (bits - 5)) & 31];
      bits -= 5;
      if (out.length === n) return out;
    }
  }
  return out;
}

// kube-proxy keeps a service port's chain names in its serviceInfo/endpointsInfo; a sync reuses
// them. Same here: names are memoised (bounded, cleared when full).
const memo = new Map<string, string>();
const MEMO_MAX = 500_000;

/** The 16-character hash kube-proxy derives from `input`. */
export function kubeProxyHash(input: string): string {
  let h = memo.get(input);
  if (h === undefined) {
    const digest = typeof oneShotHash === "function" ? (oneShotHash("sha256", input, "buffer") as Uint8Array) : createHash("sha256").update(input).digest();
    h = base32(digest, 16);
    if (memo.size >= MEMO_MAX) memo.clear();
    memo.set(input, h);
  }
  return h;
}

/** `ns/name` or `ns/name:port` as ServicePortName.String() prints it (pkg/proxy/types.go). */
export function servicePortName(ns: string, name: string, portName: string | undefined): string {
  return portName ? `${ns}/${name}:${portName}` : `${ns}/${name}`;
}

/** KUBE-SVC-/KUBE-EXT-/KUBE-SVL-/KUBE-FW-/KUBE-XLB- chain of a service port (`prefix` without the dash). */
export function serviceChain(prefix: "KUBE-SVC" | "KUBE-EXT" | "KUBE-SVL" | "KUBE-FW" | "KUBE-XLB", spn: string, protocol: string): string {
  return `${prefix}-${kubeProxyHash(spn + protocol.toLowerCase())}`;
}

/** KUBE-SEP- chain of one endpoint (`ip:port`) of a service port. */
export function endpointChain(spn: string, protocol: string, endpoint: string): string {
  return `KUBE-SEP-${kubeProxyHash(spn + protocol.toLowerCase() + endpoint)}`;
}
