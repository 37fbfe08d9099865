/**
 * A rule in `iptables -S` / iptables-save form (`-A DOCKER -d 172.17.0.2/32 ! -i docker0 -o docker0
 * -p tcp -m tcp --dport 80 -j ACCEPT`): iptables 1.8.9's save printer (nft-ipv4.c
 * nft_ipv4_save_rule + each extension's save). One printer for both users: the kernel's trace
 * lines and the iptables tools (src/sim/userland/iptables), whose output is replayed byte for
 * byte against real captures (test/fixtures/iptables).
 */
import type { NfMatch, NfPortRange, NfRule, NfTarget } from "../api.js";

function neg(n: boolean | undefined): string {
  return n ? "! " : "";
}

function range(r: NfPortRange): string {
  return r.from === r.to ? `${r.from}` : `${r.from}:${r.to}`;
}

/** xtables_save_string: bare when every character is [-_0-9A-Za-z], else double-quoted with `"\'` escaped. */
export function saveString(s: string): string {
  if (s !== "" && /^[-_0-9A-Za-z]+$/.test(s)) return s;
  return `"${s.replace(/(["\\'])/g, "\\$1")}"`;
}

function hex(n: number): string {
  return `0x${(n >>> 0).toString(16)}`;
}

function probability(u32: number): string {
  return (u32 / 0x80000000).toFixed(11);
}

function matchText(m: NfMatch): string {
  switch (m.kind) {
    case "tcp":
    case "udp": {
      let s = `-m ${m.kind}`;
      if (m.sport) s += ` ${neg(m.sport.neg)}--sport ${range(m.sport)}`;
      if (m.dport) s += ` ${neg(m.dport.neg)}--dport ${range(m.dport)}`;
      if (m.tcpFlags) {
        const mask = m.tcpFlags.mask.length ? m.tcpFlags.mask.join(",") : "NONE";
        const comp = m.tcpFlags.comp.length ? m.tcpFlags.comp.join(",") : "NONE";
        s += ` ${neg(m.tcpFlags.neg)}--tcp-flags ${mask} ${comp}`;
      } else if (m.syn) s += ` ${neg(m.syn.neg)}--tcp-flags FIN,SYN,RST,ACK SYN`;
      return s;
    }
    case "icmp": {
      if (!m.icmpType) return "-m icmp";
      const t = m.icmpType;
      return `-m icmp ${neg(t.neg)}--icmp-type ${t.type === 255 ? "any" : t.code === undefined ? t.type : `${t.type}/${t.code}`}`;
    }
    case "multiport": {
      const [opt, list] = m.ports ? ["ports", m.ports] : m.sports ? ["sports", m.sports] : ["dports", m.dports ?? []];
      return `-m multiport ${neg(m.neg)}--${opt} ${list.map(range).join(",")}`;
    }
    case "addrtype": {
      let s = "-m addrtype";
      if (m.srcType) s += ` ${neg(m.srcType.neg)}--src-type ${m.srcType.types.join(",")}`;
      if (m.dstType) s += ` ${neg(m.dstType.neg)}--dst-type ${m.dstType.types.join(",")}`;
      if (m.limitIfaceIn) s += " --limit-iface-in";
      if (m.limitIfaceOut) s += " --limit-iface-out";
      return s;
    }
    case "conntrack": {
      let s = "-m conntrack";
      if (m.ctstate) s += ` ${neg(m.ctstate.neg)}--ctstate ${m.ctstate.states.join(",")}`;
      if (m.ctorigdst) s += ` ${neg(m.ctorigdst.neg)}--ctorigdst ${m.ctorigdst.addr}${m.ctorigdst.plen === 32 ? "" : `/${m.ctorigdst.plen}`}`;
      if (m.ctorigdstport) s += ` ${neg(m.ctorigdstport.neg)}--ctorigdstport ${range(m.ctorigdstport)}`;
      return s;
    }
    case "state":
      return `-m state ${neg(m.neg)}--state ${m.states.join(",")}`;
    case "statistic":
      if (m.mode === "random") return `-m statistic --mode random ${neg(m.neg)}--probability ${probability(m.probabilityU32)}`;
      return `-m statistic --mode nth ${neg(m.neg)}--every ${m.every} --packet ${m.packet}`;
    case "comment":
      return `-m comment --comment ${saveString(m.comment)}`;
    case "mark":
      return `-m mark ${neg(m.neg)}--mark ${hex(m.value)}${m.mask === 0xffffffff ? "" : `/${hex(m.mask)}`}`;
    case "physdev": {
      let s = "-m physdev";
      if (m.physdevIn) s += ` ${neg(m.physdevIn.neg)}--physdev-in ${m.physdevIn.name}`;
      if (m.physdevOut) s += ` ${neg(m.physdevOut.neg)}--physdev-out ${m.physdevOut.name}`;
      if (m.physdevIsBridged) s += ` ${neg(m.physdevIsBridged.neg)}--physdev-is-bridged`;
      return s;
    }
    case "recent":
      return `-m recent ${m.raw.join(" ")}`;
    case "set":
      // libxt_set.c set_save_v4: `[!] --match-set NAME FLAGS`, then the options it was given.
      return `-m set ${neg(m.neg)}--match-set ${m.name} ${m.flags.join(",")}${m.returnNomatch ? " --return-nomatch" : ""}${m.noUpdateCounters ? " ! --update-counters" : ""}${m.noUpdateSubcounters ? " ! --update-subcounters" : ""}`;
  }
}

/** NAT range as iptables prints it: `ADDR[-ADDR][:PORT[-PORT]]`. */
export function natRange(addr: string | undefined, addrEnd: string | undefined, port: number | undefined, portEnd: number | undefined): string {
  let s = addr ?? "";
  if (addrEnd) s += `-${addrEnd}`;
  if (port !== undefined) s += `:${port}${portEnd !== undefined && portEnd !== port ? `-${portEnd}` : ""}`;
  return s;
}

/** The `-j TARGET options` part of a rule. */
/** Port range of REDIRECT/MASQUERADE `--to-ports`: `PORT[-PORT]`. */
export function portRange(port?: number, portEnd?: number): string {
  return `${port}${portEnd !== undefined && portEnd !== port ? `-${portEnd}` : ""}`;
}

export function targetText(t: NfTarget): string {
  switch (t.kind) {
    case "ACCEPT":
    case "DROP":
    case "RETURN":
    case "TRACE":
    case "NOTRACK":
      return `-j ${t.kind}`;
    case "jump":
      return `-j ${t.chain}`;
    case "goto":
      return `-g ${t.chain}`;
    case "REJECT":
      return `-j REJECT --reject-with ${t.rejectWith}`;
    case "DNAT":
      return `-j DNAT --to-destination ${natRange(t.toAddr, t.toAddrEnd, t.toPort, t.toPortEnd)}${t.random ? " --random" : ""}${t.persistent ? " --persistent" : ""}`;
    case "SNAT":
      return `-j SNAT --to-source ${natRange(t.toAddr, t.toAddrEnd, t.toPort, t.toPortEnd)}${t.random ? " --random" : ""}${t.randomFully ? " --random-fully" : ""}${t.persistent ? " --persistent" : ""}`;
    case "MASQUERADE": {
      let s = "-j MASQUERADE";
      if (t.toPort !== undefined) s += ` --to-ports ${portRange(t.toPort, t.toPortEnd)}`;
      if (t.random) s += " --random";
      if (t.randomFully) s += " --random-fully";
      return s;
    }
    case "REDIRECT":
      return `-j REDIRECT${t.toPort !== undefined ? ` --to-ports ${portRange(t.toPort, t.toPortEnd)}` : ""}${t.random ? " --random" : ""}`;
    case "MARK":
      return `-j MARK --set-xmark ${hex(t.value)}/${hex(t.mask)}`;
    case "CONNMARK":
      return `-j CONNMARK ${t.raw.join(" ")}`;
    case "LOG": {
      let s = "-j LOG";
      if (t.prefix !== undefined) s += ` --log-prefix ${saveString(t.prefix)}`;
      if (t.level !== undefined && t.level !== "4") s += ` --log-level ${t.level}`;
      return s;
    }
  }
}

/** The rule as `iptables -S` prints it, starting with `-A CHAIN`; `withCounters` adds iptables-save -c's `-c P B`. */
export function ruleText(chain: string, r: NfRule, withCounters = false): string {
  const parts = [`-A ${chain}`];
  if (r.src) parts.push(`${neg(r.src.neg)}-s ${r.src.addr}/${r.src.plen}`);
  if (r.dst) parts.push(`${neg(r.dst.neg)}-d ${r.dst.addr}/${r.dst.plen}`);
  if (r.inIface) parts.push(`${neg(r.inIface.neg)}-i ${r.inIface.name}`);
  if (r.outIface) parts.push(`${neg(r.outIface.neg)}-o ${r.outIface.name}`);
  if (r.proto) parts.push(`${neg(r.proto.neg)}-p ${r.proto.name}`);
  if (r.fragment) parts.push(`${neg(r.fragment.neg)}-f`);
  for (const m of r.matches) parts.push(matchText(m));
  if (withCounters) parts.push(`-c ${r.counters.packets} ${r.counters.bytes}`);
  if (r.target) parts.push(targetText(r.target));
  return parts.join(" ");
}
