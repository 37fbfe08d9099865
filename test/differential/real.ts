/**
 * Runs a differential case on the real kernel of this machine as one bash script: setup commands
 * (failures reported with their index), the probes at once in the background, each cut at 1.5 s
 * (`timeout`, exit 124; an answer on a namespace link takes well under a millisecond, the rest
 * is room for process start-up on a loaded machine; ping -W 1 gives up by itself first), then
 * every namespace's conntrack table. An EXIT trap kills what runs in the namespaces and deletes
 * them and the web roots, also when the script fails or is killed.
 */
import { execa } from "execa";
import { namespaces, observeCommands, probeCommand, setupSteps, type Case } from "./case.js";
import { classifyProbe, conntrackFlows, type Observation } from "./observe.js";
import { shellQuote } from "./quote.js";

/** Whether this process can run cases on the real kernel, and if not, why. */
export async function realKernelAvailable(): Promise<{ ok: true } | { ok: false; reason: string }> {
  if (process.env.LAB_DIFF_LIVE === "0") return { ok: false, reason: "LAB_DIFF_LIVE=0" };
  if (process.getuid?.() !== 0) return { ok: false, reason: "not root (ip netns needs root)" };
  for (const tool of ["ip", "iptables", "conntrack", "busybox", "timeout"]) {
    const r = await execa("sh", ["-c", `command -v ${tool}`], { reject: false });
    if (r.exitCode !== 0) return { ok: false, reason: `${tool} is not installed` };
  }
  const probe = await execa("sh", ["-c", "ip netns add labdiff-probe && ip netns del labdiff-probe"], { reject: false, all: true });
  if (probe.exitCode !== 0) return { ok: false, reason: `ip netns does not work here: ${probe.all}` };
  return { ok: true };
}

/**
 * The setup as few processes as possible (each costs ~20 ms here): one `ip -b` for the
 * namespaces, then per namespace one `ip netns exec NS sh` that writes its sysctls to /proc,
 * runs its `ip` steps as one batch and starts its servers, and one iptables-restore of its rules
 * (the same parser as iptables, so the same rules). Equivalent to setupCommands() step by step.
 */
export function fastSetupScript(c: Case, prefix: string): string[] {
  const steps = setupSteps(c, prefix);
  const lines: string[] = [];
  const netns = steps.filter((s) => s.kind === "netns").map((s) => `netns add ${s.name}`);
  lines.push(`printf '%s\\n' ${netns.map(shellQuote).join(" ")} | ip -b - >/dev/null 2>&1 || echo "@@setupfail netns"`);
  for (const s of steps.filter((x) => x.kind === "www")) {
    lines.push(`mkdir -p ${s.dir} && echo ${s.content} > ${s.dir}/index.html || echo "@@setupfail www ${s.dir}"`);
  }
  for (const ns of namespaces(c, prefix)) {
    const mine = steps.filter((s) => "ns" in s && s.ns === ns);
    const inner: string[] = ["set -e"];
    for (const s of mine) if (s.kind === "sysctl") inner.push(`echo ${s.value} > /proc/sys/${s.key.replace(/\./g, "/")}`);
    const ipArgs = mine.flatMap((s) => (s.kind === "ip" ? [s.args] : []));
    if (ipArgs.length > 0) inner.push(`printf '%s\\n' ${ipArgs.map(shellQuote).join(" ")} | ip -b -`);
    for (const s of mine) if (s.kind === "httpd") inner.push(`httpd -p ${s.port} -h ${s.dir}`);
    lines.push(`out=$(ip netns exec ${ns} sh -c ${shellQuote(inner.join("\n"))} 2>&1) || echo "@@setupfail ${ns}: $out"`);
  }
  for (const ns of namespaces(c, prefix)) {
    const rules = steps.flatMap((s) => (s.kind === "iptables" && s.ns === ns ? [s.args] : []));
    const restore = iptablesRestoreText(rules);
    lines.push(`out=$(printf '%s' ${shellQuote(restore)} | ip netns exec ${ns} iptables-restore 2>&1) || echo "@@setupfail ${ns} rules: $out"`);
  }
  return lines;
}

/** iptables-restore input for `[-t TABLE] -A|-P ...` argument lists (tables filter and nat). */
export function iptablesRestoreText(rules: string[]): string {
  const tables: Record<string, { policies: Record<string, string>; rules: string[] }> = {};
  const chains: Record<string, string[]> = { filter: ["INPUT", "FORWARD", "OUTPUT"], nat: ["PREROUTING", "INPUT", "OUTPUT", "POSTROUTING"] };
  for (const raw of rules) {
    const m = /^(?:-t (\w+) )?(.*)$/.exec(raw)!;
    const table = m[1] ?? "filter";
    const t = (tables[table] ??= { policies: {}, rules: [] });
    const pol = /^-P (\S+) (\S+)$/.exec(m[2]!);
    if (pol) t.policies[pol[1]!] = pol[2]!;
    else t.rules.push(m[2]!);
  }
  let out = "";
  for (const [name, t] of Object.entries(tables)) {
    out += `*${name}\n`;
    for (const chain of chains[name] ?? []) out += `:${chain} ${t.policies[chain] ?? "ACCEPT"} [0:0]\n`;
    for (const r of t.rules) out += `${r}\n`;
    out += "COMMIT\n";
  }
  return out;
}

/** Runs one case under `prefix` (namespaces PREFIXr, PREFIXa, ...) and returns what it saw. */
export async function runReal(c: Case, prefix: string, binDir: string): Promise<Observation> {
  const all = namespaces(c, prefix);
  const lines: string[] = [
    `export PATH=${binDir}:$PATH LC_ALL=C`,
    `cleanup() { for ns in ${all.join(" ")}; do ip netns pids $ns 2>/dev/null | xargs -r kill 2>/dev/null; done; ` +
      `printf 'netns del %s\\n' ${all.join(" ")} | ip -force -b - >/dev/null 2>&1; rm -rf /tmp/${prefix}www-*; }`,
    "trap cleanup EXIT; trap 'exit 130' INT TERM",
    "cleanup",
    ...fastSetupScript(c, prefix),
  ];
  const tmp = `/tmp/${prefix}probe`;
  c.probes.forEach((p, k) => {
    lines.push(`( timeout 1.5 ${probeCommand(p, prefix)} > ${tmp}-${k} 2>&1; echo "@@rc $?" >> ${tmp}-${k} ) &`);
  });
  lines.push("wait");
  c.probes.forEach((_p, k) => lines.push(`echo "@@probe ${k}"; cat ${tmp}-${k}; rm -f ${tmp}-${k}`));
  for (const [id, cmd] of observeCommands(c, prefix)) lines.push(`echo "@@ct ${id}"; ${cmd} 2>/dev/null`);
  const r = await execa("bash", ["-c", lines.join("\n")], { reject: false, all: true, timeout: 60_000 });
  return parseRealOutput(c, r.all ?? "");
}

function parseRealOutput(c: Case, text: string): Observation {
  const obs: Observation = { setupFailures: [], probes: [], conntrack: {} };
  let section: { kind: "probe"; k: number; lines: string[] } | { kind: "ct"; id: string; lines: string[] } | undefined;
  const flush = () => {
    if (!section) return;
    if (section.kind === "probe") {
      const rcLine = [...section.lines].reverse().find((l) => l.startsWith("@@rc "));
      const rc = rcLine ? Number(rcLine.slice(5)) : -1;
      const out = section.lines.filter((l) => !l.startsWith("@@rc ")).join("\n");
      obs.probes[section.k] = classifyProbe(c.probes[section.k]!, out, rc);
    } else {
      obs.conntrack[section.id] = conntrackFlows(section.lines.join("\n"));
    }
  };
  for (const line of text.split("\n")) {
    let m: RegExpExecArray | null;
    if ((m = /^@@setupfail (.*)$/.exec(line))) obs.setupFailures.push(m[1]!);
    else if ((m = /^@@probe (\d+)$/.exec(line))) { flush(); section = { kind: "probe", k: Number(m[1]), lines: [] }; }
    else if ((m = /^@@ct (\w+)$/.exec(line))) { flush(); section = { kind: "ct", id: m[1]!, lines: [] }; }
    else section?.lines.push(line);
  }
  flush();
  return obs;
}

/** Creates a directory whose ping, wget, httpd and nslookup are busybox's applets; returns it. */
export async function busyboxBin(dir: string): Promise<string> {
  await execa("sh", ["-c", `mkdir -p ${shellQuote(dir)} && for a in ping wget httpd nslookup; do ln -sf "$(command -v busybox)" ${shellQuote(dir)}/$a; done`]);
  return dir;
}
