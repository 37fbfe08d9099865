/**
 * A foreground process that waits for something that never comes (an attached `docker run` of
 * a server, `nginx` or `httpd -f` or `nc -l` typed at the prompt) ends at its exec's time limit
 * in virtual time, timed out (124), as a real one is killed there; it does not hold the host
 * (the grader's wall clock) hostage. An attached run whose container ends returns its code.
 */
import { expect, test } from "vitest";
import { createWorld } from "../../src/sim/index.js";

test("an attached docker run of nginx times out in virtual time; the container runs on", async () => {
  const w = createWorld({ kind: "docker" });
  const host = w.session("host");
  const t0 = w.now();
  const r = await host.exec("docker run -p 1234:80 --name web nginx", { timeoutMs: 60_000 });
  expect(r).toMatchObject({ exitCode: 124, timedOut: true });
  expect(w.now() - t0).toBe(60_000);
  expect((await host.exec("docker ps --format '{{.Names}} {{.Status}}'")).output).toBe("web Up About a minute\n");
  expect((await host.exec("wget -q -O - localhost:1234 | grep title")).output).toBe("<title>Welcome to nginx!</title>\n");
});

test("an attached run returns the container's exit code once its main process ends, time passing as it sleeps", async () => {
  const w = createWorld({ kind: "docker" });
  const host = w.session("host");
  const t0 = w.now();
  const r = await host.exec("docker run busybox sh -c 'sleep 5; echo done; exit 3'", { timeoutMs: 60_000 });
  expect(r).toMatchObject({ exitCode: 3, output: "done\n" });
  expect(w.now() - t0).toBe(5_000);
});

test("servers in the foreground end at the time limit", async () => {
  const w = createWorld({ kind: "docker" });
  const host = w.session("host");
  for (const cmd of ["httpd -f -p 8080", "nc -l -p 9000"]) {
    const t0 = w.now();
    const r = await host.exec(cmd, { timeoutMs: 30_000 });
    expect(r, cmd).toMatchObject({ exitCode: 124, timedOut: true, output: "" });
    expect(w.now() - t0, cmd).toBe(30_000);
  }
});
