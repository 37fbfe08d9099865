/**
 * What match and target extensions share: the ExtState each `-m`/`-j` extension builds from the
 * command line (options offered in turn, as xtables merges extension options), and the value
 * parsers of libxtables (ports and services, value/mask).
 */
import type { NfMatch, NfPortRange, NfTarget } from "../../kernel/api.js";
import { paramError } from "./errors.js";
import { serviceToPort } from "./names.js";

/** One option an extension accepts: its long name and whether it takes an argument. */
export interface ExtOption {
  name: string;
  arg: boolean;
}

/** A match or target being built from the command line. */
export interface ExtState {
  name: string;
  options: ExtOption[];
  /** Consumes one option (with `invert` when `!` preceded it); throws IptError on a bad value. */
  parse(opt: string, arg: string | undefined, invert: boolean): void;
  /** Final check; `proto` is the rule's `-p` (lower-case name) if any. Returns the result. */
  finish(proto: string | undefined): NfMatch | NfTarget;
}

/** xtables_parse_port: a number up to 65535 or a service name. */
export function parsePort(s: string, proto: string): number {
  if (/^\d+$/.test(s)) {
    const n = Number(s);
    if (n <= 65535) return n;
  } else {
    const p = serviceToPort(s, proto === "udp" ? "udp" : "tcp");
    if (p !== undefined) return p;
  }
  void proto;
  throw paramError(`invalid port/service \`${s}' specified`);
}

/** `port`, `from:to`, `:to`, `from:` as libxt_tcp parses them. */
export function parsePortRange(s: string, proto: string): NfPortRange {
  const i = s.indexOf(":");
  if (i < 0) {
    const p = parsePort(s, proto);
    return { from: p, to: p };
  }
  const from = i === 0 ? 0 : parsePort(s.slice(0, i), proto);
  const to = i === s.length - 1 ? 65535 : parsePort(s.slice(i + 1), proto);
  if (from > to) throw paramError("invalid portrange (min > max)");
  return { from, to };
}

/** Parses `value[/mask]` as xtables_parse_val_mask does (decimal, 0x hex, 0 octal); `ext`/`opt` name the option in errors. */
export function parseValMask(s: string, ext: string, opt: string): { value: number; mask: number } {
  const num = (t: string): number => {
    const v = /^0x[0-9a-f]+$/i.test(t) ? parseInt(t, 16) : /^0[0-7]*$/.test(t) ? parseInt(t, 8) : /^\d+$/.test(t) ? Number(t) : NaN;
    if (!Number.isFinite(v) || v > 0xffffffff) throw paramError(`${ext}: bad integer value for option "--${opt}", or out of range.\n`);
    return v;
  };
  const i = s.indexOf("/");
  if (i < 0) return { value: num(s), mask: 0xffffffff };
  return { value: num(s.slice(0, i)), mask: num(s.slice(i + 1)) };
}
