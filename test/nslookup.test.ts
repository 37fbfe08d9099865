/**
 * Replays test/fixtures/tools/nslookup.json (busybox nslookup, ping and wget on this machine
 * against a small authoritative DNS server, see scripts/record-tools.sh) on the simulated
 * kernel at program level: the topology is built through the kernel API, the same zone is
 * served by lib/dns-message's answerQuery on a udpListen, files the steps write with printf are
 * put in the file system, and every nslookup/ping/wget/httpd step runs the simulated program in
 * its namespace. Outputs must match byte for byte (ping's rtt normalized). The DNS server starts
 * after the first nslookup step, as in the recording (that step meets a closed port).
 * `ip netns exec ltb` bind-mounts /etc/netns/ltb/resolv.conf over /etc/resolv.conf, so that
 * file is the client's resolv.conf.
 */
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { expect, it } from "vitest";
import { createVirtualClock } from "../src/core/clock.js";
import { createRng } from "../src/core/random.js";
import { createKernelWorld } from "../src/sim/kernel/index.js";
import type { NetnsApi } from "../src/sim/kernel/api.js";
import { programs as httpd } from "../src/sim/userland/httpd/index.js";
import { answerQuery, DNS_TYPE, type DnsQuestion, type DnsRecord } from "../src/sim/kernel/wire/dns-message.js";
import { programs as nslookup } from "../src/sim/userland/nslookup/index.js";
import { programs as ping } from "../src/sim/userland/ping/index.js";
import type { ProgramSpec, Proc, SimFs } from "../src/sim/userland/types.js";
import { programs as wget } from "../src/sim/userland/wget/index.js";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const fixture = JSON.parse(readFileSync(join(root, "test/fixtures/tools/nslookup.json"), "utf8")) as {
  steps: Array<{ cmd: string; output: string; exitCode: number; normalize?: string[] }>;
};

/** The zone of scripts/record-tools.sh's dns.py. */
const ZONE: Record<string, Array<[string, number, string]>> = {
  "web.lab/1": [["web.lab", DNS_TYPE.A, "10.0.0.80"]],
  "multi.lab/1": [["multi.lab", DNS_TYPE.A, "10.0.0.81"], ["multi.lab", DNS_TYPE.A, "10.0.0.82"]],
  "alias.lab/1": [["alias.lab", DNS_TYPE.CNAME, "web.lab"], ["web.lab", DNS_TYPE.A, "10.0.0.80"]],
  "alias.lab/28": [["alias.lab", DNS_TYPE.CNAME, "web.lab"]],
  "ext.example/1": [["ext.example", DNS_TYPE.A, "192.0.2.7"]],
  "gw.lab/1": [["gw.lab", DNS_TYPE.A, "10.0.0.1"]],
};
const NAMES = new Set(["web.lab", "multi.lab", "alias.lab", "ext.example", "gw.lab"]);

function lookup(q: DnsQuestion): DnsRecord[] | undefined {
  const n = q.name.toLowerCase();
  if (!NAMES.has(n)) return undefined;
  return (ZONE[`${n}/${q.type}`] ?? []).map(([name, type, data]) => ({ name, type, ttl: 300, data }));
}

/** One file system for the machine; `etc` overlays /etc/* as `ip netns exec` does. */
function fsFor(files: Map<string, string>, netns: string): SimFs {
  const map = (p: string) => (p.startsWith("/etc/") && files.has(`/etc/netns/${netns}/${p.slice(5)}`) ? `/etc/netns/${netns}/${p.slice(5)}` : p);
  const isDir = (p: string) => p === "/" || [...files.keys()].some((f) => f.startsWith(p.replace(/\/$/, "") + "/"));
  return {
    readFile: (p) => files.get(map(p)),
    writeFile: (p, c) => void files.set(map(p), c),
    exists: (p) => files.has(map(p)) || isDir(p),
    isDir,
    readdir: () => undefined,
    mkdir: () => {},
    remove: (p) => files.delete(map(p)),
  };
}

const PROGRAMS: Record<string, ProgramSpec> = Object.fromEntries([...nslookup, ...ping, ...wget, ...httpd].map((p) => [p.name, p]));

it("busybox nslookup, ping and wget by name agree with the real ones against the same zone", async () => {
  const clock = createVirtualClock();
  const rng = createRng(1);
  const kw = createKernelWorld({ clock, rng });
  const host = kw.addHost("h");
  const spaces: Record<string, NetnsApi> = { lta: host.netnsAddNamed("lta"), ltb: host.netnsAddNamed("ltb") };
  const a = spaces.lta!;
  const b = spaces.ltb!;
  a.linkAdd({ name: "v1", kind: "veth", peer: { name: "v2", netns: { name: "ltb" } } });
  a.addrAdd("v1", "10.0.0.1/24");
  b.addrAdd("v2", "10.0.0.2/24");
  a.linkSet("v1", { up: true });
  b.linkSet("v2", { up: true });
  const files = new Map<string, string>();

  const runStep = async (ns: string, argv: string[]) => {
    let output = "";
    const proc: Proc & { deadline: number } = {
      argv, stdin: "", env: {}, cwd: "/",
      out: (t) => (output += t), err: (t) => (output += t),
      ctx: { name: ns, host, netns: spaces[ns]!, fs: fsFor(files, ns), hostname: "h", env: {} },
      world: { clock, rng, daemons: {}, spawn: async () => 127 },
      deadline: clock.now() + 60_000,
    };
    const exitCode = await PROGRAMS[argv[0]!]!.run(proc);
    return { output, exitCode };
  };
  const rtt = (t: string) => t.replace(/time=\d+\.\d+ ms/g, "time=T ms").replace(/= \d+\.\d+\/\d+\.\d+\/\d+\.\d+ ms/g, "= T/T/T ms");

  const results: Array<{ cmd: string; output: string; exitCode: number }> = [];
  const expected: typeof results = [];
  let nslookups = 0;
  for (const step of fixture.steps) {
    for (const m of step.cmd.matchAll(/printf '([^']*)' > (\S+)/g)) files.set(m[2]!, m[1]!.replace(/\\n/g, "\n"));
    const m = /^ip netns exec (lt[ab]) ((nslookup|ping|wget|httpd)\b.*)$/.exec(step.cmd);
    if (!m) continue;
    if (m[3] === "nslookup" && nslookups++ === 1) {
      a.udpListen("10.0.0.1", 53, (payload) => answerQuery(payload, lookup, { authoritative: (q) => q.name.toLowerCase().endsWith(".lab") }));
    }
    const got = await runStep(m[1]!, m[2]!.split(" "));
    const norm = step.normalize?.includes("rtt") ? rtt : (t: string) => t;
    results.push({ cmd: step.cmd, output: norm(got.output), exitCode: got.exitCode });
    expected.push({ cmd: step.cmd, output: norm(step.output), exitCode: step.exitCode });
  }
  expect(results.length).toBeGreaterThanOrEqual(18);
  expect(results).toEqual(expected);
});
