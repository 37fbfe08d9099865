/**
 * `ip netns add|delete|list|exec` (ipnetns.c). Names live under /run/netns on the real
 * system, which is why the errors name that path. `exec` runs the command in the named
 * namespace through the world's spawn, with the caller's environment and file system, where
 * /etc/netns/NAME/* shadows /etc/* (see etcOverlay).
 */
import { KernelError, type NetnsApi } from "../../kernel/api.js";
import { strerror } from "../lib/errno.js";
import type { SimFs } from "../types.js";
import { fail, matches, nsidOfNamed, type IpCtx } from "./common.js";
import { execChild } from "../lib/exec-child.js";

/** The namespace `name` names, or undefined. */
export function namedNetns(c: IpCtx, name: string): NetnsApi | undefined {
  const host = c.proc.ctx.host;
  if (!host.netnsNamed().includes(name)) return undefined;
  return host.netns({ name });
}

function netnsList(c: IpCtx): number {
  for (const name of c.proc.ctx.host.netnsNamed()) {
    const id = nsidOfNamed(c, name);
    c.proc.out(id === undefined ? `${name}\n` : `${name} (id: ${id})\n`);
  }
  return 0;
}

function netnsAdd(c: IpCtx, name: string | undefined): number {
  if (name === undefined) fail(c, "No netns name specified\n", 255);
  if (name.includes("/") || name === "." || name === "..") fail(c, `Invalid netns name "${name}"\n`, 255);
  try {
    c.proc.ctx.host.netnsAddNamed(name);
  } catch (e) {
    if (e instanceof KernelError) fail(c, `Cannot create namespace file "/run/netns/${name}": ${strerror(e.errno)}\n`, 1);
    throw e;
  }
  return 0;
}

function netnsDel(c: IpCtx, name: string | undefined): number {
  if (name === undefined) fail(c, "No netns name specified\n", 255);
  if (!c.proc.ctx.host.netnsNamed().includes(name)) {
    fail(c, `Cannot remove namespace file "/run/netns/${name}": No such file or directory\n`, 1);
  }
  try {
    c.proc.ctx.host.netnsDelNamed(name);
  } catch (e) {
    if (e instanceof KernelError) fail(c, `Cannot remove namespace file "/run/netns/${name}": ${strerror(e.errno)}\n`, 1);
    throw e;
  }
  return 0;
}

async function netnsExec(c: IpCtx, args: string[]): Promise<number> {
  const name = args[0];
  if (name === undefined) fail(c, "No netns name specified\n", 255);
  const ns = namedNetns(c, name);
  if (!ns) fail(c, `Cannot open network namespace "${name}": No such file or directory\n`, 255);
  const argv = args.slice(1);
  if (argv.length === 0) fail(c, "No command specified\n", 1);
  const p = c.proc;
  const ctx = { ...p.ctx, netns: ns, fs: etcOverlay(p.ctx.fs, name) };
  const { rc, missing } = await execChild(p, ctx, argv);
  // execvp() failing: ip itself reports it (the shell's "not found" never runs here).
  if (missing) fail(c, `exec of "${argv[0]}" failed: No such file or directory\n`, 1);
  return rc;
}

/**
 * The file system `ip netns exec NAME` gives its command: every file of /etc/netns/NAME/ is
 * bind-mounted over the same name in /etc (ipnetns.c bind_etc), so a namespace can have its
 * own resolv.conf and hosts.
 */
export function etcOverlay(fs: SimFs, name: string): SimFs {
  const dir = `/etc/netns/${name}`;
  const entries = fs.isDir(dir) ? fs.readdir(dir) ?? [] : [];
  if (entries.length === 0) return fs;
  const map = (path: string): string => {
    if (!path.startsWith("/etc/")) return path;
    const first = path.slice(5).split("/")[0]!;
    return entries.includes(first) && fs.exists(`/etc/${first}`) ? `${dir}/${path.slice(5)}` : path;
  };
  return {
    readFile: (path) => fs.readFile(map(path)),
    writeFile: (path, content, opts) => fs.writeFile(map(path), content, opts),
    exists: (path) => fs.exists(map(path)),
    isDir: (path) => fs.isDir(map(path)),
    readdir: (path) => fs.readdir(map(path)),
    mkdir: (path) => fs.mkdir(map(path)),
    remove: (path) => fs.remove(map(path)),
  };
}

/** Dispatches `ip netns CMD ...`. */
export async function doNetns(c: IpCtx, args: string[]): Promise<number> {
  const cmd = args[0];
  if (cmd === undefined) return netnsList(c);
  if (matches(cmd, "list") || cmd === "show" || cmd === "lst") return netnsList(c);
  if (matches(cmd, "add")) return netnsAdd(c, args[1]);
  if (matches(cmd, "delete")) return netnsDel(c, args[1]);
  if (matches(cmd, "exec")) return netnsExec(c, args.slice(1));
  if (matches(cmd, "help")) return fail(c, "Usage:\tip netns list\n\tip netns add NAME\n", 255);
  return fail(c, `Command "${cmd}" is unknown, try "ip netns help".\n`, 255);
}
