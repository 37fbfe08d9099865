/**
 * `lab shell` driven through a real pseudo-terminal (tmux) as a person would: wait for the
 * prompt, type, edit the line, recall history, switch context, leave with Ctrl-D. Runs the
 * built CLI (bin/lab.js over dist/; `npm test` builds first).
 */
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { resolve } from "node:path";
import { afterAll, afterEach, describe, expect, it } from "vitest";

const root = resolve(import.meta.dirname, "../..");
const lab = resolve(root, "bin/lab.js");
const sessions: string[] = [];

/** A lesson of this test's own (the shipped lessons change as they are written). */
const dir = mkdtempSync(resolve(tmpdir(), "lab-shell-"));
writeFileSync(
  resolve(dir, "two.md"),
  [
    "---", "title: Two containers", "world: docker", "---", "", "Start two.", "",
    "```console id=start", "$ docker run -dit --name busybox-1 busybox", "...", "$ docker run -dit --name busybox-2 busybox", "...", "```", "",
    "```console", "$ docker rm -f busybox-2", "busybox-2", "```", "",
    "```console cleanup", "$ docker rm -f busybox-1", "busybox-1", "```", "",
  ].join("\n"),
);

function tmux(...args: string[]): string {
  return execFileSync("tmux", args, { encoding: "utf8" });
}

/** The visible screen, trailing blank lines dropped. */
function screen(s: string): string[] {
  const lines = tmux("capture-pane", "-p", "-t", s).split("\n").map((l) => l.trimEnd());
  while (lines.length > 0 && lines[lines.length - 1] === "") lines.pop();
  return lines;
}

/** Waits (generously: CI machines are slow) until the screen's last line is `last`. */
async function waitFor(s: string, last: string, timeoutMs = 60_000): Promise<string[]> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const lines = screen(s);
    if (lines[lines.length - 1] === last) return lines;
    if (Date.now() > until) throw new Error(`timed out waiting for ${JSON.stringify(last)}; screen:\n${lines.join("\n")}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

function start(cmd: string): string {
  const s = `lab-shell-test-${process.pid}-${sessions.length}`;
  sessions.push(s);
  // `; echo EXIT=$?; sleep` keeps the pane open so the exit status can be read from the screen.
  tmux("new-session", "-d", "-s", s, "-x", "100", "-y", "30", "-c", dir, `${cmd}; echo EXIT=$?; sleep 60`);
  return s;
}

afterAll(() => rmSync(dir, { recursive: true, force: true }));

afterEach(() => {
  for (const s of sessions.splice(0)) {
    try {
      tmux("kill-session", "-t", s);
    } catch {
      /* already gone */
    }
  }
});

describe.skipIf(!existsSync(resolve(root, "dist/cli/main.js")))("lab shell in a terminal", () => {
  it("runs a lesson up to a block, switches context, edits lines, recalls history, ends on Ctrl-D", async () => {
    const s = start(`node ${lab} shell two.md --until start`);
    await waitFor(s, "host$");
    tmux("send-keys", "-t", s, "lab-on", "Enter");
    await waitFor(s, "host$");
    tmux("send-keys", "-t", s, "lab-on nope", "Enter");
    await waitFor(s, "host$");
    tmux("send-keys", "-t", s, "lab-on busybox-1", "Enter");
    await waitFor(s, "busybox-1$");
    // Line editing: type, move left twice, delete one character, insert another.
    tmux("send-keys", "-t", s, "echo abcd");
    await waitFor(s, "busybox-1$ echo abcd");
    tmux("send-keys", "-t", s, "Left", "Left", "BSpace", "X");
    await waitFor(s, "busybox-1$ echo aXcd");
    tmux("send-keys", "-t", s, "Enter");
    await waitFor(s, "busybox-1$");
    // History: Up recalls the previous line.
    tmux("send-keys", "-t", s, "Up", "Enter");
    await waitFor(s, "busybox-1$");
    tmux("send-keys", "-t", s, "ip -4 -o addr show dev eth0 | cut -d' ' -f7", "Enter");
    await waitFor(s, "busybox-1$");
    tmux("send-keys", "-t", s, "exit 3", "Enter");
    const lines = await waitFor(s, "EXIT=3");
    expect(lines).toEqual([
      "lab shell: running 1 block of two.md...",
      "lab shell: docker world; contexts: host busybox-1 busybox-2. lab-on NAME switches, exit or Ctrl-D le",
      "aves.",
      "host$ lab-on",
      "contexts: host busybox-1 busybox-2",
      "host$ lab-on nope",
      'lab-on: no context "nope"',
      "contexts: host busybox-1 busybox-2",
      "host$ lab-on busybox-1",
      "busybox-1$ echo aXcd",
      "aXcd",
      "busybox-1$ echo aXcd",
      "aXcd",
      "busybox-1$ ip -4 -o addr show dev eth0 | cut -d' ' -f7",
      "172.17.0.2/16",
      "busybox-1$ exit 3",
      "EXIT=3",
    ]);
  }, 120_000);

  it("ends on Ctrl-D with the last command's status", async () => {
    const s = start(`node ${lab} shell --world bare`);
    await waitFor(s, "host$");
    tmux("send-keys", "-t", s, "false", "Enter");
    await waitFor(s, "host$");
    tmux("send-keys", "-t", s, "C-d");
    const lines = await waitFor(s, "EXIT=1");
    expect(lines).toEqual([
      "lab shell: bare world; contexts: host. lab-on NAME switches, exit or Ctrl-D leaves.",
      "host$ false",
      "host$",
      "EXIT=1",
    ]);
  }, 120_000);

  it("ends when `exit` runs anywhere in a command line, as bash does", async () => {
    const s = start(`node ${lab} shell --world bare`);
    await waitFor(s, "host$");
    tmux("send-keys", "-t", s, "echo bye; exit 4", "Enter");
    const lines = await waitFor(s, "EXIT=4");
    expect(lines).toEqual([
      "lab shell: bare world; contexts: host. lab-on NAME switches, exit or Ctrl-D leaves.",
      "host$ echo bye; exit 4",
      "bye",
      "EXIT=4",
    ]);
  }, 120_000);

  it("refuses an unknown block with the blocks that exist", async () => {
    const s = start(`node ${lab} shell two.md --until nope`);
    const lines = await waitFor(s, "EXIT=2");
    expect(lines).toEqual(['lab shell: no block "nope" in two.md (blocks: start, 2)', "EXIT=2"]);
  }, 120_000);
});
