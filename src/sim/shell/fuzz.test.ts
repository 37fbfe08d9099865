/**
 * Random and mutated command lines never make the shell throw: every exec resolves to an
 * ExecResult with an exit status in 0..255 and a string output, within the limits. Seeded
 * (fast-check), so a failure is reproducible from the printed seed.
 */
import { readFileSync } from "node:fs";
import fc from "fast-check";
import { expect, test } from "vitest";
import { fakeSession } from "./test-fakes.js";

const corpus = (JSON.parse(readFileSync(new URL("./fixtures/bash-cases.json", import.meta.url), "utf8")) as { cases: Array<{ cmd: string }> }).cases.map((c) => c.cmd);

const TOKENS = [
  "echo", "cat", "grep", "x", "$X", "${X:-d}", "${#X}", "$(", ")", "`", "'", '"', "|", "||", "&&", ";", "&", ">", ">>", "<", "2>&1",
  "<<EOF\n", "\nEOF\n", "if", "then", "fi", "for", "in", "do", "done", "while", "case", "esac", ";;", "{", "}", "(", ")", "$((", "))",
  "1", "0", "/", "*", "?", "[", "]", "~", "\\", "\n", " ", "=", "X=1", "f()", "return", "exit", "break", "cd", "/sys/class/net/eth0/mtu",
  "/proc/sys/net/ipv4/ip_forward", "sleep", "1000", "read", "local", "set", "-e", "-u", "!", "#", "uniq", "-c", "sort", "awk", "{print}",
];

const tokenLine = fc.array(fc.constantFrom(...TOKENS), { minLength: 1, maxLength: 14 }).map((ts) => ts.join(" "));
const mutated = fc
  .tuple(fc.constantFrom(...corpus), fc.array(fc.tuple(fc.nat(), fc.nat(), fc.string({ maxLength: 3 })), { maxLength: 4 }))
  .map(([base, edits]) => {
    let s = base;
    for (const [at, del, ins] of edits) {
      const i = s.length ? at % s.length : 0;
      s = s.slice(0, i) + ins + s.slice(i + (del % 3));
    }
    return s;
  });

test("random and mutated command lines never throw", async () => {
  await fc.assert(
    fc.asyncProperty(fc.oneof(tokenLine, mutated, fc.string({ maxLength: 40 })), async (line) => {
      const { session } = fakeSession({ limits: { maxLoopIterations: 200, maxCommands: 2000, defaultTimeoutMs: 60_000 } });
      const r = await session.exec(line);
      expect(typeof r.output).toBe("string");
      expect(Number.isInteger(r.exitCode) && r.exitCode >= 0 && r.exitCode <= 255).toBe(true);
      expect(r.output).not.toMatch(/internal error|at .*\.ts:\d+/);
    }),
    { numRuns: 400, seed: 20260101 },
  );
}, 120_000);
