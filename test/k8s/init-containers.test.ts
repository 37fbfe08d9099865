/**
 * Init containers (src/sim/k8s/init-containers.ts): one at a time, in order, each to completion
 * before any main container starts; a failed one is restarted with the crash back-off (the first
 * restart at the next sync, then 10 s, 20 s, … after each exit) or, with restartPolicy Never,
 * fails the pod. `kubectl get pods` reads them as printPod does (Init:N/M, Init:Error,
 * Init:CrashLoopBackOff, PodInitializing). Virtual time moves a second at a time, so each
 * STATUS is the one a `kubectl get pods` run at that second prints.
 */
import { describe, expect, it } from "vitest";
import { createWorld, type SimWorld } from "../../src/sim/index.js";
import { podStatus } from "../../src/sim/userland/kubectl/printers.js";

async function run(w: SimWorld, cmd: string) {
  const r = await w.session("host").exec(cmd);
  return { code: r.exitCode, out: r.output };
}

/** A pod on node1 with the given init containers (name, shell script) and one nginx container. */
const pod = (inits: Array<[string, string]>, policy = "Always") =>
  `kubectl apply -f - <<'EOF' >/dev/null\napiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  nodeName: node1\n  restartPolicy: ${policy}\n  initContainers:\n${inits
    .map(([n, script]) => `  - name: ${n}\n    image: busybox\n    command: ["sh", "-c", "${script}"]\n`)
    .join("")}  containers:\n  - name: web\n    image: nginx:1.16.1\nEOF`;

/** READY, STATUS and RESTARTS of pod p, one line per virtual second for `seconds` seconds. */
async function statuses(w: SimWorld, seconds: number): Promise<string[]> {
  const out: string[] = [];
  for (let i = 0; i < seconds; i++) {
    const line = (await run(w, "kubectl get pod p | tail -1")).out.trim().split(/\s{3,}/);
    out.push(line.slice(1, 4).join(" | "));
    await run(w, "sleep 1");
  }
  return out;
}

const events = `kubectl get events --field-selector involvedObject.name=p -o jsonpath='{range .items[*]}{.reason} {.involvedObject.fieldPath} {.message}{"\\n"}{end}'`;

describe("init containers", () => {
  it("run one after another before the main container: Init:0/2, Init:1/2, PodInitializing, Running", async () => {
    const w = createWorld({ kind: "kubernetes" });
    await run(w, pod([["one", "sleep 2; echo one"], ["two", "sleep 2; echo two"]]));
    // 0-2 s: sandbox, busybox pull; 3 s: one starts; 5 s: one exits, two starts at the next sync
    // (6 s); 8 s: two exits; 9 s: the nginx pull (2 s); 11 s: web runs.
    expect(await statuses(w, 12)).toEqual([
      ...Array(5).fill("0/1 | Init:0/2 | 0"),
      ...Array(3).fill("0/1 | Init:1/2 | 0"),
      ...Array(3).fill("0/1 | PodInitializing | 0"),
      "1/1 | Running | 0",
    ]);
    expect((await run(w, events)).out.split("\n").filter((l) => /^(Created|Started|Pulling)/.test(l))).toEqual([
      'Pulling spec.initContainers{one} Pulling image "busybox"',
      "Created spec.initContainers{one} Created container one",
      "Started spec.initContainers{one} Started container one",
      'Pulling spec.initContainers{two} Pulling image "busybox"',
      "Created spec.initContainers{two} Created container two",
      "Started spec.initContainers{two} Started container two",
      'Pulling spec.containers{web} Pulling image "nginx:1.16.1"',
      "Created spec.containers{web} Created container web",
      "Started spec.containers{web} Started container web",
    ]);
    expect(await run(w, "kubectl logs p -c one; kubectl logs p -c two")).toEqual({ code: 0, out: "one\ntwo\n" });
    expect((await run(w, "kubectl logs p")).out).toMatch(/^Defaulted container "web" out of: web, one \(init\), two \(init\)\n/);
    const st = await run(w, `kubectl get pod p -o jsonpath='{range .status.initContainerStatuses[*]}{.name} {.ready} {.restartCount} {.state.terminated.reason} {.state.terminated.exitCode} {.state.terminated.startedAt} {.state.terminated.finishedAt}{"\\n"}{end}{.status.conditions[0].type}={.status.conditions[0].status} {.status.phase}'`);
    expect(st.out).toBe("one true 0 Completed 0 2026-01-01T00:05:03Z 2026-01-01T00:05:05Z\ntwo true 0 Completed 0 2026-01-01T00:05:06Z 2026-01-01T00:05:08Z\nInitialized=True Running");
    // A finished init container has no process to exec into (the kubelet finds no running container).
    expect(await run(w, "kubectl exec p -c one -- true")).toEqual({ code: 1, out: 'error: unable to upgrade connection: container not found ("one")\n' });
    expect(await run(w, "kubectl exec p -c nope -- true")).toEqual({ code: 1, out: "error: container nope is not valid for pod p\n" });
  });

  it("the main container waits while an init container runs; logs and exec reach the running one", async () => {
    const w = createWorld({ kind: "kubernetes" });
    await run(w, pod([["wait", "echo waiting; sleep 3600"]]));
    await statuses(w, 4);
    expect(await run(w, "kubectl logs p -c wait; kubectl exec p -c wait -- hostname")).toEqual({ code: 0, out: "waiting\np\n" });
    expect(await run(w, "kubectl logs p -c web")).toEqual({ code: 1, out: 'Error from server (BadRequest): container "web" in pod "p" is waiting to start: PodInitializing\n' });
    const cond = await run(w, `kubectl get pod p -o jsonpath='{.status.conditions[0].reason}: {.status.conditions[0].message} {.status.phase}'`);
    expect(cond.out).toBe("ContainersNotInitialized: containers with incomplete status: [wait] Pending");
  });

  it("a failing init container: Init:Error, restarted at once, then Init:CrashLoopBackOff with a doubling back-off", async () => {
    const w = createWorld({ kind: "kubernetes" });
    await run(w, pod([["bad", "echo failing; exit 2"]]));
    const s = await statuses(w, 38);
    // Exits at 3 s; restarted at the sync a relist later (4 s) and exits again; in back-off 10 s
    // from that exit (restart at 15 s), then 20 s (restart at 36 s).
    expect(s.slice(0, 6)).toEqual(["0/1 | Init:0/1 | 0", "0/1 | Init:0/1 | 0", "0/1 | Init:0/1 | 0", "0/1 | Init:Error | 0", "0/1 | Init:Error | 1 (1s ago)", "0/1 | Init:CrashLoopBackOff | 1 (1s ago)"]);
    expect(s.slice(6, 15).every((l) => l.startsWith("0/1 | Init:CrashLoopBackOff | 1 ("))).toBe(true);
    expect(s[15]).toBe("0/1 | Init:Error | 2 (11s ago)");
    expect(s.slice(16, 36).every((l) => l.startsWith("0/1 | Init:CrashLoopBackOff | 2 ("))).toBe(true);
    expect(s[36]).toBe("0/1 | Init:Error | 3 (21s ago)");
    expect(s[37]).toBe("0/1 | Init:CrashLoopBackOff | 3 (1s ago)");
    const st = await run(w, `kubectl get pod p -o jsonpath='{.status.initContainerStatuses[0].state.waiting.message}|{.status.initContainerStatuses[0].lastState.terminated.exitCode}|{.status.containerStatuses[0].state.waiting.reason}|{.status.phase}'`);
    expect(st.out).toMatch(/^back-off 40s restarting failed container=bad pod=p_default\([0-9a-f-]{36}\)\|2\|PodInitializing\|Pending$/);
    const ev = (await run(w, "kubectl get events --field-selector involvedObject.name=p,reason=BackOff -o jsonpath='{.items[0].count} {.items[0].involvedObject.fieldPath} {.items[0].message}'")).out;
    expect(ev).toMatch(/^4 spec\.initContainers\{bad\} Back-off restarting failed container bad in pod p_default\(/);
    expect((await run(w, "kubectl logs p -c bad")).out).toBe("failing\n");
  });

  it("restartPolicy Never: a failed init container fails the pod, and nothing else runs", async () => {
    const w = createWorld({ kind: "kubernetes" });
    await run(w, pod([["bad", "exit 3"], ["next", "true"]], "Never"));
    expect(await statuses(w, 8)).toEqual([...Array(3).fill("0/1 | Init:0/2 | 0"), ...Array(5).fill("0/1 | Init:Error | 0")]);
    const st = await run(w, `kubectl get pod p -o jsonpath='{.status.phase} {.status.initContainerStatuses[0].state.terminated.exitCode} {.status.initContainerStatuses[1].state.waiting.reason} {.status.conditions[0].message}'`);
    expect(st.out).toBe("Failed 3 PodInitializing containers with incomplete status: [bad next]");
    expect((await run(w, events)).out).not.toMatch(/container (next|web)/);
    expect(await run(w, "kubectl exec p -c bad -- true")).toEqual({ code: 1, out: "error: cannot exec into a container in a completed pod; current phase is Failed\n" });
  });

  it("deleting a pod while an init container runs stops it (Killing, SIGKILL after the grace period) and removes the pod", async () => {
    const w = createWorld({ kind: "kubernetes" });
    await run(w, pod([["w", "sleep 3600"]]).replace("restartPolicy: Always", "restartPolicy: Always\n  terminationGracePeriodSeconds: 5"));
    await statuses(w, 4);
    expect(await run(w, "date +%s; kubectl delete pod p; date +%s; kubectl get pod p")).toEqual({ code: 1, out: '1767225904\npod "p" deleted\n1767225909\nError from server (NotFound): pods "p" not found\n' });
    expect((await run(w, events)).out).toContain("Killing spec.initContainers{w} Stopping container w\n");
  });

  it("an init container whose image cannot be pulled: Init:ErrImagePull, then Init:ImagePullBackOff", async () => {
    const w = createWorld({ kind: "kubernetes" });
    await run(w, pod([["x", "true"]]).replace("image: busybox", "image: nope:1"));
    expect(await statuses(w, 3)).toEqual(["0/1 | Init:0/1 | 0", "0/1 | Init:ErrImagePull | 0", "0/1 | Init:ImagePullBackOff | 0"]);
  });
});

describe("printPod's STATUS for init containers", () => {
  const base = (inits: any[], conditions: any[] = []) => ({
    apiVersion: "v1",
    kind: "Pod",
    metadata: { name: "p", creationTimestamp: "2026-01-01T00:00:00Z" },
    spec: { initContainers: inits.map((_, i) => ({ name: `i${i}` })), containers: [{ name: "c" }] },
    status: { phase: "Pending", conditions, initContainerStatuses: inits, containerStatuses: [{ name: "c", restartCount: 4, state: { waiting: { reason: "PodInitializing" } } }] },
  });
  const now = Date.parse("2026-01-01T00:01:00Z");
  it("a terminated init container without a reason shows its exit code or signal; main restarts do not count while initializing", () => {
    expect(podStatus(base([{ state: { terminated: { exitCode: 7 } }, restartCount: 0 }]) as any, now)).toEqual({ ready: "0/1", status: "Init:ExitCode:7", restarts: "0" });
    expect(podStatus(base([{ state: { terminated: { exitCode: 137, signal: 9 } }, restartCount: 0 }]) as any, now).status).toBe("Init:Signal:9");
  });
  it("RESTARTS counts init restarts up to the current one, with the last termination's age", () => {
    const done = { state: { terminated: { exitCode: 0, reason: "Completed" } }, restartCount: 1, lastState: { terminated: { finishedAt: "2026-01-01T00:00:30Z" } } };
    const crash = { state: { waiting: { reason: "CrashLoopBackOff" } }, restartCount: 2, lastState: { terminated: { finishedAt: "2026-01-01T00:00:50Z" } } };
    expect(podStatus(base([done, crash]) as any, now)).toEqual({ ready: "0/1", status: "Init:CrashLoopBackOff", restarts: "3 (10s ago)" });
    // Once Initialized, the main containers' reasons and restarts count instead.
    const initialized = base([done, { ...done }], [{ type: "Initialized", status: "True" }]);
    expect(podStatus(initialized as any, now)).toEqual({ ready: "0/1", status: "PodInitializing", restarts: "4" });
  });
});
