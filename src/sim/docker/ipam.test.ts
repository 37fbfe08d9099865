import { describe, expect, test } from "vitest";
import { Pool, defaultPools } from "./ipam.js";
import { NAME_WORDS, randomName } from "./names.js";
import { createRng } from "../../core/random.js";

describe("IPAM and names", () => {
  test("lowest free address, network and broadcast never handed out", () => {
    const p = new Pool("172.17.0.0/16");
    expect([p.take(), p.take(), p.take()]).toEqual(["172.17.0.1", "172.17.0.2", "172.17.0.3"]);
    p.release("172.17.0.2");
    expect(p.take()).toBe("172.17.0.2");
    expect(p.broadcast()).toBe("172.17.255.255");
    const tiny = new Pool("10.0.0.0/30");
    expect([tiny.take(), tiny.take(), tiny.take()]).toEqual(["10.0.0.1", "10.0.0.2", undefined]);
  });

  test("default pools in libnetwork's order", () => {
    const pools = defaultPools();
    expect(pools.slice(0, 2)).toEqual(["172.17.0.0/16", "172.18.0.0/16"]);
    expect(pools[15]).toBe("192.168.0.0/20");
  });

  test("names are adjective_surname from moby's lists, seeded", () => {
    expect(NAME_WORDS).toEqual({ left: 108, right: 236 });
    const a = randomName(createRng(7));
    expect(a).toMatch(/^[a-z]+_[a-z]+$/);
    expect(randomName(createRng(7))).toBe(a);
    expect(randomName(createRng(7), 1)).toMatch(/^[a-z]+_[a-z]+\d$/);
  });
});
