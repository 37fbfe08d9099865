/**
 * The docker CLI against the simulated daemon, output for output with the real 20.10 engine
 * (test/docker/captures/raw-*.txt). Ids, names and ages are the only parts normalised.
 */
import { readFileSync } from "node:fs";
import { describe, expect, test } from "vitest";
import { harness } from "./harness.js";

const norm = (s: string) => s.replace(/[0-9a-f]{64}/g, "<ID>").replace(/\b[0-9a-f]{12}\b/g, "<id>");

describe("docker CLI", () => {
  test("ps lists running containers newest first, in tabwriter columns", async () => {
    const h = harness();
    await h.run(["docker", "run", "-d", "-p", "1234:80", "--name", "web", "nginx"]);
    await h.run(["docker", "run", "-d", "--name", "b1", "busybox", "sleep", "3600"]);
    h.world.clock.advance(0);
    const b2 = await h.run(["docker", "run", "-dit", "--name", "b2", "busybox"]);
    expect(b2.code).toBe(0);
    const ps = await h.run(["docker", "ps"]);
    expect(norm(ps.out)).toBe(
      "CONTAINER ID   IMAGE     COMMAND                  CREATED                  STATUS                  PORTS                                   NAMES\n" +
      "<id>   busybox   \"sh\"                     Less than a second ago   Up Less than a second                                           b2\n" +
      "<id>   nginx     \"nginx -g 'daemon of…\"   Less than a second ago   Up Less than a second   0.0.0.0:1234->80/tcp, :::1234->80/tcp   web\n",
    );
  });

  test("errors and exit codes are Docker's", async () => {
    const h = harness();
    await h.run(["docker", "run", "-d", "-p", "1234:80", "--name", "web", "nginx"]);
    const cases: Array<[string[], string, number]> = [
      [["run", "--name", "web", "busybox", "true"], `docker: Error response from daemon: Conflict. The container name "/web" is already in use by container "<ID>". You have to remove (or rename) that container to be able to reuse that name.\nSee 'docker run --help'.\n`, 125],
      [["run", "--bogus", "busybox"], "unknown flag: --bogus\nSee 'docker run --help'.\n", 125],
      [["run", "busybox", "nosuchcmd"], `docker: Error response from daemon: failed to create shim task: OCI runtime create failed: runc create failed: unable to start container process: exec: "nosuchcmd": executable file not found in $PATH: unknown.\ntime="2026-01-01T00:00:00Z" level=error msg="error waiting for container: context canceled"\n`, 127],
      [["run", "busybox", "/etc/passwd"], `docker: Error response from daemon: failed to create shim task: OCI runtime create failed: runc create failed: unable to start container process: exec: "/etc/passwd": permission denied: unknown.\ntime="2026-01-01T00:00:00Z" level=error msg="error waiting for container: context canceled"\n`, 126],
      [["exec", "nosuch", "ls"], "Error: No such container: nosuch\n", 1],
      [["rm", "nosuch"], "Error: No such container: nosuch\n", 1],
      [["stop", "nosuch"], "Error response from daemon: No such container: nosuch\n", 1],
      [["inspect", "nosuch"], "[]\nError: No such object: nosuch\n", 1],
      [["run", "-p", "99999:80", "busybox"], "docker: Invalid hostPort: 99999.\nSee 'docker run --help'.\n", 125],
      [["run", "-p", "abc", "busybox"], "docker: Invalid containerPort: abc.\nSee 'docker run --help'.\n", 125],
      [["run", "-d", "-p", "1234:80", "nginx"], `<ID>\ndocker: Error response from daemon: driver failed programming external connectivity on endpoint NAME (<ID>): Bind for 0.0.0.0:1234 failed: port is already allocated.\n`, 125],
      [["port", "web"], "80/tcp -> 0.0.0.0:1234\n80/tcp -> :::1234\n", 0],
      [["port", "web", "80"], "0.0.0.0:1234\n:::1234\n", 0],
      [["inspect", "-f", "{{.NetworkSettings.IPAddress}}", "web"], "172.17.0.2\n", 0],
      [["inspect", "-f", "{{range .NetworkSettings.Networks}}{{.IPAddress}}{{end}}", "web"], "172.17.0.2\n", 0],
      [["inspect", "-f", "{{.HostConfig.NetworkMode}} {{.Config.Image}} {{.Config.Cmd}}", "web"], "default nginx [nginx -g daemon off;]\n", 0],
      [["inspect", "-f", "{{json .NetworkSettings.Ports}}", "web"], `{"80/tcp":[{"HostIp":"0.0.0.0","HostPort":"1234"},{"HostIp":"::","HostPort":"1234"}]}\n`, 0],
      [["network", "rm", "nosuchnet"], "Error: No such network: nosuchnet\n", 1],
      [["rm"], `"docker rm" requires at least 1 argument.\nSee 'docker rm --help'.\n\nUsage:  docker rm [OPTIONS] CONTAINER [CONTAINER...]\n\nRemove one or more containers\n`, 1],
      [["network", "create"], `"docker network create" requires exactly 1 argument.\nSee 'docker network create --help'.\n\nUsage:  docker network create [OPTIONS] NETWORK\n\nCreate a network\n`, 1],
    ];
    for (const [argv, want, code] of cases) {
      const r = await h.run(["docker", ...argv]);
      expect({ argv, out: norm(r.out).replace(/endpoint [a-z]+_[a-z]+ /, "endpoint NAME "), code: r.code }).toEqual({ argv, out: want, code });
    }
  });

  test("unknown image: the pull error of a machine with no registry", async () => {
    const h = harness();
    const r = await h.run(["docker", "run", "-d", "nosuchimage"]);
    expect(r).toEqual({
      code: 125,
      out: "Unable to find image 'nosuchimage:latest' locally\n" +
        "docker: Error response from daemon: Get \"https://registry-1.docker.io/v2/\": dial tcp: lookup registry-1.docker.io on 10.0.2.3:53: no such host.\nSee 'docker run --help'.\n",
    });
  });

  test("network ls/create and a user bridge's subnet", async () => {
    const h = harness();
    const id = (await h.run(["docker", "network", "create", "mynet"])).out.trim();
    expect(id).toMatch(/^[0-9a-f]{64}$/);
    expect(norm((await h.run(["docker", "network", "ls"])).out)).toBe(
      "NETWORK ID     NAME      DRIVER    SCOPE\n<id>   bridge    bridge    local\n<id>   host      host      local\n<id>   mynet     bridge    local\n<id>   none      null      local\n",
    );
    expect((await h.run(["docker", "network", "create", "mynet"])).out).toBe("Error response from daemon: network with name mynet already exists\n");
    expect((await h.run(["docker", "network", "inspect", "-f", "{{range .IPAM.Config}}{{.Subnet}} {{.Gateway}}{{end}}", "mynet"])).out).toBe("172.18.0.0/16 172.18.0.1\n");
    expect(h.host.init.linkList().map((l) => l.name)).toContain(`br-${id.slice(0, 12)}`);
    // A removed network's pool is not handed out again at once: the next network takes the next pool.
    await h.run(["docker", "network", "rm", "mynet"]);
    await h.run(["docker", "network", "create", "again"]);
    expect((await h.run(["docker", "network", "inspect", "-f", "{{range .IPAM.Config}}{{.Subnet}}{{end}}", "again"])).out).toBe("172.19.0.0/16\n");
  });

  test("addresses are lowest-free and MACs are 02:42 + the address", async () => {
    const h = harness();
    for (const n of ["c1", "c2", "c3"]) await h.run(["docker", "run", "-dit", "--name", n, "busybox"]);
    await h.run(["docker", "rm", "-f", "c2"]);
    await h.run(["docker", "run", "-dit", "--name", "c4", "busybox"]);
    const ip = async (n: string) => (await h.run(["docker", "inspect", "-f", "{{.NetworkSettings.IPAddress}} {{.NetworkSettings.MacAddress}}", n])).out;
    expect(await ip("c1")).toBe("172.17.0.2 02:42:ac:11:00:02\n");
    expect(await ip("c3")).toBe("172.17.0.4 02:42:ac:11:00:04\n");
    expect(await ip("c4")).toBe("172.17.0.3 02:42:ac:11:00:03\n");
  });

  test("stop: a shell as PID 1 ignores SIGTERM and is killed after 10 s (137); exec into it then fails", async () => {
    const h = harness();
    await h.run(["docker", "run", "-dit", "--name", "c1", "busybox"]);
    const t0 = h.world.clock.now();
    expect((await h.run(["docker", "stop", "c1"])).out).toBe("c1\n");
    expect(h.world.clock.now() - t0).toBe(10_000);
    expect((await h.run(["docker", "inspect", "-f", "{{.State.ExitCode}} {{.State.Status}}", "c1"])).out).toBe("137 exited\n");
    const ex = await h.run(["docker", "exec", "c1", "ls"]);
    expect(norm(ex.out)).toBe("Error response from daemon: Container <ID> is not running\n");
    expect(ex.code).toBe(1);
    expect(norm((await h.run(["docker", "rm", "c1"])).out)).toBe("c1\n");
  });

  test("the embedded DNS answers container names on a user network", async () => {
    const h = harness();
    await h.run(["docker", "network", "create", "mynet"]);
    await h.run(["docker", "run", "-dit", "--name", "n1", "--network", "mynet", "busybox"]);
    await h.run(["docker", "run", "-dit", "--name", "n2", "--network", "mynet", "busybox"]);
    const ctx = h.docker.contextOf("n2");
    expect(ctx.fs.readFile("/etc/resolv.conf")).toBe("nameserver 127.0.0.11\noptions ndots:0\n");
    // A query for n1, type A, class IN.
    const q = Uint8Array.from([0x12, 0x34, 1, 0, 0, 1, 0, 0, 0, 0, 0, 0, 2, 0x6e, 0x31, 0, 0, 1, 0, 1]);
    const r = ctx.netns.udpRequest("127.0.0.11", 53, q);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect([...r.response.slice(-4)]).toEqual([172, 18, 0, 2]);
    expect(r.response[3]! & 0x0f).toBe(0);
  });
});

describe("inspect JSON has the real engine's fields, in its order", () => {
  const raw2 = readFileSync(new URL("./captures/raw-2.txt", import.meta.url), "utf8");
  /** The JSON printed after `$ … CMD` in the capture. */
  const captured = (cmd: string) => {
    const start = raw2.indexOf("\n[", raw2.indexOf(cmd));
    const end = raw2.indexOf("\n]\n", start);
    return JSON.parse(raw2.slice(start + 1, end + 2)) as unknown[];
  };
  /** Every key path, in document order (array items collapsed to `[]`). */
  const paths = (v: unknown, p = ""): string[] => {
    if (Array.isArray(v)) return v.length ? [...new Set(v.flatMap((x) => paths(x, `${p}[]`)))] : [`${p}[]`];
    if (v && typeof v === "object") return Object.entries(v).flatMap(([k, x]) => {
      const key = /^[0-9a-f]{64}$/.test(k) ? "<id>" : k;
      return [`${p}.${key}`, ...paths(x, `${p}.${key}`)];
    });
    return [];
  };

  test("docker inspect of a running nginx with -p 1234:80", async () => {
    const h = harness();
    await h.run(["docker", "run", "-d", "-p", "1234:80", "--name", "web", "nginx"]);
    const sim = JSON.parse((await h.run(["docker", "inspect", "web"])).out) as unknown[];
    // The real HostConfig lists resource fields (CpuShares, Memory, ...) the simulator has no use for; compare the rest.
    const skip = (p: string) => /^\[\]\.HostConfig\.(Cpu|Memory|Nano|Blkio|Kernel|Device|Pids|Ulimits|OomKill|IOMaximum|Masked|Readonly|CgroupParent)/.test(p) || p.startsWith("[].Config.Labels.lab");
    expect(paths(sim).filter((p) => !skip(p))).toEqual(paths(captured("$ /usr/bin/docker inspect web")).filter((p) => !skip(p)));
  });

  test("docker network inspect bridge", async () => {
    const h = harness();
    await h.run(["docker", "run", "-d", "-p", "1234:80", "--name", "web", "nginx"]);
    await h.run(["docker", "run", "-dit", "--name", "b2", "busybox"]);
    const sim = JSON.parse((await h.run(["docker", "network", "inspect", "bridge"])).out) as unknown[];
    expect(paths(sim)).toEqual(paths(captured("$ /usr/bin/docker network inspect bridge")));
  });
});
