// Netfilter rule-set scale: load time of 10,000 and 100,000 rules (iptables-restore) and the
// evaluation time per packet that walks all of them, in the simulator and, side by side, on the
// real kernel of this machine (iptables-restore v1.8.9 nf_tables into a scratch namespace; per
// packet cost measured as the extra time of sending UDP datagrams to 127.0.0.1 through an INPUT
// chain holding the rules, against the same namespace without them).
// Needs a build (npm run build). The real columns need root, `ip netns` and python3; without
// them they print "n/a". Prints a table.
import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { createRng, createVirtualClock } from "../dist/core/index.js";
import { createKernelWorld } from "../dist/sim/kernel/index.js";
import { createNetfilter } from "../dist/sim/kernel/netfilter/index.js";
import { programs } from "../dist/sim/userland/iptables/index.js";

const SIZES = [10_000, 100_000];

/** N rules in filter INPUT that a UDP datagram from 127.0.0.1 never matches (the last rule is evaluated too). */
function ruleset(n) {
  const lines = ["*filter", ":INPUT ACCEPT [0:0]", ":FORWARD ACCEPT [0:0]", ":OUTPUT ACCEPT [0:0]"];
  for (let i = 0; i < n; i++) {
    lines.push(`-A INPUT -s 10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}/32 -p tcp -m tcp --dport ${1 + (i % 60000)} -j DROP`);
  }
  lines.push("COMMIT", "");
  return lines.join("\n");
}

function simLoad(text) {
  const clock = createVirtualClock();
  const rng = createRng(1);
  const world = createKernelWorld({ clock, rng });
  const host = world.addHost("bench");
  const netns = host.init;
  const restore = programs.find((p) => p.name === "iptables-restore");
  let err = "";
  const proc = {
    argv: ["iptables-restore"], stdin: text, env: {}, cwd: "/", out: () => {}, err: (t) => (err += t),
    ctx: { name: "host", host, netns, fs: { readFile: () => undefined }, hostname: "bench", env: {} },
    world: { clock, rng, daemons: {}, spawn: async () => 127 },
  };
  const t0 = performance.now();
  const rc = restore.run(proc);
  const ms = performance.now() - t0;
  if (rc !== 0) throw new Error(`simulated iptables-restore failed: ${err}`);
  return { ms, table: netns.nfTableGet("filter") };
}

function simEval(table, packets) {
  const nf = createNetfilter({ rng: createRng(1), nsLabel: "bench" });
  nf.tableReplace("filter", table);
  const ctx = { hook: "INPUT", inDev: "lo", addrType: () => ["LOCAL"], primaryAddr: () => "127.0.0.1", now: 0 };
  const mk = (i) => ({ id: i + 1, ip: { src: "127.0.0.1", dst: "127.0.0.1", ttl: 64, proto: "udp", len: 29 }, udp: { sport: 40000, dport: 9 }, mark: 0 });
  for (let i = 0; i < 20; i++) nf.runHook(mk(i), ctx);
  let best = Infinity;
  let evaluated = 0;
  let id = 100;
  for (let round = 0; round < 3; round++) {
    const before = nf.rulesEvaluated;
    const t0 = performance.now();
    for (let i = 0; i < packets; i++) nf.runHook(mk(id++), ctx);
    best = Math.min(best, performance.now() - t0);
    evaluated = nf.rulesEvaluated - before;
  }
  return { usPerPacket: (best * 1000) / packets, rulesPerPacket: evaluated / packets };
}

function realAvailable() {
  if (process.getuid?.() !== 0) return false;
  const ok = (cmd, args) => spawnSync(cmd, args, { stdio: "ignore" }).status === 0;
  return ok("ip", ["netns", "list"]) && ok("iptables-restore", ["-V"]) && ok("python3", ["-c", "1"]);
}

const SENDER = `import socket,sys,time
n=int(sys.argv[1]); s=socket.socket(socket.AF_INET,socket.SOCK_DGRAM)
for i in range(2000): s.sendto(b'x',('127.0.0.1',9))
t=time.perf_counter()
for i in range(n): s.sendto(b'x',('127.0.0.1',9))
print((time.perf_counter()-t)/n*1e6)`;

function realRun(text, packets) {
  const ns = `nfbench${process.pid}`;
  const dir = mkdtempSync(join(tmpdir(), "nfbench-"));
  const file = join(dir, "rules");
  writeFileSync(file, text);
  const nsx = (args, input) => execFileSync("ip", ["netns", "exec", ns, ...args], { input, encoding: "utf8", maxBuffer: 1 << 26 });
  try {
    execFileSync("ip", ["netns", "add", ns]);
    nsx(["ip", "link", "set", "lo", "up"]);
    const base = Math.min(...[0, 1, 2].map(() => Number(nsx(["python3", "-c", SENDER, String(packets)]))));
    const t0 = performance.now();
    nsx(["iptables-restore", file]);
    const loadMs = performance.now() - t0;
    const loaded = Number(nsx(["sh", "-c", "iptables-save -t filter | grep -c '^-A INPUT'"]).trim());
    if (loaded !== text.split("\n").filter((l) => l.startsWith("-A")).length) throw new Error(`real kernel loaded ${loaded} rules`);
    const withRules = Math.min(...[0, 1, 2].map(() => Number(nsx(["python3", "-c", SENDER, String(packets)]))));
    return { loadMs, usPerPacket: withRules - base };
  } finally {
    spawnSync("ip", ["netns", "del", ns]);
    rmSync(dir, { recursive: true, force: true });
  }
}

const real = realAvailable();
const rows = [];
for (const n of SIZES) {
  const text = ruleset(n);
  const load = simLoad(text);
  const ev = simEval(load.table, n >= 100_000 ? 30 : 300);
  const r = real ? realRun(text, n >= 100_000 ? 100 : 1000) : undefined;
  rows.push({
    rules: n,
    "sim load ms (iptables-restore)": load.ms.toFixed(0),
    "real load ms (iptables-restore)": r ? r.loadMs.toFixed(0) : "n/a",
    "sim µs/packet (INPUT walk)": ev.usPerPacket.toFixed(1),
    "real µs/packet (extra over 0 rules)": r ? r.usPerPacket.toFixed(1) : "n/a",
    "sim rules evaluated/packet": ev.rulesPerPacket,
  });
}
console.log("netfilter rule-set scale: simulator vs this machine's kernel");
console.table(rows);
