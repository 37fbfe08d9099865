/**
 * ipset and ipvsadm never throw: random command lines built from their own vocabulary (and
 * some junk) always end with an exit status and, when they fail, a message on stderr, never a
 * stack trace. Seeded, so a failure names a reproducible command line.
 */
import { describe, expect, it } from "vitest";
import { createRng } from "../../src/core/random.js";
import { createWorld } from "../../src/sim/index.js";

const IPSET = ["create", "add", "del", "test", "destroy", "list", "save", "flush", "rename", "swap", "-exist", "-n", "-t", "-s", "-o", "save", "plain",
  "s1", "s2", "hash:ip", "hash:ip,port", "hash:net", "bitmap:port", "hash:ip,port,ip", "hash:ip,port,net", "range", "1-100", "timeout", "10", "comment",
  "counters", "hashsize", "maxelem", "family", "inet", "10.0.0.1", "10.0.0.0/8", "10.0.0.1,tcp:80", "10.0.0.1,udp:53,10.0.0.2", "80", "tcp:99999", "x,y,z", "-", ""];
const IPVSADM = ["-A", "-E", "-D", "-C", "-L", "-l", "-Z", "-a", "-e", "-d", "-S", "-R", "--set", "-t", "-u", "-s", "-p", "-M", "-r", "-m", "-g", "-i", "-w", "-x", "-y",
  "-n", "-c", "--stats", "--rate", "--exact", "--thresholds", "--persistent-conn", "--nosort", "--timeout", "--daemon", "-Ln", "-Lnc", "-h", "-v", "--foo",
  "10.96.0.1:80", "10.96.0.1", "10.0.0.2:8080", "rr", "wrr", "lc", "wlc", "sh", "1", "0", "70000", "255.255.255.0", "foo:bar", "-6", "-f", "5", "-o"];

async function fuzz(vocab: string[], prog: string, seed: number, runs: number): Promise<string[]> {
  const rng = createRng(seed);
  const sh = createWorld({ kind: "bare", seed }).session("host");
  const bad: string[] = [];
  for (let i = 0; i < runs; i++) {
    const n = rng.int(6);
    const args = Array.from({ length: n }, () => vocab[rng.int(vocab.length)]!);
    const cmd = [prog, ...args.map((a) => `'${a}'`)].join(" ");
    const r = await sh.exec(cmd, { timeoutMs: 10_000 });
    if (!Number.isInteger(r.exitCode) || r.exitCode === 70 || /internal error|\bat \S+ \(|TypeError|RangeError|ReferenceError|undefined/.test(r.output)) bad.push(`${cmd} → [${r.exitCode}] ${r.output}`);
  }
  return bad;
}

describe("ipset and ipvsadm on random command lines", () => {
  it("ipset always answers with a status and its own words", async () => {
    expect(await fuzz(IPSET, "ipset", 11, 400)).toEqual([]);
  });
  it("ipvsadm always answers with a status and its own words", async () => {
    expect(await fuzz(IPVSADM, "ipvsadm", 12, 400)).toEqual([]);
  });
});
