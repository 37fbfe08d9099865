/**
 * kubectl's output and error formats on the simulated cluster, full outputs asserted.
 * Sources (kubernetes 1.28): apimachinery pkg/util/duration/duration.go (HumanDuration),
 * cli-runtime pkg/printers/tabwriter.go (minwidth 6, padding 3) and name.go,
 * pkg/printers/internalversion/printers.go (columns), kubectl/pkg/cmd/util/helpers.go (checkErr,
 * StandardErrorMessage, MultilineError), kubectl/pkg/util/templates (flag error suffix),
 * cli-runtime resource/builder.go ("resource mapping not found … ensure CRDs are installed first").
 */
import { describe, expect, it } from "vitest";
import { createWorld, type SimWorld } from "../../src/sim/index.js";
import { humanDuration } from "../../src/sim/userland/kubectl/age.js";
import { formatTable, tabwrite } from "../../src/sim/userland/kubectl/table.js";

describe("AGE (duration.HumanDuration)", () => {
  it("follows every branch of HumanDuration", () => {
    const s = 1000, m = 60 * s, h = 60 * m, d = 24 * h;
    const cases: Array<[number, string]> = [
      [-5 * s, "<invalid>"], [-500, "0s"], [0, "0s"], [119 * s, "119s"], [2 * m, "2m"], [2 * m + 5 * s, "2m5s"],
      [10 * m, "10m"], [179 * m, "179m"], [3 * h, "3h"], [3 * h + 7 * m, "3h7m"], [8 * h, "8h"], [47 * h, "47h"],
      [2 * d, "2d"], [2 * d + 5 * h, "2d5h"], [8 * d, "8d"], [729 * d, "729d"], [2 * 365 * d + 3 * d, "2y3d"], [9 * 365 * d, "9y"],
    ];
    expect(cases.map(([ms]) => humanDuration(ms))).toEqual(cases.map(([, want]) => want));
  });
});

describe("tabwriter", () => {
  it("pads every column but the last to max width + 3, at least 6", () => {
    expect(formatTable([["NAME", "READY", "AGE"], ["a", "1/1", "5s"]])).toBe("NAME   READY   AGE\na      1/1     5s\n");
  });
  it("ends a column block at a line without that cell, as Go's text/tabwriter does", () => {
    expect(tabwrite("IP:\t10.244.1.2\nIPs:\n  IP:\t10.244.1.2\n", { minwidth: 0, padding: 2 })).toBe("IP:  10.244.1.2\nIPs:\n  IP:  10.244.1.2\n");
  });
});

async function run(w: SimWorld, cmd: string, stdin?: string) {
  const r = await w.session("host").exec(cmd, stdin === undefined ? {} : { stdin });
  return { code: r.exitCode, out: r.output };
}

const POD = `apiVersion: v1
kind: Pod
metadata:
  name: busybox-nginx
spec:
  containers:
  - name: busybox
    image: busybox
    args: ["sleep", "12000"]
  - name: nginx
    image: nginx:1.16.1
    ports:
    - containerPort: 80
`;

describe("kubectl on the simulated cluster", () => {
  it("apply, get while creating, wait, get -o wide, exec into a named container", async () => {
    const w = createWorld({ kind: "kubernetes" });
    expect(await run(w, "kubectl apply -f -", POD)).toEqual({ code: 0, out: "pod/busybox-nginx created\n" });
    expect(await run(w, "kubectl apply -f -", POD)).toEqual({ code: 0, out: "pod/busybox-nginx unchanged\n" });
    expect(await run(w, "kubectl get pods")).toEqual({ code: 0, out: "NAME            READY   STATUS              RESTARTS   AGE\nbusybox-nginx   0/2     ContainerCreating   0          0s\n" });
    expect(await run(w, "kubectl wait --for=condition=Ready pod/busybox-nginx --timeout=60s")).toEqual({ code: 0, out: "pod/busybox-nginx condition met\n" });
    const wide = await run(w, "kubectl get pod busybox-nginx -o wide");
    expect(wide.out).toMatch(/^NAME {12}READY   STATUS    RESTARTS   AGE   IP {11}NODE    NOMINATED NODE   READINESS GATES\nbusybox-nginx   2\/2     Running   0          5s    10\.244\.[12]\.3   node[12]   <none>           <none>\n$/);
    const page = await run(w, "kubectl exec busybox-nginx -c busybox -- wget -q -O - localhost:80");
    expect(page.code).toBe(0);
    expect(page.out.length).toBe(612);
  });

  it("errors in kubectl's words and exit codes", async () => {
    const w = createWorld({ kind: "kubernetes" });
    expect(await run(w, "kubectl apply -f")).toEqual({ code: 1, out: "error: flag needs an argument: 'f' in -f\nSee 'kubectl apply --help' for usage.\n" });
    expect(await run(w, "kubectl apply -f -", POD.replace("kind: Pod", "kind: pod"))).toEqual({
      code: 1,
      out: 'error: resource mapping not found for name: "busybox-nginx" namespace: "" from "STDIN": no matches for kind "pod" in version "v1"\nensure CRDs are installed first\n',
    });
    expect(await run(w, "kubectl apply -f -", POD.replace("containerPort", "continerPort"))).toEqual({
      code: 1,
      out: 'Error from server (BadRequest): error when creating "STDIN": Pod in version "v1" cannot be handled as a Pod: strict decoding error: unknown field "spec.containers[1].ports[0].continerPort"\n',
    });
    const deploy = "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  template:\n    metadata:\n      labels:\n        app: web\n    spec:\n      containers:\n      - name: nginx\n        image: nginx\n";
    expect(await run(w, "kubectl apply -f -", deploy)).toEqual({
      code: 1,
      out: 'The Deployment "web" is invalid: \n* spec.selector: Required value\n* spec.template.metadata.labels: Invalid value: map[string]string{"app":"web"}: `selector` does not match template `labels`\n',
    });
    expect(await run(w, "kubectl get pod nope")).toEqual({ code: 1, out: 'Error from server (NotFound): pods "nope" not found\n' });
    expect(await run(w, "kubectl get foo")).toEqual({ code: 1, out: 'error: the server doesn\'t have a resource type "foo"\n' });
    expect(await run(w, "kubectl get pods")).toEqual({ code: 0, out: "No resources found in default namespace.\n" });
    expect(await run(w, "kubectl get deploy --bogus")).toEqual({ code: 1, out: "error: unknown flag: --bogus\nSee 'kubectl get --help' for usage.\n" });
  });

  it("services: ClusterIP from 10.96.0.0/12, NodePort column, endpoints sorted, describe", async () => {
    const w = createWorld({ kind: "kubernetes" });
    const yaml = "apiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  type: NodePort\n  selector:\n    app: web\n  ports:\n  - name: http\n    port: 80\n    targetPort: 80\n    nodePort: 30080\n";
    expect((await run(w, "kubectl apply -f -", yaml)).out).toBe("service/web created\n");
    const svc = await run(w, "kubectl get svc web");
    expect(svc.out).toMatch(/^NAME   TYPE       CLUSTER-IP +EXTERNAL-IP   PORT\(S\)        AGE\nweb    NodePort   10\.(9[6-9]|10\d|11[01])\.\d+\.\d+ +<none>        80:30080\/TCP   0s\n$/);
    const cip = /10\.\d+\.\d+\.\d+/.exec(svc.out)![0];
    const d = await run(w, "kubectl describe svc web");
    expect(d.out).toBe(
      [
        "Name:                     web",
        "Namespace:                default",
        "Labels:                   <none>",
        "Annotations:              <none>",
        "Selector:                 app=web",
        "Type:                     NodePort",
        "IP Family Policy:         SingleStack",
        "IP Families:              IPv4",
        `IP:                       ${cip}`,
        `IPs:                      ${cip}`,
        "Port:                     http  80/TCP",
        "TargetPort:               80/TCP",
        "NodePort:                 http  30080/TCP",
        "Endpoints:                <none>",
        "Session Affinity:         None",
        "External Traffic Policy:  Cluster",
        "Events:                   <none>",
        "",
      ].join("\n"),
    );
  });
});

describe("kubectl logs and exec refusals", () => {
  it("logs of a container still being created, and exec of a missing binary", async () => {
    const w = createWorld({ kind: "kubernetes" });
    await run(w, "kubectl apply -f -", POD);
    expect(await run(w, "kubectl logs busybox-nginx -c nginx")).toEqual({
      code: 1,
      out: 'Error from server (BadRequest): container "nginx" in pod "busybox-nginx" is waiting to start: ContainerCreating\n',
    });
    await run(w, "kubectl wait --for=condition=Ready pod/busybox-nginx");
    const r = await run(w, "kubectl exec busybox-nginx -c busybox -- bash");
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/^error: Internal error occurred: error executing command in container: failed to exec in container: failed to start exec "[0-9a-f]{64}": OCI runtime exec failed: exec failed: unable to start container process: exec: "bash": executable file not found in \$PATH: unknown\n$/);
    expect(await run(w, "kubectl exec busybox-nginx -c busybox -- sh -c 'exit 3'")).toEqual({ code: 3, out: "command terminated with exit code 3\n" });
  });
});
