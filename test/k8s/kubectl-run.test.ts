/**
 * `kubectl run` on the simulated cluster (kubectl 1.28 pkg/cmd/run/run.go, attach/attach.go,
 * generate/versioned/run.go): the pod it builds, detached and attached runs, the exit status of
 * --restart=Never pods, --rm, dry runs, and the errors kubectl and the API server print.
 * Client-side checks are also replayed from the real client (test/fixtures/kubectl/client.json).
 */
import { describe, expect, it } from "vitest";
import { createWorld, type SimWorld } from "../../src/sim/index.js";
import { HELP } from "../../src/sim/userland/kubectl/help-texts.js";
import { webPod, webService, yamlDocs } from "./manifests.js";

async function run(w: SimWorld, cmd: string, stdin?: string) {
  const r = await w.session("host").exec(cmd, stdin === undefined ? {} : { stdin });
  return { code: r.exitCode, out: r.output };
}

const HINT = "If you don't see a command prompt, try pressing enter.\n";

async function withWeb(): Promise<SimWorld> {
  const w = createWorld({ kind: "kubernetes" });
  await run(w, "kubectl apply -f -", yamlDocs(webPod("node1"), webService()));
  expect(await run(w, "kubectl wait --for=condition=Ready pod/web --timeout=60s")).toEqual({ code: 0, out: "pod/web condition met\n" });
  return w;
}

describe("kubectl run, attached", () => {
  it("--rm -i wget reaches a Service by name through CoreDNS and kube-proxy, prints nginx's page, deletes the pod", async () => {
    const w = await withWeb();
    const r = await run(w, "kubectl run tmp --image=busybox --restart=Never --rm -i -- wget -qO- http://web");
    expect(r.code).toBe(0);
    expect(r.out.startsWith(HINT + "<!DOCTYPE html>\n<html>\n<head>\n<title>Welcome to nginx!</title>\n")).toBe(true);
    expect(r.out.endsWith("</html>\n" + 'pod "tmp" deleted\n')).toBe(true);
    expect(r.out.length).toBe(HINT.length + 612 + 'pod "tmp" deleted\n'.length);
    // The name is the Service's: CoreDNS (kube-dns) answers with its ClusterIP, which only kube-proxy's DNAT serves.
    const cip = (await run(w, "kubectl get svc web -o jsonpath='{.spec.clusterIP}'")).out;
    const ns = await run(w, "kubectl run dns --image=busybox --restart=Never --rm -i -q -- nslookup web");
    expect(ns.out).toContain(`Name:\tweb.default.svc.cluster.local\nAddress: ${cip}\n`);
    expect(await run(w, "kubectl get pod tmp")).toEqual({ code: 1, out: 'Error from server (NotFound): pods "tmp" not found\n' });
  });

  it("--restart=Never returns the container's exit code with kubectl's `terminated` line; the pod stays without --rm", async () => {
    const w = await withWeb();
    expect(await run(w, "kubectl run bad --image=busybox --restart=Never -i -- wget -qO- http://nosuch")).toEqual({
      code: 1,
      out: `${HINT}wget: bad address 'nosuch'\npod default/bad terminated (Error)\n`,
    });
    expect((await run(w, "kubectl get pod bad")).out).toMatch(/^NAME   READY   STATUS   RESTARTS   AGE\nbad    0\/1     Error    0          \d+s\n$/);
  });

  it("-i hands kubectl's stdin to the container's shell (stdinOnce: EOF after it); -t finds no terminal", async () => {
    const w = await withWeb();
    expect(await run(w, "kubectl run sh --image=busybox --rm -i --restart=Never -- sh", "echo hello from $(hostname)\nwget -qO- web | head -1\nexit 3\n")).toEqual({
      code: 3,
      out: `${HINT}hello from sh\n<!DOCTYPE html>\npod "sh" deleted\npod default/sh terminated (Error)\n`,
    });
    // The default --restart=Always: kubectl does not wait for an exit code, a failure returns 0.
    expect(await run(w, "kubectl run t --image=busybox --rm -it -- wget -qO- http://nosuch")).toEqual({
      code: 0,
      out: `Unable to use a TTY - input is not a terminal or the right kind of file\n${HINT}wget: bad address 'nosuch'\npod "t" deleted\n`,
    });
    // -q drops both prompts.
    expect(await run(w, "kubectl run q --image=busybox --rm -i -q --restart=Never -- echo quiet")).toEqual({ code: 0, out: 'quiet\npod "q" deleted\n' });
  });

  it("waits --pod-running-timeout for a pod that never runs, then deletes it with --rm", async () => {
    const w = createWorld({ kind: "kubernetes" });
    const before = w.now();
    expect(await run(w, "kubectl run nope --image=nosuchimage --rm -i --pod-running-timeout=20s")).toEqual({ code: 1, out: 'pod "nope" deleted\nerror: timed out waiting for the condition\n' });
    expect(w.now() - before).toBeGreaterThanOrEqual(20_000);
  });
});

describe("kubectl run, detached", () => {
  it("creates pod NAME labelled run=NAME with one container NAME; it runs on a node and resolves Services", async () => {
    const w = await withWeb();
    expect(await run(w, "kubectl run client --image=busybox -- sleep 3600")).toEqual({ code: 0, out: "pod/client created\n" });
    expect(await run(w, "kubectl get pod client -o jsonpath='{.metadata.labels} {.spec.containers[0].name} {.spec.containers[0].args} {.spec.restartPolicy}'")).toEqual({
      code: 0,
      out: '{"run":"client"} client ["sleep","3600"] Always',
    });
    expect((await run(w, "kubectl wait --for=condition=Ready pod/client --timeout=60s")).out).toBe("pod/client condition met\n");
    expect((await run(w, "kubectl exec client -- wget -qO- web")).out.length).toBe(612);
    expect(await run(w, "kubectl run client --image=busybox")).toEqual({ code: 1, out: 'Error from server (AlreadyExists): pods "client" already exists\n' });
  });

  it("--port, --labels, --env, --command, --image-pull-policy, --expose", async () => {
    const w = createWorld({ kind: "kubernetes" });
    expect(await run(w, "kubectl run web --image=nginx --port=80 --labels=app=web,tier=front --env=MODE=test --image-pull-policy=IfNotPresent")).toEqual({ code: 0, out: "pod/web created\n" });
    expect((await run(w, "kubectl get pod web -o jsonpath='{.metadata.labels} {.spec.containers[0].ports} {.spec.containers[0].env} {.spec.containers[0].imagePullPolicy}'")).out).toBe(
      '{"app":"web","tier":"front"} [{"containerPort":80,"protocol":"TCP"}] [{"name":"MODE","value":"test"}] IfNotPresent',
    );
    expect(await run(w, "kubectl run c --image=busybox --command -- sleep 60")).toEqual({ code: 0, out: "pod/c created\n" });
    expect((await run(w, "kubectl get pod c -o jsonpath='{.spec.containers[0].command}|{.spec.containers[0].args}'")).out).toBe('["sleep","60"]|');
    // --overrides: a JSON merge patch over the generated pod (null deletes a field).
    expect(await run(w, `kubectl run o --image=busybox --overrides='{"apiVersion":"v1","metadata":{"labels":{"run":null,"team":"a"}},"spec":{"nodeName":"node2"}}' -- sleep 60`)).toEqual({ code: 0, out: "pod/o created\n" });
    expect((await run(w, "kubectl get pod o -o jsonpath='{.metadata.labels} {.spec.nodeName}'")).out).toBe('{"team":"a"} node2');
    expect(await run(w, "kubectl run e --image=nginx --port=8080 --expose")).toEqual({ code: 0, out: "service/e created\npod/e created\n" });
    expect((await run(w, "kubectl get svc e -o jsonpath='{.spec.selector} {.spec.ports[0].port} {.spec.ports[0].targetPort}'")).out).toBe('{"run":"e"} 8080 8080');
  });
});

describe("kubectl run: dry runs and output formats", () => {
  it("--dry-run=client -o yaml|json|name prints the generated pod; nothing is created", async () => {
    const w = createWorld({ kind: "kubernetes" });
    expect(await run(w, "kubectl run x --image=busybox --dry-run=client -o yaml")).toEqual({
      code: 0,
      out: "apiVersion: v1\nkind: Pod\nmetadata:\n  creationTimestamp: null\n  labels:\n    run: x\n  name: x\nspec:\n  containers:\n  - image: busybox\n    name: x\n    resources: {}\n  dnsPolicy: ClusterFirst\n  restartPolicy: Always\nstatus: {}\n",
    });
    expect(JSON.parse((await run(w, "kubectl run x --image=busybox --dry-run=client -o json -- sleep 1")).out)).toEqual({
      kind: "Pod",
      apiVersion: "v1",
      metadata: { name: "x", creationTimestamp: null, labels: { run: "x" } },
      spec: { containers: [{ name: "x", image: "busybox", args: ["sleep", "1"], resources: {} }], restartPolicy: "Always", dnsPolicy: "ClusterFirst" },
      status: {},
    });
    expect((await run(w, "kubectl run x --image=busybox --dry-run=client -o json")).out.split("\n").slice(0, 4)).toEqual(["{", '    "kind": "Pod",', '    "apiVersion": "v1",', '    "metadata": {']);
    expect(await run(w, "kubectl run x --image=busybox --dry-run=client -o name")).toEqual({ code: 0, out: "pod/x\n" });
    expect(await run(w, "kubectl run x --image=busybox --dry-run=client")).toEqual({ code: 0, out: "pod/x created (dry run)\n" });
    expect(await run(w, "kubectl run x --image=busybox --dry-run=server")).toEqual({ code: 0, out: "pod/x created (server dry run)\n" });
    expect(await run(w, "kubectl run x --image=busybox --port=80 --expose --dry-run=server")).toEqual({ code: 0, out: "service/x created (server dry run)\npod/x created (server dry run)\n" });
    expect(await run(w, "kubectl get pod,svc x")).toEqual({ code: 1, out: 'Error from server (NotFound): pods "x" not found\nError from server (NotFound): services "x" not found\n' });
    // -i/-t (stdin, stdinOnce, tty) need an attach, which a dry run refuses; --attach=false allows them.
    expect((await run(w, "kubectl run x --image=busybox -i -t --attach=false --restart=Never --dry-run=client -o yaml")).out).toContain("    stdin: true\n    stdinOnce: true\n    tty: true\n  dnsPolicy: ClusterFirst\n  restartPolicy: Never\n");
  });

  it("the API server validates the name: an invalid pod name and container name", async () => {
    const w = createWorld({ kind: "kubernetes" });
    const r = await run(w, "kubectl run x_y --image=busybox");
    expect(r.code).toBe(1);
    expect(r.out).toBe(
      'The Pod "x_y" is invalid: \n' +
        `* metadata.name: Invalid value: "x_y": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')\n` +
        `* spec.containers[0].name: Invalid value: "x_y": a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')\n`,
    );
    expect((await run(w, "kubectl run my.pod --image=busybox")).out).toMatch(/^The Pod "my\.pod" is invalid: spec\.containers\[0\]\.name: Invalid value: "my\.pod": a lowercase RFC 1123 label/);
  });

  it("client-side errors: a missing --image as upstream kubectl prints cobra's required-flag error; help is recorded", async () => {
    const w = createWorld({ kind: "kubernetes" });
    expect(await run(w, "kubectl run x")).toEqual({ code: 1, out: 'error: required flag(s) "image" not set\n' });
    expect(await run(w, "kubectl run x --image=busybox --env=1A=b")).toEqual({ code: 1, out: "error: invalid env: 1A=b\n" });
    expect(await run(w, "kubectl run x --image=busybox --port=http")).toEqual({ code: 1, out: 'error: strconv.ParseUint: parsing "http": invalid syntax\n' });
    expect(await run(w, "kubectl run x --image=busybox --overrides='{bad'")).toEqual({ code: 1, out: "error: Invalid JSON Patch\n" });
    expect(await run(w, "kubectl run x --image=busybox -o wide")).toMatchObject({ code: 1, out: expect.stringMatching(/^error: unable to match a printer suitable for the output format "wide"/) });
    expect(await run(w, "kubectl get pods")).toEqual({ code: 0, out: "No resources found in default namespace.\n" });
    expect(await run(w, "kubectl run --help")).toEqual({ code: 0, out: HELP.run });
    expect(HELP.run!.split("\n")[0]).toBe("Create and run a particular image in a pod.");
  });
});
