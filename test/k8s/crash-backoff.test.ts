/**
 * The kubelet's crash back-off for main containers (src/sim/k8s/crash-backoff.ts, doBackOff):
 * an exited container is restarted at the sync that sees the exit (a relist, 1 s later) the first
 * time, then only once 10 s, 20 s, … have passed since its last exit; meanwhile it waits as
 * CrashLoopBackOff. `kubectl get pods` shows Error, Running with RESTARTS `1 (1s ago)`, Error,
 * then CrashLoopBackOff, as on a real node.
 */
import { describe, expect, it } from "vitest";
import { createWorld, type SimWorld } from "../../src/sim/index.js";

async function run(w: SimWorld, cmd: string) {
  const r = await w.session("host").exec(cmd);
  return { code: r.exitCode, out: r.output };
}

const pod = (policy: string, script: string) =>
  `kubectl apply -f - <<'EOF' >/dev/null\napiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  nodeName: node1\n  restartPolicy: ${policy}\n  containers:\n  - name: c\n    image: busybox\n    imagePullPolicy: IfNotPresent\n    command: ["sh", "-c", "${script}"]\nEOF`;

/** READY, STATUS and RESTARTS of pod p, one per virtual second. */
async function statuses(w: SimWorld, seconds: number): Promise<string[]> {
  const out: string[] = [];
  for (let i = 0; i < seconds; i++) {
    out.push((await run(w, "kubectl get pod p | tail -1")).out.trim().split(/\s{3,}/).slice(1, 4).join(" | "));
    await run(w, "sleep 1");
  }
  return out;
}

describe("crash back-off of main containers", () => {
  it("Error, an immediate first restart, then CrashLoopBackOff for 10 s, then 20 s", async () => {
    const w = createWorld({ kind: "kubernetes" });
    await run(w, pod("Always", "sleep 2; exit 1"));
    const s = await statuses(w, 24);
    // Starts at 3 s, exits at 5 s; restarted at 6 s; exits at 8 s; in back-off until 19 s (8 + 1 + 10).
    expect(s.slice(3, 10)).toEqual(["1/1 | Running | 0", "1/1 | Running | 0", "0/1 | Error | 0", "1/1 | Running | 1 (1s ago)", "1/1 | Running | 1 (2s ago)", "0/1 | Error | 1 (3s ago)", "0/1 | CrashLoopBackOff | 1 (1s ago)"]);
    expect(s.slice(10, 19).every((l) => l.startsWith("0/1 | CrashLoopBackOff | 1 ("))).toBe(true);
    expect(s.slice(19, 24)).toEqual(["1/1 | Running | 2 (11s ago)", "1/1 | Running | 2 (12s ago)", "0/1 | Error | 2 (13s ago)", "0/1 | CrashLoopBackOff | 2 (1s ago)", "0/1 | CrashLoopBackOff | 2 (2s ago)"]);
    const msg = await run(w, "kubectl get pod p -o jsonpath='{.status.containerStatuses[0].state.waiting.message}'");
    expect(msg.out).toMatch(/^back-off 20s restarting failed container=c pod=p_default\(/);
  });

  it("OnFailure does not restart a container that exited 0: the pod Succeeded, Completed", async () => {
    const w = createWorld({ kind: "kubernetes" });
    await run(w, pod("OnFailure", "sleep 1"));
    expect((await statuses(w, 7)).slice(4)).toEqual(["0/1 | Completed | 0", "0/1 | Completed | 0", "0/1 | Completed | 0"]);
    expect((await run(w, "kubectl get pod p -o jsonpath='{.status.phase}'")).out).toBe("Succeeded");
  });
});
