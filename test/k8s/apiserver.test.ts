/**
 * API server decoding and validation errors, as kube-apiserver 1.28 reports them:
 * strict decoding (apimachinery serializer, fieldValidation=Strict), validation (apps/v1
 * ValidateDeploymentSpec), NotFound/AlreadyExists (apimachinery api/errors). kubectl's wording of
 * them is tested in kubectl.test.ts.
 */
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { createRng, createVirtualClock } from "../../src/core/index.js";
import { ApiServer } from "../../src/sim/k8s/apiserver.js";
import { ControllerManager, KIND, podTemplateHash } from "../../src/sim/k8s/controllers.js";

function server() {
  const api = new ApiServer({ clock: createVirtualClock(), rng: createRng(1) });
  for (const ns of ["default", "kube-system"]) api.create({ apiVersion: "v1", kind: "Namespace", metadata: { name: ns } });
  return api;
}

const deployment = (extra = "") => parse(`
apiVersion: apps/v1
kind: Deployment
metadata:
  name: nginx-server
spec:
${extra}  template:
    metadata:
      labels:
        app: nginx
    spec:
      nodeName: node1
      containers:
      - name: nginx
        image: nginx:1.16.1
        ports:
        - continerPort: 80
`);

describe("strict decoding", () => {
  it("names the unknown field with its full path (the tutorial's continerPort)", () => {
    const r = server().create(deployment("  selector:\n    matchLabels:\n      app: nginx\n"));
    expect(r).toEqual({
      ok: false,
      error: {
        code: 400,
        reason: "BadRequest",
        message: 'Deployment in version "v1" cannot be handled as a Deployment: strict decoding error: unknown field "spec.template.spec.containers[0].ports[0].continerPort"',
      },
    });
  });
  it("reports a type error in encoding/json's words", () => {
    const r = server().create(parse(`apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n  - name: c\n    image: busybox\n    ports:\n    - containerPort: "80"\n`));
    expect(!r.ok && r.error.message).toBe(
      'Pod in version "v1" cannot be handled as a Pod: json: cannot unmarshal string into Go struct field ContainerPort.spec.containers.ports.containerPort of type int32',
    );
  });
  it("refuses a lower-case kind: the REST mapper knows no such kind", () => {
    const r = server().create({ apiVersion: "v1", kind: "pod", metadata: { name: "x" } });
    expect(!r.ok && r.error.message).toBe('no matches for kind "pod" in version "v1"');
  });
});

describe("validation", () => {
  it("a Deployment without selector: Required value, and the template labels no longer match", () => {
    const d = deployment();
    d.spec.template.spec.containers[0].ports[0] = { containerPort: 80 };
    const r = server().create(d);
    expect(r).toEqual({
      ok: false,
      error: {
        code: 422,
        reason: "Invalid",
        message: 'Deployment.apps "nginx-server" is invalid: [spec.selector: Required value, spec.template.metadata.labels: Invalid value: map[string]string{"app":"nginx"}: `selector` does not match template `labels`]',
        details: {
          kind: "Deployment",
          name: "nginx-server",
          causes: [
            { field: "spec.selector", body: "Required value" },
            { field: "spec.template.metadata.labels", body: 'Invalid value: map[string]string{"app":"nginx"}: `selector` does not match template `labels`' },
          ],
        },
      },
    });
  });
  it("AlreadyExists and NotFound", () => {
    const api = server();
    const pod = { apiVersion: "v1", kind: "Pod", metadata: { name: "p" }, spec: { containers: [{ name: "c", image: "busybox" }] } };
    expect(api.create(pod).ok).toBe(true);
    const again = api.create(pod);
    expect(!again.ok && again.error.message).toBe('pods "p" already exists');
    const gone = api.delete(KIND.deploy, "default", "web");
    expect(!gone.ok && gone.error.message).toBe('deployments.apps "web" not found');
    const noNs = api.create({ ...pod, metadata: { name: "q", namespace: "nope" } });
    expect(!noNs.ok && noNs.error.message).toBe('namespaces "nope" not found');
  });
});

describe("apply", () => {
  it("created, unchanged, configured", () => {
    const api = server();
    const svc = { apiVersion: "v1", kind: "Service", metadata: { name: "s" }, spec: { selector: { app: "a" }, ports: [{ port: 80 }] } };
    expect(api.apply(svc).op).toBe("created");
    expect(api.apply(svc).op).toBe("unchanged");
    const r = api.apply({ ...svc, spec: { ...svc.spec, ports: [{ port: 8080 }] } });
    expect(r.op).toBe("configured");
    expect(r.ok && r.obj.spec.ports).toEqual([{ port: 8080, protocol: "TCP", targetPort: 8080 }]);
    expect(r.ok && /^10\.(9[6-9]|10\d|11[01])\./.test(r.obj.spec.clusterIP)).toBe(true);
  });
});

describe("controllers", () => {
  it("Deployment → ReplicaSet <name>-<hash> → pods <rs>-<5 chars>, scheduled on the pinned node", () => {
    const api = server();
    new ControllerManager(api, () => ["node1", "node2"]);
    const d = deployment("  replicas: 2\n  selector:\n    matchLabels:\n      app: nginx\n");
    d.spec.template.spec.containers[0].ports[0] = { containerPort: 80 };
    expect(api.apply(d).op).toBe("created");
    const rs = api.list(KIND.rs);
    expect(rs.map((r) => r.metadata.name)).toEqual([`nginx-server-${rs[0]!.metadata.labels!["pod-template-hash"]}`]);
    expect(rs[0]!.metadata.labels!["pod-template-hash"]).toMatch(/^[4-9bcdf]{1,10}$/);
    const pods = api.list(KIND.pod);
    expect(pods).toHaveLength(2);
    for (const p of pods) {
      expect(p.metadata.name).toMatch(new RegExp(`^${rs[0]!.metadata.name}-[bcdfghjklmnpqrstvwxz2456789]{5}$`));
      expect(p.spec.nodeName).toBe("node1");
    }
  });
  it("pod-template-hash uses only the characters SafeEncodeString gives digits", () => {
    expect(podTemplateHash("x")).toMatch(/^[4-9bcdf]+$/);
  });
});
