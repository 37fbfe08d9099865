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
import { KernelError, type IpvsDestSpec, type IpvsServiceKey, type IpvsServiceSpec, type NetnsApi } from "../../kernel/api.js";
import { strerror } from "../lib/errno.js";
import type { ProgramSpec, Proc } from "../types.js";
import { usage, versionLine } from "./help.js";
import { Exit, fail, hostsOf, optCheck, parse, type Cmd } from "./options.js";
import { listAll, listConn, serviceEntry, title, type Fmt } from "./print.js";

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
