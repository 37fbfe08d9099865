/** A seeded pseudo-random generator: same seed, same sequence (mulberry32). */
export interface Rng {
  /** Uniform in [0, 1). */
  next(): number;
  /** Uniform integer in [0, n). */
  int(n: number): number;
  /** Uniform 32-bit unsigned integer. */
  uint32(): number;
}

/** Creates a generator from a 32-bit seed. */
export function createRng(seed: number): Rng {
  let a = seed >>> 0;
  const uint32 = (): number => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  };
  return {
    uint32,
    next: () => uint32() / 4294967296,
    int: (n: number) => Math.floor((uint32() / 4294967296) * n),
  };
}
