/**
 * ipvsadm's command line as ipvsadm.c reads it with popt: short options (bundled, `-Ln`), long
 * options (`--tcp-service=ADDR` or a separate argument), `-p`'s optional timeout; the first
 * option must be the command; then generic_opt_check's table of legal options per command.
 * Bad input ends in an `Exit` carrying ipvsadm's message and status.
 */
import type { IpvsForward, IpvsServiceKey } from "../../kernel/api.js";
import { serviceToPort } from "../lib/services.js";
import type { Proc } from "../types.js";
import type { Fmt } from "./print.js";

export type Cmd = "add-service" | "edit-service" | "delete-service" | "flush" | "list" | "add-server" | "delete-server" | "edit-server" | "set" | "restore" | "save" | "zero";

const OPTNAMES = ["numeric", "connection", "service-address", "scheduler", "persistent", "netmask", "real-server", "forwarding-method", "weight", "u-threshold", "l-threshold", "mcast-interface", "timeout", "daemon", "stats", "rate", "thresholds", "persistent-conn", "nosort", "syncid", "exact", "ops"] as const;
type Opt = (typeof OPTNAMES)[number];

/** commands_v_options (ipvsadm.c): '+' compulsory, 'x' illegal, '1' exclusive, ' ' optional; columns in OPTNAMES order. */
const LEGAL: Record<Cmd, string> = {
  "add-service": "xx+   xxxxxxxxxxxxxxx ",
  "edit-service": "xx+   xxxxxxxxxxxxxxx ",
  "delete-service": "xx+xxxxxxxxxxxxxxxxxxx",
  flush: "xxxxxxxxxxxxxxxxxxxxxx",
  list: " 11xxxxxxxxx11       x",
  "add-server": "xx+xxx+    xxxxxxxxxxx",
  "delete-server": "xx+xxx+xxxxxxxxxxxxxxx",
  "edit-server": "xx+xxx+    xxxxxxxxxxx",
  set: "xxxxxxxxxxxxxxxxxxxxxx",
  restore: "xxxxxxxxxxxxxxxxxxxxxx",
  save: " xxxxxxxxxxxxxxxxxxxxx",
  zero: "xx xxxxxxxxxxxxxxxxxxx",
};

/** An ipvsadm exit with its message (stderr). */
export class Exit extends Error {
  constructor(readonly code: number, message: string) {
    super(message);
  }
}

export const fail = (msg: string): never => {
  throw new Exit(2, `${msg}\n`);
};

export interface Parsed {
  cmd?: Cmd;
  opts: Set<Opt>;
  svc?: IpvsServiceKey & { portGiven: boolean };
  scheduler?: string;
  persistent?: number;
  netmask?: string;
  dest?: { addr: string; port: number; portGiven: boolean };
  fwd: IpvsForward;
  weight: number;
  uthreshold?: number;
  lthreshold?: number;
  timeouts?: [number, number, number];
  fmt: Omit<Fmt, "hostOf">;
  help?: boolean;
  version?: boolean;
}

/** Short option letters: command or option, and whether they take an argument ("opt": optional). */
const SHORT: Record<string, { name: string; arg: false | true | "opt" }> = {
  A: { name: "add-service", arg: false }, E: { name: "edit-service", arg: false }, D: { name: "delete-service", arg: false },
  C: { name: "clear", arg: false }, L: { name: "list", arg: false }, l: { name: "list", arg: false }, Z: { name: "zero", arg: false },
  a: { name: "add-server", arg: false }, e: { name: "edit-server", arg: false }, d: { name: "delete-server", arg: false },
  h: { name: "help", arg: false }, v: { name: "version", arg: false }, R: { name: "restore", arg: false }, S: { name: "save", arg: false },
  t: { name: "tcp-service", arg: true }, u: { name: "udp-service", arg: true }, f: { name: "fwmark-service", arg: true },
  s: { name: "scheduler", arg: true }, p: { name: "persistent", arg: "opt" }, M: { name: "netmask", arg: true },
  r: { name: "real-server", arg: true }, m: { name: "masquerading", arg: false }, i: { name: "ipip", arg: false },
  g: { name: "gatewaying", arg: false }, w: { name: "weight", arg: true }, x: { name: "u-threshold", arg: true },
  y: { name: "l-threshold", arg: true }, n: { name: "numeric", arg: false }, c: { name: "connection", arg: false },
  X: { name: "exact", arg: false }, o: { name: "ops", arg: false }, "6": { name: "ipv6", arg: false },
};
const LONG: Record<string, false | true | "opt"> = {
  "add-service": false, "edit-service": false, "delete-service": false, clear: false, list: false, zero: false,
  "add-server": false, "edit-server": false, "delete-server": false, set: false, help: false, version: false, restore: false, save: false,
  "tcp-service": true, "udp-service": true, "fwmark-service": true, "sctp-service": true, scheduler: true, persistent: "opt", netmask: true,
  "real-server": true, masquerading: false, ipip: false, gatewaying: false, weight: true, "u-threshold": true, "l-threshold": true,
  numeric: false, connection: false, timeout: false, daemon: false, stats: false, rate: false, thresholds: false,
  "persistent-conn": false, nosort: false, sort: false, exact: false, ipv6: false, ops: false,
  "start-daemon": true, "stop-daemon": true, "mcast-interface": true, syncid: true,
};

/** popt's walk over argv: options in order (name, argument), then the leftover arguments. */
function tokenize(argv: string[]): { opts: Array<{ name: string; arg?: string; shown: string }>; rest: string[] } {
  const opts: Array<{ name: string; arg?: string; shown: string }> = [];
  const rest: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a.startsWith("--") && a.length > 2) {
      const eq = a.indexOf("=");
      const name = eq < 0 ? a.slice(2) : a.slice(2, eq);
      const kind = LONG[name];
      if (kind === undefined) {
        opts.push({ name: "?", shown: a });
        continue;
      }
      let arg = eq < 0 ? undefined : a.slice(eq + 1);
      if (kind === true && arg === undefined) {
        arg = argv[++i];
        if (arg === undefined) opts.push({ name: "!", shown: a });
      } else if (kind === "opt" && arg === undefined && argv[i + 1] !== undefined && !argv[i + 1]!.startsWith("-")) arg = argv[++i];
      opts.push({ name, ...(arg !== undefined ? { arg } : {}), shown: a });
    } else if (a.startsWith("-") && a.length > 1) {
      for (let j = 1; j < a.length; j++) {
        const s = SHORT[a[j]!];
        if (!s) {
          opts.push({ name: "?", shown: `-${a[j]}` });
          break;
        }
        if (s.arg === false) {
          opts.push({ name: s.name, shown: `-${a[j]}` });
          continue;
        }
        let arg: string | undefined = a.slice(j + 1) || undefined;
        if (arg === undefined) {
          if (s.arg === true) {
            arg = argv[++i];
            if (arg === undefined) {
              opts.push({ name: "!", shown: `-${a[j]}` });
              break;
            }
          } else if (argv[i + 1] !== undefined && !argv[i + 1]!.startsWith("-")) arg = argv[++i];
        }
        opts.push({ name: s.name, ...(arg !== undefined ? { arg } : {}), shown: `-${a[j]}` });
        break;
      }
    } else rest.push(a);
  }
  return { opts, rest };
}

/** string_to_number: a decimal integer within [min, max], else undefined. */
function toNumber(s: string | undefined, min: number, max: number): number | undefined {
  if (s === undefined || !/^[+-]?\d+$/.test(s)) return undefined;
  const n = Number(s);
  return n >= min && n <= max ? n : undefined;
}

function inetAton(s: string): string | undefined {
  const parts = s.split(".");
  if (parts.length !== 4 || !parts.every((p) => /^\d{1,3}$/.test(p) && Number(p) <= 255)) return undefined;
  return parts.map(Number).join(".");
}

/** /etc/hosts lookups (gethostbyname / gethostbyaddr through files). */
export function hostsOf(p: Proc): { byName(n: string): string | undefined; byAddr(a: string): string | undefined } {
  const lines = (p.ctx.fs.readFile("/etc/hosts") ?? "").split("\n").map((l) => l.replace(/#.*/, "").trim().split(/\s+/)).filter((w) => w.length >= 2 && inetAton(w[0]!));
  return {
    byName: (n) => lines.find((w) => w.slice(1).includes(n))?.[0],
    byAddr: (a) => lines.find((w) => inetAton(w[0]!) === a)?.[1],
  };
}

/** parse_service: `host[:port]`; undefined when the address part does not resolve. */
function parseService(p: Proc, s: string, proto: string): { addr: string; port?: number } | undefined {
  if (/^\d+$/.test(s)) return undefined;
  const colon = s.lastIndexOf(":");
  const host = colon < 0 ? s : s.slice(0, colon);
  const addr = inetAton(host) ?? hostsOf(p).byName(host);
  if (!addr) return undefined;
  if (colon < 0) return { addr };
  const ps = s.slice(colon + 1);
  const port = toNumber(ps, 0, 65535) ?? serviceToPort(ps, proto);
  if (port === undefined) return undefined;
  return { addr, port };
}

export function parse(p: Proc, argv: string[]): Parsed {
  const { opts: list, rest } = tokenize(argv);
  const r: Parsed = { opts: new Set(), fwd: "route", weight: 1, fmt: { numeric: false } };
  const setOpt = (o: Opt) => {
    if (r.opts.has(o)) fail(`multiple '${o}' options specified`);
    r.opts.add(o);
  };
  const setCmd = (c: Cmd) => {
    if (r.cmd) fail("multiple commands specified");
    r.cmd = c;
  };
  const first = list[0];
  const COMMAND_OF: Record<string, Cmd> = {
    "add-service": "add-service", "edit-service": "edit-service", "delete-service": "delete-service", clear: "flush", list: "list",
    zero: "zero", "add-server": "add-server", "edit-server": "edit-server", "delete-server": "delete-server", set: "set", restore: "restore", save: "save",
  };
  if (!first || first.name === "?" || first.name === "!") throw new Exit(255, "Try `ipvsadm -h' or 'ipvsadm --help' for more information.\n");
  if (first.name === "help") return { ...r, help: true };
  if (first.name === "version") return { ...r, version: true };
  if (first.name === "start-daemon" || first.name === "stop-daemon") fail(`the connection sync daemon is not simulated`);
  if (!COMMAND_OF[first.name]) throw new Exit(255, "Try `ipvsadm -h' or 'ipvsadm --help' for more information.\n");
  setCmd(COMMAND_OF[first.name]!);
  let proto = "tcp";
  for (const o of list.slice(1)) {
    switch (o.name) {
      case "?":
        throw new Exit(255, `${o.shown}: unknown option\n`);
      case "!":
        throw new Exit(255, `${o.shown}: missing argument\n`);
      case "tcp-service":
      case "udp-service": {
        setOpt("service-address");
        proto = o.name === "tcp-service" ? "tcp" : "udp";
        const s = parseService(p, o.arg!, proto);
        if (!s) fail("illegal virtual server address[:port] specified");
        r.svc = { proto: proto as "tcp" | "udp", addr: s!.addr, port: s!.port ?? 0, portGiven: s!.port !== undefined };
        break;
      }
      case "fwmark-service":
      case "sctp-service":
        fail(`${o.name === "fwmark-service" ? "fwmark" : "SCTP"} services are not simulated`);
        break;
      case "scheduler":
        setOpt("scheduler");
        r.scheduler = o.arg!.slice(0, 15);
        break;
      case "persistent": {
        setOpt("persistent");
        if (o.arg === undefined) r.persistent = 300;
        else {
          const t = toNumber(o.arg, 1, 86400 * 31);
          if (t === undefined) fail(`invalid timeout value \`${o.arg}' specified`);
          r.persistent = t;
        }
        break;
      }
      case "netmask": {
        setOpt("netmask");
        const m = inetAton(o.arg!);
        if (!m) fail("illegal virtual server persistent mask specified");
        r.netmask = m;
        break;
      }
      case "real-server": {
        setOpt("real-server");
        const s = parseService(p, o.arg!, proto);
        if (!s) fail("illegal real server address[:port] specified");
        r.dest = { addr: s!.addr, port: s!.port ?? r.svc?.port ?? 0, portGiven: s!.port !== undefined };
        break;
      }
      case "masquerading":
      case "gatewaying":
      case "ipip":
        setOpt("forwarding-method");
        r.fwd = o.name === "masquerading" ? "masq" : o.name === "gatewaying" ? "route" : "tunnel";
        break;
      case "weight": {
        setOpt("weight");
        const w = toNumber(o.arg, 0, 65535);
        if (w === undefined) fail("illegal weight specified");
        r.weight = w!;
        break;
      }
      case "u-threshold":
      case "l-threshold": {
        setOpt(o.name);
        const v = toNumber(o.arg, 0, 2147483647);
        if (v === undefined) fail(`illegal ${o.name === "u-threshold" ? "u_threshold" : "l_threshold"} specified`);
        if (o.name === "u-threshold") r.uthreshold = v;
        else r.lthreshold = v;
        break;
      }
      case "numeric":
        setOpt("numeric");
        r.fmt.numeric = true;
        break;
      case "connection":
        setOpt("connection");
        break;
      case "timeout":
      case "daemon":
      case "stats":
      case "rate":
      case "thresholds":
      case "persistent-conn":
      case "nosort":
      case "exact":
      case "ops":
        setOpt(o.name);
        if (o.name === "stats") r.fmt.stats = true;
        if (o.name === "rate") r.fmt.rate = true;
        if (o.name === "thresholds") r.fmt.thresholds = true;
        if (o.name === "persistent-conn") r.fmt.persistentConn = true;
        if (o.name === "nosort") r.fmt.nosort = true;
        if (o.name === "exact") r.fmt.exact = true;
        break;
      case "sort":
        break;
      case "ipv6":
        fail("-6 used before -f");
        break;
      case "mcast-interface":
      case "syncid":
        setOpt(o.name === "syncid" ? "syncid" : "mcast-interface");
        break;
      default:
        fail("multiple commands specified");
    }
  }
  if (r.cmd === "set") {
    const [a, b, c] = rest;
    if (a === undefined || b === undefined || c === undefined) fail("--set option requires 3 timeout values");
    const t = [a!, b!, c!].map((v) => {
      const n = toNumber(v, 0, 86400 * 31);
      if (n === undefined) fail(`invalid timeout value \`${v}' specified`);
      return n!;
    });
    r.timeouts = [t[0]!, t[1]!, t[2]!];
    rest.splice(0, 3);
  }
  if (rest.length) fail(`unexpected argument ${rest[0]}`);
  return r;
}

/** generic_opt_check: the options each command needs, refuses, or takes one of. */
export function optCheck(r: Parsed): void {
  const row = LEGAL[r.cmd!];
  let last = -1;
  for (const [j, name] of OPTNAMES.entries()) {
    const rule = row[j] ?? "x";
    if (!r.opts.has(name)) {
      if (rule === "+") fail(`You need to supply the '${name}' option for the '${r.cmd}' command`);
    } else {
      if (rule === "x") fail(`Illegal '${name}' option with the '${r.cmd}' command`);
      if (rule === "1") {
        if (last < 0) last = j;
        else fail(`The option '${name}' conflicts with the '${OPTNAMES[last]}' option in the '${r.cmd}' command`);
      }
    }
  }
}

/** ipvs_strerror: libipvs's words for an errno, by the call that failed, else strerror. */
