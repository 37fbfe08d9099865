/**
 * Named normalizers for volatile fields. A normalizer never edits the actual output: it turns
 * volatile tokens in the EXPECTED literal text into patterns that accept any value of that
 * kind, so captures still bind the real values and diffs show the real output. One transcript
 * recorded on `sim` then also passes on a real host (and back). docs/lesson-format.md lists
 * exactly what each one accepts.
 */
import type { Segment } from "./pattern.js";

export interface Normalizer {
  name: string;
  summary: string;
  apply(segments: Segment[]): Segment[];
}

const N = String.raw`\d+(?:\.\d+)?[KMGT]?`;

/** Replaces every match of `find` in literal segments with the pattern `to(match)`. */
function replace(find: RegExp, to: (m: RegExpExecArray) => string, firstOnly = false): (s: Segment[]) => Segment[] {
  return (segments) => {
    const out: Segment[] = [];
    segments.forEach((seg, k) => {
      if (!("lit" in seg) || (firstOnly && k > 0)) {
        out.push(seg);
        return;
      }
      const re = new RegExp(find.source, find.flags.includes("g") ? find.flags : find.flags + "g");
      let at = 0;
      for (let m = re.exec(seg.lit); m; m = re.exec(seg.lit)) {
        if (m[0] === "") {
          re.lastIndex++;
          continue;
        }
        if (m.index > at) out.push({ lit: seg.lit.slice(at, m.index) });
        out.push({ re: to(m) });
        at = m.index + m[0].length;
      }
      if (at < seg.lit.length) out.push({ lit: seg.lit.slice(at) });
    });
    return out;
  };
}

/** Makes every run of blanks in literal segments match any run of blanks. */
function flexibleSpace(segments: Segment[]): Segment[] {
  return replace(/[ \t]+/, () => String.raw`[ \t]+`)(segments);
}

const chain =
  (...fns: ((s: Segment[]) => Segment[])[]) =>
  (s: Segment[]): Segment[] =>
    fns.reduce((acc, f) => f(acc), s);

const literalText = (segments: Segment[]): string => segments.map((s) => ("lit" in s ? s.lit : "\u0000")).join("");

const NORMALIZERS: Normalizer[] = [
  {
    name: "mac",
    summary: "MAC addresses (xx:xx:xx:xx:xx:xx) other than ff:ff:ff:ff:ff:ff and 00:00:00:00:00:00",
    apply: replace(/(?<![0-9A-Fa-f:])(?!(?:ff:){5}ff|(?:00:){5}00)[0-9A-Fa-f]{2}(?::[0-9A-Fa-f]{2}){5}(?![0-9A-Fa-f:])/, () => "[0-9A-Fa-f]{2}(?::[0-9A-Fa-f]{2}){5}"),
  },
  {
    name: "rtt",
    summary: "ping round-trip times: time=0.045 ms, min/avg/max(/mdev) = a/b/c(/d) ms, time 1001ms",
    apply: chain(
      replace(/time=\d+(?:\.\d+)? ms/, () => String.raw`time=\d+(?:\.\d+)? ms`),
      replace(/= \d+(?:\.\d+)?\/\d+(?:\.\d+)?\/\d+(?:\.\d+)?(?:\/\d+(?:\.\d+)?)? ms/, () => String.raw`= \d+(?:\.\d+)?\/\d+(?:\.\d+)?\/\d+(?:\.\d+)?(?:\/\d+(?:\.\d+)?)? ms`),
      replace(/time \d+ms/, () => String.raw`time \d+ms`),
    ),
  },
  {
    name: "counters",
    summary: "packet/byte counters: iptables -v columns and policy lines, iptables-save [p:b], conntrack packets=/bytes=, ip -s rows, ifconfig RX/TX",
    apply: (segments) => {
      const text = literalText(segments);
      // ip -s link: rows of numbers and their RX:/TX: headers; column widths follow the numbers.
      if (/^\s*\d+(?:\s+\d+)+\s*$/.test(text) && segments.length === 1) {
        const count = text.trim().split(/\s+/).length;
        return [{ re: String.raw`\s*\d+(?:\s+\d+){${count - 1}}\s*` }];
      }
      if (/^\s*(?:RX|TX):/.test(text)) return flexibleSpace(segments);
      // iptables -nvL rule rows start with pkts and bytes columns (right-aligned, K/M/G suffixes).
      const ruleRow = /^\s*\d+[KMGT]?\s+\d+[KMGT]?\s+\S/.test(text);
      const s = chain(
        replace(/^\s*\d+[KMGT]?\s+\d+[KMGT]?(?=\s)/, () => String.raw`\s*\d+[KMGT]?\s+\d+[KMGT]?`, true),
        replace(/\d+[KMGT]? packets, \d+[KMGT]? bytes/, () => String.raw`\d+[KMGT]? packets, \d+[KMGT]? bytes`),
        replace(/\[\d+:\d+\]/, () => String.raw`\[\d+:\d+\]`),
        replace(/packets=\d+ bytes=\d+/, () => String.raw`packets=\d+ bytes=\d+`),
        replace(/(RX|TX) (packets|bytes)([: ])\d+/, (m) => `${m[1]} ${m[2]}${m[3]}\\d+`),
        replace(/bytes:\d+ \(\d+(?:\.\d+)? [KMGT]?i?B\)/, () => String.raw`bytes:\d+ \(\d+(?:\.\d+)? [KMGT]?i?B\)`),
      )(segments);
      return ruleRow ? flexibleSpace(s) : s;
    },
  },
  {
    name: "ifindex",
    summary: "interface indexes and netns ids: a leading `N: ` (ip link/addr), @ifN, link-netnsid N, ifindex N",
    apply: chain(
      replace(/^\d+: (?=\S)/, () => String.raw`\d+: `, true),
      replace(/@if\d+/, () => String.raw`@if\d+`),
      replace(/link-netnsid \d+/, () => String.raw`link-netnsid \d+`),
      replace(/ifindex \d+/, () => String.raw`ifindex \d+`),
    ),
  },
  {
    name: "id",
    summary: "container ids and digests: 64- or 12-digit lower-case hex words (also after sha256:)",
    apply: chain(
      replace(/(?<![0-9a-z])[0-9a-f]{64}(?![0-9a-z])/, () => "[0-9a-f]{64}"),
      replace(/(?<![0-9a-z])[0-9a-f]{12}(?![0-9a-z])/, () => "[0-9a-f]{12}"),
    ),
  },
  {
    name: "age",
    summary: "ages: kubectl AGE words (5s, 3m2s, 10d) and docker phrases (Up 3 minutes, 2 seconds ago, About a minute)",
    apply: chain(
      replace(/(?<=^|\s)\d+[smhdy](?:\d+[smh])?(?=\s|$)/, () => String.raw`\d+[smhdy](?:\d+[smh])?`),
      replace(
        /(?:About an? (?:minute|hour)|Less than a second|An? (?:minute|hour)|\d+ (?:second|minute|hour|day|week|month|year)s?)/,
        () => String.raw`(?:About an? (?:minute|hour)|Less than a second|An? (?:minute|hour)|\d+ (?:second|minute|hour|day|week|month|year)s?)`,
      ),
    ),
  },
  {
    name: "time",
    summary: "timestamps: ISO 8601 date-times (2026-01-01T00:00:00.123Z, with offset or space) and clock times HH:MM:SS(.frac)",
    apply: chain(
      replace(
        /\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:?\d{2})?/,
        () => String.raw`\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:?\d{2})?`,
      ),
      replace(/(?<![\d:])\d{2}:\d{2}:\d{2}(?:\.\d+)?(?![\d:])/, () => String.raw`\d{2}:\d{2}:\d{2}(?:\.\d+)?`),
    ),
  },
  {
    name: "space",
    summary: "runs of blanks: any run of spaces/tabs matches any other run (table column widths)",
    apply: flexibleSpace,
  },
];

/** Names of every normalizer, in documentation order. */
export const NORMALIZER_NAMES: readonly string[] = NORMALIZERS.map((n) => n.name);

/** Looks up normalizers by name; unknown names are ignored (the lesson linter reports them). */
export function normalizersFor(names: readonly string[]): Normalizer[] {
  return NORMALIZERS.filter((n) => names.includes(n.name));
}

/** Every normalizer with its one-line summary (for docs and `lab list`). */
export function describeNormalizers(): { name: string; summary: string }[] {
  return NORMALIZERS.map(({ name, summary }) => ({ name, summary }));
}
