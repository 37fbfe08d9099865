/**
 * Property: random and mutated command lines never make a network tool throw. Every run must
 * end with an exit status in 0..255 (bad input gets the tool's own message, never a stack
 * trace). The programs (ip, ping, bridge, brctl, ifconfig, sysctl, wget, httpd, nslookup, nc) run on the simulated kernel (a host with two named namespaces joined by
 * a veth pair, a bridge and a listener), with a seeded fast-check generator.
 */
import { readFileSync, readdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { createVirtualClock } from "../src/core/clock.js";
import { createRng } from "../src/core/random.js";
import { createKernelWorld } from "../src/sim/kernel/index.js";
import { programs as bridge } from "../src/sim/userland/bridge/index.js";
import { programs as brctl } from "../src/sim/userland/brctl/index.js";
import { programs as httpd } from "../src/sim/userland/httpd/index.js";
import { programs as ifconfig } from "../src/sim/userland/ifconfig/index.js";
import { programs as ip } from "../src/sim/userland/ip/index.js";
import { programs as nc } from "../src/sim/userland/nc/index.js";
import { programs as nslookup } from "../src/sim/userland/nslookup/index.js";
import { programs as ping } from "../src/sim/userland/ping/index.js";
import { programs as sysctl } from "../src/sim/userland/sysctl/index.js";
import type { ProgramSpec, Proc, SimFs } from "../src/sim/userland/types.js";
import { programs as wget } from "../src/sim/userland/wget/index.js";

/** A minimal in-memory file system. */
function memFs(): SimFs {
  const files = new Map<string, string>([["/etc/hosts", "127.0.0.1 localhost\n10.0.0.1 peer\n"], ["/www/index.html", "hi\n"]]);
  const dirs = new Set(["/", "/etc", "/www", "/tmp"]);
  return {
    readFile: (p) => files.get(p),
    writeFile: (p, c, o) => void files.set(p, (o?.append ? files.get(p) ?? "" : "") + c),
    exists: (p) => files.has(p) || dirs.has(p),
    isDir: (p) => dirs.has(p),
    readdir: (p) => (dirs.has(p) ? [...files.keys()].filter((f) => f.startsWith(p + "/")).map((f) => f.slice(p.length + 1)) : undefined),
    mkdir: (p) => void dirs.add(p),
    remove: (p) => files.delete(p),
  };
}

function setup() {
  const clock = createVirtualClock();
  const rng = createRng(7);
  const kw = createKernelWorld({ clock, rng });
  const host = kw.addHost("h");
  const a = host.netnsAddNamed("lta");
  host.netnsAddNamed("ltb");
  a.linkAdd({ name: "v1", kind: "veth", peer: { name: "v2", netns: { name: "ltb" } } });
  a.linkAdd({ name: "br0", kind: "bridge" });
  a.addrAdd("v1", "10.0.0.1/24");
  a.linkSet("v1", { up: true });
  host.init.linkSet("lo", { up: true });
  const fs = memFs();
  return { clock, rng, host, a, fs };
}

const TOKENS = [
  "", "-", "--", "-c", "-c1", "1", "2", "0", "-1", "99999999999", "-q", "-w", "-W", "-i", "0.2", "-s", "-n", "lta", "ltb", "nope", "-o", "-d", "-br", "-4",
  "link", "addr", "address", "route", "neigh", "netns", "add", "del", "delete", "set", "show", "list", "flush", "get", "replace", "exec", "help",
  "dev", "v1", "v2", "br0", "lo", "type", "veth", "bridge", "vxlan", "dummy", "peer", "name", "id", "42", "dstport", "4789", "local", "remote",
  "master", "nomaster", "up", "down", "mtu", "1400", "abc", "address", "02:00:00:00:00:01", "zz", "via", "onlink", "src", "proto", "static",
  "scope", "link", "metric", "default", "10.0.0.1", "10.0.0.2", "10.0.0.0/24", "10.0.0.1/33", "1.2.3.4/0", "256.1.1.1", "lladdr", "nud",
  "reachable", "brd", "+", "label", "v1:x", "fdb", "append", "00:00:00:00:00:00", "self", "addbr", "addif", "delif", "delbr", "showmacs",
  "netmask", "255.255.255.0", "broadcast", "hw", "ether", "-a", "-w", "net.ipv4.ip_forward", "net.ipv4.ip_forward=1", "net/ipv4/x", "=",
  "-O", "/tmp/out", "-S", "-T", "1", "http://10.0.0.1/", "http://10.0.0.1:8080/x", "ftp://10.0.0.1/", "http://peer/", "https://x/", "-p",
  "8080", "127.0.0.1:8081", "-h", "/www", "-f", "-type=a", "-type=bogus", "web.lab", "10.0.0.1", "-x", "--help", "-V",
];

const argvArb = fc.array(fc.oneof(fc.constantFrom(...TOKENS), fc.string({ maxLength: 6 })), { maxLength: 9 });

/** Real command lines of the recorded fixtures, by program (`ip netns exec X` / `-n X` prefixes removed). */
const dir = join(dirname(fileURLToPath(import.meta.url)), "fixtures/tools");
const recorded = new Map<string, string[][]>();
for (const f of readdirSync(dir).filter((x) => x.endsWith(".json") && x !== "known-divergences.json")) {
  const fx = JSON.parse(readFileSync(join(dir, f), "utf8")) as { steps: Array<{ cmd: string }> };
  for (const { cmd } of fx.steps) {
    const words = cmd.replace(/^ip netns exec \S+ /, "").split("|")[0]!.split("&&")[0]!.trim().split(/\s+/);
    const [prog, ...args] = words;
    if (!prog) continue;
    recorded.set(prog, [...(recorded.get(prog) ?? []), args]);
  }
}

/** A recorded command line with tokens dropped, replaced, inserted or swapped. */
function mutatedArb(prog: string): fc.Arbitrary<string[]> {
  const base = recorded.get(prog) ?? [[]];
  const tok = fc.oneof(fc.constantFrom(...TOKENS), fc.string({ maxLength: 6 }));
  return fc.tuple(fc.constantFrom(...base), fc.array(fc.tuple(fc.nat(), fc.nat(3), tok), { maxLength: 3 })).map(([args, edits]) => {
    const out = [...args];
    for (const [pos, kind, t] of edits) {
      const i = out.length === 0 ? 0 : pos % out.length;
      if (kind === 0) out.splice(i, 1);
      else if (kind === 1) out[i] = t;
      else if (kind === 2) out.splice(i, 0, t);
      else if (out.length > 1) [out[i], out[(i + 1) % out.length]] = [out[(i + 1) % out.length]!, out[i]!];
    }
    return out;
  });
}

async function runOnce(spec: ProgramSpec, argv: string[], env: ReturnType<typeof setup>): Promise<number> {
  const proc: Proc & { deadline?: number } = {
    argv: [spec.name, ...argv], stdin: "", env: {}, cwd: "/",
    out: () => {}, err: () => {},
    ctx: { name: "host", host: env.host, netns: env.host.init, fs: env.fs, hostname: "h", env: {} },
    world: { clock: env.clock, rng: env.rng, daemons: {}, spawn: async () => 127 },
    deadline: env.clock.now() + 30_000,
  };
  // A foreground server (httpd -f) never settles, as on a real machine; it counts as running.
  const res = await Promise.race([Promise.resolve(spec.run(proc)), new Promise<"running">((r) => setTimeout(() => r("running"), 50))]);
  return res === "running" ? 0 : res;
}

describe("network tools never throw on random command lines", () => {
  const all = [...ip, ...ping, ...bridge, ...brctl, ...ifconfig, ...sysctl, ...wget, ...httpd, ...nslookup, ...nc];
  for (const spec of all) {
    it(spec.name, async () => {
      const env = setup();
      await fc.assert(
        fc.asyncProperty(fc.oneof(argvArb, mutatedArb(spec.name)), async (argv) => {
          const code = await runOnce(spec, argv, env);
          expect(Number.isInteger(code) && code >= 0 && code <= 255, `${spec.name} ${argv.join(" ")} → ${code}`).toBe(true);
        }),
        { numRuns: 500, seed: 20261125 },
      );
    });
  }
});
