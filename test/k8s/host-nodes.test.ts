/**
 * Lessons about clusters on the host target. No Kubernetes server can run here, so what can be
 * proven on this machine is proven:
 *   - `requires: [kubernetes]` lessons (06–10) are skipped, not failed, when `kubectl cluster-info`
 *     reaches no cluster, and the reason quotes kubectl (KUBECONFIG pointed at a closed port);
 *   - node contexts configured as in lab.config.yaml (`node1: docker exec -i CONTAINER sh`) run
 *     `on=node1` / `on=node2` blocks in real Docker containers standing for the nodes (the busybox
 *     image of scripts/build-images.sh): one persistent shell per context across blocks,
 *     switching back and forth, captures flowing from one node's block into another's, a cleanup
 *     block, and a context whose container does not exist failing as a result, not a crash.
 * Root and a Docker daemon with the `busybox` image are needed for the second part (CI has them).
 */
import { execa } from "execa";
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadConfig } from "../../src/cli/config.js";
import { parseLesson } from "../../src/lesson/parse.js";
import { runLessons } from "../../src/runner/run.js";
import { createHostTarget } from "../../src/target/host/index.js";
import { acquireHostLock } from "../host-lock.js";

function has(cmd: string, args: string[]): boolean {
  try {
    execFileSync(cmd, args, { stdio: "ignore", timeout: 20_000 });
    return true;
  } catch {
    return false;
  }
}

const haveKubectl = has("kubectl", ["version", "--client"]);
const isRoot = process.getuid?.() === 0;
const haveDocker = isRoot && has("docker", ["image", "inspect", "busybox"]);

describe.skipIf(!haveKubectl)("kubernetes lessons on a host without a cluster", () => {
  // A kubeconfig whose server is 127.0.0.1:1, where nothing listens (localhost:8080, kubectl's
  // default without a kubeconfig, might be some other test's server).
  let saved: string | undefined;
  const kdir = mkdtempSync(join(tmpdir(), "lab-kubeconfig-"));
  beforeAll(() => {
    saved = process.env.KUBECONFIG;
    const cfg = "apiVersion: v1\nkind: Config\nclusters:\n- name: c\n  cluster: {server: \"https://127.0.0.1:1\"}\ncontexts:\n- name: x\n  context: {cluster: c, user: u}\ncurrent-context: x\nusers:\n- name: u\n  user: {token: t}\n";
    writeFileSync(join(kdir, "config"), cfg);
    process.env.KUBECONFIG = join(kdir, "config");
  });
  afterAll(() => {
    if (saved === undefined) delete process.env.KUBECONFIG;
    else process.env.KUBECONFIG = saved;
    rmSync(kdir, { recursive: true, force: true });
  });

  it("are skipped with kubectl's own reason, every one of 06-10", async () => {
    const files = ["06-pod-shared-netns", "07-pod-to-pod-across-nodes", "08-service-clusterip", "09-service-dns", "10-ingress"].map((f) => `lessons/${f}.md`);
    const lessons = files.map((f) => parseLesson(readFileSync(f, "utf8"), f).lesson);
    const s = await runLessons(lessons, { target: createHostTarget({}), now: () => 0 });
    const why = "requires kubernetes (`kubectl cluster-info` cannot reach a cluster: The connection to the server 127.0.0.1:1 was refused - did you specify the right host or port?)";
    expect(s.lessons.map((l) => [l.lesson.file, l.status, l.skipReason, l.blocks.length])).toEqual(files.map((f) => [f, "skipped", why, 0]));
  }, 120_000);
});

const N1 = "lab-test-node1";
const N2 = "lab-test-node2";

const LESSON = `---
title: Two nodes
requires: [docker, root]
---

# Two nodes

\`\`\`console on=node1
$ hostname
node1
$ ip -4 -o addr show eth0 | awk '{print $4}' | cut -d/ -f1
{{node1_ip}}
$ cd /tmp && echo from-node1 > marker && export WHO=node1
\`\`\`

\`\`\`console on=node2
$ hostname
node2
$ ping -c 1 -W 2 {{node1_ip}} | grep -c 'bytes from'
1
$ echo "\${WHO:-unset}"
unset
\`\`\`

The shell of node1 is still the one the first block left: same directory, same variables.

\`\`\`console on=node1
$ pwd; cat marker; echo $WHO
/tmp
from-node1
node1
\`\`\`

\`\`\`console on=node3
$ hostname
node3
\`\`\`

\`\`\`console cleanup on=node1
$ rm -f /tmp/marker
\`\`\`
`;

describe.skipIf(!haveDocker)("node contexts from lab.config.yaml in real containers (--target host, root)", () => {
  const dir = mkdtempSync(join(tmpdir(), "lab-nodes-"));
  const rm = () => execa("docker", ["rm", "-f", N1, N2], { reject: false });
  // Its containers take addresses on Docker's default bridge, which the Docker lessons' root suites expect free.
  let release: (() => void) | undefined;

  beforeAll(async () => {
    release = await acquireHostLock();
    await rm();
    for (const [name, host] of [[N1, "node1"], [N2, "node2"]] as const) {
      await execa("docker", ["run", "-d", "--name", name, "--hostname", host, "busybox", "sleep", "3600"]);
    }
    writeFileSync(join(dir, "lab.config.yaml"), `contexts:\n  node1: docker exec -i ${N1} sh\n  node2: docker exec -i ${N2} sh\n`);
  }, 660_000);

  afterAll(async () => {
    await rm();
    rmSync(dir, { recursive: true, force: true });
    release?.();
  }, 60_000);

  it("run blocks on each node, keep each node's shell, clean up, and report a missing node as a failure", async () => {
    const cfg = await loadConfig(dir);
    if ("error" in cfg) throw new Error(cfg.error);
    const { lesson, diagnostics } = parseLesson(LESSON, "two-nodes.md");
    expect(diagnostics).toEqual([]);
    const s = await runLessons([lesson], { target: createHostTarget(cfg.config), now: () => 0 });
    const l = s.lessons[0]!;
    expect(l.blocks.map((b) => [b.block.context, b.status, b.commands.map((c) => [c.status, c.exitCode])])).toEqual([
      ["node1", "passed", [["passed", 0], ["passed", 0], ["passed", 0]]],
      ["node2", "passed", [["passed", 0], ["passed", 0], ["passed", 0]]],
      ["node1", "passed", [["passed", 0]]],
      ["node3", "failed", [["failed", 1]]],
      ["node1", "passed", [["passed", 0]]],
    ]);
    // node3 is no configured context, so it is taken for a container name, and there is none.
    expect(l.blocks[3]!.commands[0]!.output).toBe("Error response from daemon: No such container: node3\n");
    expect(l.status).toBe("failed");
    expect((await execa("docker", ["exec", N1, "ls", "/tmp"])).stdout).toBe("");
  }, 120_000);
});
