/**
 * End-to-end: spawn the built `lab` on fixture lessons (plain local shell commands only) and
 * check exit statuses, reports, diagnostics, cleanup and update mode.
 */
import { execa } from "execa";
import { existsSync, mkdtempSync, readFileSync, rmSync, copyFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { ensureBuilt, LAB, ROOT } from "./build.js";

const FIX = "test/fixtures/lessons";
// Each test spawns `lab` a few times; on a loaded machine one spawn can take seconds.
vi.setConfig({ testTimeout: 180_000 });
let dir: string;

beforeAll(() => ensureBuilt(), 180_000);
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "lab-e2e-"));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const lab = (args: string[], opts: { cwd?: string } = {}) =>
  execa("node", [LAB, ...args], { cwd: opts.cwd ?? ROOT, reject: false, env: { LAB_TEST_DIR: dir, CI: "1", NO_COLOR: "1" } });

/** Durations vary run to run; everything else in the pretty report is asserted in full. */
const untime = (s: string) => s.replace(/\b\d+(?:\.\d+)?(?:ms|s)\b/g, "<t>").replace(/\b\d+m\d\ds\b/g, "<t>");

describe("lab run --target host", () => {
  it("passes a plain shell lesson: persistent state, captures, exit codes, cleanup", async () => {
    const r = await lab(["run", `${FIX}/pass/shell-basics.md`, "--target", "host"]);
    expect(untime(r.stdout)).toBe(
      [
        "lab run · target host · 1 lesson",
        "",
        "test/fixtures/lessons/pass/shell-basics.md — Shell basics on the host",
        "  ✓ block 1 · line 9 <t>",
        "  ✓ block 2 · line 16 <t>",
        "  ✓ block 3 · line 47 <t>",
        "  ↓ block 4 · line 51 skipped: target=sim only",
        "  ✓ block 5 (cleanup) · line 55 <t>",
        "",
        "Lessons  1 passed, 0 failed (1)",
        "4 passed, 0 failed, 1 skipped (<t>)",
      ].join("\n"),
    );
    expect(r.stderr).toBe("");
    expect(r.exitCode).toBe(0);
    expect(readFileSync(join(dir, "cleanup-ran"), "utf8")).toBe("cleaned\n");
    expect(existsSync(join(dir, "work"))).toBe(false);
  });

  it("fails with file:line:col, a code frame and a unified diff, exit 1", async () => {
    const r = await lab(["run", `${FIX}/fail/mismatch.md`, "--target", "host"]);
    expect(r.exitCode).toBe(1);
    expect(untime(r.stdout)).toBe(
      [
        "lab run · target host · 1 lesson",
        "",
        "test/fixtures/lessons/fail/mismatch.md — A failing transcript",
        "  × block 1 · line 6 <t>",
        "  ✓ block 2 · line 14 <t>",
        "",
        " FAIL  test/fixtures/lessons/fail/mismatch.md:7:1 › block 1 · line 6",
        "  output differs  $ echo one; echo two; echo three",
        "",
        "     6 | ```console",
        "  >  7 | $ echo one; echo two; echo three",
        "     8 | one",
        "     9 | TWO",
        "    10 | three",
        "    11 | $ (exit 3)",
        "    12 | ```",
        "",
        "  - expected  + actual",
        "",
        "  @@ -1,3 +1,3 @@",
        "   one",
        "  -TWO",
        "  +two",
        "   three",
        "",
        " FAIL  test/fixtures/lessons/fail/mismatch.md:11:1 › block 1 · line 6",
        "  exit status 3, expected 0  $ (exit 3)",
        "",
        "     9 | TWO",
        "    10 | three",
        "  > 11 | $ (exit 3)",
        "    12 | ```",
        "",
        "  - expected  + actual",
        "",
        "  @@ -1,1 +1,1 @@",
        "  -[0]",
        "  +[3]",
        "",
        "Lessons  0 passed, 1 failed (1)",
        "1 passed, 1 failed (<t>)",
      ].join("\n"),
    );
  });

  it("runs cleanup after a timeout and keeps running later blocks in a fresh shell", async () => {
    const r = await lab(["run", `${FIX}/fail/timeout-cleanup.md`, "--target", "host", "--reporter", "json"]);
    expect(r.exitCode).toBe(1);
    const j = JSON.parse(r.stdout);
    const cmds = j.lessons[0].blocks.map((b: { status: string; commands: { exitCode: number; output: string; timedOut?: boolean; message?: string }[] }) => [
      b.status,
      b.commands.map((c) => [c.exitCode, c.output, c.timedOut ?? false, c.message ?? ""]),
    ]);
    expect(cmds).toEqual([
      ["failed", [[124, "before\n", true, "timed out after 2s"]]],
      ["passed", [[0, "still running later blocks\n", false, ""]]],
      ["passed", [[0, "", false, ""]]],
    ]);
    expect(readFileSync(join(dir, "timeout-cleanup-ran"), "utf8")).toBe("cleaned\n");
  });

  it("Ctrl-C interrupts the running command, runs cleanup blocks, exits 130", async () => {
    const child = execa("node", [LAB, "run", `${FIX}/fail/interrupt.md`, "--target", "host"], {
      cwd: ROOT,
      reject: false,
      env: { LAB_TEST_DIR: dir, CI: "1", NO_COLOR: "1" },
    });
    const started = Date.now();
    while (!existsSync(join(dir, "interrupt-started")) && Date.now() - started < 60_000) await new Promise((r) => setTimeout(r, 50));
    const killedAt = Date.now();
    child.kill("SIGINT");
    const r = await child;
    expect(r.exitCode).toBe(130);
    // Well before the interrupted `sleep 30` would have ended by itself.
    expect(Date.now() - killedAt).toBeLessThan(25_000);
    expect(readFileSync(join(dir, "interrupt-cleanup-ran"), "utf8")).toBe("cleaned\n");
    expect(r.stderr).toBe("\nlab: interrupted; running cleanup blocks (press Ctrl-C again to quit at once)");
    expect(untime(r.stdout)).toContain("  ✓ block 2 (cleanup) · line 8 <t>");
  });

  it("skips a lesson whose requirement the host lacks, with the reason", async () => {
    const r = await lab(["run", `${FIX}/pass/requires-kube.md`, "--target", "host", "--reporter", "json"]);
    const j = JSON.parse(r.stdout);
    expect(j.lessons.map((l: { status: string; skipReason?: string }) => [l.status, l.skipReason])).toEqual([
      // The tail is kubectl's own last line, which depends on this machine's kubectl and kubeconfig.
      ["skipped", expect.stringMatching(/^requires kubernetes \(`kubectl cluster-info` cannot reach a cluster: .+\)$/)],
    ]);
    expect(r.exitCode).toBe(0);
  });

  it("writes JUnit XML with failures and skips", async () => {
    const r = await lab(["run", `${FIX}/fail/mismatch.md`, "--target", "host", "--reporter", "junit"]);
    expect(r.exitCode).toBe(1);
    const xml = r.stdout.replace(/time="[\d.]+"/g, 'time="T"');
    expect(xml).toBe(
      [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<testsuites name="lab" tests="2" failures="1" errors="0" skipped="0" time="T">',
        '  <testsuite name="test/fixtures/lessons/fail/mismatch.md" tests="2" failures="1" errors="0" skipped="0" time="T">',
        '    <testcase classname="test/fixtures/lessons/fail/mismatch.md" name="block 1 · line 6" time="T">',
        '      <failure message="output differs" type="mismatch">test/fixtures/lessons/fail/mismatch.md:7:1',
        "$ echo one; echo two; echo three",
        "output differs",
        "",
        "@@ -1,3 +1,3 @@",
        " one",
        "-TWO",
        "+two",
        " three</failure>",
        '      <failure message="exit status 3, expected 0" type="mismatch">test/fixtures/lessons/fail/mismatch.md:11:1',
        "$ (exit 3)",
        "exit status 3, expected 0",
        "",
        "@@ -1,1 +1,1 @@",
        "-[0]",
        "+[3]</failure>",
        "    </testcase>",
        '    <testcase classname="test/fixtures/lessons/fail/mismatch.md" name="block 2 · line 14" time="T"/>',
        "  </testsuite>",
        "</testsuites>",
      ].join("\n"),
    );
    // =FILE writes the report to a file, while another reporter writes to stdout.
    const f = await lab(["run", `${FIX}/fail/mismatch.md`, "--target", "host", "--reporter", `junit=${join(dir, "r.xml")}`, "--reporter", "json"]);
    expect(JSON.parse(f.stdout).failed).toBe(1);
    expect(readFileSync(join(dir, "r.xml"), "utf8").replace(/time="[\d.]+"/g, 'time="T"')).toBe(xml + "\n");
  });

  it("--update rewrites the expected output so the lesson passes", async () => {
    const file = join(dir, "upd.md");
    copyFileSync(join(ROOT, FIX, "fail/mismatch.md"), file);
    const r1 = await lab(["run", file, "--target", "host", "--update"]);
    expect(r1.exitCode).toBe(1);
    expect(r1.stdout).toContain(`  ✎ updated ${file.replace(/^\//, "")}`.replace(file.replace(/^\//, ""), "") || "");
    expect(readFileSync(file, "utf8")).toBe(
      readFileSync(join(ROOT, FIX, "fail/mismatch.md"), "utf8").replace("TWO\n", "two\n").replace("$ (exit 3)\n", "$ (exit 3)\n[3]\n"),
    );
    const r2 = await lab(["run", file, "--target", "host"]);
    expect(r2.exitCode).toBe(0);
  });

  it("--grep and --shard choose lessons; --bail stops after the first failure", async () => {
    const files = ["a", "b", "c"].map((n) => {
      const f = join(dir, `${n}.md`);
      writeFileSync(f, `# Lesson ${n}\n\n\`\`\`sh\n${n === "a" ? "false" : "true"}\n\`\`\`\n`);
      return f;
    });
    const titles = async (args: string[]) => {
      const r = await lab(["run", dir, "--target", "host", "--reporter", "json", ...args]);
      return JSON.parse(r.stdout).lessons.map((l: { title: string; status: string }) => `${l.title}:${l.status}`);
    };
    expect(files.length).toBe(3);
    expect(await titles([])).toEqual(["Lesson a:failed", "Lesson b:passed", "Lesson c:passed"]);
    expect(await titles(["--grep", "LESSON B"])).toEqual(["Lesson b:passed"]);
    expect(await titles(["--shard", "1/2"])).toEqual(["Lesson a:failed"]);
    expect(await titles(["--shard", "2/2"])).toEqual(["Lesson b:passed", "Lesson c:passed"]);
    expect(await titles(["--bail"])).toEqual(["Lesson a:failed", "Lesson b:skipped", "Lesson c:skipped"]);
  });
});

describe("lab check / list / usage", () => {
  it("lists every error of a malformed lesson at once, exit 2, no stack trace", async () => {
    const r = await lab(["check", `${FIX}/bad/malformed.md`, `${FIX}/bad/missing.md`]);
    expect(r.exitCode).toBe(2);
    expect(r.stdout).toBe("");
    expect(r.stderr).toBe(
      [
        "test/fixtures/lessons/bad/missing.md:1:1 error No such file or directory (missing-file)",
        'test/fixtures/lessons/bad/malformed.md:3:1 error Unexpected front matter key "colour", expected one of title, description, requires, world, timeout, normalize, sim (unknown-front-matter-key)',
        'test/fixtures/lessons/bad/malformed.md:5:12 error Unexpected meta key "on-host", expected one of on, timeout, target, id, cleanup, hidden, skip, normalize, exit, exercise, check, wrong-solution, points, hint, fails, replaces (unknown-meta-key)',
        'test/fixtures/lessons/bad/malformed.md:6:8 error Capture "ip" is used before it is bound: write {{ip}} in the expected output of an earlier command (capture-before-bound)',
        'test/fixtures/lessons/bad/malformed.md:7:1 error Expected an exit status 0..255 in [N], found "x1" (bad-exit-code)',
        'test/fixtures/lessons/bad/malformed.md:10:7 error Invalid timeout "soon", expected a duration like 500ms, 10s or 2m (bad-meta-value)',
        "test/fixtures/lessons/bad/malformed.md:14:1 error Unclosed code fence: expected a closing ``` for the block opened here (unclosed-fence)",
        "7 errors",
      ].join("\n"),
    );
    const run = await lab(["run", `${FIX}/bad/malformed.md`]);
    expect(run.exitCode).toBe(2);
  });

  it("check passes clean lessons; list shows blocks", async () => {
    const c = await lab(["check", `${FIX}/pass`]);
    expect([c.exitCode, c.stderr]).toEqual([0, "3 lessons checked, no problems"]);
    const l = await lab(["list", `${FIX}/pass/requires-kube.md`]);
    expect(l.stdout).toBe(
      "test/fixtures/lessons/pass/requires-kube.md  Needs a cluster  (world kubernetes, requires kubernetes)\n  block 1  line 5  console  1 command",
    );
  });

  it("usage errors exit 2 with one line", async () => {
    const r = await lab(["run", "--target", "moon"]);
    expect([r.exitCode, r.stderr]).toEqual([2, 'lab: unknown target "moon", expected one of sim, host\nRun "lab --help" for usage.']);
    const s = await lab(["run", `${FIX}/pass`, "--shard", "3/2"]);
    expect([s.exitCode, s.stderr]).toEqual([2, 'lab: invalid --shard "3/2", expected i/n with 1 <= i <= n']);
    const u = await lab(["frobnicate"]);
    expect([u.exitCode, u.stderr]).toEqual([2, 'lab: unknown command "frobnicate", expected one of run, list, check\nRun "lab --help" for usage.']);
  });
});

describe("lab.config.yaml contexts", () => {
  it("runs `on=NAME` blocks in the configured shell, each context keeping its own state", async () => {
    writeFileSync(join(dir, "lab.config.yaml"), 'contexts:\n  box: "bash --noprofile --norc"\n');
    writeFileSync(
      join(dir, "ctx.md"),
      [
        "# Contexts",
        "```console",
        "$ where=host; echo $where",
        "host",
        "```",
        "```console on=box",
        "$ echo [$where]; where=box",
        "[]",
        "```",
        "```console",
        "$ echo $where",
        "host",
        "```",
        "```console on=box",
        "$ echo $where",
        "box",
        "```",
        "",
      ].join("\n"),
    );
    const r = await lab(["run", "ctx.md", "--target", "host", "--reporter", "json"], { cwd: dir });
    expect(JSON.parse(r.stdout).lessons[0].blocks.map((b: { status: string }) => b.status)).toEqual(["passed", "passed", "passed", "passed"]);
    expect(r.exitCode).toBe(0);
    writeFileSync(join(dir, "lab.config.yaml"), "contexts: [oops]\n");
    const bad = await lab(["run", "ctx.md", "--target", "host"], { cwd: dir });
    expect([bad.exitCode, bad.stderr]).toEqual([2, 'lab: lab.config.yaml: "contexts" must map context names to shell command lines']);
    const none = await lab(["run", "nothing-here"], { cwd: dir });
    expect([none.exitCode, none.stderr]).toEqual([2, "nothing-here:1:1 error No such file or directory (missing-file)\n1 error"]);
    rmSync(join(dir, "ctx.md"));
    const empty = await lab(["run", "."], { cwd: dir });
    expect([empty.exitCode, empty.stderr]).toEqual([2, "lab: no lessons found in . (looked for *.md files)"]);
  });
});

describe("one transcript, both targets (the runner does not know which it drives)", () => {
  it("the same lessons give the same results on sim and on host", async () => {
    const view = async (target: string, file: string) => {
      const r = await lab(["run", `${FIX}/${file}`, "--target", target, "--reporter", "json"]);
      const j = JSON.parse(r.stdout);
      return {
        exit: r.exitCode,
        blocks: j.lessons[0].blocks.map((b: { status: string; skipReason?: string; commands: { command: string; exitCode: number; output: string; status: string }[] }) => ({
          status: b.status,
          skipReason: b.skipReason,
          commands: b.commands.map((c) => [c.command, c.exitCode, c.output, c.status]),
        })),
      };
    };
    const sim = await view("sim", "pass/both-targets.md");
    const host = await view("host", "pass/both-targets.md");
    expect(sim.exit).toBe(0);
    expect(host.exit).toBe(0);
    // Identical except the target=sim block.
    expect(host.blocks[2]).toEqual({ status: "skipped", skipReason: "target=sim only", commands: [] });
    expect(sim.blocks[2].status).toBe("passed");
    expect([host.blocks[0], host.blocks[1], host.blocks[3]]).toEqual([sim.blocks[0], sim.blocks[1], sim.blocks[3]]);
    expect(sim.blocks[1].commands.find((c: unknown[]) => c[0] === 'echo "got 7f3a"')).toEqual(['echo "got 7f3a"', 0, "got 7f3a\n", "passed"]);

    const simFail = await view("sim", "fail/mismatch.md");
    const hostFail = await view("host", "fail/mismatch.md");
    expect(simFail).toEqual(hostFail);
    expect(simFail.exit).toBe(1);
  });
});
