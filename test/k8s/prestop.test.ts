/**
 * preStop hooks as the kubelet runs them (kuberuntime_container.go killContainer,
 * executePreStopHook; handlers.go Run): the hook before SIGTERM, its time counted against the
 * grace period (1.28; 1.22–1.27 gave the container the full period again after it), a hook
 * outliving the grace period cut there with 2 s more before SIGKILL, a failure recorded as a
 * FailedPreStopHook event (handlers.go's message before 1.26) with termination going on; httpGet
 * hooks from the node; the sleep action from 1.30.
 */
import { describe, expect, it } from "vitest";
import { createWorld, type SimWorld } from "../../src/sim/index.js";

async function sh(w: SimWorld, cmd: string): Promise<string> {
  const r = await w.session("host").exec(cmd);
  expect(r.exitCode, `${cmd}\n${r.output}`).toBe(0);
  return r.output;
}

/** Pod `name` of `image` (args `args`), its container `c` with `lifecycle` (YAML under it). */
const pod = (name: string, image: string, lifecycle: string, args = "") =>
  `apiVersion: v1\nkind: Pod\nmetadata:\n  name: ${name}\nspec:\n  containers:\n  - name: c\n    image: ${image}\n${args}    ports:\n    - name: web\n      containerPort: 80\n    lifecycle:\n      preStop:\n${lifecycle}`;
const SLEEP = '    args: ["sleep", "3600"]\n';

async function start(w: SimWorld, manifest: string, name: string): Promise<void> {
  await sh(w, `kubectl apply -f - <<'EOF' >/dev/null\n${manifest}EOF\nkubectl wait --for=condition=Ready pod/${name} >/dev/null`);
}

/** Virtual seconds `kubectl delete pod NAME ARGS` took. */
async function deleteTook(w: SimWorld, name: string, args = ""): Promise<number> {
  const out = await sh(w, `date +%s; kubectl delete pod ${name} ${args} >/dev/null; date +%s`);
  const [a, b] = out.trim().split("\n").map(Number);
  return b! - a!;
}

const events = (w: SimWorld, name: string) => sh(w, `kubectl get events --field-selector involvedObject.name=${name} -o jsonpath='{range .items[*]}{.type} {.reason} {.message}{"\\n"}{end}'`);

describe("lifecycle.preStop", () => {
  it("nginx with preStop `sleep 5` keeps running 5 s, then ends on SIGTERM", async () => {
    const w = createWorld({ kind: "kubernetes" });
    await start(w, pod("ng", "nginx:1.16.1", '        exec:\n          command: ["sleep", "5"]\n'), "ng");
    await sh(w, "kubectl delete pod ng --wait=false >/dev/null; sleep 4");
    // Still serving while the hook runs: SIGTERM has not been sent.
    const ip = (await sh(w, "kubectl get pod ng -o jsonpath='{.status.podIP}'")).trim();
    expect(await sh(w, `kubectl get pod ng --no-headers | awk '{print $2, $3}'; wget -q -O /dev/null http://${ip}/ && echo 200`)).toBe("1/1 Terminating\n200\n");
    await sh(w, "sleep 1");
    expect(await sh(w, "kubectl get pod ng --ignore-not-found")).toBe("");
    // Without the hook nginx goes at once.
    await start(w, `apiVersion: v1\nkind: Pod\nmetadata:\n  name: plain\nspec:\n  containers:\n  - name: c\n    image: nginx:1.16.1\n`, "plain");
    expect(await deleteTook(w, "plain")).toBe(0);
    expect(await events(w, "ng")).toContain("Normal Killing Stopping container c\n");
  });

  it("a hook longer than the grace period is cut there; SIGKILL 2 s later (1.28), a full period later (1.27)", async () => {
    const hook = '        exec:\n          command: ["sleep", "3600"]\n';
    const w = createWorld({ kind: "kubernetes" });
    await start(w, pod("sl", "busybox", hook, SLEEP), "sl");
    // sleep as PID 1 ignores SIGTERM: the container ends on SIGKILL.
    expect(await deleteTook(w, "sl", "--grace-period=10")).toBe(12);
    await start(w, pod("sl2", "busybox", '        exec:\n          command: ["sleep", "4"]\n', SLEEP), "sl2");
    // A hook of 4 s leaves 6 of the 10.
    expect(await deleteTook(w, "sl2", "--grace-period=10")).toBe(10);
    const old = createWorld({ kind: "kubernetes", kubeProxyVersion: "1.27" });
    await start(old, pod("sl", "busybox", hook, SLEEP), "sl");
    // kubernetes#117798: the pod worker's override gave StopContainer the whole period again.
    expect(await deleteTook(old, "sl", "--grace-period=10")).toBe(20);
  });

  it("a failing hook records FailedPreStopHook and termination goes on; before 1.26 with the handler's message", async () => {
    const hook = '        exec:\n          command: ["sh", "-c", "echo draining; echo oops >&2; exit 3"]\n';
    const w = createWorld({ kind: "kubernetes" });
    await start(w, pod("ng", "nginx:1.16.1", hook), "ng");
    expect(await deleteTook(w, "ng")).toBe(0);
    // kubernetes#119541: from 1.26 the message is left out of the event.
    expect(await events(w, "ng")).toContain("Warning FailedPreStopHook PreStopHook failed\n");
    const old = createWorld({ kind: "kubernetes", kubeProxyVersion: "1.25" });
    await start(old, pod("ng", "nginx:1.16.1", hook), "ng");
    const uid = (await sh(old, "kubectl get pod ng -o jsonpath='{.metadata.uid}'")).trim();
    expect(await deleteTook(old, "ng")).toBe(0);
    expect(await events(old, "ng")).toContain(
      `Warning FailedPreStopHook Exec lifecycle hook ([sh -c echo draining; echo oops >&2; exit 3]) for Container "c" in Pod "ng_default(${uid})" failed - error: command 'sh -c echo draining; echo oops >&2; exit 3' exited with 3: oops\n, message: "draining\\noops\\n"\n`,
    );
  });

  it("httpGet hooks: the kubelet's GET from the node; a refused connection is a FailedPreStopHook (1.25's message)", async () => {
    const w = createWorld({ kind: "kubernetes", kubeProxyVersion: "1.25" });
    await start(w, pod("ok", "nginx:1.16.1", "        httpGet:\n          path: /\n          port: web\n"), "ok");
    expect(await deleteTook(w, "ok")).toBe(0);
    expect(await events(w, "ok")).not.toContain("FailedPreStopHook");
    await start(w, pod("bad", "nginx:1.16.1", "        httpGet:\n          path: /drain\n          port: 8080\n"), "bad");
    const ip = (await sh(w, "kubectl get pod bad -o jsonpath='{.status.podIP}'")).trim();
    const uid = (await sh(w, "kubectl get pod bad -o jsonpath='{.metadata.uid}'")).trim();
    expect(await deleteTook(w, "bad")).toBe(0);
    expect(await events(w, "bad")).toContain(
      `Warning FailedPreStopHook HTTP lifecycle hook (/drain) for Container "c" in Pod "bad_default(${uid})" failed - error: Get "http://${ip}:8080/drain": dial tcp ${ip}:8080: connect: connection refused\n`,
    );
  });

  it("the sleep action runs from 1.30 (PodLifecycleSleepAction beta) and is ignored before", async () => {
    const hook = "        sleep:\n          seconds: 5\n";
    const w = createWorld({ kind: "kubernetes", kubeProxyVersion: "1.30" });
    await start(w, pod("ng", "nginx:1.16.1", hook), "ng");
    expect(await deleteTook(w, "ng")).toBe(5);
    const old = createWorld({ kind: "kubernetes" });
    await start(old, pod("ng", "nginx:1.16.1", hook), "ng");
    expect(await deleteTook(old, "ng")).toBe(0);
  });
});
