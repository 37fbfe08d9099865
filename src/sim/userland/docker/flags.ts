/**
 * The docker CLI's flag parsing (spf13/pflag as docker/cli 20.10 configures it): long flags
 * `--name x` / `--name=x`, short flags combinable (`-dit`, `-p80:80`), repeatable list flags,
 * and for `run`/`exec` no interspersed flags (the first positional ends the options, so the
 * container's command keeps its own). Errors carry pflag's texts; the caller appends
 * `See 'docker CMD --help'.` and exits 125, as the CLI does for a flag error.
 */

export interface FlagSpec {
  /** Long name without dashes. */
  name: string;
  short?: string;
  /** "bool" takes no value; "string" one; "list" repeats. */
  type: "bool" | "string" | "list";
}

export interface Parsed {
  bools: Set<string>;
  strings: Map<string, string>;
  lists: Map<string, string[]>;
  args: string[];
}

/** A flag error, worded as pflag words it. */
export class FlagError extends Error {}

/** Parses `argv` (after the subcommand) against `specs`. */
export function parseFlags(argv: string[], specs: FlagSpec[], opts: { interspersed: boolean }): Parsed {
  const out: Parsed = { bools: new Set(), strings: new Map(), lists: new Map(), args: [] };
  const byLong = new Map(specs.map((s) => [s.name, s]));
  const byShort = new Map(specs.filter((s) => s.short).map((s) => [s.short!, s]));
  const set = (s: FlagSpec, v: string | undefined) => {
    if (s.type === "bool") {
      if (v === undefined || v === "true") out.bools.add(s.name);
      else if (v === "false") out.bools.delete(s.name);
      else throw new FlagError(`invalid argument "${v}" for "${s.short ? `-${s.short}, ` : ""}--${s.name}" flag: strconv.ParseBool: parsing "${v}": invalid syntax`);
    } else if (s.type === "string") out.strings.set(s.name, v!);
    else out.lists.set(s.name, [...(out.lists.get(s.name) ?? []), v!]);
  };
  let i = 0;
  for (; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === "--") {
      i++;
      break;
    }
    if (a.startsWith("--")) {
      const eq = a.indexOf("=");
      const name = eq < 0 ? a.slice(2) : a.slice(2, eq);
      const s = byLong.get(name);
      if (!s) throw new FlagError(`unknown flag: --${name}`);
      if (s.type === "bool") set(s, eq < 0 ? undefined : a.slice(eq + 1));
      else if (eq >= 0) set(s, a.slice(eq + 1));
      else {
        if (i + 1 >= argv.length) throw new FlagError(`flag needs an argument: --${name}`);
        set(s, argv[++i]);
      }
      continue;
    }
    if (a.startsWith("-") && a.length > 1) {
      for (let j = 1; j < a.length; j++) {
        const c = a[j]!;
        const s = byShort.get(c);
        if (!s) throw new FlagError(`unknown shorthand flag: '${c}' in ${a}`);
        if (s.type === "bool") {
          set(s, undefined);
          continue;
        }
        const rest = a.slice(j + 1);
        if (rest !== "") set(s, rest.startsWith("=") ? rest.slice(1) : rest);
        else {
          if (i + 1 >= argv.length) throw new FlagError(`flag needs an argument: '${c}' in -${c}`);
          set(s, argv[++i]);
        }
        break;
      }
      continue;
    }
    out.args.push(a);
    if (!opts.interspersed) {
      i++;
      break;
    }
  }
  out.args.push(...argv.slice(i));
  return out;
}
