/**
 * ipvsadm's listings, as ipvsadm.c (v1.31, the Debian 12 binary; its format strings were read
 * from /usr/sbin/ipvsadm on this machine) prints them: `-L` (with `--stats`, `--rate`,
 * `--thresholds`, `--persistent-conn`, `--exact`), `-S` (save), `-Lc` (connections from
 * /proc/net/ip_vs_conn) and `--timeout`. Services and servers are sorted as libipvs sorts them
 * (ipvs_cmp_services / ipvs_cmp_dests) unless `--nosort`.
 */
import type { IpvsConnInfo, IpvsDestInfo, IpvsForward, IpvsInfo, IpvsServiceInfo } from "../../kernel/api.js";
import { portToService } from "../lib/services.js";

/** Printing flags (FMT_* of ipvsadm.c). */
export interface Fmt {
  numeric: boolean;
  rule?: boolean;
  stats?: boolean;
  rate?: boolean;
  thresholds?: boolean;
  persistentConn?: boolean;
  nosort?: boolean;
  exact?: boolean;
  /** gethostbyaddr through the machine's /etc/hosts. */
  hostOf(addr: string): string | undefined;
}

const pad = (s: string, n: number) => s.padEnd(n);
const rpad = (s: string, n: number) => s.padStart(n);

/** addrport_to_anyname: `ADDR:PORT`, by name unless numeric. */
export function addrPort(addr: string, port: number, proto: string, f: Fmt): string {
  if (f.numeric) return `${addr}:${port}`;
  return `${f.hostOf(addr) ?? addr}:${portToService(port, proto) ?? port}`;
}

/** print_largenum: 9 columns, scaled to K/M/G/T past 100 million unless --exact. */
function largenum(n: number, f: Fmt): string {
  if (f.exact) {
    const s = String(n);
    return rpad(s, s.length <= 8 ? 9 : s.length + 1);
  }
  if (n < 100000000) return rpad(String(n), 9);
  if (n < 1000000000) return `${rpad(String(Math.floor(n / 1000)), 8)}K`;
  if (n < 100000000000) return `${rpad(String(Math.floor(n / 1000000)), 8)}M`;
  if (n < 100000000000000) return `${rpad(String(Math.floor(n / 1000000000)), 8)}G`;
  return `${rpad(String(Math.floor(n / 1000000000000)), 8)}T`;
}

function ipU32(a: string): number {
  return a.split(".").reduce((x, p) => x * 256 + Number(p), 0);
}

/** `ntohl(a) - ntohl(b)` as libipvs computes it: an unsigned difference read as a signed int. */
function cmpAddr(a: string, b: string): number {
  return ((ipU32(a) - ipU32(b)) >>> 0) | 0;
}

/** ipvs_cmp_services: protocol (TCP 6 before UDP 17), then address, then port. */
export function sortServices(list: IpvsServiceInfo[]): IpvsServiceInfo[] {
  const proto = (p: string) => (p === "tcp" ? 6 : 17);
  return [...list].sort((a, b) => proto(a.proto) - proto(b.proto) || cmpAddr(a.addr, b.addr) || a.port - b.port);
}

function sortDests(list: IpvsDestInfo[]): IpvsDestInfo[] {
  return [...list].sort((a, b) => cmpAddr(a.addr, b.addr) || a.port - b.port);
}

const FWD_NAME: Record<IpvsForward, string> = { masq: "Masq", route: "Route", tunnel: "Tunnel" };
const FWD_SWITCH: Record<IpvsForward, string> = { masq: "-m", route: "-g", tunnel: "-i" };

/** print_title. */
export function title(f: Fmt): string {
  const head = (cols: string[]) => `${pad("Prot LocalAddress:Port", 33)} ${cols.map((c) => rpad(c, 8)).join(" ")}\n  -> RemoteAddress:Port\n`;
  if (f.stats) return head(["Conns", "InPkts", "OutPkts", "InBytes", "OutBytes"]);
  if (f.rate) return head(["CPS", "InPPS", "OutPPS", "InBPS", "OutBPS"]);
  if (f.thresholds) return `${pad("Prot LocalAddress:Port", 33)} ${["Uthreshold", "Lthreshold", "ActiveConn", "InActConn"].map((c) => pad(c, 10)).join(" ")}\n  -> RemoteAddress:Port\n`;
  if (f.persistentConn) return `${pad("Prot LocalAddress:Port", 33)} ${pad("Weight", 9)} ${pad("PersistConn", 11)} ${pad("ActiveConn", 10)} ${pad("InActConn", 10)}\n  -> RemoteAddress:Port\n`;
  if (f.rule) return "";
  return "Prot LocalAddress:Port Scheduler Flags\n  -> RemoteAddress:Port           Forward Weight ActiveConn InActConn\n";
}

/** print_service_entry: the service line and its real servers. */
export function serviceEntry(s: IpvsServiceInfo, f: Fmt): string {
  const vname = addrPort(s.addr, s.port, s.proto, f);
  let svcName: string;
  if (f.rule) svcName = `${s.proto === "tcp" ? "-t" : "-u"} ${vname}`;
  else svcName = `${pad(s.proto === "tcp" ? "TCP" : "UDP", 4)} ${vname}`.slice(0, 33);
  let out: string;
  if (f.rule) {
    out = `-A ${svcName} -s ${s.scheduler}`;
    if (s.persistent) {
      out += ` -p ${s.persistent.timeoutSec}`;
      if (s.persistent.netmask && s.persistent.netmask !== "255.255.255.255") out += ` -M ${s.persistent.netmask}`;
    }
  } else if (f.stats) {
    const t = s.stats;
    out = pad(svcName, 33) + [t.conns, t.inPkts, t.outPkts, t.inBytes, t.outBytes].map((n) => largenum(n, f)).join("");
  } else if (f.rate) {
    const t = s.stats;
    out = pad(svcName, 33) + [t.cps, t.inPps, t.outPps, t.inBps, t.outBps].map((n) => largenum(n, f)).join("");
  } else {
    // --thresholds and --persistent-conn keep the plain service line (print_service_entry's last branch).
    out = `${svcName} ${s.scheduler}`;
    if (s.persistent) {
      out += ` persistent ${s.persistent.timeoutSec}`;
      if (s.persistent.netmask && s.persistent.netmask !== "255.255.255.255") out += ` mask ${s.persistent.netmask}`;
    }
  }
  out += "\n";
  for (const d of f.nosort ? s.dests : sortDests(s.dests)) {
    const full = addrPort(d.addr, d.port, s.proto, f);
    const dname = f.rule ? full : full.slice(0, 28);
    if (f.rule) out += `-a ${svcName} -r ${dname} ${FWD_SWITCH[d.fwd]} -w ${d.weight}\n`;
    else if (f.stats) out += `  -> ${pad(dname, 28)}${[d.stats.conns, d.stats.inPkts, d.stats.outPkts, d.stats.inBytes, d.stats.outBytes].map((n) => largenum(n, f)).join("")}\n`;
    else if (f.rate) out += `  -> ${pad(dname, 28)} ${rpad(String(d.stats.cps), 8)} ${rpad(String(d.stats.inPps), 8)} ${rpad(String(d.stats.outPps), 8)}${largenum(d.stats.inBps, f)}${largenum(d.stats.outBps, f)}\n`;
    else if (f.thresholds) out += `  -> ${pad(dname, 28)} ${pad(String(d.upperThreshold), 10)} ${pad(String(d.lowerThreshold), 10)} ${pad(String(d.activeConns), 10)} ${pad(String(d.inactConns), 10)}\n`;
    else if (f.persistentConn) out += `  -> ${pad(dname, 28)} ${pad(String(d.weight), 9)} ${pad(String(d.persistConns), 11)} ${pad(String(d.activeConns), 10)} ${pad(String(d.inactConns), 10)}\n`;
    else out += `  -> ${pad(dname, 28)} ${pad(FWD_NAME[d.fwd], 7)} ${pad(String(d.weight), 6)} ${pad(String(d.activeConns), 10)} ${pad(String(d.inactConns), 10)}\n`;
  }
  return out;
}

/** list_all: the version line (not in save format), the title, every service. */
export function listAll(info: IpvsInfo, services: IpvsServiceInfo[], f: Fmt): string {
  let out = f.rule ? "" : `IP Virtual Server version ${info.version} (size=${info.connTabSize})\n`;
  out += title(f);
  for (const s of f.nosort ? services : sortServices(services)) out += serviceEntry(s, f);
  return out;
}

/** list_conn: /proc/net/ip_vs_conn as print_conn shows it (expiry as MM:SS). */
export function listConn(conns: IpvsConnInfo[], f: Fmt): string {
  let out = `IPVS connection entries\npro expire ${pad("state", 11)} ${pad("source", 18)} ${pad("virtual", 18)} destination\n`;
  for (const c of conns) {
    const exp = `${String(Math.floor(c.expiresSec / 60)).padStart(2, "0")}:${String(c.expiresSec % 60).padStart(2, "0")}`;
    const proto = c.proto.toUpperCase();
    out += `${pad(proto, 3)} ${pad(exp, 6)} ${pad(c.state, 11)} ${pad(addrPort(c.client.addr, c.client.port, c.proto, f), 18)} ${pad(addrPort(c.virtual.addr, c.virtual.port, c.proto, f), 18)} ${addrPort(c.dest.addr, c.dest.port, c.proto, f)}\n`;
  }
  return out;
}
