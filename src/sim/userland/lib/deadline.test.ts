/**
 * A deadline ends a command where it waits (lib/deadline.ts): the exec's time limit and
 * `timeout`, also through `ip netns exec` and `env`. The SYN counts are the kernel's: a connect
 * retransmits its SYN 1, 3, 7 ... s after the first, so a 2 s limit sends two.
 */
import { beforeEach, expect, it } from "vitest";
import { createWorld, type SimWorld } from "../../index.js";

let world: SimWorld;
/** host (10.1.1.1) ── veth ── netns b (10.1.1.2), whose INPUT drops every TCP segment. */
beforeEach(async () => {
  world = createWorld({ kind: "bare", seed: 1 });
  const r = await world.session("host").exec(
    "ip netns add b; ip link add v1 type veth peer name v2 netns b; ip addr add 10.1.1.1/24 dev v1; ip link set v1 up; " +
      "ip -n b addr add 10.1.1.2/24 dev v2; ip -n b link set v2 up; ip netns exec b iptables -A INPUT -p tcp -j DROP; ping -c 1 10.1.1.2 >/dev/null",
  );
  expect(r.exitCode).toBe(0);
});

async function run(cmd: string, timeoutMs?: number): Promise<{ out: string; exit: number; secs: number; timedOut: boolean; syns: string }> {
  const sh = world.session("host");
  const t0 = world.now();
  const r = await sh.exec(cmd, timeoutMs === undefined ? {} : { timeoutMs });
  const secs = Math.round((world.now() - t0) / 100) / 10;
  const counters = await sh.exec("ip netns exec b iptables -nvxL INPUT | awk 'NR==3 {print $1}'");
  return { out: r.output, exit: r.exitCode, secs, timedOut: r.timedOut === true, syns: counters.output.trim() };
}

it("timeout kills a connect that gets no answer at its deadline: no output of wget's own, 124, two SYNs", async () => {
  expect(await run("timeout 2 wget -q -O - http://10.1.1.2/; echo rc=$?")).toEqual({ out: "rc=124\n", exit: 0, secs: 2, timedOut: false, syns: "2" });
});

it("timeout works as the command of ip netns exec and of env", async () => {
  expect(await run("ip netns exec b timeout 3 sleep 10; echo rc=$?")).toMatchObject({ out: "rc=124\n", secs: 3 });
  expect(await run("ip netns exec b /usr/bin/timeout 1 sleep 10; echo rc=$?")).toMatchObject({ out: "rc=124\n", secs: 1 });
  expect(await run("env timeout 4 wget -q -O - http://10.1.1.2/; echo rc=$?")).toEqual({ out: "rc=124\n", exit: 0, secs: 4, timedOut: false, syns: "3" });
});

it("the exec's own limit stops a blocked wget at the limit, also inside ip netns exec", async () => {
  expect(await run("wget -q -O - http://10.1.1.2/; echo after", 1500)).toEqual({ out: "", exit: 124, secs: 1.5, timedOut: true, syns: "2" });
  expect(await run("ip netns exec b sleep 100; echo after", 2500)).toMatchObject({ out: "", exit: 124, secs: 2.5, timedOut: true });
});

it("without a deadline the connect runs its course (SYNs at 0, 1, 3, 7, 15, 31, 63 s; gives up at 127 s)", async () => {
  const r = await run("wget -q -O - http://10.1.1.2/; echo rc=$?");
  expect(r).toEqual({ out: "wget: can't connect to remote host (10.1.1.2): Connection timed out\nrc=1\n", exit: 0, secs: 127, timedOut: false, syns: "7" });
});
