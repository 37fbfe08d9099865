/**
 * One machine-wide lock for the root suites that drive the Docker lessons on the real engine
 * (test/docker/host-cleanup.test.ts, test/grade/host-grade.test.ts): they use the same fixed
 * names (containers web, c1, busybox-1/2; namespaces client, internet; Docker's default bridge
 * addresses), and vitest runs test files in parallel forks. A directory is the lock (mkdir is
 * atomic); a holder that died without releasing it is recognised by its pid and replaced.
 */
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { setTimeout as sleep } from "node:timers/promises";

const DIR = "/tmp/lab-host-lessons.lock";

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** Waits for the lock (up to `timeoutMs`); resolves to the function that releases it. */
export async function acquireHostLock(timeoutMs = 600_000): Promise<() => void> {
  const start = Date.now();
  for (;;) {
    try {
      mkdirSync(DIR);
      writeFileSync(`${DIR}/pid`, String(process.pid));
      return () => rmSync(DIR, { recursive: true, force: true });
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== "EEXIST") throw e;
    }
    let holder = 0;
    try {
      holder = Number(readFileSync(`${DIR}/pid`, "utf8"));
    } catch {
      // The holder is between mkdir and writing its pid.
    }
    if (holder > 0 && !alive(holder)) {
      rmSync(DIR, { recursive: true, force: true });
      continue;
    }
    if (Date.now() - start > timeoutMs) throw new Error(`${DIR} still held by pid ${holder} after ${timeoutMs / 1000}s`);
    await sleep(250);
  }
}
