/**
 * `sysctl` (procps-ng 4.0.2, as on the recording machine) over the namespace's sysctls:
 * `sysctl KEY...` prints `KEY = VALUE`; `KEY=VALUE` (with or without -w) writes and echoes;
 * -n values only, -q no echo on writes, -a everything. Keys may use `/` for `.`. Errors as
 * procps words them (`cannot stat /proc/sys/...`, `invalid syntax, continuing...`), exit 1.
 */
import { KernelError } from "../../kernel/api.js";
import { strerror } from "../lib/errno.js";
import type { ProgramSpec, Proc } from "../types.js";

const USAGE = "\nUsage:\n sysctl [options] [variable[=value] ...]\n\nOptions:\n  -a, --all            display all variables\n  -A                   alias of -a\n  -X                   alias of -a\n      --deprecated     include deprecated parameters to listing\n      --dry-run        Print the key and values but do not write\n  -b, --binary         print value without new line\n  -e, --ignore         ignore unknown variables errors\n  -N, --names          print variable names without values\n  -n, --values         print only values of the given variable(s)\n  -p, --load[=<file>]  read values from file\n  -f                   alias of -p\n      --system         read values from all system directories\n  -r, --pattern <expression>\n                       select setting that match expression\n  -q, --quiet          do not echo variable set\n  -w, --write          enable writing a value to variable\n  -o                   does nothing\n  -x                   does nothing\n  -d                   alias of -h\n\n -h, --help     display this help and exit\n -V, --version  output version information and exit\n\nFor more details see sysctl(8).\n";

const LONGS: Record<string, string> = {
  all: "a", binary: "b", ignore: "e", names: "N", values: "n", load: "p", pattern: "r", quiet: "q", write: "w", help: "h", version: "V",
};

function run(p: Proc): number {
  const flags = new Set<string>();
  const operands: string[] = [];
  const args = p.argv.slice(1);
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a.startsWith("--") && a.length > 2) {
      const name = a.slice(2).split("=")[0]!;
      const hit = Object.keys(LONGS).filter((l) => l.startsWith(name));
      if (hit.length !== 1) {
        p.err(`sysctl: unrecognized option '${a}'\nTry \`sysctl --help' for more information.\n`);
        return 1;
      }
      flags.add(LONGS[hit[0]!]!);
    } else if (a.startsWith("-") && a.length > 1) {
      for (const ch of a.slice(1)) {
        if (!"abeNnpfrqwhVdoxAX".includes(ch)) {
          p.err(`sysctl: invalid option -- '${ch}'\n${USAGE}`);
          return 1;
        }
        flags.add(ch === "A" || ch === "X" ? "a" : ch === "d" ? "h" : ch);
      }
    } else operands.push(a);
  }
  if (flags.has("h")) {
    p.out(USAGE);
    return 0;
  }
  if (flags.has("V")) {
    p.out("sysctl from procps-ng 4.0.2\n");
    return 0;
  }
  if (flags.has("p") || flags.has("r")) {
    p.err("lab: sysctl -p/-r: not available in the simulator\n");
    return 127;
  }
  const ns = p.ctx.netns;
  const valuesOnly = flags.has("n");
  const namesOnly = flags.has("N");
  const show = (k: string, v: string) => p.out(valuesOnly ? `${v}\n` : namesOnly ? `${k}\n` : `${k} = ${v}\n`);
  if (flags.has("a")) {
    for (const [k, v] of ns.sysctlList("")) show(k, v);
    return 0;
  }
  if (operands.length === 0) {
    if (p.argv.length === 1) p.err(USAGE);
    else p.err("sysctl: no variables specified\nTry `sysctl --help' for more information.\n");
    return 1;
  }
  let rc = 0;
  for (const op of operands) {
    const eq = op.indexOf("=");
    if (flags.has("w") && eq < 0) {
      p.err("sysctl: command line(0): invalid syntax, continuing...\n");
      rc = 1;
      continue;
    }
    const rawKey = (eq < 0 ? op : op.slice(0, eq)).trim();
    const key = rawKey.replace(/\//g, ".");
    const path = "/proc/sys/" + key.replace(/\./g, "/");
    try {
      if (eq >= 0) {
        const value = op.slice(eq + 1).trim();
        ns.sysctlSet(key, value);
        if (!flags.has("q")) show(key, ns.sysctlGet(key));
      } else {
        show(key, ns.sysctlGet(key));
      }
    } catch (e) {
      if (!(e instanceof KernelError)) throw e;
      if (e.errno === "ENOENT") {
        if (!flags.has("e")) p.err(`sysctl: cannot stat ${path}: No such file or directory\n`);
      } else if (eq >= 0) {
        p.err(`sysctl: setting key "${key}": ${strerror(e.errno)}\n`);
      } else {
        p.err(`sysctl: reading key "${key}": ${strerror(e.errno)}\n`);
      }
      if (!flags.has("e") || e.errno !== "ENOENT") rc = 1;
    }
  }
  return rc;
}

/** The procps `sysctl` program. */
export const sysctl: ProgramSpec = { name: "sysctl", summary: "read and write kernel parameters (procps-ng)", run };

/** Programs this folder provides. */
export const programs: ProgramSpec[] = [sysctl];
