/**
 * Replays test/fixtures/tools/nslookup.json (busybox nslookup on this machine against a small
 * authoritative server, see scripts/record-tools.sh) on the simulated kernel: the same topology
 * is built through the kernel API, the same zone is served by lib/dns-message's answerQuery on
 * a udpListen, and each nslookup step runs the simulated program in namespace ltb. The outputs
 * must match byte for byte. The server starts after the first nslookup step, as in the recording
 * (that step meets a closed port: ICMP port unreachable).
 */
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { expect, it } from "vitest";
import { createVirtualClock } from "../src/core/clock.js";
import { createRng } from "../src/core/random.js";
import { createKernelWorld } from "../src/sim/kernel/index.js";
import { answerQuery, DNS_TYPE, type DnsQuestion, type DnsRecord } from "../src/sim/userland/lib/dns-message.js";
import { nslookup } from "../src/sim/userland/nslookup/index.js";
import type { Proc, SimFs } from "../src/sim/userland/types.js";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const fixture = JSON.parse(readFileSync(join(root, "test/fixtures/tools/nslookup.json"), "utf8")) as {
  steps: Array<{ cmd: string; output: string; exitCode: number }>;
};

/** The zone of scripts/record-tools.sh's dns.py. */
const ZONE: Record<string, Array<[string, number, string]>> = {
  "web.lab/1": [["web.lab", DNS_TYPE.A, "10.0.0.80"]],
  "multi.lab/1": [["multi.lab", DNS_TYPE.A, "10.0.0.81"], ["multi.lab", DNS_TYPE.A, "10.0.0.82"]],
  "alias.lab/1": [["alias.lab", DNS_TYPE.CNAME, "web.lab"], ["web.lab", DNS_TYPE.A, "10.0.0.80"]],
  "alias.lab/28": [["alias.lab", DNS_TYPE.CNAME, "web.lab"]],
  "ext.example/1": [["ext.example", DNS_TYPE.A, "192.0.2.7"]],
};
const NAMES = new Set(["web.lab", "multi.lab", "alias.lab", "ext.example"]);

function lookup(q: DnsQuestion): DnsRecord[] | undefined {
  const n = q.name.toLowerCase();
  if (!NAMES.has(n)) return undefined;
  return (ZONE[`${n}/${q.type}`] ?? []).map(([name, type, data]) => ({ name, type, ttl: 300, data }));
}

const emptyFs: SimFs = {
  readFile: () => undefined, writeFile: () => {}, exists: () => false, isDir: () => false, readdir: () => undefined, mkdir: () => {}, remove: () => false,
};

it("busybox nslookup agrees with the real one against the same zone", async () => {
  const clock = createVirtualClock();
  const rng = createRng(1);
  const kw = createKernelWorld({ clock, rng });
  const host = kw.addHost("h");
  const a = host.netnsAddNamed("lta");
  const b = host.netnsAddNamed("ltb");
  a.linkAdd({ name: "v1", kind: "veth", peer: { name: "v2", netns: { name: "ltb" } } });
  a.addrAdd("v1", "10.0.0.1/24");
  b.addrAdd("v2", "10.0.0.2/24");
  a.linkSet("v1", { up: true });
  b.linkSet("v2", { up: true });

  const runStep = async (argv: string[]) => {
    let output = "";
    const proc: Proc = {
      argv, stdin: "", env: {}, cwd: "/",
      out: (t) => (output += t), err: (t) => (output += t),
      ctx: { name: "ltb", host, netns: b, fs: emptyFs, hostname: "h", env: {} },
      world: { clock, rng, daemons: {}, spawn: async () => 127 },
    };
    const exitCode = await nslookup.run(proc);
    return { output, exitCode };
  };

  const results: Array<{ cmd: string; output: string; exitCode: number }> = [];
  const expected: typeof results = [];
  let serverUp = false;
  let seen = 0;
  for (const step of fixture.steps) {
    const m = /^ip netns exec ltb (nslookup.*)$/.exec(step.cmd);
    if (!m) continue;
    if (seen++ === 1 && !serverUp) {
      a.udpListen("10.0.0.1", 53, (payload) => answerQuery(payload, lookup, { authoritative: (q) => q.name.toLowerCase().endsWith(".lab") }));
      serverUp = true;
    }
    const got = await runStep(m[1]!.split(" "));
    results.push({ cmd: step.cmd, ...got });
    expected.push({ cmd: step.cmd, output: step.output, exitCode: step.exitCode });
  }
  expect(results.length).toBeGreaterThanOrEqual(9);
  expect(results).toEqual(expected);
});
