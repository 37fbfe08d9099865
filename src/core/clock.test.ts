import { describe, expect, it } from "vitest";
import { createVirtualClock } from "./clock.js";

describe("virtual clock", () => {
  it("runs due tasks in time order and lands on now + ms", () => {
    const c = createVirtualClock();
    const seen: Array<[string, number]> = [];
    c.schedule(300, () => seen.push(["b", c.now()]));
    c.schedule(100, () => seen.push(["a", c.now()]));
    c.schedule(900, () => seen.push(["late", c.now()]));
    c.advance(500);
    expect(seen).toEqual([["a", 100], ["b", 300]]);
    expect(c.now()).toBe(500);
  });

  it("a task that advances the clock itself (a nested wait) never makes time go back", () => {
    const c = createVirtualClock();
    let inner = -1;
    c.schedule(100, () => {
      c.advance(5000);
      inner = c.now();
    });
    c.advance(1000);
    expect(inner).toBe(5100);
    expect(c.now()).toBe(5100);
  });
});
