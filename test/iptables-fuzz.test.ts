/**
 * Random and mutated iptables / iptables-restore / conntrack command lines (fast-check, seeded):
 * the simulated tools never throw, always return an exit status 0..4, print nothing on stdout
 * when they fail with a usage error, and every rule they accept survives an iptables-save →
 * iptables-restore round trip unchanged. Mutations start from the recorded real corpus.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { simTools } from "./iptables-sim.js";

const DIR = join(import.meta.dirname, "fixtures", "iptables");
const corpus: string[][] = readdirSync(DIR)
  .filter((f) => f.endsWith(".json"))
  .flatMap((f) => (JSON.parse(readFileSync(join(DIR, f), "utf8")) as { steps: Array<{ argv: string[] }> }).steps.map((s) => s.argv))
  .filter((a) => a[0] === "iptables");

const WORDS = [
  "-A", "-I", "-D", "-R", "-C", "-L", "-S", "-F", "-Z", "-N", "-X", "-P", "-E", "-t", "nat", "filter", "raw", "mangle", "INPUT", "FORWARD",
  "OUTPUT", "PREROUTING", "POSTROUTING", "DOCKER", "-j", "-g", "ACCEPT", "DROP", "RETURN", "REJECT", "DNAT", "SNAT", "MASQUERADE", "MARK",
  "LOG", "-p", "tcp", "udp", "icmp", "all", "47", "-s", "-d", "10.0.0.1", "10.0.0.0/8", "0/0", "-i", "-o", "eth0", "docker0", "eth+", "!",
  "-m", "comment", "--comment", "multiport", "--dports", "80,443", "--dport", "--sport", "80", "1:1024", "addrtype", "--dst-type", "LOCAL",
  "conntrack", "--ctstate", "NEW,ESTABLISHED", "statistic", "--mode", "random", "--probability", "0.5", "nth", "--every", "2", "--packet",
  "mark", "--mark", "0x4000/0x4000", "--set-xmark", "--or-mark", "--to-destination", "172.17.0.2:80", "--to-source", "1.2.3.4",
  "--to-ports", "8080", "--reject-with", "tcp-reset", "--icmp-type", "echo-request", "-n", "-v", "-x", "--line-numbers", "1", "2", "0",
  "-Lnv", "--", "-", "", "--foo", "x", "--log-prefix", "a b", "--random-fully", "physdev", "--physdev-is-bridged", "-f", "-w", "-c",
];

describe("iptables under random and mutated command lines", () => {
  it("never throws and always exits with a status", async () => {
    const run = simTools(3);
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.array(fc.constantFrom(...WORDS), { maxLength: 12 }),
          fc.tuple(fc.constantFrom(...corpus), fc.nat(), fc.constantFrom(...WORDS), fc.constantFrom("insert", "delete", "replace")).map(([argv, k, w, op]) => {
            const a = argv.slice(1);
            const i = a.length ? k % a.length : 0;
            if (op === "insert") a.splice(i, 0, w);
            else if (op === "delete") a.splice(i, 1);
            else a[i] = w;
            return a;
          }),
          fc.array(fc.string({ maxLength: 6 }), { maxLength: 6 }),
        ),
        async (args) => {
          const r = await run(["iptables", ...args]);
          expect([0, 1, 2, 3, 4]).toContain(r.exitCode);
          if (r.exitCode === 2) expect(r.stdout).toBe("");
        },
      ),
      { numRuns: 1500, seed: 42 },
    );
  });

  it("iptables-restore and conntrack never throw on random input", async () => {
    const run = simTools(4);
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.oneof(fc.constantFrom("*filter", "*nat", "COMMIT", ":INPUT DROP [0:0]", ":FOO - [0:0]", "# c", "", "-A INPUT -j FOO", "-A FOO -j ACCEPT", '-A INPUT -m comment --comment "x \\" y"', "-N BAR", "-X FOO", "-A BAR -j BAR", "[1:2] -A INPUT"), fc.string({ maxLength: 20 })), { maxLength: 10 }),
        fc.array(fc.constantFrom("-n", "--noflush", "-c", "-t", "--bogus", "-V"), { maxLength: 2 }),
        fc.array(fc.constantFrom("-L", "-F", "-D", "-p", "tcp", "-s", "1.1.1.1", "--dport", "80", "--foo", "-V", "x"), { maxLength: 5 }),
        async (lines, flags, ct) => {
          const r = await run(["iptables-restore", ...flags], lines.join("\n") + "\n");
          expect([0, 1, 2, 4]).toContain(r.exitCode);
          const c = await run(["conntrack", ...ct]);
          expect([0, 1, 2]).toContain(c.exitCode);
        },
      ),
      { numRuns: 800, seed: 7 },
    );
  });

  it("every rule iptables accepts survives iptables-save | iptables-restore unchanged", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.constantFrom(...corpus.filter((a) => a[1] === "-A" || a[1] === "-I" || a[1] === "-t" || a[1] === "-N" || a[1] === "-P")), { maxLength: 15 }), async (cmds) => {
        const a = simTools(5);
        for (const c of cmds) await a(c);
        const saved = (await a(["iptables-save"])).stdout;
        const b = simTools(5);
        const restored = await b(["iptables-restore"], saved);
        expect(restored).toEqual({ stdout: "", stderr: "", exitCode: 0 });
        // Tables come back newest first, as on nf_tables, so compare them one by one.
        for (const t of ["filter", "nat", "mangle", "raw"]) {
          expect((await b(["iptables-save", "-t", t])).stdout).toBe((await a(["iptables-save", "-t", t])).stdout);
        }
      }),
      { numRuns: 60, seed: 11 },
    );
  });
});
