/**
 * ipset's listings (libipset/print.c and session.c, ipset v7.17): the plain `list` format, the
 * terse `-t` and names-only `-n` forms, and the `save` format that `restore` reads. Captured
 * here in test/fixtures/ipset/.
 */
import type { IpsetEntry, IpsetInfo } from "../../kernel/api.js";
import { elementText } from "./element.js";

/** The options part of a set's header (`Header:` and the tail of a `create` line). */
function headerOptions(s: IpsetInfo): string {
  const opts: string[] = [];
  if (s.range) opts.push(`range ${s.range.from}-${s.range.to}`);
  else opts.push(`family ${s.family}`, `hashsize ${s.hashsize}`, `maxelem ${s.maxelem}`);
  if (s.timeout) opts.push(`timeout ${s.timeout}`);
  if (s.counters) opts.push("counters");
  if (s.comment) opts.push("comment");
  if (!s.range) opts.push(`bucketsize ${s.bucketsize}`, `initval 0x${(s.initval ?? 0).toString(16).padStart(8, "0")}`);
  return opts.join(" ");
}

/** One member with its extensions, as both `list` and `save` print it. */
function memberText(s: IpsetInfo, m: IpsetEntry): string {
  let t = elementText(s.type, m);
  if (s.timeout) t += ` timeout ${m.timeout ?? 0}`;
  if (s.counters) t += ` packets ${m.packets ?? 0} bytes ${m.bytes ?? 0}`;
  if (s.comment && m.comment !== undefined) t += ` comment "${m.comment}"`;
  return t;
}

/** `-s`: members sorted as ipset sorts them (by the element's text, numerically where it is numeric). */
function sortedMembers(s: IpsetInfo): IpsetEntry[] {
  const key = (m: IpsetEntry) => elementText(s.type, m);
  return [...s.members].sort((a, b) => key(a).localeCompare(key(b), "en", { numeric: true }));
}

/** `ipset list` of the given sets: plain, terse (`-t`) or names only (`-n`). */
export function listPlain(sets: IpsetInfo[], mode: { terse?: boolean; names?: boolean; sorted?: boolean }): string {
  if (mode.names) return sets.map((s) => `${s.name}\n`).join("");
  return sets.map((s) => {
    let out = `Name: ${s.name}\nType: ${s.type}\nRevision: ${s.revision}\nHeader: ${headerOptions(s)}\n`;
    out += `Size in memory: ${s.memSize}\nReferences: ${s.references}\nNumber of entries: ${s.members.length}\n`;
    if (mode.terse) return out;
    out += "Members:\n";
    for (const m of mode.sorted ? sortedMembers(s) : s.members) out += `${memberText(s, m)}\n`;
    return out;
  }).join("\n");
}

/** `ipset save` (and `list -o save`): a create line, then one add line per member. */
export function listSave(sets: IpsetInfo[], sorted = false): string {
  let out = "";
  for (const s of sets) {
    out += `create ${s.name} ${s.type} ${headerOptions(s)}\n`;
    for (const m of sorted ? sortedMembers(s) : s.members) out += `add ${s.name} ${memberText(s, m)}\n`;
  }
  return out;
}
