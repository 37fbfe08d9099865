/**
 * Replays test/fixtures/tools/busybox-ip.json: the setup steps (`ip -n NS ...`, iproute2) run
 * through the simulated `ip` in the host context, and every `ip netns exec NS busybox ip ...`
 * step runs the simulated `ip` in a busybox userland (an ash context, as in busybox containers
 * and pods), which must print busybox's own listing format byte for byte (MACs normalized).
 */
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { expect, it } from "vitest";
import { createVirtualClock } from "../src/core/clock.js";
import { createRng } from "../src/core/random.js";
import { createKernelWorld } from "../src/sim/kernel/index.js";
import { ip } from "../src/sim/userland/ip/index.js";
import type { Proc, SimFs } from "../src/sim/userland/types.js";
import { makeNormalizer } from "./tools-normalize.js";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const fixture = JSON.parse(readFileSync(join(root, "test/fixtures/tools/busybox-ip.json"), "utf8")) as {
  steps: Array<{ cmd: string; output: string; exitCode: number }>;
};

const noFs: SimFs = {
  readFile: () => undefined, writeFile: () => {}, exists: () => false, isDir: () => false, readdir: () => undefined, mkdir: () => {}, remove: () => false,
};

it("busybox ip listings in an ash context agree with the real busybox applet", async () => {
  const clock = createVirtualClock();
  const rng = createRng(1);
  const host = createKernelWorld({ clock, rng }).addHost("h");
  const run = async (argv: string[], netns: string | undefined) => {
    let output = "";
    const proc: Proc = {
      argv, stdin: "", env: {}, cwd: "/",
      out: (t) => (output += t), err: (t) => (output += t),
      ctx: { name: "c", host, netns: netns ? host.netns({ name: netns }) : host.init, fs: noFs, hostname: "h", env: {}, shell: netns ? "ash" : "bash" },
      world: { clock, rng, daemons: {}, spawn: async () => 127 },
    };
    const exitCode = await ip.run(proc);
    return { output, exitCode };
  };
  const commands = fixture.steps.map((s) => s.cmd);
  const normReal = makeNormalizer(commands);
  const normSim = makeNormalizer(commands);
  const got: Array<{ cmd: string; output: string; exitCode: number }> = [];
  const want: typeof got = [];
  for (const step of fixture.steps) {
    const bb = /^ip netns exec (\S+) busybox (ip .*)$/.exec(step.cmd);
    const res = bb ? await run(bb[2]!.split(" "), bb[1]) : await run(step.cmd.split(" "), undefined);
    got.push({ cmd: step.cmd, output: normSim(res.output, ["mac"]), exitCode: res.exitCode });
    want.push({ cmd: step.cmd, output: normReal(step.output, ["mac"]), exitCode: step.exitCode });
  }
  expect(got.filter((s) => / busybox ip /.test(s.cmd)).length).toBeGreaterThanOrEqual(9);
  expect(got).toEqual(want);
});
