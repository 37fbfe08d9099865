/** Prints kernel netfilter tables the way iptables-save lays them out (only the shapes dockerd writes), for tests. */
import type { NfRule, NfTable } from "../../src/sim/kernel/api.js";

function rule(chain: string, r: NfRule): string {
  const p: string[] = [`-A ${chain}`];
  const addr = (flag: string, a: { addr: string; plen: number; neg: boolean }) => p.push(`${a.neg ? "! " : ""}${flag} ${a.addr}/${a.plen}`);
  if (r.src) addr("-s", r.src);
  if (r.dst) addr("-d", r.dst);
  if (r.inIface) p.push(`${r.inIface.neg ? "! " : ""}-i ${r.inIface.name}`);
  if (r.outIface) p.push(`${r.outIface.neg ? "! " : ""}-o ${r.outIface.name}`);
  if (r.proto && r.proto.name !== "all") p.push(`-p ${r.proto.name}`);
  for (const m of r.matches) {
    if (m.kind === "tcp" || m.kind === "udp") p.push(`-m ${m.kind} --dport ${m.dport!.from}`);
    else if (m.kind === "addrtype") p.push(`-m addrtype --dst-type ${m.dstType!.types.join(",")}`);
    else if (m.kind === "conntrack") p.push(`-m conntrack --ctstate ${m.ctstate!.states.join(",")}`);
    else p.push(`-m ${m.kind}`);
  }
  const t = r.target;
  if (t?.kind === "jump") p.push(`-j ${t.chain}`);
  else if (t?.kind === "DNAT") p.push(`-j DNAT --to-destination ${t.toAddr}:${t.toPort}`);
  else if (t) p.push(`-j ${t.kind}`);
  return p.join(" ");
}

/** `iptables-save -t TABLE` without the comment lines. */
export function save(t: NfTable): string {
  const out = [`*${t.name}`];
  for (const c of t.chains) out.push(`:${c.name} ${c.policy ?? "-"} [0:0]`);
  for (const c of t.chains) for (const r of c.rules) out.push(rule(c.name, r));
  out.push("COMMIT");
  return out.join("\n");
}

/** The lines of one table in a real iptables-save capture (comments dropped). */
export function captured(text: string, table: string): string {
  const lines = text.split("\n");
  const start = lines.indexOf(`*${table}`);
  const end = lines.indexOf("COMMIT", start);
  return lines.slice(start, end + 1).join("\n");
}
