/**
 * The kubelet's image pulls in virtual time (sim/k8s/images.ts, kubelet.ts syncPod): a pod's
 * containers start one after another, each after its own pull (kuberuntime_manager.go SyncPod);
 * pulls on a node run one at a time (serializeImagePulls: true, images/puller.go); a failed pull
 * is retried with the image back-off (10 s doubling, flowcontrol.Backoff) at the pod worker's
 * syncs (a relist 1 s after the sandbox, then 10 s after each failed sync), and the repeats
 * aggregate as the event recorder's correlator counts them.
 */
import { describe, expect, it } from "vitest";
import { createWorld, type SimWorld } from "../../src/sim/index.js";

async function run(w: SimWorld, cmd: string) {
  const r = await w.session("host").exec(cmd);
  return { code: r.exitCode, out: r.output };
}

const pod = (name: string, containers: Array<[string, string]>) =>
  `kubectl apply -f - <<'EOF' >/dev/null\napiVersion: v1\nkind: Pod\nmetadata:\n  name: ${name}\nspec:\n  nodeName: node1\n  containers:\n${containers
    .map(([n, image]) => `  - name: ${n}\n    image: ${image}\n    args: ["sleep", "3600"]\n`)
    .join("")}EOF`;

const events = `kubectl get events --field-selector involvedObject.name=P -o jsonpath='{range .items[*]}{.firstTimestamp} {.lastTimestamp} {.count} {.reason} {.involvedObject.fieldPath} {.message}{"\\n"}{end}'`;

/** Event lines with times as seconds since `t0` (epoch seconds). */
async function timeline(w: SimWorld, name: string, t0: number): Promise<string[]> {
  const out = (await run(w, events.replace("=P", `=${name}`))).out.trim().split("\n");
  const rel = (ts: string) => `${Date.parse(ts) / 1000 - t0}`;
  return out.map((l) => {
    const [first, last, count, reason, sub, ...msg] = l.split(/\s+/);
    return [rel(first!), rel(last!), count, reason, sub, msg.join(" ")].join(" ");
  });
}

async function now(w: SimWorld): Promise<number> {
  return Number((await run(w, "date +%s")).out.trim());
}

describe("kubelet image pulls", () => {
  it("a two-container pod: pull, create and start the first, then pull the second", async () => {
    const w = createWorld({ kind: "kubernetes" });
    const t0 = await now(w);
    await run(w, pod("two", [["a", "busybox"], ["b", "nginx:1.16.1"]]));
    // At 3 s a runs and b waits for its image (kubectl prints b's waiting reason).
    expect((await run(w, "sleep 3; kubectl get pod two | tail -1")).out).toMatch(/^two +1\/2 +ContainerCreating /);
    await run(w, "sleep 10");
    expect(await timeline(w, "two", t0)).toEqual([
      '1 1 1 Pulling spec.containers{a} Pulling image "busybox"',
      '3 3 1 Pulled spec.containers{a} Successfully pulled image "busybox" in 2s (2s including waiting)',
      "3 3 1 Created spec.containers{a} Created container a",
      "3 3 1 Started spec.containers{a} Started container a",
      '3 3 1 Pulling spec.containers{b} Pulling image "nginx:1.16.1"',
      '5 5 1 Pulled spec.containers{b} Successfully pulled image "nginx:1.16.1" in 2s (2s including waiting)',
      "5 5 1 Created spec.containers{b} Created container b",
      "5 5 1 Started spec.containers{b} Started container b",
    ]);
  });

  it("pods on one node pull one at a time: the second pull's waiting time counts the first", async () => {
    const w = createWorld({ kind: "kubernetes" });
    const t0 = await now(w);
    await run(w, `${pod("p1", [["a", "busybox"]])}\n${pod("p2", [["b", "nginx:1.16.1"]])}\nsleep 10`);
    expect((await timeline(w, "p2", t0)).slice(0, 2)).toEqual([
      '1 1 1 Pulling spec.containers{b} Pulling image "nginx:1.16.1"',
      '5 5 1 Pulled spec.containers{b} Successfully pulled image "nginx:1.16.1" in 2s (4s including waiting)',
    ]);
  });

  it("a bad image: retried once 10, 20, 40, 80 s have passed since each failure, events aggregated, status ErrImagePull / ImagePullBackOff", async () => {
    const w = createWorld({ kind: "kubernetes" });
    const t0 = await now(w);
    await run(w, pod("bad", [["c", "nope:1"], ["d", "busybox"]]));
    const reason = "kubectl get pod bad -o jsonpath='{.status.containerStatuses[0].state.waiting.reason}'";
    const seen: string[] = [];
    // Syncs at 1 s (sandbox: c's pull fails, d's takes until 3 s), 3 s (the relist's, after the
    // first: back-off), 13 s (12 s since the failure, past its 10 s: pull), 23 s (back-off 20 s),
    // 33 s (pull).
    for (const t of [1, 2, 10, 10, 10]) {
      await run(w, `sleep ${t}`);
      seen.push(`${(await now(w)) - t0}:${(await run(w, reason)).out}`);
    }
    expect(seen).toEqual(["1:ErrImagePull", "3:ImagePullBackOff", "13:ErrImagePull", "23:ImagePullBackOff", "33:ErrImagePull"]);
    expect((await run(w, "kubectl get pod bad | tail -1")).out).toMatch(/^bad +1\/2 +ErrImagePull /);
    await run(w, "sleep 125");
    // Pulls at 1, 13, 33, 73 and 153 s (back-off 10, 20, 40, 80 s after each failure, each seen
    // over at the next sync 10 s after the last); back-off at every other sync.
    const err =
      'rpc error: code = Unknown desc = failed to pull and unpack image "docker.io/library/nope:1": failed to resolve reference "docker.io/library/nope:1": pull access denied, repository does not exist or may require authorization: server message: insufficient_scope: authorization failed';
    const message = (await run(w, "kubectl get pod bad -o jsonpath='{.status.containerStatuses[0].state.waiting.message}'")).out;
    expect(message).toBe(err);
    expect((await timeline(w, "bad", t0)).filter((l) => l.includes("{c}"))).toEqual([
      '1 153 5 Pulling spec.containers{c} Pulling image "nope:1"',
      `1 153 5 Failed spec.containers{c} Failed to pull image "nope:1": ${err}`,
      "1 153 5 Failed spec.containers{c} Error: ErrImagePull",
      '3 143 12 BackOff spec.containers{c} Back-off pulling image "nope:1"',
      "3 143 12 Failed spec.containers{c} Error: ImagePullBackOff",
    ]);
    expect((await run(w, "kubectl describe pod bad | sed -n '/^Events:/,$p'")).out).toBe(
      [
        "Events:",
        "  Type     Reason   Age                   From     Message",
        "  ----     ------   ----                  ----     -------",
        '  Normal   Pulling  2m37s                 kubelet  Pulling image "busybox"',
        '  Normal   Pulled   2m35s                 kubelet  Successfully pulled image "busybox" in 2s (2s including waiting)',
        "  Normal   Created  2m35s                 kubelet  Created container d",
        "  Normal   Started  2m35s                 kubelet  Started container d",
        '  Normal   BackOff  15s (x12 over 2m35s)  kubelet  Back-off pulling image "nope:1"',
        "  Warning  Failed   15s (x12 over 2m35s)  kubelet  Error: ImagePullBackOff",
        '  Normal   Pulling  5s (x5 over 2m37s)    kubelet  Pulling image "nope:1"',
        `  Warning  Failed   5s (x5 over 2m37s)    kubelet  Failed to pull image "nope:1": ${err}`,
        "  Warning  Failed   5s (x5 over 2m37s)    kubelet  Error: ErrImagePull",
        "",
      ].join("\n"),
    );
  });

  it("imagePullPolicy Never with the image absent: ErrImageNeverPull", async () => {
    const w = createWorld({ kind: "kubernetes" });
    await run(w, `${pod("never", [["c", "busybox"]]).replace("    args:", "    imagePullPolicy: Never\n    args:")}\nsleep 3`);
    expect((await run(w, "kubectl get pod never -o jsonpath='{.status.containerStatuses[0].state.waiting.reason}: {.status.containerStatuses[0].state.waiting.message}'")).out).toBe(
      'ErrImageNeverPull: Container image "busybox" is not present with pull policy of Never',
    );
  });
});
