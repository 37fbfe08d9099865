/**
 * `lab grade --target host` on the real kernel and dockerd (root, as CI runs it): lessons 03, 01
 * and 04 graded against a live machine set up correctly (full marks) and wrongly (the right checks
 * fail, with the host lab-check's observed feedback). The test makes every container, namespace
 * and link itself, probes only them, and removes them even when an assertion fails. Skipped,
 * with the reason, without root, dockerd, or the local images (scripts/build-images.sh).
 */
import { execa } from "execa";
import { execFileSync } from "node:child_process";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { ensureBuilt, LAB, ROOT } from "../engine/build.js";
import { acquireHostLock } from "../host-lock.js";

function can(argv: string[]): boolean {
  try {
    execFileSync(argv[0]!, argv.slice(1), { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
}
const ready = process.getuid?.() === 0 && can(["ip", "netns", "list"]) && can(["docker", "image", "inspect", "nginx", "busybox"]) && can(["conntrack", "--version"]);

const CONTAINERS = ["web", "busybox-1", "busybox-2", "c1"];
/** Lesson 04's wrong machine: no source NAT towards the "internet" (a RETURN before Docker's MASQUERADE). */
const NO_SNAT = ["-t", "nat", "POSTROUTING", "-s", "172.17.0.0/16", "-d", "203.0.113.0/24", "-j", "RETURN"];

/** Runs a setup command; a failure fails the test with the command's own words. */
async function sh(line: string): Promise<void> {
  const r = await execa("bash", ["-c", line], { reject: false, all: true });
  if (r.exitCode !== 0) throw new Error(`${line}: exit ${r.exitCode}: ${r.all}`);
}

/** What this test may leave behind, so must find absent before and after. */
async function leftovers(): Promise<string[]> {
  const ps = await execa("docker", ["ps", "-a", "--format", "{{.Names}}"], { reject: false });
  const ns = await execa("ip", ["netns", "list"], { reject: false });
  const links = await Promise.all(["veth-client", "veth-inet"].map(async (l) => ((await execa("ip", ["link", "show", l], { reject: false })).exitCode === 0 ? [`link ${l}`] : [])));
  const rule = await execa("iptables", [NO_SNAT[0]!, NO_SNAT[1]!, "-C", ...NO_SNAT.slice(2)], { reject: false });
  return [
    ...ps.stdout.split("\n").filter((n) => CONTAINERS.includes(n)).map((n) => `container ${n}`),
    ...ns.stdout.split("\n").map((l) => l.split(" ")[0]!).filter((n) => n === "client" || n === "internet").map((n) => `netns ${n}`),
    ...links.flat(),
    ...(rule.exitCode === 0 ? ["nat rule " + NO_SNAT.slice(2).join(" ")] : []),
  ];
}

async function cleanup(): Promise<void> {
  await execa("docker", ["rm", "-f", ...CONTAINERS], { reject: false });
  await execa("iptables", [NO_SNAT[0]!, NO_SNAT[1]!, "-D", ...NO_SNAT.slice(2)], { reject: false });
  for (const [link, ns] of [["veth-client", "client"], ["veth-inet", "internet"]] as const) {
    await execa("ip", ["link", "del", link], { reject: false });
    await execa("ip", ["netns", "del", ns], { reject: false });
  }
}

/** Lesson 04's "internet": namespace `internet` at 203.0.113.2, the host at 203.0.113.1. */
async function internet(): Promise<void> {
  await sh(
    "ip netns add internet && ip link add veth-inet type veth peer name eth0 netns internet && ip addr add 203.0.113.1/24 dev veth-inet && ip link set veth-inet up && ip -n internet addr add 203.0.113.2/24 dev eth0 && ip -n internet link set eth0 up && ip -n internet link set lo up",
  );
}

/** Lesson 03's "another machine": namespace `client` on 198.51.100.0/24, linked to the host. */
async function client(): Promise<void> {
  await sh(
    "ip netns add client && ip link add veth-client type veth peer name eth0 netns client && ip addr add 198.51.100.1/24 dev veth-client && ip link set veth-client up && ip -n client addr add 198.51.100.2/24 dev eth0 && ip -n client link set eth0 up && ip -n client link set lo up",
  );
}

interface Graded {
  score: number;
  max: number;
  verdict: string;
  checks: Array<{ id: string; earned: number; passed: boolean; feedback: string[] }>;
}

async function grade(lesson: string): Promise<Graded> {
  const r = await execa("node", [LAB, "grade", lesson, "--target", "host", "--reporter", "json"], { cwd: ROOT, reject: false, env: { CI: "1", NO_COLOR: "1" } });
  expect([r.exitCode, r.stderr]).toEqual([0, ""]);
  const report = JSON.parse(r.stdout) as { results: Graded[] };
  const g = report.results[0]!;
  return { score: g.score, max: g.max, verdict: g.verdict, checks: g.checks.map((c) => ({ id: c.id, earned: c.earned, passed: c.passed, feedback: c.feedback })) };
}

const COUNTERS = "; iptables counters that rose during the probe: ";
/** Feedback lines without the counters clause (other traffic on the machine may add rules to it), and the clauses. */
function split(feedback: string[]): { lines: string[]; rose: string[][] } {
  return {
    lines: feedback.map((l) => l.split(COUNTERS)[0]!),
    rose: feedback.map((l) => (l.includes(COUNTERS) ? l.split(COUNTERS)[1]!.split("; ") : [])),
  };
}

describe.skipIf(!ready)("lab grade --target host (root, dockerd)", () => {
  let release: (() => void) | undefined;
  beforeAll(async () => {
    ensureBuilt();
    // The Docker lessons' names and addresses are fixed: one such suite at a time (host-cleanup too).
    release = await acquireHostLock();
    expect(await leftovers()).toEqual([]);
  }, 780_000);
  afterAll(() => release?.());
  afterEach(async () => {
    await cleanup();
    expect(await leftovers()).toEqual([]);
  }, 60_000);

  it("lesson 03, done right: full marks", async () => {
    await sh("docker run -d -p 1234:80 --name web nginx");
    await client();
    expect(await grade("lessons/03-port-mapping.md")).toEqual({
      score: 3,
      max: 3,
      verdict: "graded",
      checks: [
        { id: "reach-published", earned: 2, passed: true, feedback: [] },
        { id: "dnat-rule", earned: 1, passed: true, feedback: [] },
      ],
    });
  }, 120_000);

  it("lesson 03 with the ports swapped (-p 80:1234): both checks fail and say what the machine did", async () => {
    await sh("docker run -d -p 80:1234 --name web nginx");
    await client();
    const g = await grade("lessons/03-port-mapping.md");
    const reach = split(g.checks[0]!.feedback);
    expect({ ...g, checks: [{ ...g.checks[0]!, feedback: reach.lines }, g.checks[1]] }).toEqual({
      score: 0,
      max: 3,
      verdict: "graded",
      checks: [
        {
          id: "reach-published",
          earned: 0,
          passed: false,
          feedback: [
            "tcp from host to 172.17.0.1:1234: no reply: the probe said: nc: can't connect to remote host (172.17.0.1): Connection refused",
            "tcp from netns:client to 198.51.100.1:1234: no reply: the probe said: nc: can't connect to remote host (198.51.100.1): Connection refused",
          ],
        },
        {
          id: "dnat-rule",
          earned: 0,
          passed: false,
          feedback: ['no rule in nat DOCKER matches "-p tcp --dport 1234 -j DNAT --to-destination 172.17.0.2:80" (2 rules there)'],
        },
      ],
    });
    // The probe from the host to its own docker0 address leaves through lo: Docker's
    // MASQUERADE rule (-s 172.17.0.0/16 ! -o docker0) is the deciding rule it crossed.
    expect(reach.rose[0]).toContain("[nat] -A POSTROUTING -s 172.17.0.0/16 ! -o docker0 -j MASQUERADE");
  }, 120_000);

  it("lesson 01, done right and with one container: full marks, then the ping check fails", async () => {
    await sh("docker run -dit --name busybox-1 busybox && docker run -dit --name busybox-2 busybox");
    expect(await grade("lessons/01-container-to-container.md")).toEqual({
      score: 2,
      max: 2,
      verdict: "graded",
      checks: [{ id: "ping-peer", earned: 2, passed: true, feedback: [] }],
    });
    await sh("docker rm -f busybox-2");
    const g = await grade("lessons/01-container-to-container.md");
    expect({ ...g, checks: g.checks.map((c) => ({ ...c, feedback: split(c.feedback).lines })) }).toEqual({
      score: 0,
      max: 2,
      verdict: "graded",
      checks: [{ id: "ping-peer", earned: 0, passed: false, feedback: ["icmp from busybox-1 to 172.17.0.3: no reply: the probe said: 1 packets transmitted, 0 packets received, 100% packet loss"] }],
    });
  }, 120_000);

  it("lesson 04: masqueraded egress scores; without SNAT the internet answers the container's own address", async () => {
    await internet();
    await sh("docker run -dit --name c1 busybox");
    expect(await grade("lessons/04-egress.md")).toEqual({
      score: 2,
      max: 2,
      verdict: "graded",
      checks: [{ id: "egress-masqueraded", earned: 2, passed: true, feedback: [] }],
    });
    // No source NAT, and a route back so that the reply still comes: the server sees 172.17.0.2,
    // which only the conntrack entry's reply tuple can tell.
    await sh(`iptables ${NO_SNAT.slice(0, 2).join(" ")} -I ${NO_SNAT.slice(2).join(" ")} && ip -n internet route add 172.17.0.0/16 via 203.0.113.1`);
    expect(await grade("lessons/04-egress.md")).toEqual({
      score: 0,
      max: 2,
      verdict: "graded",
      checks: [{ id: "egress-masqueraded", earned: 0, passed: false, feedback: ["icmp from c1 to 203.0.113.2: the server sees 172.17.0.2, expected 203.0.113.1"] }],
    });
  }, 120_000);
});
