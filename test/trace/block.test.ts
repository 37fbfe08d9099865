/**
 * The lessons' `trace` block kind: parsed like a transcript, run through the sim target's
 * `trace` (one probe in the lesson's own world), checked like any output; skipped on targets
 * without it (host).
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parseLesson } from "../../src/lesson/parse.js";
import { runLessons } from "../../src/runner/run.js";
import { createSimTarget } from "../../src/target/sim.js";
import type { Target } from "../../src/target/types.js";

const FILE = "test/trace/fixtures/trace-block.md";
const source = readFileSync(FILE, "utf8");

async function run(src: string, target: Target = createSimTarget()) {
  const { lesson, diagnostics } = parseLesson(src, FILE);
  expect(diagnostics).toEqual([]);
  const s = await runLessons([lesson], { target, now: () => 0 });
  return s.lessons[0]!;
}

describe("trace blocks", () => {
  it("parse as transcripts of kind trace", () => {
    const { lesson } = parseLesson(source, FILE);
    const b = lesson.blocks[1]!;
    expect({ kind: b.kind, commands: b.commands.map((c) => [c.text, c.exit, c.expected.length]) }).toEqual({
      kind: "trace",
      commands: [
        ["lab trace --from host --netns a --to 10.0.0.2", 0, 24],
        ["lab trace --from host --netns a --to 10.0.0.2:22", 1, 12],
      ],
    });
  });

  it("pass when the explained path is the expected one (delivered, then dropped by a rule with exit 1)", async () => {
    const r = await run(source);
    expect(r.blocks.map((b) => [b.status, b.commands.map((c) => [c.status, c.exitCode, c.message])])).toEqual([
      ["passed", Array(8).fill(["passed", 0, undefined])],
      ["passed", [["passed", 0, undefined], ["passed", 1, undefined]]],
    ]);
  });

  it("fail with a diff when the path differs (the rule no longer drops: the closed port resets)", async () => {
    const r = await run(source.replace("--dport 22 -j DROP\n```", "--dport 23 -j DROP\n```"));
    const c = r.blocks[1]!.commands[1]!;
    expect([c.status, c.exitCode, c.message]).toEqual(["failed", 1, "output differs"]);
    expect(c.output.trimEnd().split("\n").at(-1)).toBe("disposition: reset (tcp port 22 closed: RST (b))");
  });

  it("report usage errors as exit 2 output", async () => {
    const r = await run(source.replace("$ lab trace --from host --netns a --to 10.0.0.2\n", "$ lab trace --from host --to 10.0.0.2 --proto sctp\n"));
    const c = r.blocks[1]!.commands[0]!;
    expect([c.exitCode, c.output]).toEqual([2, 'lab trace: unknown --proto "sctp", expected one of tcp, udp, icmp\n']);
  });

  it("are skipped on a target without trace (host)", async () => {
    const host: Target = {
      name: "host",
      open: async () => ({ session: { exec: async () => ({ exitCode: 0, output: "", durationMs: 0 }), interrupt() {}, close: async () => {} } }),
    };
    const r = await run(source, host);
    expect(r.blocks.map((b) => [b.status, b.skipReason])).toEqual([
      ["passed", undefined],
      ["skipped", "trace blocks run on the sim target only"],
    ]);
  });
});
