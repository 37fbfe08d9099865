/**
 * kubectl's flag parsing (spf13/pflag as cobra drives it): flags may come anywhere among the
 * arguments, `--name=value`, `--name value`, `-n value`, `-nvalue`, bundled booleans (`-it`),
 * `--` ends flags. Errors carry pflag's text; kubectl appends "See 'kubectl CMD --help' for usage."
 * (kubectl/pkg/util/templates FlagErrorFunc).
 */

export interface FlagSpec {
  long: string;
  short?: string;
  /** Boolean flags take no value (`--all`, `-i`). */
  bool?: boolean;
}

export interface ParsedFlags {
  values: Map<string, string[]>;
  args: string[];
  /** Arguments after `--` (kubectl exec's command). */
  dashArgs?: string[];
}

/** A pflag error, e.g. `flag needs an argument: 'f' in -f`. */
export class FlagError extends Error {}

/** Parses `argv` against `specs` (global flags included by the caller). */
export function parseFlags(argv: string[], specs: FlagSpec[]): ParsedFlags {
  const values = new Map<string, string[]>();
  const args: string[] = [];
  const add = (k: string, v: string) => values.set(k, [...(values.get(k) ?? []), v]);
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === "--") return { values, args, dashArgs: argv.slice(i + 1) };
    if (a.startsWith("--") && a.length > 2) {
      const eq = a.indexOf("=");
      const name = a.slice(2, eq < 0 ? undefined : eq);
      const spec = specs.find((s) => s.long === name);
      if (!spec) throw new FlagError(`unknown flag: --${name}`);
      if (spec.bool) add(spec.long, eq < 0 ? "true" : a.slice(eq + 1));
      else if (eq >= 0) add(spec.long, a.slice(eq + 1));
      else if (i + 1 < argv.length) add(spec.long, argv[++i]!);
      else throw new FlagError(`flag needs an argument: --${name}`);
      continue;
    }
    if (a.startsWith("-") && a.length > 1) {
      for (let j = 1; j < a.length; j++) {
        const c = a[j]!;
        const spec = specs.find((s) => s.short === c);
        if (!spec) throw new FlagError(`unknown shorthand flag: '${c}' in ${a}`);
        if (spec.bool) {
          add(spec.long, "true");
          continue;
        }
        let v = a.slice(j + 1);
        if (v.startsWith("=")) v = v.slice(1);
        if (v === "") {
          if (i + 1 >= argv.length) throw new FlagError(`flag needs an argument: '${c}' in -${c}`);
          v = argv[++i]!;
        }
        add(spec.long, v);
        break;
      }
      continue;
    }
    args.push(a);
  }
  return { values, args };
}

/** The last value of a flag. */
export function flag(p: ParsedFlags, name: string): string | undefined {
  const v = p.values.get(name);
  return v?.[v.length - 1];
}

/** Every value of a repeatable flag. */
export function flags(p: ParsedFlags, name: string): string[] {
  return p.values.get(name) ?? [];
}

/** Global flags every kubectl command accepts. */
export const GLOBAL: FlagSpec[] = [
  { long: "namespace", short: "n" },
  { long: "context" },
  { long: "kubeconfig" },
  { long: "v", short: "v" },
  { long: "request-timeout" },
];
