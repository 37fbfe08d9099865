import { describe, expect, it } from "vitest";
import type { ExecResult } from "../core/exec-result.js";
import { UnknownContextError, type SimSession, type SimWorld, type WorldOptions } from "../sim/index.js";
import { createSimTarget } from "./sim.js";
import { TargetError } from "./types.js";

/** A fake world: contexts "host" and "web"; each session remembers what it ran. */
function fakeWorld(opts: WorldOptions, seen: string[]): SimWorld {
  seen.push(JSON.stringify(opts));
  const sessions = new Map<string, SimSession>();
  const contexts = ["host", "web"];
  return {
    kind: opts.kind,
    contexts: () => contexts,
    session(context: string) {
      if (!contexts.includes(context)) throw new UnknownContextError(context, contexts);
      let s = sessions.get(context);
      if (!s) {
        const history: string[] = [];
        s = {
          context,
          async exec(command, o): Promise<ExecResult> {
            history.push(command);
            seen.push(`${context}: ${command} timeout=${o?.timeoutMs} cap=${o?.maxOutputBytes}`);
            return { exitCode: 0, output: `${history.length}\n`, durationMs: 0 };
          },
        };
        sessions.set(context, s);
      }
      return s;
    },
    traceTake: () => [],
    now: () => 0,
  };
}

describe("sim target", () => {
  it("builds the lesson's world and keeps one session per context", async () => {
    const seen: string[] = [];
    const target = createSimTarget((o) => fakeWorld(o, seen));
    const opened = await target.open({ file: "l.md", world: "kubernetes", requires: ["kubernetes"], sim: { nodes: ["a"], kubeProxyMode: "ipvs" } });
    if (!("session" in opened)) throw new Error("skipped");
    const s = opened.session;
    expect((await s.exec("host", "one", { timeoutMs: 5 })).output).toBe("1\n");
    expect((await s.exec("host", "two", { timeoutMs: 5 })).output).toBe("2\n");
    expect((await s.exec("web", "three", { timeoutMs: 7, maxOutputBytes: 9 })).output).toBe("1\n");
    await expect(s.exec("pod/x", "four", { timeoutMs: 5 })).rejects.toEqual(new TargetError('unknown context "pod/x"; this world has: host, web'));
    expect(seen).toEqual([
      JSON.stringify({ kind: "kubernetes", nodes: ["a"], kubeProxyMode: "ipvs" }),
      "host: one timeout=5 cap=undefined",
      "host: two timeout=5 cap=undefined",
      "web: three timeout=7 cap=9",
    ]);
    await s.close();
  });
});
