/**
 * kubectl run's client side (run-pod.ts): the checks in RunOptions.Run's order, the image
 * reference grammar (docker/distribution reference), and the pod of the run-pod/v1 generator.
 */
import { describe, expect, it } from "vitest";
import { GLOBAL, parseFlags } from "./flags.js";
import { planRun, RUN_FLAGS, type RunPlan } from "./run-pod.js";

const plan = (cmd: string) => planRun(parseFlags(cmd.split(" ").filter(Boolean), [...GLOBAL, ...RUN_FLAGS]));
const ok = (cmd: string) => {
  const r = plan(cmd);
  if ("text" in r) throw new Error(r.text);
  return r as RunPlan;
};

describe("planRun", () => {
  it("builds the generator's pod: run=NAME, one container NAME, args after --, Always", () => {
    const p = ok("x --image=busybox -- wget -qO- http://web");
    expect(p.pod).toEqual({
      kind: "Pod",
      apiVersion: "v1",
      metadata: { name: "x", creationTimestamp: null, labels: { run: "x" } },
      spec: { containers: [{ name: "x", image: "busybox", args: ["wget", "-qO-", "http://web"], resources: {} }], restartPolicy: "Always", dnsPolicy: "ClusterFirst" },
      status: {},
    });
    expect([p.attach, p.rm, p.restart]).toEqual([false, false, "Always"]);
    // Arguments without `--` are the container's too; --command makes them its command.
    expect(ok("x --image=busybox sleep 5").pod.spec.containers[0].args).toEqual(["sleep", "5"]);
    expect(ok("x --image=busybox --command -- sleep 5").pod.spec.containers[0]).toMatchObject({ command: ["sleep", "5"] });
    expect(ok("x --image=busybox --command -- sleep 5").pod.spec.containers[0].args).toBeUndefined();
  });

  it("-i attaches (unless --attach=false) and sets stdin/stdinOnce; the pod keeps --restart's Always", () => {
    const p = ok("x --image=busybox -it --rm");
    expect([p.attach, p.interactive, p.tty, p.rm, p.restart, p.pod.spec.restartPolicy]).toEqual([true, true, true, true, "Always", "Always"]);
    expect(p.pod.spec.containers[0]).toMatchObject({ stdin: true, stdinOnce: true, tty: true });
    expect(ok("x --image=busybox -i --leave-stdin-open").pod.spec.containers[0].stdinOnce).toBeUndefined();
    expect(ok("x --image=busybox -i --attach=false").attach).toBe(false);
    // An explicit empty --restart: the client waits as for OnFailure, the generator still writes Always.
    const empty = ok("x --image=busybox -i --restart=");
    expect([empty.restart, empty.pod.spec.restartPolicy]).toEqual(["OnFailure", "Always"]);
    expect(ok("x --image=busybox --restart=Never").pod.spec.restartPolicy).toBe("Never");
  });

  it("--port, --env, --labels, --annotations, --image-pull-policy, --privileged", () => {
    const c = ok("x --image=nginx --port=80 --env=A=1 --env=B=x=y --labels=app=web,tier=f --annotations=note=hi --image-pull-policy=Never --privileged");
    expect(c.pod.metadata).toEqual({ name: "x", creationTimestamp: null, labels: { app: "web", tier: "f" }, annotations: { note: "hi" } });
    expect(c.pod.spec.containers[0]).toEqual({
      name: "x",
      image: "nginx",
      ports: [{ containerPort: 80 }],
      env: [{ name: "A", value: "1" }, { name: "B", value: "x=y" }],
      resources: {},
      imagePullPolicy: "Never",
      securityContext: { privileged: true },
    });
  });

  it("accepts image references as docker/distribution does and refuses others", () => {
    for (const img of ["busybox", "busybox:1.36", "nginx:1.16.1", "registry.k8s.io/pause:3.9", "localhost:5000/team/app_v2", `alpine@sha256:${"a".repeat(64)}`, "my-registry.io/a.b/c__d"]) {
      expect(plan(`x --image=${img}`), img).not.toHaveProperty("text");
    }
    for (const img of ["Busybox", "busybox:", "busybox:-x", "-busybox", "a//b", "alpine@sha256:abc"]) {
      expect(plan(`x --image=${img}`)).toEqual({ text: `Invalid image name "${img}": invalid reference format` });
    }
  });

  it("checks in kubectl's order, usage errors marked", () => {
    expect(plan("")).toEqual({ text: 'required flag(s) "image" not set' });
    expect(plan("--image=busybox --dry-run=x")).toEqual({ text: 'Invalid dry-run value (x). Must be "none", "server", or "client".' });
    expect(plan("--image=busybox")).toEqual({ text: "NAME is required for run", usage: true });
    expect(plan("--image=busybox -- x")).toEqual({ text: "NAME is required for run", usage: true });
    expect(plan("x --image= -t")).toEqual({ text: "--image is required" });
    expect(plan("x --image=busybox -t --rm")).toEqual({ text: "-i/--stdin is required for containers with -t/--tty=true", usage: true });
    expect(plan("x --image=busybox --restart=never")).toEqual({ text: "invalid restart policy: never", usage: true });
    expect(plan("x --image=busybox --rm")).toEqual({ text: "--rm should only be used for attached containers", usage: true });
    expect(plan("x --image=busybox --env=A")).toEqual({ text: "invalid env: A" });
    expect(plan("x --image=busybox --port=70000")).toEqual({ text: 'strconv.ParseUint: parsing "70000": value out of range' });
    expect(plan("x --image=busybox --labels=a=b,=c")).toEqual({ text: "unexpected empty label key" });
    expect(plan("x --image=busybox --pod-running-timeout=soon")).toEqual({ text: 'invalid argument "soon" for "--pod-running-timeout" flag: time: invalid duration "soon"', flagError: true });
  });
});
