/**
 * ipset (v7.17, protocol 7): create, add, del, test, destroy, list, save, restore, flush, rename,
 * swap, version, help, over the namespace's ipsets in the kernel (NetnsApi.ipset*). Messages,
 * streams and exit codes are the real tool's, captured in test/fixtures/ipset/: a kernel or
 * syntax refusal prints `ipset v7.17: MSG` (exit 1); a usage error adds `Try `ipset help'...`
 * (exit 2); `test` answers on stderr.
 */
import { KernelError, type IpsetCreateSpec, type IpsetInfo, type IpsetType, type NetnsApi } from "../../kernel/api.js";
import type { ProgramSpec, Proc } from "../types.js";
import { elementText, parseElement } from "./element.js";
import { listPlain, listSave } from "./print.js";
import { HELP } from "./help.js";

const VERSION = "ipset v7.17";
const TYPES: IpsetType[] = ["hash:ip", "hash:ip,port", "hash:ip,port,ip", "hash:ip,port,net", "hash:net", "bitmap:port"];

const COMMANDS: Record<string, string> = {
  create: "create", n: "create", "-N": "create", "-create": "create",
  add: "add", a: "add", "-A": "add", "-add": "add",
  del: "del", d: "del", "-D": "del", "-del": "del",
  test: "test", t: "test", "-T": "test", "-test": "test",
  destroy: "destroy", x: "destroy", "-X": "destroy", "-destroy": "destroy",
  list: "list", l: "list", "-L": "list", "-list": "list",
  save: "save", s: "save", "-S": "save", "-save": "save",
  restore: "restore", r: "restore", "-R": "restore", "-restore": "restore",
  flush: "flush", f: "flush", "-F": "flush", "-flush": "flush",
  rename: "rename", e: "rename", "-E": "rename", "-rename": "rename",
  swap: "swap", w: "swap", "-W": "swap", "-swap": "swap",
  help: "help", h: "help", "-h": "help", "-H": "help", "-help": "help", "--help": "help",
  version: "version", v: "version", "-v": "version", "-V": "version", "-version": "version",
};

/** A failure in ipset's words: `usage` ones carry the Try line and exit 2. */
class IpsetError extends Error {
  constructor(message: string, readonly usage = false) {
    super(message);
  }
}

interface Opts {
  exist: boolean;
  quiet: boolean;
  names: boolean;
  terse: boolean;
  sorted: boolean;
  output: "plain" | "save";
}

/** The kernel's refusal as libipset/errcode.c words it for `cmd`. */
function kernelText(e: KernelError, cmd: string): string {
  switch (e.detail) {
    case "IPSET_ERR_EXIST":
      return cmd === "del" ? "Element cannot be deleted from the set: it's not added" : "Element cannot be added to the set: it's already added";
    case "IPSET_ERR_BUSY":
      return "Set cannot be destroyed: it is in use by a kernel component";
    case "IPSET_ERR_REFERENCED":
      return "Set cannot be renamed: it is in use by a kernel component";
    case "IPSET_ERR_EXIST_SETNAME2":
      return cmd === "swap" ? "Sets cannot be swapped: the second set does not exist" : "Set cannot be renamed: a set with the new name already exists";
    case "IPSET_ERR_TYPE_MISMATCH":
      return "The sets cannot be swapped: their type does not match";
    case "IPSET_ERR_BITMAP_RANGE":
      return "Element is out of the range of the set";
    case "IPSET_ERR_HASH_FULL":
      return "Hash is full, cannot add more elements";
    case "IPSET_ERR_INVALID_CIDR":
      return "The value of the CIDR parameter of the IP address is invalid";
    case "IPSET_ERR_INVALID_FAMILY":
      return "Protocol family not supported by the set type";
  }
  if (e.errno === "ENOENT") return "The set with the given name does not exist";
  if (e.errno === "EEXIST" && cmd === "create") return "Set cannot be created: set with the same name already exists";
  return `Kernel error received: ${e.errno}`;
}

function num(s: string | undefined, what: string, max = 4294967295): number {
  if (s === undefined || !/^\d+$/.test(s)) throw new IpsetError(`Syntax error: cannot parse '${s ?? ""}' as a ${what}`);
  const n = Number(s);
  if (n > max) throw new IpsetError(`Syntax error: '${s}' is out of range 0-${max}`);
  return n;
}

/** `create NAME TYPE [options]`. */
function parseCreate(name: string, type: string, rest: string[]): IpsetCreateSpec {
  if (!(TYPES as string[]).includes(type)) throw new IpsetError(`Syntax error: typename '${type}' is unknown`);
  const spec: IpsetCreateSpec = { name, type: type as IpsetType };
  for (let i = 0; i < rest.length; i++) {
    const o = rest[i]!;
    const arg = () => {
      const v = rest[++i];
      if (v === undefined) throw new IpsetError(`Missing mandatory argument of option \`${o}'`, true);
      return v;
    };
    const hash = spec.type !== "bitmap:port";
    if (o === "family" && hash) {
      const f = arg();
      if (f === "inet") spec.family = "inet";
      else if (f === "inet6") throw new IpsetError("Protocol family not supported by the simulator: inet6");
      else throw new IpsetError(`Syntax error: unknown family ${f}`);
    } else if (o === "hashsize" && hash) spec.hashsize = num(arg(), "number");
    else if (o === "maxelem" && hash) spec.maxelem = num(arg(), "number");
    else if (o === "timeout") spec.timeout = num(arg(), "number", 2147483);
    else if (o === "counters") spec.counters = true;
    else if (o === "comment") spec.comment = true;
    else if (o === "range" && !hash) {
      const r = arg().replace(/^(tcp|udp):/, "");
      const m = /^(\d+)-(\d+)$/.exec(r) ?? /^(\d+)$/.exec(r);
      if (!m) throw new IpsetError(`Syntax error: cannot parse '${r}' as a port range`);
      spec.range = { from: num(m[1], "port", 65535), to: num(m[2] ?? m[1], "port", 65535) };
    } else throw new IpsetError(`Unknown argument: \`${o}'`, true);
  }
  if (spec.type === "bitmap:port" && !spec.range) throw new IpsetError("Mandatory option `range' is missing", true);
  return spec;
}

function setType(ns: NetnsApi, name: string): IpsetType {
  return ns.ipsetList(name)[0]!.type;
}

/** One command (from the command line or a restore line); returns the exit status. */
function runCommand(p: Proc, ns: NetnsApi, cmd: string, args: string[], o: Opts): number {
  const need = (n: number) => {
    if (args.length < n) throw new IpsetError(`Missing ${args.length === 0 ? "" : "second "}mandatory argument to command ${cmd}`, true);
  };
  try {
    switch (cmd) {
      case "create": {
        need(2);
        ns.ipsetCreate(parseCreate(args[0]!, args[1]!, args.slice(2)), { exist: o.exist });
        return 0;
      }
      case "add":
      case "del":
      case "test": {
        need(2);
        const [name, text, ...rest] = args as [string, string, ...string[]];
        const type = setType(ns, name);
        const elems = parseElement(type, text);
        let timeout: number | undefined;
        let comment: string | undefined;
        for (let i = 0; i < rest.length; i++) {
          if (rest[i] === "timeout" && cmd === "add") {
            if (rest[i + 1] === undefined) throw new IpsetError("Missing mandatory argument of option `timeout'", true);
            timeout = num(rest[++i], "number", 2147483);
          }
          else if (rest[i] === "comment" && cmd === "add") comment = rest.slice(i + 1).join(" ").replace(/^"(.*)"$/, "$1"), (i = rest.length);
          else throw new IpsetError(`Unknown argument: \`${rest[i]}'`, true);
        }
        if (cmd === "test") {
          const e = elems[0]!;
          const shown = elementText(type, { ...e, ...(e.proto === undefined && type !== "hash:ip" && type !== "hash:net" && type !== "bitmap:port" ? { proto: "tcp" } : {}) });
          const hit = (() => {
            try {
              return ns.ipsetTest(name, e);
            } catch (err) {
              if (err instanceof KernelError && err.detail === "IPSET_ERR_BITMAP_RANGE") return false;
              throw err;
            }
          })();
          if (hit) {
            if (!o.quiet) p.err(`Warning: ${shown} is in set ${name}.\n`);
            return 0;
          }
          if (!o.quiet) p.err(`${shown} is NOT in set ${name}.\n`);
          return 1;
        }
        for (const e of elems) {
          const entry = { ...e, ...(timeout !== undefined ? { timeout } : {}), ...(comment !== undefined ? { comment } : {}) };
          if (cmd === "add") ns.ipsetAdd(name, entry, { exist: o.exist });
          else ns.ipsetDel(name, entry, { exist: o.exist });
        }
        return 0;
      }
      case "destroy":
        ns.ipsetDestroy(args[0]);
        return 0;
      case "flush":
        ns.ipsetFlush(args[0]);
        return 0;
      case "rename":
      case "swap":
        need(2);
        if (cmd === "rename") ns.ipsetRename(args[0]!, args[1]!);
        else ns.ipsetSwap(args[0]!, args[1]!);
        return 0;
      case "list":
      case "save": {
        if (args.length > 1) throw new IpsetError(`Unknown argument ${args[1]}`, true);
        const sets: IpsetInfo[] = ns.ipsetList(args[0]);
        const save = cmd === "save" || o.output === "save";
        p.out(save ? listSave(sets, o.sorted) : listPlain(sets, { terse: o.terse, names: o.names, sorted: o.sorted }));
        return 0;
      }
      case "version":
        p.out(`${VERSION}, protocol version: 7\n`);
        return 0;
      case "help":
        p.out(HELP);
        return 0;
    }
    throw new IpsetError(`No command specified: unknown argument ${cmd}`, true);
  } catch (e) {
    if (e instanceof KernelError) throw new IpsetError(kernelText(e, cmd));
    if (e instanceof IpsetError) throw e;
    if (e instanceof Error) throw new IpsetError(e.message);
    throw e;
  }
}

/** Splits the global options (`-exist`, `-q`, `-n`, `-t`, `-s`, `-o MODE`) from the words. */
function splitOptions(argv: string[]): { opts: Opts; words: string[] } {
  const opts: Opts = { exist: false, quiet: false, names: false, terse: false, sorted: false, output: "plain" };
  const words: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === "-!" || a === "-exist") opts.exist = true;
    else if (a === "-q" || a === "-quiet") opts.quiet = true;
    else if (a === "-n" || a === "-name") opts.names = true;
    else if (a === "-t" || a === "-terse") opts.terse = true;
    else if (a === "-s" || a === "-sorted") opts.sorted = true;
    else if (a === "-r" || a === "-resolve") continue;
    else if (a === "-o" || a === "-output") {
      const m = argv[++i];
      if (m !== "plain" && m !== "save") throw new IpsetError(`Syntax error: unknown output mode '${m ?? ""}'`);
      opts.output = m;
    } else words.push(a);
  }
  return { opts, words };
}

/** `ipset restore`: one command per line of stdin; the first failure names its line. */
function restore(p: Proc, ns: NetnsApi, o: Opts): number {
  const lines = p.stdin.split("\n");
  for (const [i, line] of lines.entries()) {
    const t = line.trim();
    if (t === "" || t.startsWith("#") || t === "COMMIT") continue;
    const { opts, words } = splitOptions(t.split(/\s+/));
    const cmd = COMMANDS[words[0]!];
    if (!cmd || cmd === "restore" || cmd === "help" || cmd === "version") throw new IpsetError(`No command specified: unknown argument ${words[0]}`, true);
    try {
      runCommand(p, ns, cmd, words.slice(1), { ...o, exist: o.exist || opts.exist });
    } catch (e) {
      if (e instanceof IpsetError && !e.usage) throw new IpsetError(`Error in line ${i + 1}: ${e.message}`);
      throw e;
    }
  }
  return 0;
}

async function ipset(p: Proc): Promise<number> {
  const ns = p.ctx.netns;
  try {
    const { opts, words } = splitOptions(p.argv.slice(1));
    if (words.length === 0) {
      if (p.argv.some((a) => a === "-v" || a === "-V" || a === "-version")) return runCommand(p, ns, "version", [], opts);
      throw new IpsetError("No command specified.", true);
    }
    const cmd = COMMANDS[words[0]!];
    if (!cmd) throw new IpsetError(`No command specified: unknown argument ${words[0]}`, true);
    if (cmd === "restore") return restore(p, ns, opts);
    return runCommand(p, ns, cmd, words.slice(1), opts);
  } catch (e) {
    if (!(e instanceof IpsetError)) throw e;
    p.err(`${VERSION}: ${e.message}\n${e.usage ? "Try `ipset help' for more information.\n" : ""}`);
    return e.usage ? 2 : 1;
  }
}

/** The programs this module registers. */
export const programs: ProgramSpec[] = [{ name: "ipset", summary: "administration tool for IP sets", run: ipset }];
