/**
 * The host target leaves the machine as it found it: after lessons 01–04 run against the real
 * kernel and dockerd, and also after a lesson that fails half-way, one that times out and one that
 * is interrupted (the Ctrl-C path), `iptables-save`, `ip link`, `ip netns`, `docker ps -a` and
 * `docker network ls` are what they were before.
 *
 * Runs only as root with a working Docker engine and the lab images (scripts/build-images.sh), as
 * in CI. Other suites may create their own namespaces and links on the same machine at the same
 * time, so the kernel state is compared on the objects these lessons create or touch (Docker's
 * chains and bridges, veths, the `client`/`internet` namespaces and their addresses); Docker's state
 * is compared whole.
 */
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { parseLesson } from "../../src/lesson/parse.js";
import { runLessons } from "../../src/runner/run.js";
import { createHostTarget } from "../../src/target/host/index.js";
import { acquireHostLock } from "../host-lock.js";

const root = new URL("../../", import.meta.url);
const sh = (cmd: string) => {
  try {
    return execFileSync("bash", ["-c", cmd], { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] });
  } catch {
    return "";
  }
};
const ready = (() => {
  if (process.getuid?.() !== 0) return false;
  return sh("/usr/bin/docker image inspect -f ok busybox nginx:1.16.1 2>/dev/null").trim() === "ok\nok";
})();

/** Lines of iptables-save the lessons' objects appear in. */
const OURS = /docker0|br-[0-9a-f]{12}|DOCKER|veth-client|veth-inet|172\.17\.|198\.51\.100\.|203\.0\.113\./;
/** Links the lessons (and dockerd for them) create: Docker's veths and bridges, the lessons' veths. */
const OUR_LINKS = /^(docker0|veth[0-9a-f]{7}|br-[0-9a-f]{12}|veth-client|veth-inet)$/;

/** The machine state the lessons may touch. */
function state(): Record<string, string> {
  return {
    iptables: sh("iptables-save").split("\n").filter((l) => !l.startsWith("#")).map((l) => l.replace(/\[\d+:\d+\]/, "[0:0]")).filter((l) => OURS.test(l) || l.startsWith("*") || l === "COMMIT").join("\n"),
    links: sh("ip -o link show 2>/dev/null").split("\n").map((l) => l.replace(/^\d+: /, "").split(":")[0]!.split("@")[0]!).filter((n) => OUR_LINKS.test(n)).sort().join("\n"),
    netns: sh("ip netns list").split("\n").filter((l) => /^(client|internet)\b/.test(l)).join("\n"),
    ipForward: sh("sysctl -n net.ipv4.ip_forward"),
    containers: sh("/usr/bin/docker ps -a --format '{{.Names}} {{.Status}}'"),
    networks: sh("/usr/bin/docker network ls --format '{{.Name}} {{.Driver}}'"),
  };
}

function lesson(name: string, edit?: (src: string) => string) {
  const file = `lessons/${name}.md`;
  const src = readFileSync(new URL(file, root), "utf8");
  return parseLesson(edit ? edit(src) : src, file).lesson;
}

describe.skipIf(!ready)("host target leaves the machine as it found it", () => {
  // test/grade/host-grade.test.ts uses the same containers and namespaces: one at a time.
  let release: (() => void) | undefined;
  beforeAll(async () => {
    release = await acquireHostLock();
  }, 600_000);
  afterAll(() => release?.());

  test("lessons 01-04 pass on the real engine and leave no trace", async () => {
    const before = state();
    const summary = await runLessons(
      ["01-container-to-container", "02-network-modes", "03-port-mapping", "04-egress"].map((n) => lesson(n)),
      { target: createHostTarget() },
    );
    const failures = summary.lessons.flatMap((l) => l.blocks.flatMap((b) => b.commands.filter((c) => c.status === "failed").map((c) => `${l.lesson.file}:${c.line} ${c.command}: ${c.message}\n${c.output}`)));
    expect(failures).toEqual([]);
    expect(summary.lessons.map((l) => [l.lesson.file, l.status])).toEqual([
      ["lessons/01-container-to-container.md", "passed"],
      ["lessons/02-network-modes.md", "passed"],
      ["lessons/03-port-mapping.md", "passed"],
      ["lessons/04-egress.md", "passed"],
    ]);
    expect(state()).toEqual(before);
  }, 180_000);

  test("after a failure half-way (container, namespace and rule edits made), cleanup still restores everything", async () => {
    const before = state();
    // Lesson 04 with a wrong expectation right after MASQUERADE was deleted and ip_forward is still 1.
    const broken = lesson("04-egress", (s) => s.replace("1 packets transmitted, 0 packets received, 100% packet loss\n[1]\n```\n\nThe request still", "this line is not what ping prints\n[1]\n```\n\nThe request still"));
    const summary = await runLessons([broken], { target: createHostTarget(), bail: true });
    expect(summary.lessons[0]!.status).toBe("failed");
    expect(state()).toEqual(before);
  }, 120_000);

  test("after a timeout and after an interruption, cleanup still restores everything", async () => {
    const before = state();
    const slow = lesson("03-port-mapping", (s) => s.replace("```console\n$ ip netns add client\n", "```console timeout=1s\n$ ip netns add client\n$ sleep 30\n"));
    const timedOut = await runLessons([slow], { target: createHostTarget(), bail: true });
    expect(timedOut.lessons[0]!.status).toBe("failed");
    expect(state()).toEqual(before);

    const ac = new AbortController();
    const interrupted = runLessons([lesson("01-container-to-container")], {
      target: createHostTarget(),
      signal: ac.signal,
      listener: { onCommandEnd: (c) => { if (c.command.startsWith("docker run -dit --name busybox-2")) ac.abort(); } },
    });
    const s = await interrupted;
    expect(s.interrupted).toBe(true);
    expect(state()).toEqual(before);
  }, 120_000);
});
