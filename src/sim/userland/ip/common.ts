/**
 * What every `ip` subcommand shares: the parsed global options, the namespace it acts in, and
 * iproute2's own ways of failing (utils.c invarg/duparg2/nodev, libnetlink's error printing),
 * with the exit status each one gives in iproute2 6.1 (exit(-1) → 255, return -1 → 1,
 * a netlink error → 2).
 */
import { KernelError, type HostKernelApi, type NetnsApi } from "../../kernel/api.js";
import { parseCidr, parseIp } from "../../kernel/wire/ipv4.js";
import { strerror } from "../lib/errno.js";
import type { Proc } from "../types.js";

export interface IpOptions {
  oneline: boolean;
  details: number;
  stats: number;
  brief: boolean;
  family?: "inet" | "inet6" | "link";
}

export interface IpCtx {
  proc: Proc;
  ns: NetnsApi;
  opts: IpOptions;
}

/** Thrown inside `ip` to end the command with the given status after the message is written. */
export class IpExit extends Error {
  constructor(readonly code: number) {
    super(`ip exit ${code}`);
  }
}

/** iproute2 `matches(prefix, full)`: true when `prefix` is a non-empty prefix of `full`. */
export function matches(prefix: string | undefined, full: string): boolean {
  return prefix !== undefined && prefix.length > 0 && full.startsWith(prefix);
}

/** Writes to stderr and ends the command with `code`. */
export function fail(c: IpCtx, text: string, code: number): never {
  c.proc.err(text);
  throw new IpExit(code);
}

/** utils.c invarg(): `Error: argument "ARG" is wrong: MSG` then exit(-1). */
export function invarg(c: IpCtx, msg: string, arg: string): never {
  return fail(c, `Error: argument "${arg}" is wrong: ${msg}\n`, 255);
}

/** utils.c duparg2(): `Error: either "KEY" is duplicate, or "ARG" is a garbage.` then exit(-1). */
export function duparg2(c: IpCtx, key: string, arg: string): never {
  return fail(c, `Error: either "${key}" is duplicate, or "${arg}" is a garbage.\n`, 255);
}

/** utils.c duparg(): `Error: duplicate "KEY": "ARG" is the second value.` then exit(-1). */
export function duparg(c: IpCtx, key: string, arg: string): never {
  return fail(c, `Error: duplicate "${key}": "${arg}" is the second value.\n`, 255);
}

/** NEXT_ARG(): the next argument, or iproute2's `Command line is not complete.` (exit -1). */
export function nextArg(c: IpCtx, args: string[], i: number): string {
  const v = args[i + 1];
  if (v === undefined) fail(c, `Command line is not complete. Try option "help"\n`, 255);
  return v;
}

/** utils.c nodev(): `Cannot find device "NAME"` (return -1 → exit 1). */
export function nodev(c: IpCtx, name: string): never {
  return fail(c, `Cannot find device "${name}"\n`, 1);
}

/**
 * A kernel refusal as libnetlink prints it: the extended ack as `Error: MSG.`, or
 * `RTNETLINK answers: strerror` for a bare errno; `code` is the caller's exit status (2 for ip).
 */
export function kernelFail(c: IpCtx, e: unknown, code = 2): never {
  if (e instanceof KernelError) {
    const text = e.detail ? `Error: ${e.detail}.\n` : `RTNETLINK answers: ${strerror(e.errno)}\n`;
    return fail(c, text, code);
  }
  throw e;
}

/** Runs a kernel call, turning a KernelError into iproute2's message and exit 2. */
export function kcall<T>(c: IpCtx, f: () => T, code = 2): T {
  try {
    return f();
  } catch (e) {
    return kernelFail(c, e, code);
  }
}

/** True when the link exists in the namespace. */
export function linkExists(ns: NetnsApi, name: string): boolean {
  return ns.linkList().some((l) => l.name === name);
}

/** utils.c get_prefix() for IPv4: "default"/"all"/"any", "A.B.C.D[/N]"; error text as iproute2 prints it. */
export function getPrefix(c: IpCtx, text: string): { addr: number; plen: number; text: string } {
  const t = text === "all" || text === "any" ? "default" : text;
  const p = parseCidr(t);
  if (!p) fail(c, `Error: any valid prefix is expected rather than "${text}".\n`, 1);
  return { ...p, text: t };
}

/** utils.c get_addr() for IPv4: a dotted address or iproute2's error. */
export function getAddr(c: IpCtx, text: string): string {
  if (parseIp(text) === undefined) fail(c, `Error: inet address is expected rather than "${text}".\n`, 1);
  return text;
}

/** Names of named namespaces by the nsid that `ns` assigned to them (for `link-netns NAME`). */
export function nsidNames(c: IpCtx): Map<number, string> {
  const out = new Map<number, string>();
  for (const name of c.proc.ctx.host.netnsNamed()) {
    const id = nsidOfNamed(c, name);
    if (id !== undefined && !out.has(id)) out.set(id, name);
  }
  return out;
}

/**
 * The nsid the current namespace assigned to the named namespace (RTM_GETNSID), if any. Uses
 * the host's `nsidOfNamed(viewer, name)` (kernel extension, not yet in the api.ts contract).
 */
export function nsidOfNamed(c: IpCtx, name: string): number | undefined {
  const host = c.proc.ctx.host as HostKernelApi & { nsidOfNamed?: (viewer: NetnsApi, name: string) => number | undefined };
  if (typeof host.nsidOfNamed !== "function") return undefined;
  try {
    return host.nsidOfNamed(c.ns, name);
  } catch {
    return undefined;
  }
}
