/**
 * A reference renderer of NfTable in iptables-save's canonical form, for k8s tests only (the real
 * printer is the iptables program's). It follows iptables/iptables.c print_rule4 + xshared.c:
 * -A CHAIN, -s, -d, -i, -o, -p, matches in order, -j target; user chains sorted by strcmp.
 */
import type { NfMatch, NfRule, NfTable, NfTarget } from "../../src/sim/kernel/api.js";
import { formatStoredProbability } from "../../src/sim/k8s/kubeproxy/probability.js";

const quote = (s: string) => (/^[_\-0-9a-zA-Z]+$/.test(s) ? s : `"${s.replace(/(["\\'])/g, "\\$1")}"`);
const hex = (n: number) => `0x${n.toString(16)}`;

function match(m: NfMatch): string {
  switch (m.kind) {
    case "comment":
      return `-m comment --comment ${quote(m.comment)}`;
    case "tcp":
    case "udp":
      return `-m ${m.kind}` + (m.dport ? ` --dport ${m.dport.from}` : "");
    case "statistic":
      return m.mode === "random" ? `-m statistic --mode random --probability ${formatStoredProbability(m.probabilityU32)}` : "-m statistic";
    case "mark":
      return `-m mark ${m.neg ? "! " : ""}--mark ${hex(m.value)}${m.mask === 0xffffffff ? "" : "/" + hex(m.mask)}`;
    case "addrtype":
      return `-m addrtype${m.srcType ? ` --src-type ${m.srcType.types.join(",")}` : ""}${m.dstType ? ` --dst-type ${m.dstType.types.join(",")}` : ""}`;
    case "conntrack":
      return `-m conntrack ${m.ctstate!.neg ? "! " : ""}--ctstate ${m.ctstate!.states.join(",")}`;
    default:
      return `-m ${m.kind}`;
  }
}

function target(t: NfTarget): string {
  switch (t.kind) {
    case "jump":
      return `-j ${t.chain}`;
    case "goto":
      return `-g ${t.chain}`;
    case "DNAT":
      return `-j DNAT --to-destination ${t.toAddr}${t.toPort ? `:${t.toPort}` : ""}`;
    case "MASQUERADE":
      return `-j MASQUERADE${t.randomFully ? " --random-fully" : ""}`;
    case "MARK":
      return `-j MARK --set-xmark ${hex(t.value)}/${hex(t.mask)}`;
    case "REJECT":
      return `-j REJECT --reject-with ${t.rejectWith}`;
    default:
      return `-j ${t.kind}`;
  }
}

/** One rule as iptables-save prints it. */
export function saveRule(chain: string, r: NfRule): string {
  const p: string[] = [`-A ${chain}`];
  if (r.src) p.push(`${r.src.neg ? "! " : ""}-s ${r.src.addr}/${r.src.plen}`);
  if (r.dst) p.push(`${r.dst.neg ? "! " : ""}-d ${r.dst.addr}/${r.dst.plen}`);
  if (r.inIface) p.push(`${r.inIface.neg ? "! " : ""}-i ${r.inIface.name}`);
  if (r.outIface) p.push(`${r.outIface.neg ? "! " : ""}-o ${r.outIface.name}`);
  if (r.proto) p.push(`${r.proto.neg ? "! " : ""}-p ${r.proto.name}`);
  for (const m of r.matches) p.push(match(m));
  if (r.target) p.push(target(r.target));
  return p.join(" ");
}

/** The body of `iptables-save -t TABLE` between `*table` and `COMMIT` (counters [0:0]). */
export function saveTable(t: NfTable): string {
  const builtin = t.chains.filter((c) => c.policy !== undefined);
  const user = t.chains.filter((c) => c.policy === undefined).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const lines = [`*${t.name}`];
  for (const c of builtin) lines.push(`:${c.name} ${c.policy} [0:0]`);
  for (const c of user) lines.push(`:${c.name} - [0:0]`);
  for (const c of [...builtin, ...user]) for (const r of c.rules) lines.push(saveRule(c.name, r));
  lines.push("COMMIT");
  return lines.join("\n") + "\n";
}
