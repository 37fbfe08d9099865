/**
 * Printing an explained trace. Text: one line per step, grouped under the namespace the packet
 * is in, matched rules indented under their table, then the reply and the disposition:
 *
 *   probe tcp 172.17.0.1 → 172.17.0.1:1234
 *   [host/init]
 *     route: 172.17.0.1 is a local address (src 172.17.0.1)
 *     OUTPUT: conntrack NEW tcp 172.17.0.1:41932 → 172.17.0.1:1234
 *     nat OUTPUT: OUTPUT → DOCKER: 3 rules evaluated, verdict DNAT
 *       -A OUTPUT ! -d 127.0.0.0/8 -m addrtype --dst-type LOCAL -j DOCKER
 *       ...
 *   disposition: delivered (delivered to docker:f3dfa76dec5f (host) on eth0, and the reply came back)
 *
 * JSON: the ExplainedTrace itself, plus the probe's description.
 */
import type { ExplainedTrace, TraceStep } from "../sim/trace/types.js";

/** The text rendering of an explained trace; `title` is the probe's one-line description. */
export function formatText(title: string, t: ExplainedTrace): string {
  const lines: string[] = [`probe ${title}`];
  section(lines, t.probe);
  if (t.reply.length > 0) {
    lines.push("reply");
    section(lines, t.reply);
  } else lines.push("reply: none");
  lines.push(`disposition: ${t.disposition.kind} (${t.disposition.reason})`);
  return lines.join("\n") + "\n";
}

function section(lines: string[], steps: readonly TraceStep[]): void {
  let at = "";
  for (const s of steps) {
    const here = `[${s.host}/${s.netns}]`;
    if (here !== at) {
      lines.push(here);
      at = here;
    }
    lines.push(`  ${s.text}`);
    if (s.kind === "netfilter") for (const r of s.matched) lines.push(`    ${r}`);
  }
}

/** The JSON rendering (stable key order, two-space indent). */
export function formatJson(title: string, t: ExplainedTrace): string {
  return JSON.stringify({ probe: title, steps: t.probe, reply: t.reply, disposition: t.disposition }, null, 2) + "\n";
}
