/**
 * ipvsadm (v1.31, IPVS 1.2.1): administers the namespace's IPVS table through the kernel API
 * (NetnsApi.ipvs*), with ipvsadm.c's option rules (popt: the first option is the command; the
 * commands_v_options table of legal combinations), its messages and exit codes:
 *   fail(2, ...)            bad options or values                                  exit 2
 *   tryhelp_exit(-1)        no command first, unknown first option                 exit 255
 *   popt errors             `OPTION: missing argument` / `unknown option`          exit 255
 *   kernel refusals         ipvs_strerror(errno) (libipvs), result -1              exit 255
 *   listing failures        `No such service` (list of one missing service)        exit 1
 * Tunnel forwarding (-i), fwmark and SCTP services and the sync daemon are not simulated.
 */
import { KernelError, type IpvsDestSpec, type IpvsForward, type IpvsServiceKey, type IpvsServiceSpec, type NetnsApi } from "../../kernel/api.js";
import { serviceToPort } from "../lib/services.js";
import { strerror } from "../lib/errno.js";
import type { ProgramSpec, Proc } from "../types.js";
import { usage, versionLine } from "./help.js";
import { listAll, listConn, serviceEntry, title, type Fmt } from "./print.js";

type Cmd = "add-service" | "edit-service" | "delete-service" | "flush" | "list" | "add-server" | "delete-server" | "edit-server" | "set" | "restore" | "save" | "zero";
const CMD_ORDER: Cmd[] = ["add-service", "edit-service", "delete-service", "flush", "list", "add-server", "delete-server", "edit-server", "set", "restore", "save", "zero"];

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
class Exit extends Error {
  constructor(readonly code: number, message: string) {
    super(message);
  }
}

const fail = (msg: string): never => {
  throw new Exit(2, `${msg}\n`);
};

interface Parsed {
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
function hostsOf(p: Proc): { byName(n: string): string | undefined; byAddr(a: string): string | undefined } {
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

function parse(p: Proc, argv: string[]): Parsed {
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
function optCheck(r: Parsed): void {
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
function ipvsStrerror(e: KernelError, cmd: Cmd): string {
  const t: Partial<Record<Cmd, Partial<Record<string, string>>>> = {
    "add-service": { EEXIST: "Service already exists", ENOENT: "Scheduler or persistence engine not found" },
    "edit-service": { ESRCH: "No such service", ENOENT: "Scheduler or persistence engine not found" },
    "delete-service": { ESRCH: "No such service" },
    zero: { ESRCH: "No such service" },
    "add-server": { ESRCH: "Service not defined", EEXIST: "Destination already exists" },
    "edit-server": { ESRCH: "Service not defined", ENOENT: "No such destination" },
    "delete-server": { ESRCH: "Service not defined", ENOENT: "No such destination" },
    list: { ESRCH: "No such service" },
  };
  const generic: Record<string, string> = {
    EPERM: "Permission denied (you must be root)",
    EINVAL: "Invalid operation.  Possibly wrong module version, address not unicast, ...",
    EOPNOTSUPP: "Operation not supported with IPv6",
  };
  return t[cmd]?.[e.errno] ?? generic[e.errno] ?? strerror(e.errno);
}

/** process_options: one command line (or one line of -R); returns the exit status. */
function processOptions(p: Proc, ns: NetnsApi, argv: string[], readingStdin: boolean): number {
  const r = parse(p, argv);
  const info = ns.ipvsInfo();
  if (r.help) {
    p.out(usage("ipvsadm", info.version));
    return 0;
  }
  if (r.version) {
    p.out(versionLine(info.version));
    return 0;
  }
  optCheck(r);
  const cmd = r.cmd!;
  if (cmd === "add-service" || cmd === "edit-service") {
    if (r.svc!.port === 0 && r.persistent === undefined) fail("Zero port specified for non-persistent service");
    if (r.opts.has("ops") && r.svc!.proto !== "udp") fail("One-Packet Scheduling is only for UDP virtual services");
  }
  if ((cmd === "add-server" || cmd === "edit-server") && r.fwd !== "masq") r.dest!.port = r.svc!.port;
  const hosts = hostsOf(p);
  const fmt: Fmt = { ...r.fmt, hostOf: (a) => hosts.byAddr(a) };
  const svcKey = (): IpvsServiceKey => ({ proto: r.svc!.proto, addr: r.svc!.addr, port: r.svc!.port });
  try {
    switch (cmd) {
      case "list": {
        const o = r.opts;
        if ((o.has("connection") || o.has("timeout") || o.has("daemon")) && (o.has("stats") || o.has("persistent-conn") || o.has("rate") || o.has("thresholds"))) {
          fail("options conflicts in the list command");
        }
        if (o.has("connection")) p.out(listConn(ns.ipvsConnList(), fmt));
        else if (o.has("service-address")) {
          let s;
          try {
            s = ns.ipvsServiceGet(svcKey());
          } catch (e) {
            if (e instanceof KernelError) throw new Exit(1, `${ipvsStrerror(e, "list")}\n`);
            throw e;
          }
          p.out(title(fmt) + serviceEntry(s, fmt));
        } else if (o.has("timeout")) {
          const t = ns.ipvsTimeoutGet();
          p.out(`Timeout (tcp tcpfin udp): ${t.tcp} ${t.tcpFin} ${t.udp}\n`);
        } else if (o.has("daemon")) {
          // No sync daemon runs in the simulator: list_daemon prints nothing.
        } else p.out(listAll(info, ns.ipvsServiceList(), fmt));
        return 0;
      }
      case "save":
        p.out(listAll(info, ns.ipvsServiceList(), { ...fmt, rule: true }));
        return 0;
      case "restore": {
        if (readingStdin) throw new Exit(255, "Try `ipvsadm -h' or 'ipvsadm --help' for more information.\n");
        let result = 0;
        for (const line of p.stdin.split("\n")) {
          const words = line.trim().split(/\s+/).filter(Boolean);
          if (words.length > 0) result = processOptions(p, ns, words, true);
        }
        return result;
      }
      case "flush":
        ns.ipvsFlush();
        return 0;
      case "add-service":
      case "edit-service": {
        const spec: IpvsServiceSpec = {
          ...svcKey(), scheduler: r.scheduler ?? "wlc",
          ...(r.persistent !== undefined ? { persistent: { timeoutSec: r.persistent, netmask: r.netmask ?? "255.255.255.255" } } : {}),
        };
        if (cmd === "add-service") ns.ipvsServiceAdd(spec);
        else ns.ipvsServiceEdit(spec);
        return 0;
      }
      case "delete-service":
        ns.ipvsServiceDel(svcKey());
        return 0;
      case "zero":
        ns.ipvsZero(r.svc ? svcKey() : undefined);
        return 0;
      case "add-server":
      case "edit-server": {
        const d: IpvsDestSpec = { addr: r.dest!.addr, port: r.dest!.port, weight: r.weight, fwd: r.fwd, upperThreshold: r.uthreshold ?? 0, lowerThreshold: r.lthreshold ?? 0 };
        if (cmd === "add-server") ns.ipvsDestAdd(svcKey(), d);
        else ns.ipvsDestEdit(svcKey(), d);
        return 0;
      }
      case "delete-server":
        ns.ipvsDestDel(svcKey(), { addr: r.dest!.addr, port: r.fwd === "masq" || r.dest!.portGiven ? r.dest!.port : r.svc!.port });
        return 0;
      case "set":
        ns.ipvsTimeoutSet({ tcp: r.timeouts![0], tcpFin: r.timeouts![1], udp: r.timeouts![2] });
        return 0;
    }
  } catch (e) {
    if (e instanceof KernelError) {
      p.err(`${ipvsStrerror(e, cmd)}\n`);
      return 255;
    }
    throw e;
  }
  return 0;
}

async function ipvsadm(p: Proc): Promise<number> {
  const ns = p.ctx.netns;
  try {
    if (p.argv.length === 1) {
      p.out(listAll(ns.ipvsInfo(), ns.ipvsServiceList(), { numeric: false, hostOf: (a) => hostsOf(p).byAddr(a) }));
      return 0;
    }
    return processOptions(p, ns, p.argv.slice(1), false);
  } catch (e) {
    if (e instanceof Exit) {
      p.err(e.message);
      return e.code;
    }
    throw e;
  }
}

/** The programs this module registers. */
export const programs: ProgramSpec[] = [{ name: "ipvsadm", summary: "Linux Virtual Server administration", run: ipvsadm }];
