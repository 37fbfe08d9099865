/**
 * A Deployment's rollout in virtual time, as kube-controller-manager runs it
 * (pkg/controller/deployment/rolling.go, recreate.go, sync.go; util/deployment_util.go): replica
 * set sizes second by second, the ScalingReplicaSet events in order, the Service's endpoints
 * (ready pods only) and `kubectl rollout status` (polymorphichelpers/rollout_status.go).
 * 4 replicas of nginx:1.16.1; a pod starts 1 s after it is created (the image is on the nodes).
 */
import { describe, expect, it } from "vitest";
import { createWorld, type SimWorld } from "../../src/sim/index.js";

const manifest = (rev: string, extra: string) => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: 4
  selector:
    matchLabels:
      app: web
${extra}  template:
    metadata:
      labels:
        app: web
      annotations:
        rev: "${rev}"
    spec:
      containers:
      - name: nginx
        image: nginx:1.16.1
        ports:
        - containerPort: 80
`;

const DEFAULTS = "";
const SURGE0 = "  strategy:\n    rollingUpdate:\n      maxSurge: 0\n      maxUnavailable: 1\n";
const RECREATE = "  strategy:\n    type: Recreate\n";

async function sh(w: SimWorld, cmd: string): Promise<string> {
  const r = await w.session("host").exec(cmd);
  expect(r.exitCode, `${cmd}\n${r.output}`).toBe(0);
  return r.output;
}

/** A settled revision 1 behind Service `web`; returns the world and the old replica set's name. */
async function deployed(extra: string): Promise<{ w: SimWorld; old: string }> {
  const w = createWorld({ kind: "kubernetes" });
  await sh(w, `cat > /tmp/d1.yaml <<'EOF'\n${manifest("1", extra)}EOF\ncat > /tmp/d2.yaml <<'EOF'\n${manifest("2", extra)}EOF
kubectl apply -f /tmp/d1.yaml >/dev/null && kubectl rollout status deployment/web >/dev/null && kubectl expose deployment web --port 80 >/dev/null && sleep 10`);
  const old = (await sh(w, "kubectl get rs -o name")).trim().replace("replicaset.apps/", "");
  return { w, old };
}

/** "new=N/A old=N/A": spec.replicas and available pods of the new and old replica sets. */
async function sizes(w: SimWorld, old: string): Promise<string> {
  const out = await sh(w, "kubectl get rs -o jsonpath='{range .items[*]}{.metadata.name} {.spec.replicas} {.status.availableReplicas}{\"\\n\"}{end}'");
  const rows = out.trim().split("\n").map((l) => l.split(" "));
  const fmt = (r: string[] | undefined) => (r ? `${r[1]}/${r[2] || 0}` : "-");
  return `new=${fmt(rows.find((r) => r[0] !== old))} old=${fmt(rows.find((r) => r[0] === old))}`;
}

/** The deployment controller's events, oldest first, with the replica set names as NEW and OLD. */
async function scalingEvents(w: SimWorld, old: string): Promise<string[]> {
  const out = await sh(w, "kubectl get events --field-selector reason=ScalingReplicaSet");
  return out.trim().split("\n").slice(1).map((l) => l.replace(/^.*deployment\/web\s+/, "").replace(old, "OLD").replace(/web-[a-z0-9]+/, "NEW"));
}

/** The Service's ready addresses and the replica sets of the pods behind them. */
async function endpoints(w: SimWorld, old: string): Promise<string[]> {
  const ips = (await sh(w, "kubectl get endpoints web -o jsonpath='{.subsets[0].addresses[*].targetRef.name}'")).trim();
  return ips ? ips.split(" ").map((p) => (p.startsWith(`${old}-`) ? "old" : "new")).sort() : [];
}

describe("RollingUpdate, 4 replicas, maxSurge 25% (1) and maxUnavailable 25% (1)", () => {
  it("surges one pod, scales the old set down as new pods become available, never below 3 available", async () => {
    const { w, old } = await deployed(DEFAULTS);
    await sh(w, "kubectl apply -f /tmp/d2.yaml");
    // New RS to 1 (5 pods = 4 + maxSurge), old to 3 (4 available − 3 needed), new to 2.
    expect(await sizes(w, old)).toBe("new=2/0 old=3/3");
    expect(await endpoints(w, old)).toEqual(["old", "old", "old"]);
    await sh(w, "sleep 1");
    // The two new pods become available one after the other: each lets one old pod go and one new one come.
    expect(await sizes(w, old)).toBe("new=4/2 old=1/1");
    expect(await endpoints(w, old)).toEqual(["new", "new", "old"]);
    await sh(w, "sleep 1");
    expect(await sizes(w, old)).toBe("new=4/4 old=0/0");
    expect(await endpoints(w, old)).toEqual(["new", "new", "new", "new"]);
    expect(await scalingEvents(w, old)).toEqual([
      "Scaled up replica set OLD to 4",
      "Scaled up replica set NEW to 1",
      "Scaled down replica set OLD to 3 from 4",
      "Scaled up replica set NEW to 2 from 1",
      "Scaled down replica set OLD to 2 from 3",
      "Scaled up replica set NEW to 3 from 2",
      "Scaled down replica set OLD to 1 from 2",
      "Scaled up replica set NEW to 4 from 3",
      "Scaled down replica set OLD to 0 from 1",
    ]);
    const ann = await sh(w, "kubectl get rs -o jsonpath='{range .items[*]}{.metadata.annotations}{\"\\n\"}{end}'");
    expect(ann).toContain('"deployment.kubernetes.io/revision":"2"');
    expect(ann).toContain('"deployment.kubernetes.io/max-replicas":"5"');
    expect(await sh(w, "kubectl get deploy web -o yaml | grep 'deployment.kubernetes.io/revision'")).toBe('    deployment.kubernetes.io/revision: "2"\n');
  });
});

describe("RollingUpdate, maxSurge 0 and maxUnavailable 1", () => {
  it("takes one old pod down before each new one: sizes 3+1, 2+2, 1+3, 0+4", async () => {
    const { w, old } = await deployed(SURGE0);
    await sh(w, "kubectl apply -f /tmp/d2.yaml");
    expect(await sizes(w, old)).toBe("new=1/0 old=3/3");
    const seen = [];
    for (let i = 0; i < 4; i++) {
      await sh(w, "sleep 1");
      seen.push(await sizes(w, old));
      expect((await endpoints(w, old)).length).toBeGreaterThanOrEqual(3);
    }
    expect(seen).toEqual(["new=2/1 old=2/2", "new=3/2 old=1/1", "new=4/3 old=0/0", "new=4/4 old=0/0"]);
    // The new replica set is created with 0 replicas (no room to surge): no event for that.
    expect(await scalingEvents(w, old)).toEqual([
      "Scaled up replica set OLD to 4",
      "Scaled down replica set OLD to 3 from 4",
      "Scaled up replica set NEW to 1 from 0",
      "Scaled down replica set OLD to 2 from 3",
      "Scaled up replica set NEW to 2 from 1",
      "Scaled down replica set OLD to 1 from 2",
      "Scaled up replica set NEW to 3 from 2",
      "Scaled down replica set OLD to 0 from 1",
      "Scaled up replica set NEW to 4 from 3",
    ]);
  });

  it("kubectl rollout status prints the status at each change it sees until the rollout is done", async () => {
    const { w } = await deployed(SURGE0);
    const out = await sh(w, "kubectl apply -f /tmp/d2.yaml >/dev/null; kubectl rollout status deployment/web --watch=false; kubectl rollout status deployment/web");
    expect(out).toBe(
      [
        'Waiting for deployment "web" rollout to finish: 1 out of 4 new replicas have been updated...',
        'Waiting for deployment "web" rollout to finish: 1 out of 4 new replicas have been updated...',
        'Waiting for deployment "web" rollout to finish: 2 out of 4 new replicas have been updated...',
        'Waiting for deployment "web" rollout to finish: 3 out of 4 new replicas have been updated...',
        'Waiting for deployment "web" rollout to finish: 3 of 4 updated replicas are available...',
        'deployment "web" successfully rolled out',
        "",
      ].join("\n"),
    );
  });

  it("a scale during the rollout is shared by the replica sets in proportion (max-replicas annotation)", async () => {
    const { w, old } = await deployed(SURGE0);
    await sh(w, "kubectl apply -f /tmp/d2.yaml >/dev/null && kubectl scale deployment web --replicas=8");
    // 8 more allowed − 4 there = 4 to add: old 3·8/4 = 6 (+3), new 1·8/4 = 2 (+1).
    expect((await scalingEvents(w, old)).slice(3, 5)).toEqual(["Scaled up replica set OLD to 6 from 3", "Scaled up replica set NEW to 2 from 1"]);
    expect(await sh(w, "kubectl rollout status deployment/web >/dev/null; kubectl get deploy web -o jsonpath='{.status.updatedReplicas} {.status.replicas} {.status.availableReplicas}'")).toBe("8 8 8");
  });
});

describe("Recreate", () => {
  it("scales the old replica set to 0 first, the new one to 4 once the old pods are gone", async () => {
    const { w, old } = await deployed(RECREATE);
    await sh(w, "kubectl apply -f /tmp/d2.yaml");
    expect(await sizes(w, old)).toBe("new=4/0 old=0/0");
    expect(await endpoints(w, old)).toEqual([]);
    await sh(w, "sleep 1");
    expect(await sizes(w, old)).toBe("new=4/4 old=0/0");
    expect(await scalingEvents(w, old)).toEqual(["Scaled up replica set OLD to 4", "Scaled down replica set OLD to 0 from 4", "Scaled up replica set NEW to 4"]);
  });
});

describe("minReadySeconds", () => {
  it("a pod counts as available only after being Ready for longer than minReadySeconds", async () => {
    const w = createWorld({ kind: "kubernetes" });
    await sh(w, `cat > /tmp/d1.yaml <<'EOF'\n${manifest("1", "  minReadySeconds: 5\n")}EOF\nkubectl apply -f /tmp/d1.yaml >/dev/null`);
    const status = "kubectl get deploy web -o jsonpath='{.status.readyReplicas}/{.status.availableReplicas}'";
    // All four are Ready at 3 s: each node pulls the image once, and its second pod's pull waits
    // for the first (serial image pulls) and then finds the image there. Each is available once
    // lastTransitionTime + 5 s < now, i.e. from 8.001 s.
    const seen = [];
    for (const t of [4, 2, 1, 1]) {
      await sh(w, `sleep ${t}`);
      seen.push(await sh(w, status));
    }
    expect(seen).toEqual(["4/", "4/", "4/", "4/"]);
    await sh(w, "sleep 1");
    expect(await sh(w, status)).toBe("4/4");
  });
});

describe("progressDeadlineSeconds", () => {
  it("a rollout that makes no progress times out a second after the deadline; rollout status fails on it", async () => {
    const w = createWorld({ kind: "kubernetes" });
    const stuck = manifest("2", "  progressDeadlineSeconds: 10\n").replace("nginx:1.16.1", "nope:1");
    await sh(w, `cat > /tmp/d1.yaml <<'EOF'\n${manifest("1", "  progressDeadlineSeconds: 10\n")}EOF\ncat > /tmp/d2.yaml <<'EOF'\n${stuck}EOF
kubectl apply -f /tmp/d1.yaml >/dev/null && kubectl rollout status deployment/web >/dev/null`);
    const start = await sh(w, "date +%s");
    const r = await w.session("host").exec("kubectl apply -f /tmp/d2.yaml >/dev/null; kubectl rollout status deployment/web");
    expect(r.exitCode).toBe(1);
    expect(r.output).toBe(
      'Waiting for deployment "web" rollout to finish: 2 out of 4 new replicas have been updated...\nerror: deployment "web" exceeded its progress deadline\n',
    );
    // Last progress at the apply; timed out when lastUpdateTime + 10 s < now, looked at 1 s later.
    expect(Number(await sh(w, "date +%s")) - Number(start)).toBe(11);
    expect(await sh(w, "kubectl get deploy web -o jsonpath='{.status.conditions[1].reason}: {.status.conditions[1].message}'")).toMatch(
      /^ProgressDeadlineExceeded: ReplicaSet "web-[a-z0-9]+" has timed out progressing\.$/,
    );
  });
});
