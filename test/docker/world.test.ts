/**
 * The docker world end to end through the simulator's shell: what a user types on the host and
 * what the real engine printed for the same commands (test/docker/captures/raw-2.txt, raw-3.txt).
 */
import { readFileSync } from "node:fs";
import { describe, expect, test } from "vitest";
import { createWorld } from "../../src/sim/index.js";
import { NGINX_WELCOME } from "../../src/sim/docker/api.js";

async function session() {
  const w = createWorld({ kind: "docker" });
  const s = w.session("host");
  return { w, run: async (cmd: string) => { const r = await s.exec(cmd); return { out: r.output, code: r.exitCode }; } };
}

describe("docker world", () => {
  test("the nginx page is the real 612-byte nginx 1.16.1 page, the same bytes the real image serves", () => {
    const file = readFileSync(new URL("../../images/nginx/index.html", import.meta.url), "utf8");
    expect(NGINX_WELCOME).toBe(file);
    expect(Buffer.byteLength(file)).toBe(612);
  });

  test("nginx exists only in the nginx image: the host has no such command, a busybox container neither", async () => {
    const { run } = await session();
    expect(await run("nginx -v")).toEqual({ out: "bash: line 1: nginx: command not found\n", code: 127 });
    expect(await run("docker run -d --name web nginx >/dev/null; docker exec web nginx -v")).toEqual({ out: "nginx version: nginx/1.16.1\n", code: 0 });
    expect((await run("docker run --rm busybox nginx")).code).toBe(127);
  });

  test("exit codes: the command's own, 125 for a daemon refusal, 127/126 for exec failures", async () => {
    const { run } = await session();
    expect(await run("docker run busybox sh -c 'exit 3'")).toEqual({ out: "", code: 3 });
    expect((await run("docker run busybox nosuchcmd")).code).toBe(127);
    expect((await run("docker run --name x1 busybox true; docker run --name x1 busybox true")).code).toBe(125);
    expect(await run("docker run -dit --name c1 busybox >/dev/null; docker exec c1 sh -c 'exit 5'")).toEqual({ out: "", code: 5 });
    expect(await run("docker exec c1 nosuchcmd")).toEqual({
      out: 'OCI runtime exec failed: exec failed: unable to start container process: exec: "nosuchcmd": executable file not found in $PATH: unknown\n',
      code: 126,
    });
    expect(await run("docker run -it busybox true")).toEqual({ out: "the input device is not a TTY\n", code: 1 });
  });

  test("-e, --hostname and the container's /etc/hosts, as raw-2 shows them", async () => {
    const { run } = await session();
    expect(await run(`docker run --rm -e FOO=bar --hostname myhost busybox sh -c 'echo $FOO; hostname; cat /etc/hosts'`)).toEqual({
      code: 0,
      out: "bar\nmyhost\n127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\nfe00::0\tip6-localnet\nff00::0\tip6-mcastprefix\nff02::1\tip6-allnodes\nff02::2\tip6-allrouters\n172.17.0.2\tmyhost\n",
    });
    expect((await run("docker ps -a -q")).out).toBe("");
  });

  test("container mode shares the namespace: localhost reaches nginx; none has only lo", async () => {
    const { run, w } = await session();
    await run("docker run -d --name web nginx");
    expect(await run("docker run --rm --network container:web busybox wget -q -O - localhost:80")).toEqual({ out: NGINX_WELCOME, code: 0 });
    expect((await run("docker run --rm --network none busybox ls /sys/class/net")).out).toBe("lo\n");
    expect(w.contexts()).toContain("web");
    expect((await w.session("web").exec("hostname")).output).toMatch(/^[0-9a-f]{12}\n$/);
  });

  test("stop waits for a main process that ends by itself within the timeout (real 20.10: Exited (0) after 3 s, not 137)", async () => {
    const { run } = await session();
    await run("docker run -d --name s3 busybox sleep 3 >/dev/null; docker run -d --name s60 busybox sleep 60 >/dev/null");
    expect(await run("docker stop s3")).toEqual({ out: "s3\n", code: 0 });
    expect((await run("docker inspect -f '{{.State.ExitCode}}' s3")).out).toBe("0\n");
    expect(await run("docker stop -t 2 s60")).toEqual({ out: "s60\n", code: 0 });
    expect((await run("docker inspect -f '{{.State.ExitCode}}' s60")).out).toBe("137\n");
    expect((await run("docker ps -a --format '{{.Names}} {{.Status}}'")).out).toBe("s60 Exited (137) Less than a second ago\ns3 Exited (0) 2 seconds ago\n");
  });

  test("a stopped container leaves no veth, rule or context behind; start brings it back at the same address", async () => {
    const { run, w } = await session();
    await run("docker run -dit -p 8080:80 --name c1 busybox");
    const before = (await run("ip -br link show master docker0")).out;
    expect(before).toMatch(/^veth[0-9a-f]{7}@if\d+ +UP/);
    await run("docker stop c1");
    expect((await run("ip -br link show master docker0")).out).toBe("");
    expect((await run("iptables -t nat -S DOCKER")).out).toBe("-N DOCKER\n-A DOCKER -i docker0 -j RETURN\n");
    expect(w.contexts()).not.toContain("c1");
    await run("docker start c1");
    expect((await run("docker inspect -f '{{.NetworkSettings.IPAddress}}' c1")).out).toBe("172.17.0.2\n");
    expect((await run("docker port c1")).out).toBe("80/tcp -> 0.0.0.0:8080\n80/tcp -> :::8080\n");
  });

  test("a detached container's sleep runs in virtual time: Up until the world's clock passes N, then Exited (0)", async () => {
    // Real engine here (docker 20.10.24): `docker run -d --name s busybox sleep 3`, then `docker ps`
    // statuses `Up Less than a second`, `Up 1 second` after 1.5 s, `Exited (0) 2 seconds ago` 4.5 s in.
    const { run } = await session();
    const fmt = "docker ps -a --filter name=sl --format '{{.Status}}|{{.Command}}'";
    expect((await run("docker run -d --name sl busybox sleep 5")).code).toBe(0);
    expect((await run(fmt)).out).toBe('Up Less than a second|"sleep 5"\n');
    await run("sleep 2");
    expect((await run(fmt)).out).toBe('Up 2 seconds|"sleep 5"\n');
    expect((await run("docker ps -q")).out).toMatch(/^[0-9a-f]{12}\n$/);
    await run("sleep 3");
    expect((await run(fmt)).out).toBe('Exited (0) Less than a second ago|"sleep 5"\n');
    expect(await run("docker ps -q")).toEqual({ out: "", code: 0 });
    expect(await run("docker inspect -f '{{.State.Status}} {{.State.ExitCode}}' sl")).toEqual({ out: "exited 0\n", code: 0 });
    // Attached, the CLI waits for it: time moves with it.
    expect(await run("docker run --rm busybox sh -c 'sleep 4; echo done'")).toEqual({ out: "done\n", code: 0 });
  });

  test("docker0 keeps dockerd's random 02:42 MAC and answers on it; veths are created with txqueuelen 0", async () => {
    // Real (raw transcripts, snapshots/docker): `link/ether 02:42:ad:89:e8:03`, `brctl show` id 8000.0242ad89e803,
    // the container's neighbour 172.17.0.1 at that MAC, `collisions:0 txqueuelen:0` in its ifconfig.
    const { run } = await session();
    const mac = /link\/ether (02:42:[0-9a-f:]{11}) /.exec((await run("ip link show docker0")).out)?.[1];
    expect(mac).toBeDefined();
    await run("docker run -dit --name b1 busybox");
    expect((await run("ip -o link show docker0")).out).toContain(`link/ether ${mac} `);
    expect((await run("brctl show docker0")).out.split("\n")[1]).toMatch(new RegExp(`^docker0\t\t8000\\.${mac!.replaceAll(":", "")}\tno\t\tveth[0-9a-f]{7}$`));
    expect((await run("docker exec b1 ping -c 1 -W 1 172.17.0.1")).code).toBe(0);
    expect((await run("docker exec b1 ip neigh")).out.startsWith(`172.17.0.1 dev eth0 lladdr ${mac} `)).toBe(true);
    expect((await run("docker exec b1 ifconfig eth0")).out).toContain("collisions:0 txqueuelen:0 \n");
  });
});
