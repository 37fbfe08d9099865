/**
 * The iptables programs as Debian's alternatives expose them: `iptables`, `iptables-save`,
 * `iptables-restore` (nf_tables, v1.8.9) and their `-nft` / `-legacy` names. They reach the
 * kernel only through the namespace's nfTableGet / nfTableReplace.
 */
import type { ProgramSpec, Proc } from "../types.js";
import { formatError, IptError } from "./errors.js";
import { addressNamer } from "./names.js";
import { parseCommand } from "./parse.js";
import { iptablesRestore } from "./restore.js";
import { runCommand } from "./run.js";
import { iptablesSave } from "./save.js";

const NFT = "v1.8.9 (nf_tables)";
const LEGACY = "v1.8.9 (legacy)";

/** `iptables -h` of iptables 1.8.9 (xshared.c print_help), as recorded on the reference machine. */
const HELP = `iptables v1.8.9 (nf_tables)

Usage: iptables -[ACD] chain rule-specification [options]
       iptables -I chain [rulenum] rule-specification [options]
       iptables -R chain rulenum rule-specification [options]
       iptables -D chain rulenum [options]
       iptables -[LS] [chain [rulenum]] [options]
       iptables -[FZ] [chain] [options]
       iptables -[NX] chain
       iptables -E old-chain-name new-chain-name
       iptables -P chain target [options]
       iptables -h (print this help information)

Commands:
Either long or short options are allowed.
  --append  -A chain		Append to chain
  --check   -C chain		Check for the existence of a rule
  --delete  -D chain		Delete matching rule from chain
  --delete  -D chain rulenum
				Delete rule rulenum (1 = first) from chain
  --insert  -I chain [rulenum]
				Insert in chain as rulenum (default 1=first)
  --replace -R chain rulenum
				Replace rule rulenum (1 = first) in chain
  --list    -L [chain [rulenum]]
				List the rules in a chain or all chains
  --list-rules -S [chain [rulenum]]
				Print the rules in a chain or all chains
  --flush   -F [chain]		Delete all rules in  chain or all chains
  --zero    -Z [chain [rulenum]]
				Zero counters in chain or all chains
  --new     -N chain		Create a new user-defined chain
  --delete-chain
            -X [chain]		Delete a user-defined chain
  --policy  -P chain target
				Change policy on chain to target
  --rename-chain
            -E old-chain new-chain
				Change chain name, (moving any references)

Options:
    --ipv4	-4		Nothing (line is ignored by ip6tables-restore)
    --ipv6	-6		Error (line is ignored by iptables-restore)
[!] --protocol	-p proto	protocol: by number or name, eg. \`tcp'
[!] --source	-s address[/mask][...]
				source specification
[!] --destination -d address[/mask][...]
				destination specification
[!] --in-interface -i input name[+]
				network interface name ([+] for wildcard)
 --jump	-j target
				target for rule (may load target extension)
  --goto      -g chain
			       jump to chain with no return
  --match	-m match
				extended match (may load extension)
  --numeric	-n		numeric output of addresses and ports
[!] --out-interface -o output name[+]
				network interface name ([+] for wildcard)
  --table	-t table	table to manipulate (default: \`filter')
  --verbose	-v		verbose mode
  --wait	-w [seconds]	maximum wait to acquire xtables lock before give up
  --line-numbers		print line numbers when listing
  --exact	-x		expand numbers (display exact values)
[!] --fragment	-f		match second or further fragments only
  --modprobe=<command>		try to insert modules using this command
  --set-counters -c PKTS BYTES	set the counter during insert/append
[!] --version	-V		print package version.
`;

/** Name resolution for `-s host`: /etc/hosts of the program's file system, read on the first name to resolve. */
function hostsOf(p: Proc): (name: string) => string | undefined {
  let map: Map<string, string> | undefined;
  return (n) => (map ??= readHosts(p)).get(n);
}

function readHosts(p: Proc): Map<string, string> {
  const text = p.ctx.fs.readFile("/etc/hosts") ?? "127.0.0.1\tlocalhost\n";
  const map = new Map<string, string>();
  for (const raw of text.split("\n")) {
    const f = raw.replace(/#.*/, "").trim().split(/\s+/);
    if (f.length < 2) continue;
    for (const n of f.slice(1)) if (!map.has(n) && /^\d+\.\d+\.\d+\.\d+$/.test(f[0]!)) map.set(n, f[0]!);
  }
  return map;
}

/** Runs `iptables ARGS` with the given version banner. */
export function iptables(p: Proc, version: string): number {
  const prog = "iptables";
  try {
    const pc = parseCommand(p.argv.slice(1), { hosts: hostsOf(p) });
    for (const w of pc.warnings ?? []) p.err(w);
    if (pc.cmd === "h") {
      p.out(HELP.replace("iptables v1.8.9 (nf_tables)", `iptables ${version}`));
      return 0;
    }
    if (pc.cmd === "V") {
      p.out(`${prog} ${version}\n`);
      return 0;
    }
    return runCommand(p.ctx.netns, pc, { out: (s) => p.out(s), nameOf: addressNamer(p.ctx.fs) });
  } catch (e) {
    if (e instanceof IptError) {
      p.err(formatError(e, prog, version));
      return e.exit;
    }
    throw e;
  }
}

/**
 * The command an `iptables` command line runs, as data: what iptables() reads of its argv is
 * the parsed command alone (runCommand gets nothing else of it), so two spellings that parse
 * alike run alike (`-s NET ! -o docker0` and `! --out-interface docker0 --source NET`). Undefined
 * where parsing fails (the error quotes the text) or needs the machine (a host name in -s/-d
 * resolved through /etc/hosts). Used by sim/keys.ts.
 */
export function iptablesCommandKey(argv: readonly string[]): unknown {
  let needsHosts = false;
  try {
    const pc = parseCommand(argv.slice(1), {
      hosts: () => {
        needsHosts = true;
        return undefined;
      },
    });
    return needsHosts ? undefined : pc;
  } catch {
    return undefined;
  }
}

function spec(name: string, summary: string, run: (p: Proc) => number): ProgramSpec {
  return { name, summary, run };
}

/** The programs this module registers. */
export const programs: ProgramSpec[] = [
  spec("iptables", "administration tool for IPv4 packet filtering and NAT (nf_tables)", (p) => iptables(p, NFT)),
  spec("iptables-nft", "iptables, nf_tables variant", (p) => iptables(p, NFT)),
  spec("iptables-legacy", "iptables, legacy variant (shares the simulated tables)", (p) => iptables(p, LEGACY)),
  spec("iptables-save", "dump iptables rules", (p) => iptablesSave(p, "iptables-save", NFT)),
  spec("iptables-nft-save", "dump iptables rules (nf_tables)", (p) => iptablesSave(p, "iptables-nft-save", NFT)),
  spec("iptables-legacy-save", "dump iptables rules (legacy)", (p) => iptablesSave(p, "iptables-save", LEGACY)),
  spec("iptables-restore", "restore iptables rules", (p) => iptablesRestore(p, "iptables-restore", NFT, hostsOf(p))),
  spec("iptables-nft-restore", "restore iptables rules (nf_tables)", (p) => iptablesRestore(p, "iptables-restore", NFT, hostsOf(p))),
  spec("iptables-legacy-restore", "restore iptables rules (legacy)", (p) => iptablesRestore(p, "iptables-restore", LEGACY, hostsOf(p))),
];
