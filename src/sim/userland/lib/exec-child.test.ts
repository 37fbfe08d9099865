/**
 * A child started by `ip netns exec`, `nsenter` or `env` inherits its caller's stdin as a real
 * fd would: it takes the input only if it reads it, so a `while read` loop keeps its lines when
 * the child does not read (the lesson 06 pattern), and gives the rest to one that does.
 */
import { expect, it } from "vitest";
import { createWorld } from "../../index.js";

const run = async (cmd: string) => (await createWorld({ kind: "bare", seed: 1 }).session("host").exec(cmd)).output;

it("a child that does not read leaves the loop its input", async () => {
  expect(await run("ip netns add a1; ip netns add a2; ip netns add a3; ip netns list | while read n; do ip netns exec $n true; echo \"saw $n\"; done")).toBe("saw a1\nsaw a2\nsaw a3\n");
  expect(await run("ip netns add b1; printf '1\\n2\\n3\\n' | while read l; do nsenter --net=/var/run/netns/b1 ip -br link show lo >/dev/null; echo $l; done")).toBe("1\n2\n3\n");
});

it("a child that reads takes what is left", async () => {
  expect(await run("printf 'x\\ny\\nz\\n' | while read l; do echo \"got $l\"; env cat; done")).toBe("got x\ny\nz\n");
  expect(await run("ip netns add c1; printf 'q\\n' | ip netns exec c1 cat")).toBe("q\n");
});
