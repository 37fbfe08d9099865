/**
 * The source address a server saw, from the kernel's own record of the connection: the
 * conntrack entry of the probe (`conntrack -L -o id`, conntrack-tools 1.4.7). Its reply tuple is
 * the packet the server sends back, so the reply's destination is the source the server saw,
 * after any SNAT/MASQUERADE on the way:
 *
 *   tcp 6 119 TIME_WAIT src=198.51.100.2 dst=198.51.100.1 sport=40114 dport=1234
 *                       src=172.17.0.2 dst=198.51.100.2 sport=80 dport=40114 [ASSURED] mark=0 use=1 id=3254796321
 *       original tuple ───┘                 reply tuple ───┘ (server 172.17.0.2 answers 198.51.100.2)
 *
 * The probe's entry is the one that is new (its id was not listed before the probe) and whose
 * original tuple goes to the probed address and port. Only the table of the network namespace
 * lab-check runs in is read: a probe that never crossed it has no entry there.
 */
import type { Proto } from "../../../core/labcheck-args.js";

/** One conntrack entry: protocol, both tuples, and the entry's id. */
export interface CtEntry {
  proto: string;
  orig: Record<string, string>;
  reply: Record<string, string>;
  id?: string;
}

const TUPLE_KEYS = new Set(["src", "dst", "sport", "dport", "type", "code", "id"]);

/** Parses `conntrack -L -o id` lines (the first src=... group is the original tuple, the second the reply). */
export function parseConntrack(text: string): CtEntry[] {
  const out: CtEntry[] = [];
  for (const line of text.split("\n")) {
    const words = line.trim().split(/\s+/);
    if (words.length < 3 || !/^[a-z]+$/.test(words[0]!)) continue;
    const e: CtEntry = { proto: words[0]!, orig: {}, reply: {} };
    let tuple: Record<string, string> | undefined;
    let afterUse = false;
    for (const w of words) {
      const kv = /^([a-z]+)=(.*)$/.exec(w);
      if (!kv) continue;
      const [, k, v] = kv as unknown as [string, string, string];
      if (k === "src") tuple = tuple === undefined ? e.orig : e.reply;
      if (k === "use") afterUse = true;
      else if (afterUse && k === "id") e.id = v;
      else if (tuple && !afterUse && TUPLE_KEYS.has(k) && !(k in tuple)) tuple[k] = v;
    }
    if (e.orig.src !== undefined) out.push(e);
  }
  return out;
}

/** The probe's entry: new since `before`, original tuple to `addr` (and `port` for tcp/udp, an echo request for icmp). */
export function probeEntry(before: readonly CtEntry[], after: readonly CtEntry[], proto: Proto, addr: string, port: number | undefined): CtEntry | undefined {
  const old = new Set(before.map((e) => e.id));
  return after.find(
    (e) =>
      e.id !== undefined &&
      !old.has(e.id) &&
      e.proto === proto &&
      e.orig.dst === addr &&
      (proto === "icmp" ? e.orig.type === "8" : e.orig.dport === String(port)),
  );
}
