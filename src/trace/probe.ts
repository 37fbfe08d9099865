/**
 * Sending one probe through a simulated world: the probe is an ordinary program run in the
 * context's shell (busybox ping, nc, nslookup), so it takes the simulator's normal socket,
 * routing, netfilter and link paths; the kernel's trace of that one exchange is then explained.
 */
import type { SimWorld } from "../sim/api.js";
import { explain } from "../sim/trace/explain.js";
import type { ExplainedTrace, TraceStep } from "../sim/trace/types.js";

export type ProbeProto = "tcp" | "udp" | "icmp";

export interface ProbeSpec {
  context: string;
  /** A named namespace of the context to send from (`ip netns exec NAME ...`). */
  netns?: string;
  addr: string;
  port?: number;
  proto: ProbeProto;
}

/** What the probe did: the program's own output and the explained trace. */
export interface ProbeResult {
  title: string;
  command: string;
  exitCode: number;
  output: string;
  trace: ExplainedTrace;
}

/** The shell command line that sends `spec`'s packet (busybox tools, one packet's exchange). */
export function probeCommand(spec: ProbeSpec): string {
  return (spec.netns !== undefined ? `ip netns exec ${spec.netns} ` : "") + program(spec);
}

function program(spec: ProbeSpec): string {
  switch (spec.proto) {
    case "icmp":
      return `ping -c 1 -W 1 ${spec.addr}`;
    case "tcp":
      return `nc -w 1 ${spec.addr} ${spec.port ?? 80}`;
    case "udp":
      // busybox nslookup is the simulator's UDP client; it talks to port 53 only.
      return `nslookup -timeout=1 lab-trace.invalid ${spec.addr}`;
  }
}

/** One-line description of the probe (`tcp from host to 172.17.0.1:1234`). */
export function probeTitle(spec: ProbeSpec): string {
  const port = spec.proto === "icmp" ? "" : `:${spec.port ?? (spec.proto === "udp" ? 53 : 80)}`;
  return `${spec.proto} from ${spec.context}${spec.netns !== undefined ? ` (netns ${spec.netns})` : ""} to ${spec.addr}${port}`;
}

/** Sends the probe from its context and explains the trace of that exchange alone. */
export async function sendProbe(world: SimWorld, spec: ProbeSpec): Promise<ProbeResult> {
  const session = world.session(spec.context);
  // Recorded for the probe alone (a world records no trace while nobody reads it).
  const was = world.tracing?.(true);
  try {
    return await probeTraced(world, session, spec);
  } finally {
    if (was !== undefined) world.tracing?.(was);
  }
}

async function probeTraced(world: SimWorld, session: ReturnType<SimWorld["session"]>, spec: ProbeSpec): Promise<ProbeResult> {
  world.traceTake();
  const command = probeCommand(spec);
  const r = await session.exec(command, { stdin: "", timeoutMs: 10_000 });
  if (r.exitCode === 127 || /^ip netns exec|Cannot open network namespace/m.test(r.output)) {
    // The probe program itself could not run: say so rather than explain an empty trace.
    if (/Cannot open network namespace|not found/.test(r.output)) throw new ProbeError(r.output.trim());
  }
  const events = world.traceTake();
  let trace = explain(events);
  if (trace.disposition.kind === "lost" && events.length > 0) {
    // No answer yet: the kernel may still be resolving the next hop (3 ARP probes a second
    // apart). Let that much virtual time pass and read the rest of the packet's story.
    await session.exec("sleep 3");
    trace = explain([...events, ...world.traceTake()]);
  }
  if (trace.disposition.kind === "lost" && trace.probe.length === 0) {
    // Nothing left the socket: the program's own error says why (ping: sendto: Network unreachable).
    const why = r.output.split("\n").find((l) => /unreachable|No route to host/i.test(l));
    if (why) trace = { ...trace, disposition: { kind: /Network (is )?unreachable/.test(why) ? "no-route" : "lost", reason: `the sender's kernel refused it: ${why.trim()}` } };
  }
  return { title: probeTitle(spec), command, exitCode: r.exitCode, output: r.output, trace: namePods(world, trace) };
}

/**
 * A pod's namespace is `cni-<uuid>` to the kernel (the name containerd gives it); the trace calls
 * it by the pod instead (`[node2/pod/busybox]`), from the world's topology.
 */
function namePods(world: SimWorld, trace: ExplainedTrace): ExplainedTrace {
  const pods = new Map<string, string>();
  for (const n of world.topology?.().namespaces ?? []) if (n.kind === "pod") pods.set(`${n.host}/${n.kernelLabel}`, n.label);
  if (pods.size === 0) return trace;
  // Kernel labels are unique per host (cni-<uuid>), so a label met in a text names that pod.
  const byKernel = new Map([...pods].map(([key, label]) => [key.slice(key.indexOf("/") + 1), label]));
  const text = (t: string) => t.replace(/\bcni-[0-9a-f-]{36}\b/g, (k) => byKernel.get(k) ?? k);
  const rename = (s: TraceStep): TraceStep => {
    const label = pods.get(`${s.host}/${s.netns}`);
    const next = { ...s, netns: label ?? s.netns, text: text(s.text) };
    if (next.kind === "veth") next.peerNetns = byKernel.get(next.peerNetns) ?? next.peerNetns;
    return next;
  };
  return { ...trace, probe: trace.probe.map(rename), reply: trace.reply.map(rename), disposition: { ...trace.disposition, reason: text(trace.disposition.reason) } };
}

/** The probe program could not run (no such namespace, program missing). */
export class ProbeError extends Error {}
