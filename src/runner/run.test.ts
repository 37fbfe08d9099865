import { describe, expect, it } from "vitest";
import type { ExecResult } from "../core/exec-result.js";
import { parseLesson } from "../lesson/parse.js";
import type { Lesson } from "../lesson/types.js";
import { TargetError, type SessionSpec, type Target } from "../target/types.js";
import { fanOut, type RunListener } from "./events.js";
import { runLessons } from "./run.js";

/**
 * A fake target whose "shell" understands two commands: `echo TEXT` and `exit N`, plus
 * `fail-open` contexts. Enough to drive every runner path deterministically.
 */
function fakeTarget(log: string[], opts: { skip?: string } = {}): Target {
  return {
    name: "sim",
    async open(spec: SessionSpec) {
      log.push(`open ${spec.world}`);
      if (opts.skip) return { skip: opts.skip };
      return {
        session: {
          async exec(context: string, command: string, o: { timeoutMs: number }): Promise<ExecResult> {
            log.push(`exec ${context} ${command} ${o.timeoutMs}`);
            if (context === "nowhere") throw new TargetError('unknown context "nowhere"; this world has: host');
            const m = /^echo (.*)$/s.exec(command);
            if (m) return { exitCode: 0, output: m[1]!.replace(/\\n/g, "\n") + "\n", durationMs: 1 };
            const e = /^exit (\d+)$/.exec(command);
            if (e) return { exitCode: Number(e[1]), output: "", durationMs: 1 };
            if (command === "hang") return { exitCode: 124, output: "partial\n", durationMs: o.timeoutMs, timedOut: true };
            return { exitCode: 127, output: `sh: ${command}: not found\n`, durationMs: 1 };
          },
          interrupt() {
            log.push("interrupt");
          },
          async close() {
            log.push("close");
          },
        },
      };
    },
  };
}

const lesson = (src: string, file = "l.md"): Lesson => {
  const r = parseLesson(src, file);
  expect(r.diagnostics).toEqual([]);
  return r.lesson;
};

describe("runLessons", () => {
  it("runs blocks in order, cleanup last, threads captures, and counts blocks", async () => {
    const log: string[] = [];
    const src = [
      "---",
      "world: docker",
      "timeout: 3s",
      "---",
      "```sh cleanup",
      "echo bye {{id}}",
      "```",
      "```console",
      "$ echo id=42",
      "id={{id}}",
      "$ echo {{id}}",
      "42",
      "```",
      "```console on=web timeout=1s",
      "$ exit 3",
      "[3]",
      "```",
      "```sh target=host",
      "echo never",
      "```",
    ].join("\n");
    const s = await runLessons([lesson(src)], { target: fakeTarget(log), now: () => 0 });
    expect(log).toEqual(["open docker", "exec host echo id=42 3000", "exec host echo 42 3000", "exec web exit 3 1000", "exec host echo bye 42 3000", "close"]);
    expect([s.passed, s.failed, s.skipped]).toEqual([3, 0, 1]);
    expect(s.lessons[0]!.blocks.map((b) => [b.block.line, b.status, b.skipReason])).toEqual([
      [8, "passed", undefined],
      [14, "passed", undefined],
      [18, "skipped", "target=host only"],
      [5, "passed", undefined],
    ]);
  });

  it("reports mismatches, exit statuses, timeouts and target errors as failed commands with diffs", async () => {
    const src = [
      "```console",
      "$ echo a\\nb",
      "a",
      "c",
      "$ exit 1",
      "$ hang",
      "$ nosuch",
      "sh: nosuch: not found",
      "[127]",
      "```",
      "```sh on=nowhere",
      "echo x",
      "```",
      "```sh",
      "exit 2",
      "```",
    ].join("\n");
    const s = await runLessons([lesson(src)], { target: fakeTarget([]), now: () => 0 });
    const cmds = s.lessons[0]!.blocks.flatMap((b) => b.commands);
    expect(cmds.map((c) => [c.line, c.status, c.message, c.diff])).toEqual([
      [2, "failed", "output differs", { expected: ["a", "c"], actual: ["a", "b"] }],
      [5, "failed", "exit status 1, expected 0", { expected: ["[0]"], actual: ["[1]"] }],
      [6, "failed", "timed out after 1m", { expected: ["[0]"], actual: ["partial", "[124]"] }],
      [7, "passed", undefined, undefined],
      [12, "failed", 'unknown context "nowhere"; this world has: host', undefined],
      [15, "failed", "exit status 2, expected 0", undefined],
    ]);
    expect([s.passed, s.failed]).toEqual([0, 3]);
  });

  it("--bail skips the rest but still runs cleanup, and skips later lessons", async () => {
    const log: string[] = [];
    const a = lesson("```sh\nexit 1\n```\n```sh\necho later\n```\n```sh cleanup\necho clean\n```\n", "a.md");
    const b = lesson("```sh\necho b\n```\n", "b.md");
    const s = await runLessons([a, b], { target: fakeTarget(log), bail: true, now: () => 0 });
    expect(log).toEqual(["open bare", "exec host exit 1 60000", "exec host echo clean 60000", "close"]);
    expect(s.lessons.map((l) => [l.lesson.file, l.status, l.skipReason])).toEqual([
      ["a.md", "failed", undefined],
      ["b.md", "skipped", "bail: an earlier block failed"],
    ]);
    expect(s.lessons[0]!.blocks.map((b) => b.status)).toEqual(["failed", "skipped", "passed"]);
  });

  it("an abort interrupts the session, skips what is left and still runs cleanup", async () => {
    const log: string[] = [];
    const ac = new AbortController();
    const target = fakeTarget(log);
    const listener: RunListener = {
      onCommandEnd(r) {
        if (r.command === "echo 1") ac.abort();
      },
    };
    const l = lesson("```sh\necho 1\necho 2\n```\n```sh\necho 3\n```\n```sh cleanup\necho clean\n```\n");
    const s = await runLessons([l, l], { target, listener, signal: ac.signal, now: () => 0 });
    expect(log).toEqual(["open bare", "exec host echo 1 60000", "interrupt", "exec host echo clean 60000", "close"]);
    expect(s.interrupted).toBe(true);
    expect(s.lessons.map((x) => x.status)).toEqual(["passed", "skipped"]);
    expect(s.lessons[0]!.blocks.map((b) => [b.status, b.commands.map((c) => c.status)])).toEqual([
      ["passed", ["passed", "skipped"]],
      ["skipped", []],
      ["passed", ["passed"]],
    ]);
  });

  it("skips a lesson whose requirements the target lacks, and reports open failures", async () => {
    const s = await runLessons([lesson("```sh\necho 1\n```\n")], { target: fakeTarget([], { skip: "requires docker" }), now: () => 0 });
    expect(s.lessons[0]).toMatchObject({ status: "skipped", skipReason: "requires docker", blocks: [] });
    const broken: Target = {
      name: "sim",
      open: async () => {
        throw new TargetError("the simulator is not built yet");
      },
    };
    const s2 = await runLessons([lesson("```sh\necho 1\n```\n")], { target: broken, now: () => 0 });
    expect(s2.lessons[0]).toMatchObject({ status: "failed", error: "the simulator is not built yet" });
    expect(s2.failed).toBe(1);
  });

  it("a throwing listener is switched off and the run goes on", async () => {
    const errors: string[] = [];
    const seen: string[] = [];
    const listener = fanOut(
      [
        {
          onBlockEnd() {
            throw new Error("boom");
          },
        },
        { onBlockEnd: (b) => void seen.push(b.status) },
      ],
      (hook, e) => errors.push(`${hook}: ${(e as Error).message}`),
    );
    const s = await runLessons([lesson("```sh\necho 1\n```\n```sh\necho 2\n```\n")], { target: fakeTarget([]), listener, now: () => 0 });
    expect(s.passed).toBe(2);
    expect(errors).toEqual(["onBlockEnd: boom"]);
    expect(seen).toEqual(["passed", "passed"]);
  });
});
