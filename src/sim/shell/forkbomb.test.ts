/**
 * A fork bomb ends in the exec that started it, by the process limit (every background job of
 * an exec, transitively, counts against one shared budget), not by a wall clock: exit 124 and
 * the reason, and the next command runs in a quiet world.
 */
import { describe, expect, it } from "vitest";
import { createWorld } from "../index.js";
import { processLimitMessage } from "./runtime.js";

describe("the process limit", () => {
  it("ends the classic fork bomb with 124 and the reason; the shell stays usable", async () => {
    const s = createWorld({ kind: "bare" }).session("host");
    const r = await s.exec(":(){ :|:& };:");
    expect([r.exitCode, r.output]).toEqual([124, processLimitMessage(1000)]);
    expect(processLimitMessage(1000)).toBe("lab: stopped after 1000 background processes (the simulator's limit per exec; a real fork bomb would still be running)\n");
    const after = await s.exec("echo still here");
    expect([after.exitCode, after.output]).toEqual([0, "still here\n"]);
  });

  it("counts a named bomb and a plain loop of background jobs alike", async () => {
    const s = createWorld({ kind: "bare" }).session("host");
    const bomb = await s.exec("bomb(){ bomb | bomb & }; bomb");
    expect([bomb.exitCode, bomb.output]).toEqual([124, processLimitMessage(1000)]);
    const loop = await s.exec("for i in $(seq 1 1001); do sleep 100 & done; echo not reached");
    expect([loop.exitCode, loop.output]).toEqual([124, processLimitMessage(1000)]);
  });

  it("leaves ordinary background jobs alone", async () => {
    const s = createWorld({ kind: "bare" }).session("host");
    const r = await s.exec("for i in 1 2 3; do sleep 1 & done; echo started");
    expect([r.exitCode, r.output]).toEqual([0, "started\n"]);
  });
});
