/**
 * Builtins that read and write variables, positional parameters and options: export, unset,
 * set, shift and let. Messages are bash's (`bash: export: `1x': not a valid identifier`).
 */
import { parse } from "just-bash";
import type { Interpreter } from "./interpreter.js";
import { arith, ExpansionError } from "./expand.js";
import { subscriptIndex, subscriptKey } from "./expand.js";
import { isAssocName, subscripted, unsetArray, unsetElement } from "./arrays.js";
import { declareLine } from "./declare.js";
import { isName, out, type Builtin } from "./builtins-base.js";

function setQuote(v: string): string {
  return /^[A-Za-z0-9_@%+=:,./-]*$/.test(v) && v !== "" ? v : `'${v.replace(/'/g, `'\\''`)}'`;
}

/** export [-n] [-p] [NAME[=VALUE] ...]: marks names exported (or not); no names lists them as `declare -x`. */
export const exportB: Builtin = (sh, argv) => {
  let args = argv.slice(1);
  let unexport = false;
  while (args[0]?.startsWith("-") && args[0] !== "-") {
    if (args[0] === "-n") unexport = true;
    else if (args[0] === "--") {
      args = args.slice(1);
      break;
    } else if (args[0] !== "-p") {
      sh.error(`export: ${args[0]}: invalid option\nexport: usage: export [-fn] [name[=value] ...] or export -p\n`);
      return 2;
    }
    args = args.slice(1);
  }
  if (args.length === 0) {
    for (const k of [...sh.state.exported].sort()) out(sh, `${declareLine(sh.state, k) ?? `declare -x ${k}`}\n`);
    return 0;
  }
  let status = 0;
  for (const a of args) {
    const eq = a.indexOf("=");
    const name = eq < 0 ? a : a.slice(0, eq);
    if (!isName(name)) {
      sh.error(`export: \`${a}': not a valid identifier\n`);
      status = 1;
      continue;
    }
    if (eq >= 0) sh.state.vars.set(name, a.slice(eq + 1));
    if (unexport) sh.state.exported.delete(name);
    else sh.state.exported.add(name);
  }
  return status;
};

/** unset [-f|-v] NAME...: removes variables, array elements (`a[i]`, `m[key]`) or functions. */
export const unset: Builtin = async (sh, argv) => {
  let fn = false;
  for (const a of argv.slice(1)) {
    const el = subscripted(a);
    if (a === "-f") fn = true;
    else if (a === "-v") fn = false;
    else if (fn) sh.state.functions.delete(a);
    else if (el && isAssocName(sh.state, el.name)) {
      try {
        sh.state.assoc.get(el.name)!.delete(await subscriptKey(sh, el.sub));
      } catch (e) {
        if (!(e instanceof ExpansionError)) throw e;
        sh.error(`unset: ${e.message}\n`);
        return 1;
      }
    } else if (el) {
      try {
        unsetElement(sh.state, el.name, await subscriptIndex(sh, el.sub));
      } catch (e) {
        if (!(e instanceof ExpansionError)) throw e;
        sh.error(`unset: ${e.message}\n`);
        return 1;
      }
    } else if (!isName(a)) {
      sh.error(`unset: \`${a}': not a valid identifier\n`);
      return 1;
    } else {
      sh.state.vars.delete(a);
      unsetArray(sh.state, a);
      sh.state.exported.delete(a);
      if (!sh.state.vars.has(a)) sh.state.functions.delete(a);
    }
  }
  return 0;
};

const OPTION_LETTERS: Record<string, keyof Interpreter["state"]["options"]> = { e: "errexit", u: "nounset", x: "xtrace", f: "noglob", a: "allexport" };

/** set: lists variables, sets -e/-u/-x/-f/-a and -o NAME options, or replaces the positional parameters. */
export const set: Builtin = (sh, argv) => {
  const args = argv.slice(1);
  if (args.length === 0) {
    for (const k of [...sh.state.vars.keys()].sort()) out(sh, `${k}=${setQuote(sh.state.vars.get(k)!)}\n`);
    return 0;
  }
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === "--") {
      sh.state.positional = args.slice(i + 1);
      return 0;
    }
    if ((a === "-o" || a === "+o") && i + 1 < args.length) {
      const name = args[++i]!;
      const known = ["errexit", "nounset", "xtrace", "pipefail", "noglob", "allexport"];
      if (!known.includes(name)) {
        sh.error(`set: ${name}: invalid option name\n`);
        return 1;
      }
      sh.state.options[name as keyof typeof sh.state.options] = a === "-o";
      continue;
    }
    if (/^[-+][a-zA-Z]+$/.test(a)) {
      for (const c of a.slice(1)) {
        const opt = OPTION_LETTERS[c];
        if (!opt) {
          sh.error(`set: ${a[0]}${c}: invalid option\nset: usage: set [-abefhkmnptuvxBCEHPT] [-o option-name] [--] [-] [arg ...]\n`);
          return 2;
        }
        sh.state.options[opt] = a[0] === "-";
      }
      continue;
    }
    sh.state.positional = args.slice(i);
    return 0;
  }
  return 0;
};

/** shift [N]: drops the first N positional parameters (status 1 if there are fewer). */
export const shift: Builtin = (sh, argv) => {
  const n = argv[1] === undefined ? 1 : Number(argv[1]);
  if (!Number.isInteger(n) || n < 0) {
    sh.error(`shift: ${argv[1]}: numeric argument required\n`);
    return 1;
  }
  if (n > sh.state.positional.length) return 1;
  sh.state.positional = sh.state.positional.slice(n);
  return 0;
};

/** let EXPR...: evaluates each arithmetic expression; status 0 if the last is non-zero. */
export const letB: Builtin = async (sh, argv) => {
  let v = 0;
  for (const a of argv.slice(1)) {
    const script = parse(`(( ${a} ))`);
    const cmd = script.statements[0]?.pipelines[0]?.commands[0];
    if (cmd?.type !== "ArithmeticCommand") return 1;
    v = await arith(sh, cmd.expression, "let");
  }
  return v !== 0 ? 0 : 1;
};
