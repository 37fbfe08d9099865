/**
 * Random differential cases: a router namespace R with 2–3 leaf namespaces (each on its own veth
 * link, or several on one bridge in R), addresses, default routes, ip_forward, busybox httpd
 * listeners in the leaves, filter rules (ACCEPT/DROP/REJECT), NAT rules (DNAT, SNAT,
 * MASQUERADE) and probes (ping, TCP via wget, UDP via nslookup). A case renders to plain shell
 * command lines, the same for the real kernel and the simulator.
 *
 *          leaf a 10.10.0.2 ── r-a 10.10.0.1 ┐
 *          leaf b 10.11.0.2 ── r-b 10.11.0.1 ├─ R (ip_forward, filter + nat rules)
 *   leaf c 10.20.0.12 ── r-c ─┐              │
 *   leaf d 10.20.0.13 ── r-d ─┴─ br0 10.20.0.1┘   VIP 10.99.0.1 exists only as a DNAT target
 */
import fc from "fast-check";

export type Attach = "veth" | "bridge";

export interface Leaf {
  /** One letter, also the server's page content prefix. */
  id: string;
  attach: Attach;
  /** The leaf's address on its eth0. */
  addr: string;
  /** R's address facing this leaf (the leaf's gateway). */
  gw: string;
  /** The interface iptables in R sees for this leaf's traffic (r-X, or br0 for bridged leaves). */
  rIface: string;
  defaultRoute: boolean;
  /** TCP ports that busybox httpd listens on in this leaf. */
  ports: number[];
}

export interface Probe {
  from: string;
  kind: "ping" | "tcp" | "udp";
  dst: string;
  port?: number;
}

export interface Case {
  leaves: Leaf[];
  forward: boolean;
  forwardPolicy: "ACCEPT" | "DROP";
  /** Rules in R, as iptables arguments after `iptables`. */
  rules: string[];
  /** Rules in leaves: [leaf id, iptables arguments]. */
  leafRules: Array<[string, string]>;
  probes: Probe[];
}

export const VIP = "10.99.0.1";
const LETTERS = ["a", "b", "c"];

const pick = <T>(xs: readonly T[]) => fc.constantFrom(...xs);

/** Leaves: attachment kinds decide addresses (veth leaves get their own /24, bridged ones share 10.20.0.0/24). */
function leavesArb(): fc.Arbitrary<Leaf[]> {
  return fc
    .array(
      fc.record({
        attach: pick<Attach>(["veth", "veth", "bridge"]),
        routeBias: fc.integer({ min: 0, max: 9 }),
        ports: fc.subarray([80, 8080], { minLength: 1 }),
      }),
      { minLength: 2, maxLength: 3 },
    )
    .map((specs) =>
      specs.map((s, i): Leaf => {
        const id = LETTERS[i]!;
        const bridged = s.attach === "bridge";
        return {
          id,
          attach: s.attach,
          addr: bridged ? `10.20.0.${12 + i}` : `10.${10 + i}.0.2`,
          gw: bridged ? "10.20.0.1" : `10.${10 + i}.0.1`,
          rIface: bridged ? "br0" : `r-${id}`,
          defaultRoute: s.routeBias > 0,
          ports: s.ports,
        };
      }),
    );
}

function ruleArb(leaves: Leaf[]): fc.Arbitrary<string> {
  const addrs = [...leaves.map((l) => l.addr), ...leaves.map((l) => `${l.addr.split(".").slice(0, 3).join(".")}.0/24`)];
  const ifaces = [...new Set(leaves.map((l) => l.rIface))];
  const filter = fc
    .record({
      chain: pick(["FORWARD", "FORWARD", "INPUT"]),
      proto: pick(["", "icmp", "tcp", "udp"]),
      dport: pick([80, 8080, 53]),
      useDport: fc.boolean(),
      src: fc.option(pick(addrs), { nil: undefined }),
      dst: fc.option(pick(addrs), { nil: undefined }),
      inIf: fc.option(pick(ifaces), { nil: undefined, freq: 3 }),
      target: pick(["ACCEPT", "DROP", "REJECT"]),
    })
    .map((r) => {
      const parts = ["-A", r.chain];
      if (r.src) parts.push("-s", r.src);
      if (r.dst) parts.push("-d", r.dst);
      if (r.inIf) parts.push("-i", r.inIf);
      if (r.proto) parts.push("-p", r.proto);
      if ((r.proto === "tcp" || r.proto === "udp") && r.useDport) parts.push("--dport", String(r.dport));
      parts.push("-j", r.target);
      return parts.join(" ");
    });
  const dnat = fc
    .record({
      to: pick(leaves),
      viaVip: fc.boolean(),
      kind: pick(["tcp", "tcp", "udp", "icmp"]),
      dport: pick([80, 8080, 8888]),
      toPort: fc.option(pick([80, 8080, 53]), { nil: undefined }),
      gwOf: pick(leaves),
    })
    .map((r) => {
      const d = r.viaVip ? VIP : r.gwOf.gw;
      if (r.kind === "icmp") return `-t nat -A PREROUTING -d ${d} -p icmp -j DNAT --to-destination ${r.to.addr}`;
      const port = r.kind === "udp" ? 53 : r.dport;
      const to = r.toPort && r.kind === "tcp" ? `${r.to.addr}:${r.toPort}` : r.to.addr;
      return `-t nat -A PREROUTING -d ${d} -p ${r.kind} --dport ${port} -j DNAT --to-destination ${to}`;
    });
  const snat = fc
    .record({ out: pick(leaves), masq: fc.boolean(), bySource: fc.option(pick(leaves), { nil: undefined }) })
    .map((r) => {
      const src = r.bySource ? ` -s ${r.bySource.addr}` : "";
      return r.masq
        ? `-t nat -A POSTROUTING${src} -o ${r.out.rIface} -j MASQUERADE`
        : `-t nat -A POSTROUTING${src} -o ${r.out.rIface} -j SNAT --to-source ${r.out.gw}`;
    });
  return fc.oneof({ arbitrary: filter, weight: 3 }, { arbitrary: dnat, weight: 2 }, { arbitrary: snat, weight: 2 });
}

function probeArb(leaves: Leaf[]): fc.Arbitrary<Probe> {
  const dsts = [...leaves.map((l) => l.addr), ...new Set(leaves.map((l) => l.gw)), VIP];
  return fc
    .record({ from: pick(leaves), kind: pick(["ping", "tcp", "tcp", "udp"] as const), dst: pick(dsts), port: pick([80, 8080, 81, 8888]) })
    .filter((p) => p.dst !== p.from.addr)
    .map((p) => ({ from: p.from.id, kind: p.kind, dst: p.dst, ...(p.kind === "tcp" ? { port: p.port } : {}) }));
}

/** The arbitrary of whole cases. */
export function caseArb(): fc.Arbitrary<Case> {
  return leavesArb().chain((leaves) =>
    fc.record({
      leaves: fc.constant(leaves),
      forward: fc.integer({ min: 0, max: 9 }).map((n) => n > 0),
      forwardPolicy: pick(["ACCEPT", "ACCEPT", "DROP"] as const),
      rules: fc.array(ruleArb(leaves), { maxLength: 4 }),
      leafRules: fc.array(
        fc.tuple(pick(leaves.map((l) => l.id)), pick(["-A INPUT -p tcp --dport 80 -j DROP", "-A INPUT -p tcp --dport 80 -j REJECT", "-A INPUT -p icmp -j DROP", "-A INPUT -p udp -j REJECT"])),
        { maxLength: 1 },
      ),
      probes: fc.array(probeArb(leaves), { minLength: 2, maxLength: 4 }),
    }),
  );
}

/** Namespace name of a leaf or of the router ("r") under a prefix. */
export const nsName = (prefix: string, id: string) => `${prefix}${id}`;

/** Every namespace a case creates. */
export function namespaces(c: Case, prefix: string): string[] {
  return [nsName(prefix, "r"), ...c.leaves.map((l) => nsName(prefix, l.id))];
}

/** One setup step; the simulator runs its plain command, the real runner may batch steps. */
export type Step =
  | { kind: "netns"; name: string }
  | { kind: "sysctl"; ns: string; key: string; value: string }
  | { kind: "ip"; ns: string; args: string }
  | { kind: "www"; dir: string; content: string }
  | { kind: "httpd"; ns: string; port: number; dir: string }
  | { kind: "iptables"; ns: string; args: string };

/** The setup steps in order (each must succeed on both sides). */
export function setupSteps(c: Case, prefix: string): Step[] {
  const r = nsName(prefix, "r");
  const steps: Step[] = namespaces(c, prefix).map((name) => ({ kind: "netns", name }));
  steps.push({ kind: "sysctl", ns: r, key: "net.ipv4.ip_forward", value: c.forward ? "1" : "0" });
  if (c.leaves.some((l) => l.attach === "bridge")) {
    steps.push({ kind: "ip", ns: r, args: "link add br0 type bridge" }, { kind: "ip", ns: r, args: "addr add 10.20.0.1/24 dev br0" }, { kind: "ip", ns: r, args: "link set br0 up" });
    steps.push({ kind: "sysctl", ns: r, key: "net.bridge.bridge-nf-call-iptables", value: "1" });
  }
  for (const l of c.leaves) {
    const ns = nsName(prefix, l.id);
    steps.push({ kind: "ip", ns: r, args: `link add r-${l.id} type veth peer name eth0 netns ${ns}` });
    if (l.attach === "bridge") steps.push({ kind: "ip", ns: r, args: `link set r-${l.id} master br0 up` });
    else steps.push({ kind: "ip", ns: r, args: `addr add ${l.gw}/24 dev r-${l.id}` }, { kind: "ip", ns: r, args: `link set r-${l.id} up` });
  }
  for (const l of c.leaves) {
    const ns = nsName(prefix, l.id);
    steps.push({ kind: "sysctl", ns, key: "net.ipv4.ip_forward", value: "0" });
    steps.push({ kind: "ip", ns, args: `addr add ${l.addr}/24 dev eth0` }, { kind: "ip", ns, args: "link set eth0 up" }, { kind: "ip", ns, args: "link set lo up" });
    if (l.defaultRoute) steps.push({ kind: "ip", ns, args: `route add default via ${l.gw}` });
    for (const port of l.ports) {
      const dir = `/tmp/${prefix}www-${l.id}-${port}`;
      steps.push({ kind: "www", dir, content: `${l.id}:${port}` }, { kind: "httpd", ns, port, dir });
    }
  }
  // A rule without a target only counts; this one also switches conntrack on in the namespace,
  // which the kernel otherwise leaves off until some rule needs it.
  for (const ns of namespaces(c, prefix)) steps.push({ kind: "iptables", ns, args: "-A INPUT -m conntrack --ctstate INVALID" });
  steps.push({ kind: "iptables", ns: r, args: `-P FORWARD ${c.forwardPolicy}` });
  for (const rule of c.rules) steps.push({ kind: "iptables", ns: r, args: rule });
  for (const [id, rule] of c.leafRules) steps.push({ kind: "iptables", ns: nsName(prefix, id), args: rule });
  return steps;
}

/** A step as the command lines a person would type. */
export function stepCommands(s: Step): string[] {
  switch (s.kind) {
    case "netns": return [`ip netns add ${s.name}`];
    case "sysctl": return [`ip netns exec ${s.ns} sysctl -q -w ${s.key}=${s.value}`];
    case "ip": return [`ip -n ${s.ns} ${s.args}`];
    case "www": return [`mkdir -p ${s.dir}`, `echo ${s.content} > ${s.dir}/index.html`];
    case "httpd": return [`ip netns exec ${s.ns} httpd -p ${s.port} -h ${s.dir}`];
    case "iptables": return [`ip netns exec ${s.ns} iptables ${s.args}`];
  }
}

/** The setup command lines (each must succeed on both sides). */
export function setupCommands(c: Case, prefix: string): string[] {
  return setupSteps(c, prefix).flatMap(stepCommands);
}

/** The probe's command line (without any time limit; the real runner adds one). */
export function probeCommand(p: Probe, prefix: string): string {
  const ns = nsName(prefix, p.from);
  switch (p.kind) {
    case "ping":
      return `ip netns exec ${ns} ping -c 1 -W 1 ${p.dst}`;
    case "tcp":
      return `ip netns exec ${ns} wget -q -O - http://${p.dst}:${p.port}/`;
    case "udp":
      return `ip netns exec ${ns} nslookup probe.lab ${p.dst}`;
  }
}

/** Commands that list each namespace's conntrack table after the probes. */
export function observeCommands(c: Case, prefix: string): Array<[string, string]> {
  return namespaces(c, prefix).map((ns) => [ns.slice(prefix.length), `ip netns exec ${ns} conntrack -L`]);
}

/** Cleanup: processes in the namespaces (httpd), the namespaces, the web roots. */
export function cleanupCommands(c: Case, prefix: string): string[] {
  const cmds: string[] = [];
  for (const ns of namespaces(c, prefix)) cmds.push(`ip netns pids ${ns} | xargs -r kill`, `ip netns del ${ns}`);
  cmds.push(`rm -rf /tmp/${prefix}www-*`);
  return cmds;
}

/** The case as one readable script (printed when a case fails). */
export function caseScript(c: Case, prefix: string): string {
  return [
    "# setup",
    ...setupCommands(c, prefix),
    "# probes",
    ...c.probes.map((p) => probeCommand(p, prefix)),
    "# observations",
    ...observeCommands(c, prefix).map(([, cmd]) => cmd),
    "# cleanup",
    ...cleanupCommands(c, prefix),
  ].join("\n");
}
