/**
 * Lessons 01–04 on the simulator, compared command by command with their real transcripts
 * (snapshots/docker/*.host.json, recorded with `--target host` against the real kernel and dockerd
 * 20.10 by scripts/record-docker-snapshots.mjs).
 *
 * Each real output line becomes a literal expected line; the simulator's output must match it
 * under the lesson's normalizers plus the ones for what varies between two real runs (ids, MACs,
 * ages, counters, interface indexes, column widths). A command that still differs must be listed
 * in snapshots/docker/known-differences.json with the id of its entry in docs/divergences.md, and
 * a listed command that agrees fails too, so a fix removes its entry.
 */
import { readFileSync } from "node:fs";
import { describe, expect, test } from "vitest";
import { matchOutput, outputLines, type PatternLine } from "../../src/assert/index.js";
import { parseLesson } from "../../src/lesson/parse.js";
import { runLessons } from "../../src/runner/run.js";
import { createSimTarget } from "../../src/target/sim.js";

interface Snap { lesson: string; commands: Array<{ line: number; context: string; command: string; exitCode: number; output: string }> }

const root = new URL("../../", import.meta.url);
const LESSONS = ["01-container-to-container", "02-network-modes", "03-port-mapping", "04-egress"];
const EXTRA = ["id", "mac", "age", "counters", "rtt", "ifindex", "space"];
const known = JSON.parse(readFileSync(new URL("snapshots/docker/known-differences.json", root), "utf8")) as Record<string, Record<string, string>>;
const divergences = readFileSync(new URL("docs/divergences.md", root), "utf8");

/**
 * What differs between any two real runs and is not a divergence: random veth names and the bridge
 * id derived from a random MAC, interface indexes (a long-lived host has high ones), ifconfig's
 * counters (a real container also receives the host's IPv6 multicast), conntrack timeouts, ports
 * and ICMP ids. Applied to both sides before the literal comparison.
 */
function scrub(text: string): string {
  return text
    .replace(/veth[0-9a-f]{7}/g, "vethXXXXXXX")
    .replace(/\b(172\.(1[89]|2\d|3[01])|192\.168)\.\d+\./g, "U.") // user networks: the pool depends on the daemon's history
    .replace(/8000\.[0-9a-f]{12}/g, "8000.XXXXXXXXXXXX")
    .replace(/@if\d+/g, "@ifN")
    .replace(/127\.0\.0\.11:\d+/g, "127.0.0.11:PORT") // the embedded DNS server's random ports
    .replace(/^\d+$/gm, "N")
    .replace(/(RX|TX) (packets|bytes):\d+(?: \(\d+(?:\.\d+)? [KMG]?i?B\))?/g, "$1 $2:N")
    .replace(/^(tcp|udp|icmp)( +\d+) \d+ /gm, "$1$2 T ")
    .replace(/(sport|dport|id)=\d+/g, (m, k: string) => (m === "dport=1234" || m === "dport=80" ? m : `${k}=N`));
}

/** Real output as literal expected lines (captures never apply: braces are escaped by the literal). */
function literal(output: string): PatternLine[] {
  return outputLines(output).map((l) => ({ kind: "literal", text: l, parts: [{ text: l.replace(/\s+$/, "") }] }));
}

describe("docker lessons: simulator against real transcripts", () => {
  for (const name of LESSONS) {
    test(name, async () => {
      const file = `lessons/${name}.md`;
      const snap = JSON.parse(readFileSync(new URL(`snapshots/docker/${name}.host.json`, root), "utf8")) as Snap;
      const { lesson } = parseLesson(readFileSync(new URL(file, root), "utf8"), file);
      const summary = await runLessons([lesson], { target: createSimTarget(), now: () => 0 });
      const sim = new Map<number, { exitCode: number; output: string; status: string }>();
      for (const b of summary.lessons[0]!.blocks) for (const c of b.commands) if (c.status !== "skipped") sim.set(c.line, c);
      const listed = known[name] ?? {};
      const differing: Record<string, string> = {};
      for (const real of snap.commands) {
        const s = sim.get(real.line);
        if (!s) continue; // host-only blocks
        const normalize = [...lesson.meta.normalize, ...EXTRA];
        const same = s.exitCode === real.exitCode && matchOutput(literal(scrub(real.output)), scrub(s.output), {}, normalize).ok;
        if (!same) differing[String(real.line)] = `${real.command}\n--- real [${real.exitCode}]\n${real.output}--- sim [${s.exitCode}]\n${s.output}`;
      }
      const unexplained = Object.keys(differing).filter((l) => !listed[l]);
      const fixed = Object.keys(listed).filter((l) => !differing[l]);
      if (process.env.LAB_SNAP_DEBUG) console.log(JSON.stringify(Object.fromEntries(Object.entries(differing).map(([l, d]) => [l, d])), null, 1));
      expect({ unexplained: unexplained.map((l) => differing[l]), fixed }).toEqual({ unexplained: [], fixed: [] });
      for (const id of Object.values(listed)) expect(divergences).toContain(`### ${id}:`);
    }, 60_000);
  }
});
