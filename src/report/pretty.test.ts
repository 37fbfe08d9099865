import { describe, expect, it } from "vitest";
import type { ExecResult } from "../core/exec-result.js";
import { parseLesson } from "../lesson/parse.js";
import { fanOut } from "../runner/events.js";
import { runLessons } from "../runner/run.js";
import type { Target } from "../target/types.js";
import { createJsonReporter, summaryToJson } from "./json.js";
import { createPrettyReporter } from "./pretty.js";
import { toJUnit } from "./junit.js";

/** `echo X` prints X; anything else prints nothing and exits 1. Durations are fixed. */
const target: Target = {
  name: "sim",
  open: async () => ({
    session: {
      exec: async (_c: string, cmd: string): Promise<ExecResult> =>
        cmd.startsWith("echo ") ? { exitCode: 0, output: cmd.slice(5) + "\n", durationMs: 1 } : { exitCode: 1, output: "", durationMs: 1 },
      interrupt() {},
      close: async () => {},
    },
  }),
};

const SRC = ["# Demo", "", "```console id=greet", "$ echo hi", "hi", "$ echo <a&b>", "<a&c>", "```", "", "```sh target=host", "echo x", "```", ""].join("\n");

async function run(tty: boolean, columns?: number) {
  const out: string[] = [];
  const reporter = createPrettyReporter({ write: (t) => void out.push(t), tty, color: false, columns });
  let t = 0;
  const summary = await runLessons([parseLesson(SRC, "demo.md").lesson], {
    target,
    listener: fanOut([reporter], () => undefined),
    now: () => (t += 5),
  });
  return { text: out.join(""), chunks: out, summary };
}

describe("pretty reporter", () => {
  it("prints blocks, failures with a code frame and a diff, and the summary line (plain, no TTY)", async () => {
    const { text } = await run(false);
    expect(text).toBe(
      [
        "lab run · target sim · 1 lesson",
        "",
        "demo.md — Demo",
        "  × greet · line 3 5ms",
        "  ↓ block 2 · line 10 skipped: target=host only",
        "",
        " FAIL  demo.md:6:1 › greet · line 3",
        "  output differs  $ echo <a&b>",
        "",
        "    4 | $ echo hi",
        "    5 | hi",
        "  > 6 | $ echo <a&b>",
        "    7 | <a&c>",
        "    8 | ```",
        "",
        "  - expected  + actual",
        "",
        "  @@ -1,1 +1,1 @@",
        "  -<a&c>",
        "  +<a&b>",
        "",
        "Lessons  0 passed, 1 failed (1)",
        "0 passed, 1 failed, 1 skipped (30ms)",
        "",
      ].join("\n"),
    );
    expect(text).not.toContain("\r");
  });

  it("on a terminal draws a status line with the running command and clears it", async () => {
    const { chunks } = await run(true);
    const status = chunks.filter((c) => c.startsWith("\r\x1b[K❯"));
    expect(status.map((s) => s.replace(/ \d+ms$/, " <t>"))).toEqual(["\r\x1b[K❯ demo.md:4 $ echo hi <t>", "\r\x1b[K❯ demo.md:6 $ echo <a&b> <t>"]);
    // Every status line is cleared before the next plain line.
    const i = chunks.indexOf(status[0]!);
    expect(chunks[i + 1]).toBe("\r\x1b[K");
  });

  it("keeps the status line within the terminal width", async () => {
    const { chunks } = await run(true, 24);
    const status = chunks.filter((c) => c.startsWith("\r\x1b[K❯"));
    expect(status.map((s) => s.replace(/ \d+ms$/, " <t>"))).toEqual(["\r\x1b[K❯ demo.md:4 $ echo… <t>", "\r\x1b[K❯ demo.md:6 $ echo… <t>"]);
  });
});

describe("json and junit reporters", () => {
  it("carry the same results", async () => {
    const { summary } = await run(false);
    const out: string[] = [];
    createJsonReporter({ write: (t) => void out.push(t), tty: false, color: false }).onRunEnd!(summary);
    expect(JSON.parse(out.join(""))).toEqual(summaryToJson(summary));
    expect(summaryToJson(summary)).toMatchObject({
      passed: 0,
      failed: 1,
      skipped: 1,
      lessons: [
        {
          file: "demo.md",
          status: "failed",
          blocks: [
            {
              id: "greet",
              status: "failed",
              commands: [
                { command: "echo hi", status: "passed", exitCode: 0, output: "hi\n" },
                { command: "echo <a&b>", status: "failed", message: "output differs", expected: ["<a&c>"], actual: ["<a&b>"] },
              ],
            },
            { status: "skipped", skipReason: "target=host only", commands: [] },
          ],
        },
      ],
    });
    const xml = toJUnit(summary).replace(/time="[\d.]+"/g, 'time="T"');
    expect(xml).toContain('<testcase classname="demo.md" name="greet · line 3" time="T">');
    expect(xml).toContain('<failure message="output differs" type="mismatch">demo.md:6:1\n$ echo &lt;a&amp;b&gt;\noutput differs\n\n@@ -1,1 +1,1 @@\n-&lt;a&amp;c&gt;\n+&lt;a&amp;b&gt;</failure>');
    expect(xml).toContain('<skipped message="target=host only"/>');
  });
});
