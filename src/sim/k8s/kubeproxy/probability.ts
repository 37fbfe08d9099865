/**
 * The `statistic --probability` value kube-proxy writes for the i-th of n endpoints, and how it is
 * stored by the kernel (libxt_statistic: lround(0x80000000 * p)) and printed back by iptables-save
 * (`%.11f` of u32 / 0x80000000).
 * Sources: kubernetes pkg/proxy/iptables/proxier.go `computeProbability` ("%0.10f" of 1/n);
 * iptables extensions/libxt_statistic.c `statistic_parse` / `statistic_save`.
 */

/** The string kube-proxy writes for `1/n`: ten decimals. */
export function computeProbability(n: number): string {
  return (1 / n).toFixed(10);
}

/** The u32 the kernel stores for a probability written as `text` (lround, ties away from zero). */
export function probabilityToU32(text: string): number {
  const p = Number(text);
  return Math.round(0x80000000 * p);
}

/** How iptables-save prints a stored probability: eleven decimals. */
export function formatStoredProbability(u32: number): string {
  return (u32 / 0x80000000).toFixed(11);
}
