import { describe, expect, it } from "vitest";
import { createWorld } from "../index.js";
import { BackgroundJobs } from "./jobs.js";

describe("background jobs settle before a foreground command looks", () => {
  it("a server started in the background by a multi-step script is listening at the next command", async () => {
    const s = createWorld({ kind: "bare" }).session("host");
    await s.exec("sh -c 'mkdir -p /tmp/www && echo hi > /tmp/www/index.html && httpd -f -p 8080 -h /tmp/www' &");
    const r = await s.exec("wget -q -O - 127.0.0.1:8080/");
    expect(r).toMatchObject({ exitCode: 0, output: "hi\n" });
  });

  it("a job blocked on the clock is not runnable, and runs again when the clock wakes it", async () => {
    const jobs = new BackgroundJobs();
    let wake!: () => void;
    const steps: string[] = [];
    void jobs.run(async () => {
      steps.push("start");
      await jobs.blockOn(new Promise<void>((r) => (wake = r)));
      steps.push("woke");
    });
    await jobs.settle();
    expect([jobs.pending, steps]).toEqual([0, ["start"]]);
    wake();
    await jobs.settle();
    expect([jobs.pending, steps]).toEqual([0, ["start", "woke"]]);
  });
});
