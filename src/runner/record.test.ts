import { describe, expect, it } from "vitest";
import type { ExecResult } from "../core/exec-result.js";
import { parseLesson } from "../lesson/parse.js";
import type { Target } from "../target/types.js";
import { runLessons } from "./run.js";
import { escapeOutputLine } from "./record.js";

/** A target that answers each command from a table (command → output, exit). */
function tableTarget(table: Record<string, [string, number?]>): Target {
  return {
    name: "sim",
    open: async () => ({
      session: {
        exec: async (_ctx: string, cmd: string): Promise<ExecResult> => {
          const [output, exitCode] = table[cmd] ?? [`unknown ${cmd}\n`, 127];
          return { exitCode: exitCode ?? 0, output, durationMs: 0 };
        },
        interrupt() {},
        close: async () => {},
      },
    }),
  };
}

async function update(src: string, table: Record<string, [string, number?]>): Promise<string | undefined> {
  const { lesson, diagnostics } = parseLesson(src, "l.md");
  expect(diagnostics).toEqual([]);
  const s = await runLessons([lesson], { target: tableTarget(table), update: true, now: () => 0 });
  return s.lessons[0]!.updatedSource;
}

describe("--update", () => {
  it("rewrites what differs and keeps ..., (re) lines and captures that still match", async () => {
    const src = [
      "# t",
      "",
      "```console",
      "$ show",
      "header",
      "...",
      "id {{cid}}",
      "addr 10\\.0\\.0\\.\\d+ (re)",
      "old line",
      "$ echo {{cid}}",
      "stale",
      "$ fail",
      "```",
      "after",
    ].join("\n");
    const out = await update(src, {
      show: ["header\nx\ny\nid abc\naddr 10.0.0.7\nnew line\n...\n$ not a command\n"],
      "echo abc": ["abc\n"],
      fail: ["boom\n[2]\n", 2],
    });
    expect(out).toBe(
      [
        "# t",
        "",
        "```console",
        "$ show",
        "header",
        "...",
        "id {{cid}}",
        "addr 10\\.0\\.0\\.\\d+ (re)",
        "new line",
        "\\.\\.\\. (re)",
        "\\$ not a command (re)",
        "$ echo {{cid}}",
        "abc",
        "$ fail",
        "boom",
        "\\[2\\] (re)",
        "[2]",
        "```",
        "after",
      ].join("\n"),
    );
    // The rewritten lesson passes against the same outputs.
    expect(
      await update(out!, {
        show: ["header\nx\ny\nid abc\naddr 10.0.0.7\nnew line\n...\n$ not a command\n"],
        "echo abc": ["abc\n"],
        fail: ["boom\n[2]\n", 2],
      }),
    ).toBeUndefined();
  });

  it("inserts output for commands that had none, inside indented list blocks", async () => {
    const src = "1. run\n\n   ```console\n   $ a\n   $ b\n   ```\n";
    expect(await update(src, { a: ["1\n\n2\n"], b: ["", 1] })).toBe("1. run\n\n   ```console\n   $ a\n   1\n\n   2\n   $ b\n   [1]\n   ```\n");
  });

  it("escapes lines that would read as syntax", () => {
    expect(escapeOutputLine("> quoted", true, false)).toBe("\\> quoted (re)");
    expect(escapeOutputLine("> quoted", false, false)).toBe("> quoted");
    expect(escapeOutputLine("x {{y}}", false, false)).toBe("x \\{\\{y\\}\\} (re)");
    expect(escapeOutputLine("a (re)", false, false)).toBe("a \\(re\\) (re)");
    expect(escapeOutputLine("[0]", false, true)).toBe("\\[0\\] (re)");
  });
});
