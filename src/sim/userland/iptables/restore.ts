/**
 * iptables-restore (xtables-restore.c, nft variant, 1.8.9): `*table` blocks of `:CHAIN POLICY
 * [p:b]` declarations and iptables command lines, each block committed atomically at COMMIT
 * (one nfTableReplace, as one nf_tables batch). Without --noflush a block starts from an empty
 * table; with it, a declared user chain that exists is flushed.
 */
import type { NetnsApi, NfTable, NfTableName } from "../../kernel/api.js";
import type { Proc } from "../types.js";
import { formatError, IptError, paramError } from "./errors.js";
import { parseCommand } from "./parse.js";
import { kernelFailure, isBuiltin, runCommand, TABLES } from "./run.js";

/** add_param_to_argv: words split on blanks, double quotes group, `\` escapes inside quotes. */
export function splitRestoreLine(line: string): string[] {
  if (!line.includes('"')) return line.split(/[ \t\n]+/).filter((w) => w !== "");
  const out: string[] = [];
  let buf = "";
  let inWord = false;
  let quote = false;
  let escaped = false;
  for (const ch of line) {
    if (quote) {
      if (escaped) {
        buf += ch;
        escaped = false;
      } else if (ch === "\\") escaped = true;
      else if (ch === '"') {
        quote = false;
        out.push(buf);
        buf = "";
        inWord = false;
      } else buf += ch;
      continue;
    }
    if (ch === '"') {
      quote = true;
      inWord = true;
      continue;
    }
    if (ch === " " || ch === "\t" || ch === "\n") {
      if (buf.length) out.push(buf);
      buf = "";
      inWord = false;
      continue;
    }
    buf += ch;
    inWord = true;
  }
  if (buf.length || (inWord && quote)) out.push(buf);
  return out;
}

interface Opts {
  noflush: boolean;
  counters: boolean;
  test: boolean;
  onlyTable?: string;
}

/** Runs iptables-restore over stdin (or the file named as argument). */
export function iptablesRestore(p: Proc, prog: string, version: string, hosts: (n: string) => string | undefined): number {
  const o: Opts = { noflush: false, counters: false, test: false };
  let file: string | undefined;
  const args = p.argv.slice(1);
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === "-n" || a === "--noflush") o.noflush = true;
    else if (a === "-c" || a === "--counters") o.counters = true;
    else if (a === "-t" || a === "--test") o.test = true;
    else if (a === "-v" || a === "--verbose" || a === "-4" || a === "-6") continue;
    else if (a === "-V" || a === "--version") {
      p.out(`${prog} ${version}\n`);
      return 0;
    } else if (a === "-T" || a === "--table") o.onlyTable = args[++i];
    else if (a === "-w" || a === "--wait" || a === "-W" || a === "--wait-interval" || a === "-M" || a === "--modprobe") {
      if (a === "-M" || a === "--modprobe") i++;
      else if (args[i + 1] !== undefined && /^\d+$/.test(args[i + 1]!)) i++;
    } else if (a === "-h" || a === "--help") {
      p.out(`Usage: ${prog} [-c] [-v] [-V] [-t] [-h] [-n] [-w secs] [-W usecs] [-T table] [-M command] [-4] [-6] [file]\n`);
      return 0;
    } else if (!a.startsWith("-") && file === undefined) file = a;
    else {
      const shown = a.startsWith("--") ? `unrecognized option '${a}'` : `invalid option -- '${a.slice(1, 2)}'`;
      p.err(`${prog}: ${shown}\nTry \`${prog} -h' for more information.\n`);
      return 1;
    }
  }
  let input = p.stdin;
  if (file !== undefined) {
    const text = p.ctx.fs.readFile(file.startsWith("/") ? file : `${p.cwd.replace(/\/$/, "")}/${file}`);
    if (text === undefined) {
      p.err(`${prog}: Can't open ${file}: No such file or directory\n`);
      return 1;
    }
    input = text;
  }
  const ns: NetnsApi = p.ctx.netns;
  let setNames: Set<string> | undefined;
  const lines = input.split("\n");
  if (lines[lines.length - 1] === "") lines.pop();
  let cur: { name: NfTableName; table: NfTable } | undefined;
  const fail = (e: IptError, line: number): number => {
    p.err(formatError(e, prog, version, e.kind === "param" || e.kind === "bare" ? line : undefined));
    return e.exit;
  };
  for (let n = 1; n <= lines.length; n++) {
    const raw = lines[n - 1]!;
    const line = raw.trim();
    if (line === "" || line.startsWith("#")) continue;
    if (line.startsWith("*")) {
      const name = line.slice(1).trim();
      if (!(TABLES as string[]).includes(name)) return fail(paramError(`${prog}: line ${n} table name '${name}' invalid`), n);
      const t = ns.nfTableGet(name as NfTableName);
      if (!o.noflush) {
        t.chains = t.chains.filter((c) => c.policy);
        for (const c of t.chains) c.rules = [];
      }
      cur = { name: name as NfTableName, table: t };
      continue;
    }
    if (!cur) {
      p.err(`${prog}: line ${n} failed\n`);
      return 1;
    }
    if (line === "COMMIT") {
      const names = new Set(cur.table.chains.map((c) => c.name));
      for (const c of cur.table.chains) {
        for (const r of c.rules) {
          const t = r.target;
          if ((t?.kind === "jump" || t?.kind === "goto") && !names.has(t.chain)) return fail(paramError(`Chain '${t.chain}' does not exist`), n);
        }
      }
      if (!o.test && (o.onlyTable === undefined || o.onlyTable === cur.name)) {
        try {
          ns.nfTableReplace(cur.name, cur.table);
        } catch (e) {
          kernelFailure(e, "COMMIT", "");
          p.err(`${prog}: line ${n} failed\n`);
          return 1;
        }
      }
      cur = undefined;
      continue;
    }
    if (line.startsWith(":")) {
      const [name, policy, counters] = line.slice(1).split(/\s+/);
      if (!name || policy === undefined) {
        p.err(`${prog}: line ${n} failed\n`);
        return 1;
      }
      const t = cur.table;
      const existing = t.chains.find((c) => c.name === name);
      if (isBuiltin(cur.name, name)) {
        if (policy !== "-" && existing) {
          if (policy !== "ACCEPT" && policy !== "DROP") return fail(paramError(`Can't set policy \`${policy}' on \`${name}' line ${n}: Bad policy name`), n);
          existing.policy = policy;
          existing.countersOn = true;
          const m = /^\[(\d+):(\d+)\]$/.exec(counters ?? "");
          if (m && o.counters) existing.counters = { packets: Number(m[1]), bytes: Number(m[2]) };
        }
      } else if (existing) existing.rules = [];
      else {
        if (name.length >= 29) return fail(paramError(`Invalid chain name \`${name}'`), n);
        t.chains.push({ name, rules: [], counters: { packets: 0, bytes: 0 } });
      }
      continue;
    }
    let words = splitRestoreLine(line);
    let counters: { packets: number; bytes: number } | undefined;
    const cm = /^\[(\d+):(\d+)\]$/.exec(words[0] ?? "");
    if (cm && o.counters) {
      counters = { packets: Number(cm[1]), bytes: Number(cm[2]) };
      words = words.slice(1);
    }
    const t = cur.table;
    const view = { nfTableGet: () => t, nfTableReplace: () => {} } as unknown as NetnsApi;
    try {
      const pc = parseCommand(words, { hosts, defaultTable: cur.name });
      pc.table = cur.name;
      // libxt_set asks the kernel for the set while it parses the line (get_set_byname).
      for (const r of pc.rules) {
        for (const m of r.matches) {
          if (m.kind !== "set") continue;
          setNames ??= new Set(ns.ipsetList().map((s) => s.name));
          if (!setNames.has(m.name)) throw paramError(`Set ${m.name} doesn't exist.\n`);
        }
      }
      if (counters) for (const r of pc.rules) r.counters = counters;
      runCommand(view, pc, { out: (s) => p.out(s), nameOf: (a) => a, deferJumpCheck: true });
    } catch (e) {
      if (e instanceof IptError) {
        if (e.kind === "plain") {
          p.err(`${prog}: line ${n} failed\n`);
          return 1;
        }
        return fail(e, n);
      }
      throw e;
    }
  }
  if (cur) {
    p.err(`${prog}: COMMIT expected at line ${lines.length + 1}\n`);
    return 1;
  }
  return 0;
}
