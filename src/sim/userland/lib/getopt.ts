/**
 * Argument parsing in the style of getopt(3) and busybox's getopt32: short options that may be
 * bundled (`-nv`), options with a value attached or separate (`-c3`, `-c 3`), long options
 * (`--count=3`, `--count 3`), `--` ending options, and GNU-style permutation (operands may
 * come before options) unless `posix` is set. Errors carry the exact text glibc prints.
 */

/** One option a program accepts. */
export interface OptSpec {
  /** Short letter, e.g. "c". */
  short?: string;
  /** Long name without dashes, e.g. "count". */
  long?: string;
  /** Takes a value. */
  arg?: boolean;
  /** Key the parsed value is stored under (defaults to long, then short). */
  key?: string;
}

/** Parsed options: each key maps to its values in order (flags get "" per occurrence). */
export interface ParsedOpts {
  opts: Map<string, string[]>;
  operands: string[];
}

/** A parse failure with glibc's message (`invalid option -- 'z'`, `option requires an argument -- 'c'`). */
export class GetoptError extends Error {}

/** Parses argv (without argv[0]). */
export function getopt(args: string[], specs: OptSpec[], opts: { posix?: boolean } = {}): ParsedOpts {
  const out: ParsedOpts = { opts: new Map(), operands: [] };
  const keyOf = (s: OptSpec): string => s.key ?? s.long ?? s.short!;
  const add = (s: OptSpec, v: string): void => {
    const k = keyOf(s);
    const list = out.opts.get(k) ?? [];
    list.push(v);
    out.opts.set(k, list);
  };
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === "--") {
      out.operands.push(...args.slice(i + 1));
      break;
    }
    if (a.startsWith("--")) {
      const eq = a.indexOf("=");
      const name = a.slice(2, eq < 0 ? undefined : eq);
      const matches = specs.filter((s) => s.long && s.long.startsWith(name));
      const exact = specs.find((s) => s.long === name);
      const spec = exact ?? (matches.length === 1 ? matches[0] : undefined);
      if (!spec) {
        if (matches.length > 1) throw new GetoptError(`option '${a}' is ambiguous`);
        throw new GetoptError(`unrecognized option '${a}'`);
      }
      if (spec.arg) {
        if (eq >= 0) add(spec, a.slice(eq + 1));
        else if (i + 1 < args.length) add(spec, args[++i]!);
        else throw new GetoptError(`option '--${spec.long}' requires an argument`);
      } else {
        if (eq >= 0) throw new GetoptError(`option '--${spec.long}' doesn't allow an argument`);
        add(spec, "");
      }
      continue;
    }
    if (a.startsWith("-") && a.length > 1) {
      for (let j = 1; j < a.length; j++) {
        const c = a[j]!;
        const spec = specs.find((s) => s.short === c);
        if (!spec) throw new GetoptError(`invalid option -- '${c}'`);
        if (spec.arg) {
          if (j + 1 < a.length) add(spec, a.slice(j + 1));
          else if (i + 1 < args.length) add(spec, args[++i]!);
          else throw new GetoptError(`option requires an argument -- '${c}'`);
          break;
        }
        add(spec, "");
      }
      continue;
    }
    if (opts.posix) {
      out.operands.push(...args.slice(i));
      break;
    }
    out.operands.push(a);
  }
  return out;
}
