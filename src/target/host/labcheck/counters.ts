/**
 * What the host can honestly say about a failed probe: the iptables rules whose packet counters
 * rose while it ran, read from `iptables-save -c` before and after (iptables 1.8.9 prints
 * `[PACKETS:BYTES] -A CHAIN ...` per rule and `:CHAIN POLICY [PACKETS:BYTES]` per chain).
 * Only rules that decide a packet's fate or rewrite it are reported (DROP, REJECT, DNAT, SNAT,
 * MASQUERADE, REDIRECT, and a DROP policy); jumps and RETURNs that every packet crosses are not.
 * Other traffic during the probe also moves counters: the report says "rose during the probe",
 * never "dropped the probe".
 */

/** One counter line of an iptables-save -c dump. */
export interface CounterLine {
  table: string;
  /** `-A CHAIN ...` for a rule, `:CHAIN POLICY` for a built-in chain's policy. */
  rule: string;
  packets: number;
}

/** Parses `iptables-save -c` output; duplicate rules keep their order (a `#N` suffix in the key). */
export function parseCounters(dump: string): Map<string, CounterLine> {
  const out = new Map<string, CounterLine>();
  let table = "";
  for (const line of dump.split("\n")) {
    if (line.startsWith("*")) {
      table = line.slice(1).trim();
      continue;
    }
    let m = /^\[(\d+):\d+\] (-A .*)$/.exec(line);
    let c: CounterLine | undefined;
    if (m) c = { table, rule: m[2]!, packets: Number(m[1]) };
    else if ((m = /^:(\S+) (\S+) \[(\d+):\d+\]$/.exec(line)) && m[2] !== "-") c = { table, rule: `:${m[1]} ${m[2]}`, packets: Number(m[3]) };
    if (!c) continue;
    let key = `${table} ${c.rule}`;
    for (let n = 2; out.has(key); n++) key = `${table} ${c.rule} #${n}`;
    out.set(key, c);
  }
  return out;
}

const DECIDING = /(?:^|\s)-j (DROP|REJECT|DNAT|SNAT|MASQUERADE|REDIRECT)\b/;

/** The deciding rules and DROP policies whose packet counters rose from `before` to `after`. */
export function risenRules(before: string, after: string): CounterLine[] {
  const a = parseCounters(before);
  const out: CounterLine[] = [];
  for (const [key, c] of parseCounters(after)) {
    const was = a.get(key)?.packets ?? 0;
    if (c.packets <= was) continue;
    if (c.rule.startsWith(":") ? c.rule.endsWith(" DROP") : DECIDING.test(c.rule)) out.push(c);
  }
  return out;
}

/** `[nat] -A DOCKER ... -j DNAT ...; [filter] FORWARD policy DROP` (empty when none rose). */
export function formatRisen(lines: readonly CounterLine[]): string {
  return lines
    .map((c) => {
      const policy = /^:(\S+) (\S+)$/.exec(c.rule);
      return `[${c.table}] ${policy ? `${policy[1]} policy ${policy[2]}` : c.rule}`;
    })
    .join("; ");
}
