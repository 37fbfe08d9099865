/**
 * bash associative arrays (`declare -A`), kept in bash's own hash-table order. bash 5.2 stores
 * them in a hashlib.c table of 1024 buckets (assoc.h ASSOC_HASH_BUCKETS): the bucket is the
 * FNV-1 32-bit hash of the key's bytes masked to the bucket count, a new key goes to the head
 * of its bucket's chain, and the table grows ×4 (rehashing old buckets in order, each chain
 * head first, onto new heads) when an insertion finds nentries >= 2 × nbuckets. `${!m[@]}`,
 * `${m[@]}` and `declare -p` walk buckets upwards, each chain head to tail; this class keeps
 * exactly that order so the simulator prints keys as bash does.
 */

const INITIAL_BUCKETS = 1024;
const FNV_OFFSET = 2166136261;
const FNV_PRIME = 16777619;
const encoder = new TextEncoder();

/** bash's hash_string: FNV-1 over the key's bytes, each byte as a (signed) x86 `char`. */
export function bashHash(key: string): number {
  let h = FNV_OFFSET;
  for (const b of encoder.encode(key)) {
    h = Math.imul(h, FNV_PRIME) >>> 0;
    h = (h ^ (b >= 0x80 ? b | 0xffffff00 : b)) >>> 0;
  }
  return h;
}

/** One associative array: values by key, and the bucket chains that give bash's order. */
export class AssocArray {
  private nbuckets = INITIAL_BUCKETS;
  /** Occupied buckets only: bucket index → keys, chain head first. */
  private buckets = new Map<number, string[]>();
  private values = new Map<string, string>();
  /** False while declared without any value (`declare -A m`), which `declare -p` prints bare. */
  visible = true;

  /** How many keys are set (`${#m[@]}`). */
  get size(): number {
    return this.values.size;
  }

  /** The value at `key`, or undefined when unset. */
  get(key: string): string | undefined {
    return this.values.get(key);
  }

  /** Whether `key` is set (`[[ -v m[key] ]]`). */
  has(key: string): boolean {
    return this.values.has(key);
  }

  /** Sets `key`; an existing key keeps its place, a new one goes to the head of its bucket. */
  set(key: string, value: string): void {
    if (!this.values.has(key)) {
      if (this.values.size >= this.nbuckets * 2) this.grow();
      const b = bashHash(key) & (this.nbuckets - 1);
      const chain = this.buckets.get(b);
      if (chain) chain.unshift(key);
      else this.buckets.set(b, [key]);
    }
    this.values.set(key, value);
    this.visible = true;
  }

  /** Removes `key` (`unset 'm[key]'`); the table does not shrink, as in bash. */
  delete(key: string): void {
    if (!this.values.delete(key)) return;
    const b = bashHash(key) & (this.nbuckets - 1);
    const chain = this.buckets.get(b)!;
    chain.splice(chain.indexOf(key), 1);
    if (chain.length === 0) this.buckets.delete(b);
  }

  /** The keys in bash's order. */
  keys(): string[] {
    const out: string[] = [];
    for (const b of [...this.buckets.keys()].sort((x, y) => x - y)) out.push(...this.buckets.get(b)!);
    return out;
  }

  /** [key, value] pairs in bash's order. */
  entries(): Array<[string, string]> {
    return this.keys().map((k) => [k, this.values.get(k)!]);
  }

  /** An independent copy (subshells, saved locals). */
  clone(): AssocArray {
    const c = new AssocArray();
    c.nbuckets = this.nbuckets;
    c.buckets = new Map([...this.buckets].map(([b, chain]) => [b, [...chain]]));
    c.values = new Map(this.values);
    c.visible = this.visible;
    return c;
  }

  /** hashlib.c hash_rehash: old buckets in order, each chain head first, pushed onto new heads. */
  private grow(): void {
    const old = [...this.buckets.keys()].sort((x, y) => x - y).map((b) => this.buckets.get(b)!);
    this.nbuckets *= 4;
    this.buckets = new Map();
    for (const chain of old) {
      for (const key of chain) {
        const b = bashHash(key) & (this.nbuckets - 1);
        const to = this.buckets.get(b);
        if (to) to.unshift(key);
        else this.buckets.set(b, [key]);
      }
    }
  }
}
