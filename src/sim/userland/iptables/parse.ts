/**
 * The iptables command line (xtables.c do_parse in iptables 1.8.9, nft variant): one command
 * (-A -C -D -I -R -L -S -F -Z -N -X -P -E -h -V), its chain/rule-number arguments, the rule
 * specification (-s -d -i -o -p -f -j -g -m and extension options), and the flags (-t -n -v
 * -x --line-numbers -w -c). getopt_long behaviour is kept: clustered short options, attached
 * optional arguments (`-Lnv` lists chain "nv"), unambiguous long-option prefixes, `!` inversion.
 */
import type { NfMatch, NfRule, NfTableName, NfTarget } from "../../kernel/api.js";
import { parseIpv4 } from "./addr.js";
import { IptError, paramError } from "./errors.js";
import type { ExtState } from "./ext-common.js";
import { MATCHES } from "./matches.js";
import { TARGETS } from "./targets.js";
import { protoName, protoNumber } from "./names.js";

export type CmdLetter = "A" | "C" | "D" | "I" | "R" | "L" | "S" | "F" | "Z" | "N" | "X" | "P" | "E" | "h" | "V";

export interface ParsedCommand {
  cmd: CmdLetter;
  /** -L together with -Z (list, then zero). */
  zeroToo?: boolean;
  table: NfTableName | string;
  chain?: string;
  rulenum?: number;
  newName?: string;
  policy?: string;
  numeric: boolean;
  verbose: boolean;
  exact: boolean;
  lineNumbers: boolean;
  /** Rules the spec expands to (several with comma-separated -s/-d lists). */
  rules: NfRule[];
  /** Jump/goto target names that must be existing chains (checked by the caller against the table). */
  jumpChain?: string;
  counters?: { packets: number; bytes: number };
  /** Messages iptables prints on stderr and carries on (deprecated options). */
  warnings?: string[];
}

/** xshared.c options_v_commands: the commands each option letter may be used with. */
const RULE_CMDS = ["I", "D", "R", "A", "C"];
const OPTION_COMMANDS: Record<string, string[]> = {
  n: ["L"], s: RULE_CMDS, d: RULE_CMDS, p: RULE_CMDS, j: RULE_CMDS, v: ["A", "C", "D", "I", "R", "L", "S", "F", "Z", "N", "X", "P", "E", "h", "V"],
  x: ["L"], i: RULE_CMDS, o: RULE_CMDS, "0": ["L"], c: ["I", "R", "A", "P"], f: RULE_CMDS,
};

/** generic_opt_check: `Illegal option `-n' with this command`. -D with a rule number takes no rule options. */
function checkOptions(pc: ParsedCommand, given: string[]): void {
  const cmd = pc.cmd === "D" && pc.rulenum !== undefined ? "Dnum" : pc.cmd;
  for (const o of given) {
    const ok = OPTION_COMMANDS[o]!.includes(cmd === "Dnum" ? "X" : cmd) || (pc.zeroToo && OPTION_COMMANDS[o]!.includes("L"));
    if (!ok && !(cmd === "Dnum" && o === "v")) throw paramError(`Illegal option \`-${o}' with this command`);
  }
}

const CMD_LONG: Record<string, CmdLetter> = {
  append: "A", check: "C", delete: "D", insert: "I", replace: "R", list: "L", "list-rules": "S", flush: "F", zero: "Z",
  "new-chain": "N", "delete-chain": "X", policy: "P", "rename-chain": "E", help: "h", version: "V",
};

/** Long options of the rule spec and flags, mapped to their short letter. */
const OPT_LONG: Record<string, string> = {
  protocol: "p", source: "s", src: "s", destination: "d", dst: "d", "in-interface": "i", "out-interface": "o", jump: "j",
  goto: "g", match: "m", numeric: "n", verbose: "v", exact: "x", table: "t", fragment: "f", wait: "w", "wait-interval": "W",
  "set-counters": "c", ipv4: "4", ipv6: "6", "line-numbers": "0", modprobe: "M",
};

/** Short options that take a required argument. */
const REQ_ARG = new Set(["A", "C", "D", "I", "R", "N", "P", "E", "p", "s", "d", "i", "o", "j", "g", "m", "t", "c", "M"]);
/** Short options with an optional argument (attached, or the next word when it does not start with - or !). */
const OPT_ARG = new Set(["L", "S", "F", "Z", "X", "w", "W", "h"]);
const NOARG = new Set(["n", "v", "x", "f", "V", "4", "6", "0"]);

const VERDICTS = new Set(["ACCEPT", "DROP", "RETURN", "QUEUE"]);

function parseRulenum(s: string): number {
  if (!/^\d+$/.test(s) || Number(s) < 1) throw paramError(`Invalid rule number \`${s}'`);
  return Number(s);
}

/** Parses argv (without the program name). Throws IptError with the real text on bad input. */
export function parseCommand(args: string[], opts: { hosts?: (n: string) => string | undefined; defaultTable?: string } = {}): ParsedCommand {
  const pc: ParsedCommand = { cmd: "h", table: opts.defaultTable ?? "filter", numeric: false, verbose: false, exact: false, lineNumbers: false, rules: [] };
  let haveCmd = false;
  let invert = false;
  const seen = new Set<string>();
  const fixed: Partial<Pick<NfRule, "src" | "dst" | "inIface" | "outIface" | "proto" | "fragment">> = {};
  const srcList: string[] = [];
  const dstList: string[] = [];
  let srcNeg = false;
  let dstNeg = false;
  const matches: ExtState[] = [];
  let target: ExtState | undefined;
  let targetName: string | undefined;
  let isGoto = false;
  let i = 0;
  const warnings: string[] = [];
  /** Option letters given, for the command/option legality check (xtables optflags "nsdpjvxio0cf"). */
  const given: string[] = [];

  const setCmd = (c: CmdLetter) => {
    if (haveCmd && !(pc.cmd === "L" && c === "Z") && !(pc.cmd === "Z" && c === "L")) {
      throw paramError(`Cannot use -${c} with -${pc.cmd}`);
    }
    if (haveCmd) {
      pc.zeroToo = true;
      pc.cmd = "L";
      return;
    }
    haveCmd = true;
    pc.cmd = c;
  };
  const nextWordOptional = (): string | undefined => {
    const w = args[i];
    if (w !== undefined && !w.startsWith("-") && !w.startsWith("!")) {
      i++;
      return w;
    }
    return undefined;
  };
  const noInvert = (what: string) => {
    if (invert) throw paramError(`cannot have ! before ${what}`);
  };
  const once = (flag: string) => {
    if (seen.has(flag)) throw paramError(`multiple ${flag} flags not allowed`);
    seen.add(flag);
  };
  const protoLower = () => (fixed.proto && !fixed.proto.neg ? fixed.proto.name : undefined);

  const handleShort = (c: string, arg: string | undefined, display: string) => {
    const flag = c === "g" ? "j" : c;
    if ("nsdpjvxio0cf".includes(flag) && !given.includes(flag)) given.push(flag);
    switch (c) {
      case "A": case "C": case "D": case "I": case "R": case "N": case "P": case "E":
        noInvert(display);
        setCmd(c);
        pc.chain = arg;
        if (c === "D" || c === "I") {
          const w = nextWordOptional();
          if (w !== undefined) pc.rulenum = parseRulenum(w);
        } else if (c === "R") {
          const w = nextWordOptional();
          if (w === undefined) throw paramError("-R requires a rule number");
          pc.rulenum = parseRulenum(w);
        } else if (c === "P") {
          const w = nextWordOptional();
          if (w === undefined) throw paramError("-P requires a chain and a policy");
          pc.policy = w;
        } else if (c === "E") {
          const w = nextWordOptional();
          if (w === undefined) throw paramError("-E requires old-chain-name and new-chain-name");
          pc.newName = w;
        }
        return;
      case "L": case "S": case "F": case "Z": case "X": {
        noInvert(display);
        setCmd(c);
        const chain = arg ?? nextWordOptional();
        if (chain !== undefined) pc.chain = chain;
        if ((c === "L" || c === "S" || c === "Z") && chain !== undefined) {
          const w = nextWordOptional();
          if (w !== undefined) pc.rulenum = parseRulenum(w);
        }
        return;
      }
      case "h":
        setCmd("h");
        return;
      case "V":
        if (invert) throw paramError("cannot have ! before -V");
        setCmd("V");
        return;
      case "p": {
        once("-p");
        const name = arg!.toLowerCase();
        const num = protoNumber(name);
        if (num === undefined) throw paramError(`unknown protocol "${arg}" specified`);
        if (num === 0 && invert) throw paramError("rule would never match protocol");
        if (num !== 0) fixed.proto = { name: protoName(num) ?? String(num), neg: invert };
        invert = false;
        return;
      }
      case "s":
        once("-s");
        srcList.push(...arg!.split(","));
        srcNeg = invert;
        invert = false;
        return;
      case "d":
        once("-d");
        dstList.push(...arg!.split(","));
        dstNeg = invert;
        invert = false;
        return;
      case "i":
      case "o": {
        once(`-${c}`);
        const name = arg!;
        if (name.length > 15) throw paramError(`interface name \`${name}' must be shorter than IFNAMSIZ (15)`);
        if (c === "i") fixed.inIface = { name, neg: invert };
        else fixed.outIface = { name, neg: invert };
        invert = false;
        return;
      }
      case "f":
        once("-f");
        fixed.fragment = { neg: invert };
        invert = false;
        return;
      case "j":
      case "g": {
        noInvert(display);
        if (seen.has("-j") || seen.has("-g")) throw paramError(`multiple -${c} flags not allowed`);
        seen.add(`-${c}`);
        targetName = arg!;
        isGoto = c === "g";
        if (c === "j" && TARGETS[arg!]) target = TARGETS[arg!]!();
        return;
      }
      case "m": {
        noInvert(display);
        const f = MATCHES[arg!];
        if (!f) throw paramError(`Couldn't load match \`${arg}':No such file or directory\n`);
        matches.push(f());
        return;
      }
      case "t":
        noInvert(display);
        pc.table = arg!;
        return;
      case "n": pc.numeric = true; return;
      case "v": pc.verbose = true; return;
      case "x": pc.exact = true; return;
      case "0": pc.lineNumbers = true; return;
      case "6":
        throw new IptError("tryonly", "", 2);
      case "w": case "W": {
        // An optional wait time: attached, or the next word when it is a number (xshared.c parse_wait_time).
        if (arg === undefined && args[i] !== undefined && /^\d+(\.\d+)?$/.test(args[i]!)) i++;
        if (c === "W") warnings.push("Ignoring deprecated --wait-interval option.\n");
        return;
      }
      case "4": case "M":
        return;
      case "c": {
        const b = args[i++];
        if (!/^\d+$/.test(arg!) || b === undefined || !/^\d+$/.test(b)) throw paramError("-c requires packet and byte counter");
        pc.counters = { packets: Number(arg), bytes: Number(b) };
        return;
      }
    }
  };

  /** Offers a long option to the loaded extensions (and the implicit protocol match). */
  const extOption = (name: string, attached: string | undefined, display: string): boolean => {
    // The most recently loaded extension gets an option first, so `-m comment --comment a -m comment --comment b` works.
    const candidates: ExtState[] = [...(target ? [target] : []), ...[...matches].reverse()];
    const find = (list: ExtState[]) => {
      for (const e of list) {
        const exact = e.options.find((o) => o.name === name);
        if (exact) return { e, o: exact };
      }
      for (const e of list) {
        const pre = e.options.filter((o) => o.name.startsWith(name));
        if (pre.length === 1) return { e, o: pre[0]! };
      }
      return undefined;
    };
    let hit = find(candidates);
    if (!hit) {
      // xtables loads the match named after -p on an unknown option (`-p tcp --dport 80`).
      const p = protoLower();
      if (p && MATCHES[p] && !matches.some((m) => m.name === p)) {
        const implicit = MATCHES[p]!();
        const h2 = find([implicit]);
        if (h2) {
          matches.push(implicit);
          hit = h2;
        }
      }
    }
    if (!hit) return false;
    let arg = attached;
    if (hit.o.arg && arg === undefined) {
      arg = args[i++];
      if (arg === undefined) throw paramError(`option "${display}" requires an argument`);
      if (hit.o.name === "tcp-flags" || hit.o.name === "match-set") {
        const comp = args[i];
        if (comp === undefined || comp.startsWith("-") || comp.startsWith("!")) throw paramError(`--${hit.o.name} requires two args.`);
        i++;
        arg = `${arg}\u0000${comp}`;
      }
    }
    hit.e.parse(hit.o.name, arg, invert);
    invert = false;
    return true;
  };

  while (i < args.length) {
    const a = args[i++]!;
    if (a === "!") {
      if (invert) throw paramError("multiple consecutive ! not allowed");
      invert = true;
      continue;
    }
    if (a.startsWith("--") && a.length > 2) {
      const eq = a.indexOf("=");
      const name = eq < 0 ? a.slice(2) : a.slice(2, eq);
      const attached = eq < 0 ? undefined : a.slice(eq + 1);
      const cmdName = CMD_LONG[name] ?? uniquePrefix(CMD_LONG, name);
      const optName = OPT_LONG[name] !== undefined ? name : undefined;
      if (optName === undefined && CMD_LONG[name] === undefined && extOption(name, attached, a)) continue;
      const letter = cmdName ?? OPT_LONG[optName ?? ""] ?? OPT_LONG[uniquePrefixKey(OPT_LONG, name) ?? ""];
      if (letter === undefined) throw paramError(`unknown option "${a}"`);
      let arg = attached;
      if (REQ_ARG.has(letter) && arg === undefined) {
        arg = args[i++];
        if (arg === undefined) throw paramError(`option "${a}" requires an argument`);
      }
      handleShort(letter, arg, a);
      continue;
    }
    if (a.startsWith("-") && a.length > 1) {
      let k = 1;
      while (k < a.length) {
        const c = a[k++]!;
        if (REQ_ARG.has(c)) {
          let arg: string | undefined = a.slice(k);
          k = a.length;
          if (arg === "") {
            arg = args[i++];
            if (arg === undefined) throw paramError(`option "-${c}" requires an argument`);
          }
          handleShort(c, arg, `-${c}`);
        } else if (OPT_ARG.has(c)) {
          const rest = a.slice(k);
          k = a.length;
          handleShort(c, rest === "" ? undefined : rest, `-${c}`);
        } else if (NOARG.has(c)) {
          handleShort(c, undefined, `-${c}`);
        } else {
          throw paramError(`unknown option "${a}"`);
        }
      }
      continue;
    }
    throw new IptError("bare", `Bad argument \`${a}'`, 2);
  }
  if (invert) throw paramError("unexpected ! flag");
  if (!haveCmd) throw paramError("no command specified");
  checkOptions(pc, given);
  pc.warnings = warnings;

  // The rule: fixed part, matches in the order they were loaded, target.
  const proto = protoLower();
  const finished: NfMatch[] = matches.map((m) => m.finish(proto) as NfMatch);
  let t: NfTarget | undefined;
  if (target) t = target.finish(proto) as NfTarget;
  else if (targetName !== undefined) {
    if (VERDICTS.has(targetName) && !isGoto) t = { kind: targetName as "ACCEPT" | "DROP" | "RETURN" };
    else {
      t = { kind: isGoto ? "goto" : "jump", chain: targetName };
      pc.jumpChain = targetName;
    }
  }
  if (pc.table === "nat" && ((pc.cmd === "P" && pc.policy === "DROP") || t?.kind === "DROP")) {
    throw paramError('\nThe "nat" table is not intended for filtering, the use of DROP is therefore inhibited.\n\n');
  }
  const srcs = srcList.length ? srcList.map((s) => ({ ...parseIpv4(s, opts.hosts), neg: srcNeg })) : [undefined];
  const dsts = dstList.length ? dstList.map((s) => ({ ...parseIpv4(s, opts.hosts), neg: dstNeg })) : [undefined];
  for (const s of srcs) {
    for (const d of dsts) {
      const r: NfRule = { matches: finished, counters: pc.counters ? { ...pc.counters } : { packets: 0, bytes: 0 } };
      if (s && (s.plen > 0 || s.neg)) r.src = s;
      if (d && (d.plen > 0 || d.neg)) r.dst = d;
      if (fixed.inIface) r.inIface = fixed.inIface;
      if (fixed.outIface) r.outIface = fixed.outIface;
      if (fixed.proto) r.proto = fixed.proto;
      if (fixed.fragment) r.fragment = fixed.fragment;
      if (t) r.target = t;
      pc.rules.push(r);
    }
  }
  return pc;
}

function uniquePrefix(map: Record<string, CmdLetter>, name: string): CmdLetter | undefined {
  const k = uniquePrefixKey(map, name);
  return k === undefined ? undefined : map[k];
}

function uniquePrefixKey(map: Record<string, string>, name: string): string | undefined {
  const keys = Object.keys(map).filter((k) => k.startsWith(name));
  return keys.length === 1 ? keys[0] : undefined;
}
