/**
 * Graceful pod deletion in virtual time, as the real components do it: the API server sets
 * deletionTimestamp (now + grace period) and deletionGracePeriodSeconds (registry/rest/delete.go,
 * pod strategy CheckGracefulDelete), the kubelet sends SIGTERM and SIGKILL after the grace period
 * (at least 2 s) and removes the pod once its containers stopped; `sleep` as PID 1 ignores
 * SIGTERM, nginx ends on it. kubectl shows Terminating (printPod), `kubectl delete` waits for the
 * pod to be gone (--wait) and knows --grace-period, --now and --force (pkg/cmd/delete). The
 * endpoint controllers drop a Terminating pod from the ready addresses at once; the ReplicaSet
 * controller replaces it at once (FilterActivePods); Recreate waits for it (oldPodsRunning).
 */
import { describe, expect, it } from "vitest";
import { createRng, createVirtualClock } from "../../src/core/index.js";
import { ApiServer } from "../../src/sim/k8s/apiserver.js";
import { KIND } from "../../src/sim/k8s/controllers.js";
import { createWorld, type SimWorld } from "../../src/sim/index.js";

async function sh(w: SimWorld, cmd: string): Promise<string> {
  const r = await w.session("host").exec(cmd);
  expect(r.exitCode, `${cmd}\n${r.output}`).toBe(0);
  return r.output;
}

async function run(w: SimWorld, cmd: string): Promise<{ code: number; out: string }> {
  const r = await w.session("host").exec(cmd);
  return { code: r.exitCode, out: r.output };
}

const pod = (name: string, image: string, args = "") =>
  `apiVersion: v1\nkind: Pod\nmetadata:\n  name: ${name}\n  labels:\n    app: x\nspec:\n  containers:\n  - name: c\n    image: ${image}\n${args}`;
const SLEEP = '    args: ["sleep", "3600"]\n';

/** A world with busybox pod `sl` (sleep 3600), nginx pod `ng`, both Ready behind Service `s`. */
async function world(): Promise<SimWorld> {
  const w = createWorld({ kind: "kubernetes" });
  await sh(w, `kubectl apply -f - <<'EOF' >/dev/null\n${pod("sl", "busybox", SLEEP)}EOF\nkubectl apply -f - <<'EOF' >/dev/null\n${pod("ng", "nginx:1.16.1")}EOF
kubectl expose pod ng --port 80 --name s --selector app=x >/dev/null && kubectl wait --for=condition=Ready pod/sl pod/ng >/dev/null`);
  return w;
}

/** Virtual seconds `cmd` took. */
async function took(w: SimWorld, cmd: string): Promise<{ s: number; out: string }> {
  const r = await run(w, `date +%s; ${cmd}; date +%s`);
  const lines = r.out.trim().split("\n");
  return { s: Number(lines.at(-1)) - Number(lines[0]), out: lines.slice(1, -1).join("\n") };
}

const status = (w: SimWorld) => sh(w, "kubectl get pods 2>&1 | tail -n +2 | awk '{print $1, $2, $3}'");

describe("kubectl delete pod", () => {
  it("a sleep pod ignores SIGTERM: Terminating for the 30 s grace period, then gone; delete waits for it", async () => {
    const w = await world();
    expect(await sh(w, "kubectl delete pod sl --wait=false")).toBe('pod "sl" deleted\n');
    expect(await status(w)).toBe("ng 1/1 Running\nsl 1/1 Terminating\n");
    const meta = await sh(w, "kubectl get pod sl -o jsonpath='{.metadata.deletionGracePeriodSeconds} {.metadata.deletionTimestamp}'; echo; date -u +%Y-%m-%dT%H:%M:%SZ");
    const [grace, at, now] = meta.trim().split(/\s+/);
    expect(grace).toBe("30");
    // deletionTimestamp is when the grace period ends.
    expect(Date.parse(at!) - Date.parse(now!)).toBe(30_000);
    // describe.go: translateTimestampSince of a deletionTimestamp ahead is "<invalid>", "0s" in its last second.
    expect(await sh(w, "kubectl describe pod sl | grep -E '^(Status|Termination)'")).toBe("Status:                    Terminating (lasts <invalid>)\nTermination Grace Period:  30s\n");
    await sh(w, "sleep 29");
    expect(await status(w)).toBe("ng 1/1 Running\nsl 1/1 Terminating\n");
    expect(await sh(w, "kubectl describe pod sl | grep '^Status'")).toBe("Status:                    Terminating (lasts 0s)\n");
    await sh(w, "sleep 1");
    expect(await status(w)).toBe("ng 1/1 Running\n");
    // The default --wait=true: the command returns when the pod is gone.
    await sh(w, `kubectl apply -f - <<'EOF' >/dev/null\n${pod("sl2", "busybox", SLEEP)}EOF\nkubectl wait --for=condition=Ready pod/sl2 >/dev/null`);
    expect(await took(w, "kubectl delete pod sl2")).toEqual({ s: 30, out: 'pod "sl2" deleted' });
  });

  it("nginx ends on SIGTERM: the pod is gone at once", async () => {
    const w = await world();
    expect(await took(w, "kubectl delete pod ng")).toEqual({ s: 0, out: 'pod "ng" deleted' });
    expect(await status(w)).toBe("sl 1/1 Running\n");
  });

  it("--grace-period, --now, --force; a second delete may only shorten the grace period", async () => {
    const w = await world();
    expect(await took(w, "kubectl delete pod sl --grace-period=5")).toEqual({ s: 5, out: 'pod "sl" deleted' });
    const again = async (name: string) => sh(w, `kubectl apply -f - <<'EOF' >/dev/null\n${pod(name, "busybox", SLEEP)}EOF\nkubectl wait --for=condition=Ready pod/${name} >/dev/null`);
    // --now is a grace period of 1 s; the kubelet gives a container at least 2 s.
    await again("a");
    expect(await sh(w, "kubectl delete pod a --now --wait=false >/dev/null; kubectl get pod a -o jsonpath='{.metadata.deletionGracePeriodSeconds}'")).toBe("1");
    expect(await took(w, "kubectl wait --for=delete pod/a >/dev/null")).toMatchObject({ s: 2 });
    // --grace-period=0 without --force is 1.
    await again("b");
    expect(await sh(w, "kubectl delete pod b --grace-period=0 --wait=false >/dev/null; kubectl get pod b -o jsonpath='{.metadata.deletionGracePeriodSeconds}'")).toBe("1");
    await sh(w, "sleep 2");
    // --force: removed from the API at once, with kubectl's warning.
    await again("c");
    const forced = await took(w, "kubectl delete pod c --force 2>&1");
    expect(forced).toEqual({
      s: 0,
      out: 'Warning: Immediate deletion does not wait for confirmation that the running resource has been terminated. The resource may continue to run on the cluster indefinitely.\npod "c" deleted',
    });
    expect(await run(w, "kubectl get pod c")).toEqual({ code: 1, out: 'Error from server (NotFound): pods "c" not found\n' });
    // A longer period leaves the deletion as it is; a shorter one moves deletionTimestamp earlier.
    await again("d");
    await sh(w, "kubectl delete pod d --wait=false >/dev/null; sleep 10");
    expect(await sh(w, "kubectl delete pod d --grace-period=60 --wait=false >/dev/null; kubectl get pod d -o jsonpath='{.metadata.deletionGracePeriodSeconds}'")).toBe("30");
    expect(await took(w, "kubectl delete pod d --grace-period=3")).toEqual({ s: 3, out: 'pod "d" deleted' });
    // Complete's and Validate's errors.
    expect(await run(w, "kubectl delete pod sl --now --grace-period=3")).toEqual({ code: 1, out: "error: --now and --grace-period cannot be specified together\n" });
    expect(await run(w, "kubectl delete pod sl --force --grace-period=3")).toEqual({ code: 1, out: "error: --force and --grace-period greater than 0 cannot be specified together\n" });
  });

  it("a Terminating pod leaves the Endpoints at once; its EndpointSlice entry is terminating, serving, not ready", async () => {
    const w = await world();
    const ips = (await sh(w, "kubectl get pods -o jsonpath='{range .items[*]}{.metadata.name}={.status.podIP} {end}'")).trim().split(" ");
    const ip = Object.fromEntries(ips.map((x) => x.split("=")));
    expect(await sh(w, "kubectl get endpoints s -o jsonpath='{.subsets[0].addresses[*].ip}'")).toBe([ip.ng, ip.sl].sort().join(" "));
    await sh(w, "kubectl delete pod sl --wait=false");
    expect(await sh(w, "kubectl get endpoints s -o jsonpath='{.subsets[0].addresses[*].ip}'")).toBe(ip.ng);
    const slice = await sh(w, `kubectl get endpointslices -l kubernetes.io/service-name=s -o jsonpath='{range .items[0].endpoints[*]}{.addresses[0]} {.conditions.ready} {.conditions.serving} {.conditions.terminating}{"\\n"}{end}'`);
    expect(slice.trim().split("\n").sort()).toEqual([`${ip.ng} true true false`, `${ip.sl} false true true`].sort());
    // A ready endpoint remains: kube-proxy programs it alone (the terminating one is a fallback only).
    expect(await sh(w, `iptables-save -t nat | grep -o '"default/s -> [0-9.]*' | sort -u`)).toBe(`"default/s -> ${ip.ng}\n`);
  });
});

/** Deployment `r` of busybox `sleep 3600` pods; `strategy` as YAML under spec. */
const dep = (rev: string, replicas = 2, strategy = "  strategy:\n    type: Recreate\n") => `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: r\nspec:\n  replicas: ${replicas}\n${strategy}  selector:\n    matchLabels:\n      app: r\n  template:\n    metadata:\n      labels:\n        app: r\n      annotations:\n        rev: "${rev}"\n    spec:\n      containers:\n      - name: c\n        image: busybox\n        args: ["sleep", "3600"]\n`;

describe("controllers and graceful deletion", () => {
  it("a ReplicaSet replaces a Terminating pod at once and no longer counts it", async () => {
    const w = createWorld({ kind: "kubernetes" });
    await sh(w, `kubectl apply -f - <<'EOF' >/dev/null\n${dep("1", 2, "")}EOF\nkubectl rollout status deployment/r >/dev/null`);
    const victim = (await sh(w, "kubectl get pods -o name | head -1")).trim();
    await sh(w, `kubectl delete ${victim} --wait=false`);
    const rows = (await status(w)).trim().split("\n");
    expect(rows.filter((r) => r.endsWith("Terminating"))).toEqual([`${victim.slice(4)} 1/1 Terminating`]);
    expect(rows.length).toBe(3);
    expect(await sh(w, "kubectl get rs -o jsonpath='{.items[0].status.replicas}'")).toBe("2");
    await sh(w, "sleep 30");
    expect((await status(w)).trim().split("\n")).toEqual([expect.stringMatching(/ 1\/1 Running$/), expect.stringMatching(/ 1\/1 Running$/)]);
  });

  it("Recreate scales the new replica set up only once the old pods are gone", async () => {
    const w = createWorld({ kind: "kubernetes" });
    await sh(w, `kubectl apply -f - <<'EOF' >/dev/null\n${dep("1")}EOF\nkubectl rollout status deployment/r >/dev/null`);
    await sh(w, `kubectl apply -f - <<'EOF' >/dev/null\n${dep("2")}EOF`);
    const rsSizes = async () => {
      const out = await sh(w, `kubectl get rs -o jsonpath='{range .items[*]}{.metadata.creationTimestamp} {.spec.replicas}/{.status.replicas}{"\\n"}{end}'`);
      return out.trim().split("\n").sort().map((l) => l.split(" ")[1]).join(" ");
    };
    // Old RS at 0, its two pods Terminating; no new RS yet.
    expect(await rsSizes()).toBe("0/0");
    expect((await status(w)).match(/Terminating/g)?.length).toBe(2);
    await sh(w, "sleep 29");
    expect(await rsSizes()).toBe("0/0");
    await sh(w, "sleep 1");
    expect(await rsSizes()).toBe("0/0 2/2");
  });

  it("a namespace stays Terminating until its pods are gone", async () => {
    const w = createWorld({ kind: "kubernetes" });
    await sh(w, `kubectl create namespace n >/dev/null && kubectl -n n apply -f - <<'EOF' >/dev/null\n${pod("sl", "busybox", SLEEP)}EOF\nkubectl -n n wait --for=condition=Ready pod/sl >/dev/null`);
    await sh(w, "kubectl delete namespace n --wait=false");
    await sh(w, "sleep 5");
    expect(await sh(w, "kubectl get ns n | tail -n +2 | awk '{print $2}'; kubectl -n n get pods | tail -n +2 | awk '{print $3}'")).toBe("Terminating\nTerminating\n");
    const done = await took(w, "kubectl wait --for=delete namespace/n --timeout=60s");
    // The controller's passes: 1 s after the deletion (pods deleted, estimate 30 s), then 16 s
    // later (the pod still Terminating until 30 s), then 16 s later again: empty, namespace gone at 33 s.
    expect(done.s).toBe(28);
  });
});

describe("API server DELETE of a pod", () => {
  it("removes an unscheduled or finished pod at once, a scheduled one only with grace period 0", () => {
    const api = new ApiServer({ clock: createVirtualClock(), rng: createRng(1) });
    api.create({ apiVersion: "v1", kind: "Namespace", metadata: { name: "default" } });
    const mk = (name: string, spec: Record<string, unknown>, status?: Record<string, unknown>) => {
      api.create({ apiVersion: "v1", kind: "Pod", metadata: { name }, spec: { containers: [{ name: "c", image: "busybox" }], ...spec } });
      if (status) api.update({ ...structuredClone(api.get(KIND.pod, "default", name)!), status });
    };
    mk("unscheduled", {});
    expect(api.delete(KIND.pod, "default", "unscheduled").ok).toBe(true);
    expect(api.get(KIND.pod, "default", "unscheduled")).toBeUndefined();
    mk("done", { nodeName: "node1" }, { phase: "Succeeded" });
    api.delete(KIND.pod, "default", "done");
    expect(api.get(KIND.pod, "default", "done")).toBeUndefined();
    mk("run", { nodeName: "node1", terminationGracePeriodSeconds: 7 });
    api.delete(KIND.pod, "default", "run");
    expect(api.get(KIND.pod, "default", "run")?.metadata).toMatchObject({ deletionGracePeriodSeconds: 7, deletionTimestamp: expect.any(String) });
    // The kubelet's final DELETE carries the UID as a precondition.
    expect(api.delete(KIND.pod, "default", "run", { gracePeriodSeconds: 0, uid: "other" }).ok).toBe(false);
    const uid = api.get(KIND.pod, "default", "run")!.metadata.uid!;
    expect(api.delete(KIND.pod, "default", "run", { gracePeriodSeconds: 0, uid }).ok).toBe(true);
    expect(api.get(KIND.pod, "default", "run")).toBeUndefined();
  });
});
