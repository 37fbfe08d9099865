/**
 * util-linux 2.38 `nsenter`: run a program in the namespaces of another process
 * (`-t PID -n`: its network namespace, `-m`: its mount namespace, i.e. its root file system and
 * so the programs its image has, `-u`: its hostname) or of a namespace file
 * (`--net=/var/run/netns/NAME`, `--net=/proc/PID/ns/net`). Processes come from
 * WorldServices.processOf: pid 1 is the machine itself, a container's main process (`docker
 * inspect -f '{{.State.Pid}}' NAME`) is its container. ipc, pid, user, cgroup and time
 * namespaces are accepted and change nothing a simulated program can see. The texts are
 * util-linux's, recorded on this machine (test/fixtures/tools/nsenter.json).
 *
 *   nsenter -t 4000 -n iptables -t nat -S     host's iptables, container 4000's netns
 *   nsenter -t 4000 -m -u -n sh               a shell "inside" the container
 */
import { execChild } from "../lib/exec-child.js";
import type { ProcContext, ProgramSpec, Proc } from "../types.js";

/** Namespace kinds in util-linux's namespace_files order (the order it opens them, and reports errors). */
const KINDS = ["user", "cgroup", "ipc", "uts", "net", "pid", "mnt", "time"] as const;
type Kind = (typeof KINDS)[number];

const SHORT: Record<string, Kind> = { U: "user", C: "cgroup", i: "ipc", u: "uts", n: "net", p: "pid", m: "mnt", T: "time" };
const LONG: Record<string, Kind> = { user: "user", cgroup: "cgroup", ipc: "ipc", uts: "uts", net: "net", pid: "pid", mount: "mnt", time: "time" };

class Fail extends Error {
  constructor(readonly text: string, readonly code = 1) {
    super(text);
  }
}

interface Parsed {
  target?: number;
  all: boolean;
  /** Namespaces asked for, with the file given for it if any. */
  wanted: Map<Kind, string | undefined>;
  argv: string[];
}

function parse(args: string[]): Parsed {
  const out: Parsed = { all: false, wanted: new Map(), argv: [] };
  const pid = (v: string | undefined): number => {
    if (v === undefined) throw new Fail("nsenter: option requires an argument -- 't'\nTry 'nsenter --help' for more information.\n");
    if (!/^\d+$/.test(v)) throw new Fail(`nsenter: failed to parse pid: '${v}'\n`);
    return Number(v);
  };
  let i = 0;
  for (; i < args.length; i++) {
    const a = args[i]!;
    if (a === "--") {
      i++;
      break;
    }
    if (!a.startsWith("-") || a === "-") break;
    if (a.startsWith("--")) {
      const [name, value] = a.includes("=") ? [a.slice(2, a.indexOf("=")), a.slice(a.indexOf("=") + 1)] : [a.slice(2), undefined];
      if (name === "target") out.target = pid(value ?? args[++i]);
      else if (name === "all") out.all = true;
      else if (name in LONG) out.wanted.set(LONG[name]!, value);
      else if (name === "no-fork" || name === "preserve-credentials") continue;
      else throw new Fail(`nsenter: unrecognized option '${a}'\nTry 'nsenter --help' for more information.\n`);
      continue;
    }
    // A cluster of short options; an optional namespace file is only ever attached (-n/path).
    for (let k = 1; k < a.length; k++) {
      const c = a[k]!;
      if (c === "t") {
        out.target = pid(k + 1 < a.length ? a.slice(k + 1) : args[++i]);
        break;
      }
      if (c === "a") out.all = true;
      else if (c === "F") continue;
      else if (c in SHORT) {
        const file = a.slice(k + 1);
        out.wanted.set(SHORT[c]!, file === "" ? undefined : file);
        if (file !== "") break;
      } else throw new Fail(`nsenter: invalid option -- '${c}'\nTry 'nsenter --help' for more information.\n`);
    }
  }
  out.argv = args.slice(i);
  return out;
}

/**
 * The context a namespace file stands for: a process's (/proc/PID/ns/KIND), or for a named
 * network namespace (/var/run/netns/NAME) the caller's own with that namespace.
 */
function openFile(p: Proc, kind: Kind, file: string): ProcContext {
  const proc = /^\/proc\/(\d+)\/ns\/(\w+)$/.exec(file);
  if (proc && proc[2] === kind) {
    const ctx = p.world.processOf?.(p.ctx.host, Number(proc[1]));
    if (ctx) return ctx;
  }
  const named = /^\/(?:var\/)?run\/netns\/([^/]+)$/.exec(file);
  if (named && kind === "net" && p.ctx.host.netnsNamed().includes(named[1]!)) return { ...p.ctx, netns: p.ctx.host.netns({ name: named[1]! }) };
  throw new Fail(`nsenter: cannot open ${file}: No such file or directory\n`);
}

async function run(p: Proc): Promise<number> {
  let o: Parsed;
  try {
    o = parse(p.argv.slice(1));
    if (o.all) for (const k of KINDS) if (!o.wanted.has(k)) o.wanted.set(k, undefined);
    let ctx: ProcContext = p.ctx;
    const target = o.target === undefined ? undefined : p.world.processOf?.(p.ctx.host, o.target);
    for (const kind of KINDS) {
      if (!o.wanted.has(kind)) continue;
      const file = o.wanted.get(kind);
      let from: ProcContext;
      if (file !== undefined) from = openFile(p, kind, file);
      else if (o.target === undefined) throw new Fail(`nsenter: neither filename nor target pid supplied for ns/${kind}\n`);
      else if (!target) throw new Fail(`nsenter: cannot open /proc/${o.target}/ns/${kind}: No such file or directory\n`);
      else from = target;
      if (kind === "net") ctx = { ...ctx, netns: from.netns };
      else if (kind === "uts") ctx = { ...ctx, hostname: from.hostname };
      else if (kind === "mnt") {
        ctx = { ...ctx, fs: from.fs, shell: from.shell ?? "bash" };
        if (from.available) ctx.available = from.available;
        else delete ctx.available;
      }
    }
    const argv = o.argv.length > 0 ? o.argv : [p.env.SHELL ?? "/bin/sh"];
    const { rc, missing } = await execChild(p, ctx, argv);
    // execvp() failing: nsenter reports it itself (err(EXIT_ENOENT, "failed to execute %s")).
    if (missing) throw new Fail(`nsenter: failed to execute ${argv[0]}: No such file or directory\n`, 127);
    return rc;
  } catch (e) {
    if (!(e instanceof Fail)) throw e;
    p.err(e.text);
    return e.code;
  }
}

/** The util-linux `nsenter` program. */
export const nsenter: ProgramSpec = { name: "nsenter", summary: "run a program in another process's namespaces (util-linux 2.38)", run };
