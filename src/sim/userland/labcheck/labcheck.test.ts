/**
 * The simulated lab-check's verdicts on a docker world: a reply, no reply with its cause, and a
 * probe that never ran (which fails every check, no-reach included, as on the host target).
 */
import { describe, expect, it } from "vitest";
import { createWorld } from "../../index.js";

async function dockerWorld() {
  const w = createWorld({ kind: "docker" });
  const s = w.session("host");
  await s.exec("docker run -d --name web nginx >/dev/null; docker run -dit --name c1 busybox >/dev/null");
  return async (cmd: string) => {
    const r = await s.exec(cmd);
    return [r.exitCode, r.output] as const;
  };
}

describe("lab-check (simulated)", () => {
  it("reach passes on a reply and fails naming the cause from the packet trace", async () => {
    const run = await dockerWorld();
    expect(await run("lab-check reach c1 172.17.0.2:80")).toEqual([0, "ok: tcp from c1 to 172.17.0.2:80 gets a reply\n"]);
    expect(await run("lab-check no-reach c1 172.17.0.2:81")).toEqual([0, "ok: tcp from c1 to 172.17.0.2:81 gets no reply\n"]);
    expect(await run("lab-check reach c1 172.17.0.2:81")).toEqual([1, "not ok: tcp from c1 to 172.17.0.2:81: no reply: nothing listens there: tcp port 81 closed: RST (docker:3d0df4cefd47)\n"]);
  });

  // docker 20.10's client words a missing container "Error: No such container" (test/docker/captures/raw-1.txt).
  it("a probe that did not run fails every check, no-reach included", async () => {
    const run = await dockerWorld();
    expect(await run("lab-check no-reach nosuch 172.17.0.2:80")).toEqual([1, "not ok: tcp from nosuch to 172.17.0.2:80: the probe did not run: Error: No such container: nosuch\n"]);
    expect(await run("lab-check reach netns:nosuch 172.17.0.2 --proto icmp")).toEqual([1, 'not ok: icmp from netns:nosuch to 172.17.0.2: the probe did not run: Cannot open network namespace "nosuch": No such file or directory\n']);
    expect((await run("docker stop c1 >/dev/null; lab-check no-reach c1 172.17.0.2:80"))[0]).toBe(1);
  });

  it("--proto without a value is a usage error", async () => {
    const run = await dockerWorld();
    const [code, out] = await run("lab-check reach host 172.17.0.2 --proto");
    expect([code, out.split("\n")[0]]).toEqual([2, "lab-check: --proto takes tcp, udp or icmp"]);
  });
});
