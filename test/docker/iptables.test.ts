/**
 * The daemon's netfilter layout, compared line by line with iptables-save of the real dockerd
 * 20.10 on the lab machine (test/docker/captures/raw-1.txt and raw-2.txt).
 */
import { readFileSync } from "node:fs";
import { describe, expect, test } from "vitest";
import { harness } from "./harness.js";
import { captured, save } from "./rules.js";

const raw2 = readFileSync(new URL("./captures/raw-2.txt", import.meta.url), "utf8");
/** iptables-save printed with `web` (-p 1234:80) running and the user network `mynet` created. */
const afterUserNet = raw2.slice(raw2.indexOf("$ iptables-save"));

describe("dockerd iptables layout", () => {
  test("one container with -p 1234:80 on the default bridge matches the real engine", async () => {
    const h = harness();
    expect((await h.run(["docker", "run", "-d", "-p", "1234:80", "--name", "web", "nginx"])).code).toBe(0);
    const ns = h.host.init;
    const realFilter = captured(afterUserNet, "filter").split("\n").filter((l) => !l.includes("br-")).join("\n");
    const realNat = captured(afterUserNet, "nat").split("\n").filter((l) => !l.includes("br-") && !l.includes("172.18.")).join("\n");
    expect(save(ns.nfTableGet("filter"))).toBe(realFilter);
    expect(save(ns.nfTableGet("nat"))).toBe(realNat);
    expect(ns.sysctlGet("net.ipv4.ip_forward")).toBe("1");
  });

  test("a user-defined bridge is inserted above docker0, as on the real engine", async () => {
    const h = harness();
    await h.run(["docker", "run", "-d", "-p", "1234:80", "--name", "web", "nginx"]);
    const created = await h.run(["docker", "network", "create", "mynet"]);
    const br = `br-${created.out.trim().slice(0, 12)}`;
    const ns = h.host.init;
    const real = (t: string) => captured(afterUserNet, t).replace(/br-[0-9a-f]{12}/g, br);
    expect(save(ns.nfTableGet("filter"))).toBe(real("filter"));
    expect(save(ns.nfTableGet("nat"))).toBe(real("nat"));
  });

  test("removing the container and the network restores the daemon's start-up layout", async () => {
    const h = harness();
    const ns = h.host.init;
    const before = [save(ns.nfTableGet("filter")), save(ns.nfTableGet("nat"))];
    await h.run(["docker", "network", "create", "mynet"]);
    await h.run(["docker", "run", "-d", "-p", "1234:80", "--name", "web", "nginx"]);
    expect((await h.run(["docker", "rm", "-f", "web"])).out).toBe("web\n");
    expect((await h.run(["docker", "network", "rm", "mynet"])).out).toBe("mynet\n");
    expect([save(ns.nfTableGet("filter")), save(ns.nfTableGet("nat"))]).toEqual(before);
    expect(ns.linkList().map((l) => l.name)).toEqual(["lo", "docker0"]);
  });
});
