/**
 * `kubectl get` flags scripts lean on, as kubectl/pkg/cmd/get/get.go prints them:
 * `--no-headers` drops each table's header row (column widths from the rows alone) and the blank
 * line between resource groups; that blank line goes to stderr (`fmt.Fprintf(o.ErrOut, ...)`),
 * so `kubectl get deploy,svc | cat` shows none; `--ignore-not-found` turns a named object that
 * does not exist into no output and exit 0, without "No resources found".
 */
import { expect, it } from "vitest";
import { createWorld, type SimWorld } from "../../src/sim/index.js";

async function run(w: SimWorld, cmd: string) {
  const r = await w.session("host").exec(cmd);
  return { code: r.exitCode, out: r.output };
}

it("--no-headers, the group separator on stderr, --ignore-not-found", async () => {
  const w = createWorld({ kind: "kubernetes" });
  await run(w, "kubectl create deployment web --image=nginx:1.16.1 >/dev/null && kubectl expose deployment web --port=80 >/dev/null");
  await run(w, "kubectl rollout status deployment/web --timeout=60s >/dev/null");

  const table = await run(w, "kubectl get deployments");
  expect(table.out).toMatch(/^NAME   READY   UP-TO-DATE   AVAILABLE   AGE\nweb    1\/1     1            1           \d+s\n$/);
  // The widths come from the rows alone (tabwriter: min width 6, padding 3).
  expect((await run(w, "kubectl get deployments --no-headers")).out).toMatch(/^web   1\/1   1     1     \d+s\n$/);

  const both = await run(w, "kubectl get deploy,svc -l app=web");
  expect(both.out.split("\n").filter((l) => l === "").length).toBe(2); // the separator and the final newline
  expect((await run(w, "kubectl get deploy,svc -l app=web 2>/dev/null")).out).not.toMatch(/\n\n/);
  const bare = await run(w, "kubectl get deploy,svc -l app=web --no-headers");
  expect(bare.out).toMatch(/^deployment\.apps\/web +1\/1 .*\nservice\/web +ClusterIP .*\n$/);

  expect(await run(w, "kubectl get pod nosuch")).toEqual({ code: 1, out: 'Error from server (NotFound): pods "nosuch" not found\n' });
  expect(await run(w, "kubectl get pod nosuch --ignore-not-found")).toEqual({ code: 0, out: "" });
  expect(await run(w, "kubectl get pods -l app=nosuch --ignore-not-found")).toEqual({ code: 0, out: "" });
  expect(await run(w, "kubectl get pods -l app=nosuch")).toEqual({ code: 0, out: "No resources found in default namespace.\n" });
});
