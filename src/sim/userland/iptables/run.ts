/**
 * Executes one parsed iptables command against the namespace's tables, through the kernel API
 * only (nfTableGet / nfTableReplace), the way iptables-nft reads the ruleset, edits it and
 * commits a batch. Kernel refusals come back as KernelError and are printed as the nft backend
 * does (`RULE_APPEND failed (Invalid argument): rule in chain INPUT`, exit 4).
 */
import { KernelError, type NetnsApi, type NfChain, type NfRule, type NfTable, type NfTableName } from "../../kernel/api.js";
import { IptError, paramError, plainError, STRERROR } from "./errors.js";
import { listHeader, listRule, saveRule, type ListFormat } from "./format.js";
import type { ParsedCommand } from "./parse.js";

export const TABLES: NfTableName[] = ["filter", "nat", "mangle", "raw"];
const BUILTIN: Record<NfTableName, string[]> = {
  filter: ["INPUT", "FORWARD", "OUTPUT"],
  nat: ["PREROUTING", "INPUT", "OUTPUT", "POSTROUTING"],
  mangle: ["PREROUTING", "INPUT", "FORWARD", "OUTPUT", "POSTROUTING"],
  raw: ["PREROUTING", "OUTPUT"],
};
/** Names xtables_find_target knows: a new chain may not take one (assert_valid_chain_name). */
const TARGET_NAMES = ["ACCEPT", "DROP", "RETURN", "QUEUE", "REJECT", "DNAT", "SNAT", "MASQUERADE", "REDIRECT", "MARK", "LOG", "TRACE", "NOTRACK", "CT", "CONNMARK"];

/** Chains where -i / -o make no sense (xshared.c: "Can't use -i with OUTPUT"). */
const NO_IN = ["OUTPUT", "POSTROUTING"];
const NO_OUT = ["INPUT", "PREROUTING"];

/** Validates a table name; iptables exits 3 for an unknown one. */
export function checkTable(name: string): NfTableName {
  if ((TABLES as string[]).includes(name)) return name as NfTableName;
  throw new IptError("version", `table '${name}' does not exist\nPerhaps iptables or your kernel needs to be upgraded.`, 3);
}

/** True for the built-in chains of a table. */
export function isBuiltin(table: NfTableName, chain: string): boolean {
  return BUILTIN[table].includes(chain);
}

/** How many rules in the table jump or go to `chain`. */
export function references(t: NfTable, chain: string): number {
  let n = 0;
  for (const c of t.chains) for (const r of c.rules) if ((r.target?.kind === "jump" || r.target?.kind === "goto") && r.target.chain === chain) n++;
  return n;
}

/** Chains in listing order: built-ins in hook order, then user chains sorted by strcmp. */
export function orderedChains(t: NfTable): NfChain[] {
  const b = BUILTIN[t.name].map((n) => t.chains.find((c) => c.name === n)).filter((c): c is NfChain => !!c);
  const u = t.chains.filter((c) => !isBuiltin(t.name, c.name)).sort((x, y) => (x.name < y.name ? -1 : x.name > y.name ? 1 : 0));
  return [...b, ...u];
}

function sameRule(a: NfRule, b: NfRule): boolean {
  const strip = (r: NfRule) => JSON.stringify({ ...r, counters: undefined });
  return strip(a) === strip(b);
}

/** The nft backend's error for a refused commit: `OP failed (strerror): rule in chain X`. */
export function kernelFailure(e: unknown, op: string, what: string): IptError {
  if (e instanceof KernelError) {
    // libxt_set asks the kernel for the set while parsing; the simulator's kernel answers at commit.
    if (e.errno === "ENOENT" && e.detail?.startsWith("Set ")) return paramError(`${e.detail}.\n`);
    return new IptError("version", ` ${op} failed (${STRERROR[e.errno] ?? e.errno}): ${what}`, 4);
  }
  throw e;
}

export interface RunIo {
  out(s: string): void;
  nameOf(addr: string): string;
  /** iptables-restore checks jump targets at COMMIT, not per line. */
  deferJumpCheck?: boolean;
}

/** Runs a parsed command; returns the exit status or throws IptError. */
export function runCommand(ns: NetnsApi, pc: ParsedCommand, io: RunIo): number {
  const tableName = checkTable(pc.table);
  const table = ns.nfTableGet(tableName);
  const chainOf = (name: string | undefined) => table.chains.find((c) => c.name === name);
  const commit = (op: string, what: string) => {
    try {
      ns.nfTableReplace(tableName, table);
    } catch (e) {
      throw kernelFailure(e, op, what);
    }
  };
  const fmt: ListFormat = { numeric: pc.numeric, verbose: pc.verbose, exact: pc.exact, lineNumbers: pc.lineNumbers, nameOf: io.nameOf };

  // Checks xtables does while parsing a rule: jump targets exist, -i/-o fit the chain.
  if (["A", "C", "D", "I", "R"].includes(pc.cmd) && pc.rules.length) {
    if (pc.jumpChain !== undefined && !io.deferJumpCheck && !chainOf(pc.jumpChain)) throw paramError(`Chain '${pc.jumpChain}' does not exist`);
    const r = pc.rules[0]!;
    if (r.inIface && NO_IN.includes(pc.chain!)) throw paramError(`Can't use -i with ${pc.chain}\n`);
    if (r.outIface && NO_OUT.includes(pc.chain!)) throw paramError(`Can't use -o with ${pc.chain}\n`);
  }

  switch (pc.cmd) {
    case "A":
    case "I": {
      const c = chainOf(pc.chain);
      if (!c) throw plainError("No chain/target/match by that name.");
      if (pc.cmd === "A") c.rules.push(...pc.rules);
      else {
        const at = (pc.rulenum ?? 1) - 1;
        if (at > c.rules.length) throw plainError("Index of insertion too big.");
        c.rules.splice(at, 0, ...pc.rules);
      }
      commit(pc.cmd === "A" ? "RULE_APPEND" : "RULE_INSERT", `rule in chain ${pc.chain}`);
      return 0;
    }
    case "C":
    case "D": {
      const c = chainOf(pc.chain);
      if (!c) throw plainError(pc.cmd === "C" ? "Bad rule (does a matching rule exist in that chain?)." : "No chain/target/match by that name.");
      if (pc.rulenum !== undefined && pc.cmd === "D") {
        if (pc.rulenum > c.rules.length) throw plainError("Index of deletion too big.");
        c.rules.splice(pc.rulenum - 1, 1);
      } else {
        for (const r of pc.rules) {
          const i = c.rules.findIndex((x) => sameRule(x, r));
          if (i < 0) throw plainError("Bad rule (does a matching rule exist in that chain?).");
          if (pc.cmd === "D") c.rules.splice(i, 1);
        }
        if (pc.cmd === "C") return 0;
      }
      commit("RULE_DELETE", `rule in chain ${pc.chain}`);
      return 0;
    }
    case "R": {
      const c = chainOf(pc.chain);
      if (!c) throw plainError("No chain/target/match by that name.");
      if (pc.rulenum! > c.rules.length) throw plainError("Index of replacement too big.");
      c.rules.splice(pc.rulenum! - 1, 1, pc.rules[0]!);
      commit("RULE_REPLACE", `rule in chain ${pc.chain}`);
      return 0;
    }
    case "L":
    case "S": {
      let chains = orderedChains(table);
      if (pc.chain !== undefined) {
        const c = chainOf(pc.chain);
        if (!c) {
          throw new IptError("version", `chain \`${pc.chain}' in table \`${tableName}' is incompatible, use 'nft' tool.`, 1);
        }
        chains = [c];
      }
      if (pc.cmd === "S") {
        let s = "";
        if (pc.rulenum !== undefined) {
          const c = chains[0]!;
          const r = c.rules[pc.rulenum - 1];
          if (r) s += saveLine(c.name, r, pc.verbose);
        } else {
          for (const c of chains) s += c.policy ? `-P ${c.name} ${c.policy}${pc.verbose ? ` -c ${c.counters.packets} ${c.counters.bytes}` : ""}\n` : `-N ${c.name}\n`;
          for (const c of chains) for (const r of c.rules) s += saveLine(c.name, r, pc.verbose);
        }
        io.out(s);
      } else {
        if (pc.rulenum !== undefined) {
          const c = chains[0]!;
          const r = c.rules[pc.rulenum - 1];
          if (r) io.out(listRule(r, pc.rulenum, fmt) + "\n");
        } else {
          io.out(chains.map((c) => listHeader(c, references(table, c.name), fmt) + c.rules.map((r, i) => listRule(r, i + 1, fmt) + "\n").join("")).join("\n"));
        }
        if (pc.zeroToo) zero(table, pc.chain);
        if (pc.zeroToo && !table.absent) commit("CHAIN_ZERO", `chain ${pc.chain ?? ""}`);
      }
      return 0;
    }
    case "F": {
      if (pc.chain !== undefined) {
        const c = chainOf(pc.chain);
        if (!c) throw plainError("No chain/target/match by that name.");
        c.rules = [];
      } else for (const c of table.chains) c.rules = [];
      if (table.absent) return 0;
      commit("RULE_FLUSH", `chain ${pc.chain ?? ""}`);
      return 0;
    }
    case "Z": {
      if (pc.chain !== undefined && !chainOf(pc.chain)) throw plainError("No chain/target/match by that name.");
      zero(table, pc.chain, pc.rulenum);
      if (table.absent) return 0;
      commit("CHAIN_ZERO", `chain ${pc.chain ?? ""}`);
      return 0;
    }
    case "N": {
      const name = pc.chain!;
      if (name.length >= 29) throw paramError(`chain name \`${name}' too long (must be under 29 chars)`);
      if (name.startsWith("-")) throw paramError("chain name not allowed to start with `-'");
      if (name === "" || TARGET_NAMES.includes(name)) throw paramError("chain name may not clash with target name");
      if (/\s/.test(name)) throw paramError(`Invalid chain name \`${name}'`);
      if (chainOf(name)) throw plainError("Chain already exists.");
      table.chains.push({ name, rules: [], counters: { packets: 0, bytes: 0 } });
      commit("CHAIN_ADD", `chain ${name}`);
      return 0;
    }
    case "X": {
      if (pc.chain === undefined) {
        const users = table.chains.filter((c) => !c.policy);
        if (!users.length) return 0;
        const busy = users.find((c) => c.rules.length > 0 || references(table, c.name) > 0);
        if (busy) throw kernelFailure(new KernelError("EBUSY"), "CHAIN_DEL", `chain ${busy.name}`);
        table.chains = table.chains.filter((c) => c.policy);
        commit("CHAIN_DEL", "chain");
        return 0;
      }
      const c = chainOf(pc.chain);
      if (!c) throw plainError("No chain/target/match by that name.");
      if (c.policy || c.rules.length > 0 || references(table, c.name) > 0) throw kernelFailure(new KernelError("EBUSY"), "CHAIN_DEL", `chain ${c.name}`);
      table.chains = table.chains.filter((x) => x !== c);
      commit("CHAIN_DEL", `chain ${c.name}`);
      return 0;
    }
    case "P": {
      const c = chainOf(pc.chain);
      if (!c || !c.policy) throw plainError("Bad built-in chain name.");
      if (pc.policy !== "ACCEPT" && pc.policy !== "DROP") throw plainError("Bad policy name. Run `dmesg' for more information.");
      c.policy = pc.policy;
      c.countersOn = true;
      commit("CHAIN_UPDATE", `chain ${c.name}`);
      return 0;
    }
    case "E": {
      const c = chainOf(pc.chain);
      if (!c) throw plainError("No chain/target/match by that name.");
      const to = pc.newName!;
      if (to.length >= 29) throw paramError(`chain name \`${to}' too long (must be under 29 chars)`);
      if (chainOf(to)) throw plainError("File exists.");
      if (c.policy) throw plainError("Invalid argument.");
      for (const ch of table.chains) {
        for (const r of ch.rules) if ((r.target?.kind === "jump" || r.target?.kind === "goto") && r.target.chain === c.name) r.target.chain = to;
      }
      c.name = to;
      commit("CHAIN_RENAME", `chain ${to}`);
      return 0;
    }
    default:
      return 0;
  }
}

function saveLine(chain: string, r: NfRule, counters: boolean): string {
  return `${saveRule(chain, r, counters)}\n`;
}

function zero(t: NfTable, chain?: string, rulenum?: number): void {
  for (const c of t.chains) {
    if (chain !== undefined && c.name !== chain) continue;
    if (rulenum === undefined) {
      c.counters = { packets: 0, bytes: 0 };
      // nft_chain_zero_counters gives a base chain counters from now on.
      if (c.policy) c.countersOn = true;
    }
    c.rules.forEach((r, i) => {
      if (rulenum === undefined || i === rulenum - 1) r.counters = { packets: 0, bytes: 0 };
    });
  }
}
