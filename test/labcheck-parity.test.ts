/**
 * One vocabulary on both targets: the simulated lab-check (src/sim/userland/labcheck) and the
 * host one (src/target/host/labcheck) answer the same malformed command lines with the same text
 * and exit status 2, so a lesson's check block means the same thing on `sim` and `host`.
 */
import { describe, expect, it } from "vitest";
import { createWorld } from "../src/sim/index.js";
import { runLabCheck } from "../src/target/host/labcheck/index.js";

const BAD = [
  "",
  "--help",
  "ping host 1.2.3.4",
  "reach host",
  "reach host 1.2.3.4 extra",
  "reach host 1.2.3.4:0",
  "reach host 1.2.3.4:70000",
  "reach host 1.2.3.4 --proto sctp",
  "reach host 1.2.3.4 --proto",
  "no-reach host 1.2.3.4:80 --proto udp",
  "nat host 1.2.3.4:80",
  "nat host 1.2.3.4:80 --seen-as",
  "dns host example.com",
  "dns host --is 1.2.3.4",
  "rule nat DOCKER",
];

describe("lab-check usage on sim and host", () => {
  it("gives the same text and exit status for every malformed command line", async () => {
    const world = createWorld({ kind: "bare" });
    const session = world.session("host");
    const sim: string[] = [];
    const host: string[] = [];
    for (const line of BAD) {
      const r = await session.exec(`lab-check ${line}`);
      sim.push(`[${r.exitCode}] ${r.output}`);
      let text = "";
      const code = await runLabCheck(line.split(" ").filter(Boolean), { out: (t) => void (text += t), err: (t) => void (text += t) }, async () => {
        throw new Error("a usage error runs nothing");
      });
      host.push(`[${code}] ${text}`);
    }
    expect(host).toEqual(sim);
    expect(host.every((h) => h.startsWith("[2] lab-check: "))).toBe(true);
  });
});
