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
});
