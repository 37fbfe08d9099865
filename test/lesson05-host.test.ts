/**
 * Lesson 05 (the cross-host overlay) on the real kernel of this machine, as CI runs it (root):
 * it must pass, and leave no namespace, link or rule behind (its cleanup blocks remove the
 * "hosts" and "containers" it made). Skipped, with the reason, where `ip netns` is not ours.
 */
import { execa } from "execa";
import { execFileSync } from "node:child_process";
import { beforeAll, describe, expect, it } from "vitest";
import { ensureBuilt, LAB, ROOT } from "./engine/build.js";

const isRoot = process.getuid?.() === 0;
let canNetns = false;
if (isRoot) {
  try {
    execFileSync("ip", ["netns", "list"], { stdio: "ignore" });
    canNetns = true;
  } catch {
    canNetns = false;
  }
}

/**
 * What the lesson may leave behind: it builds everything inside its own namespaces (host1, host2,
 * ctr1, ctr2), so those must be gone. Other suites change the root namespace concurrently, so it
 * is not compared here (the Docker suite checks its own objects the same way).
 */
function machineState(): string[] {
  const list = execFileSync("ip", ["netns", "list"], { encoding: "utf8" });
  return list.split("\n").map((l) => l.split(" ")[0]!).filter((n) => /^(host1|host2|ctr1|ctr2)$/.test(n));
}

describe.skipIf(!canNetns)("lesson 05 on the real kernel (--target host, root)", () => {
  beforeAll(() => ensureBuilt(), 180_000);

  it("passes and leaves the machine as it found it", async () => {
    expect(machineState()).toEqual([]);
    const r = await execa("node", [LAB, "run", "lessons/05-cross-host-overlay.md", "--target", "host", "--reporter", "json"], {
      cwd: ROOT,
      reject: false,
      env: { CI: "1", NO_COLOR: "1" },
    });
    const report = JSON.parse(r.stdout) as { lessons: Array<{ file: string; status: string }> };
    expect([r.exitCode, report.lessons.map((l) => [l.file, l.status])]).toEqual([0, [["lessons/05-cross-host-overlay.md", "passed"]]]);
    expect(machineState()).toEqual([]);
  }, 300_000);
});
