/**
 * End-to-end: the built `lab trace` on the repository's lessons: a VXLAN path across two
 * "hosts" (lesson 05), a DNAT'd connection as JSON (lesson 03), a drop found after a given
 * block (lesson 04, MASQUERADE deleted), and its usage errors.
 */
import { execa } from "execa";
import { execFileSync } from "node:child_process";
import { readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it, vi } from "vitest";
import { ensureBuilt, LAB, ROOT } from "../engine/build.js";

vi.setConfig({ testTimeout: 180_000 });
const FIXTURE = "test/trace/fixtures/trace-block.md";

/** ensureBuilt watches the engine's layers; src/trace is ours, so rebuild when it is newer. */
function ensureTraceBuilt(): void {
  ensureBuilt();
  const src = Math.max(...readdirSync(join(ROOT, "src", "trace")).map((f) => statSync(join(ROOT, "src", "trace", f)).mtimeMs));
  let built = 0;
  try {
    built = statSync(join(ROOT, "dist", "trace", "explain.js")).mtimeMs;
  } catch {
    built = 0;
  }
  if (built < src) {
    try {
      execFileSync("npx", ["tsc", "-p", "tsconfig.build.json"], { cwd: ROOT, stdio: "ignore" });
    } catch {
      // Type errors elsewhere still emit JavaScript.
    }
  }
}

beforeAll(() => ensureTraceBuilt(), 180_000);

const lab = (args: string[]) => execa("node", [LAB, "trace", ...args], { cwd: ROOT, reject: false, stripFinalNewline: false, env: { CI: "1", NO_COLOR: "1" } });

describe("lab trace", () => {
  it("follows a ping across the VXLAN overlay of lesson 05, with outer addresses and port", async () => {
    const r = await lab(["lessons/05-cross-host-overlay.md", "--from", "host", "--netns", "ctr1", "--to", "10.244.2.2"]);
    expect(r.stderr).toBe("");
    expect(r.exitCode).toBe(0);
    const probe = r.stdout.split("\nreply\n")[0]!;
    expect(probe).toMatch(/^probe icmp from host \(netns ctr1\) to 10\.244\.2\.2\n\[host\/ctr1\]\n/);
    // The steps a student must see, in this order (MACs and the outer source port vary with the seed only).
    const wanted = [
      "route: 10.244.2.2 via next hop 10.244.1.1, out eth0, src 10.244.1.2",
      "route: forward 10.244.2.2 by route 10.244.2.0/24, next hop 10.244.2.0, out vxlan0",
      "vxlan vxlan0: encapsulated, vni 1, outer udp to 192.168.56.12:8472",
      "route: 192.168.56.12 directly connected, out eth0, src 192.168.56.11",
      "vxlan vxlan0: decapsulated, vni 1, outer source 192.168.56.11",
      "route: forward 10.244.2.2 by route 10.244.2.0/24, directly connected, out cni0",
      "delivered locally: icmp 10.244.1.2 → 10.244.2.2 echo-request",
    ];
    let at = 0;
    for (const w of wanted) {
      const i = probe.indexOf(w, at);
      expect(i, w).toBeGreaterThanOrEqual(0);
      at = i + w.length;
    }
    expect(r.stdout.trimEnd().split("\n").at(-1)).toBe("disposition: delivered (delivered to ctr2 (host) on eth0, and the reply came back)");
  });

  it("prints JSON: DNAT from another machine to a published port (lesson 03)", async () => {
    const r = await lab(["lessons/03-port-mapping.md", "--from", "host", "--netns", "client", "--to", "198.51.100.1:1234", "--format", "json"]);
    expect(r.exitCode).toBe(0);
    const j = JSON.parse(r.stdout) as { probe: string; steps: Array<Record<string, unknown>>; reply: Array<Record<string, unknown>>; disposition: unknown };
    expect(j.probe).toBe("tcp from host (netns client) to 198.51.100.1:1234");
    const nf = j.steps.filter((s) => s.kind === "netfilter").map((s) => ({ hook: s.hook, table: s.table, matched: s.matched, evaluated: s.evaluated, verdict: s.verdict }));
    expect(nf).toEqual([
      { hook: "PREROUTING", table: "nat", matched: ["-A PREROUTING -m addrtype --dst-type LOCAL -j DOCKER", "-A DOCKER ! -i docker0 -p tcp -m tcp --dport 1234 -j DNAT --to-destination 172.17.0.2:80"], evaluated: 3, verdict: "DNAT" },
      {
        hook: "FORWARD",
        table: "filter",
        matched: [
          "-A FORWARD -j DOCKER-USER",
          "-A DOCKER-USER -j RETURN",
          "-A FORWARD -j DOCKER-ISOLATION-STAGE-1",
          "-A DOCKER-ISOLATION-STAGE-1 -j RETURN",
          "-A FORWARD -o docker0 -j DOCKER",
          "-A DOCKER -d 172.17.0.2/32 ! -i docker0 -o docker0 -p tcp -m tcp --dport 80 -j ACCEPT",
        ],
        evaluated: 8,
        verdict: "ACCEPT",
      },
      { hook: "POSTROUTING", table: "nat", matched: [], evaluated: 2, verdict: "policy ACCEPT" },
    ]);
    const nat = j.steps.find((s) => s.kind === "nat")!;
    expect({ manip: nat.manip, before: nat.before, after: nat.after }).toEqual({
      manip: "destination",
      before: expect.stringMatching(/^198\.51\.100\.2:\d+ → 198\.51\.100\.1:1234$/),
      after: expect.stringMatching(/^198\.51\.100\.2:\d+ → 172\.17\.0\.2:80$/),
    });
    const rev = j.reply.find((s) => s.kind === "nat")!;
    expect(rev.manip).toBe("source");
    expect(String(rev.after)).toMatch(/^198\.51\.100\.1:1234 → 198\.51\.100\.2:\d+$/);
    // The container's id depends on how many ids the lesson's blocks drew from the seed.
    expect(j.disposition).toEqual({ kind: "delivered", reason: expect.stringMatching(/^delivered to docker:[0-9a-f]{12} \(host\) on eth0, and the reply came back$/) });
  });

  it("exits 1 when the reply is lost: lesson 04 after MASQUERADE is deleted (block 6)", async () => {
    const r = await lab(["lessons/04-egress.md", "--from", "c1", "--to", "203.0.113.2", "--after", "6"]);
    expect(r.exitCode).toBe(1);
    expect(r.stdout.trimEnd().split("\n").slice(-5)).toEqual([
      "reply",
      "[host/internet]",
      "  echo reply 203.0.113.2 → 172.17.0.2",
      "  dropped: no route to 172.17.0.2: ENETUNREACH",
      "disposition: no-route (delivered to internet (host) on eth0, but the reply was lost: no route to 172.17.0.2: ENETUNREACH)",
    ]);
  });

  it("usage errors exit 2 with a clear message; an unknown context names the known ones", async () => {
    const cases: Array<[string[], string]> = [
      [["--to", "10.0.0.1"], 'lab trace: missing --from CONTEXT\nRun "lab trace --help" for usage.\n'],
      [["--from", "host"], 'lab trace: missing --to ADDR[:PORT]\nRun "lab trace --help" for usage.\n'],
      [["--from", "host", "--to", "10.0.0"], 'lab trace: invalid --to "10.0.0", expected an IPv4 address with an optional :PORT\nRun "lab trace --help" for usage.\n'],
      [["--from", "host", "--to", "10.0.0.1", "--proto", "sctp"], 'lab trace: unknown --proto "sctp", expected one of tcp, udp, icmp\nRun "lab trace --help" for usage.\n'],
      [["--from", "host", "--to", "10.0.0.1", "--format", "xml"], 'lab trace: unknown --format "xml", expected one of text, json\nRun "lab trace --help" for usage.\n'],
      [["--from", "host", "--to", "10.0.0.1", "--bogus"], "lab trace: Unknown option '--bogus'. To specify a positional argument starting with a '-', place it at the end of the command after '--', as in '-- \"--bogus\"\nRun \"lab trace --help\" for usage.\n"],
      [[FIXTURE, "--from", "web", "--to", "10.0.0.1"], 'lab trace: unknown context "web"; this world has: host\n'],
      [[FIXTURE, "--from", "host", "--to", "10.0.0.1", "--after", "nope"], `lab trace: no block "nope" in ${FIXTURE}: give a block id (it has none) or a block number 1-2\n`],
      [[FIXTURE, "--from", "host", "--to", "10.0.0.1", "--world", "bare"], 'lab trace: --world is for traces without a lesson (the lesson names its world)\nRun "lab trace --help" for usage.\n'],
    ];
    for (const [args, stderr] of cases) {
      const r = await lab(args);
      expect({ args, stderr: r.stderr, code: r.exitCode, stdout: r.stdout }).toEqual({ args, stderr, code: 2, stdout: "" });
    }
  });
});
