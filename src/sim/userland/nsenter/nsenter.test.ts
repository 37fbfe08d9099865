/**
 * nsenter into a container by its main process's pid (the tools fixture `nsenter` covers
 * namespace files and errors against util-linux 2.38; these cases need a container). The
 * expected texts are what util-linux and dockerd 20.10 printed on this machine for a busybox
 * container.
 */
import { beforeAll, expect, it } from "vitest";
import { createWorld, type SimWorld } from "../../index.js";

let world: SimWorld;
const PID = "$(docker inspect -f '{{.State.Pid}}' n1)";
const run = async (cmd: string, stdin?: string) => {
  const r = await world.session("host").exec(cmd, stdin === undefined ? {} : { stdin });
  return { out: r.output, code: r.exitCode };
};

beforeAll(async () => {
  world = createWorld({ kind: "docker", seed: 1 });
  expect((await run("docker run -dit --name n1 --hostname box1 busybox >/dev/null")).code).toBe(0);
});

it("-n is the container's network namespace with the host's programs; -u its hostname; -m its file system", async () => {
  expect(await run(`nsenter -t ${PID} -n ip -br addr show eth0`)).toEqual({ out: "eth0@if5         UP             172.17.0.2/16 \n", code: 0 });
  expect(await run(`nsenter -t ${PID} -n hostname; nsenter -t ${PID} -u hostname; nsenter -t ${PID} -m cat /etc/hostname`)).toEqual({ out: "host\nbox1\nbox1\n", code: 0 });
  expect(await run(`nsenter -t ${PID} -m iptables -S`)).toEqual({ out: "nsenter: failed to execute iptables: No such file or directory\n", code: 127 });
  expect(await run(`nsenter -t ${PID} -n iptables -t nat -S`)).toEqual({ out: "-P PREROUTING ACCEPT\n-P INPUT ACCEPT\n-P OUTPUT ACCEPT\n-P POSTROUTING ACCEPT\n", code: 0 });
});

it("without a command it runs a shell on its stdin; pid 1 is the host itself", async () => {
  // -m: the container's busybox `ip` (its own format; it has no -br).
  expect(await run(`nsenter -t ${PID} -n -u -m`, "hostname; ip link show lo | head -1\n")).toEqual({ out: "box1\n1: lo: <LOOPBACK,UP,LOWER_UP> mtu 65536 qdisc noqueue qlen 1000\n", code: 0 });
  expect((await run("nsenter -t 1 -n ip -br addr show docker0")).out).toMatch(/^docker0 +\w+ +172\.17\.0\.1\/16/);
});

it("a container that stopped has no process any more", async () => {
  const pid = (await run("docker inspect -f '{{.State.Pid}}' n1")).out.trim();
  await run("docker stop -t 0 n1 >/dev/null");
  expect(await run(`nsenter -t ${pid} -n true`)).toEqual({ out: `nsenter: cannot open /proc/${pid}/ns/net: No such file or directory\n`, code: 1 });
});
