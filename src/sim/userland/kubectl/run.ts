/**
 * `kubectl run NAME --image=IMAGE [flags] [-- ARGS…]` (kubectl 1.28 pkg/cmd/run/run.go): creates
 * the pod of run-pod.ts (and with --expose its Service), then
 *   - detached: prints it (`pod/NAME created`, `-o name|yaml|json`, `(dry run)` suffixes);
 *   - attached (-i/--stdin or --attach): waits up to --pod-running-timeout for the pod to run and
 *     be ready, then attaches to the container (handleAttachPod): "If you don't see a command
 *     prompt, try pressing enter." on stderr unless -q, the main process's output on stdout and
 *     stderr, kubectl's stdin as its input with -i. A pod that already completed has its log
 *     printed instead. With --restart=Never (or OnFailure) kubectl then waits for the pod to
 *     complete and exits with the container's exit code (`pod NS/NAME terminated (Error)`);
 *     with the default Always it returns 0 when the attach ends.
 *   - --rm deletes what it created when it returns (`pod "NAME" deleted`), before any error prints.
 * Virtual time moves event by event while kubectl waits, so the pod is scheduled, pulled and
 * started and its process talks to Services through kube-proxy and CoreDNS as any pod's does.
 */
import { stringify } from "yaml";
import type { KindInfo, KObject, KubeClusterApi } from "../../k8s/api.js";
import type { Proc } from "../types.js";
import { apiErrorText, plainError } from "./errors.js";
import { flag, type ParsedFlags } from "./flags.js";
import { typedName } from "./get.js";
import { exposedService, planRun, type RunPlan } from "./run-pod.js";
import { stepUntil } from "../lib/deadline.js";

const TIMED_OUT = "error: timed out waiting for the condition\n";

/** The printer kubectl run's PrintFlags build: the name printer (operation "created"), or -o json|yaml|name. */
function printObj(p: Proc, kind: KindInfo, obj: Record<string, any>, output: string | undefined, dryRun: RunPlan["dryRun"]): void {
  if (output === "json") p.out(JSON.stringify(obj, null, 4) + "\n");
  else if (output === "yaml") p.out(stringify(obj, { indentSeq: false, sortMapEntries: true, lineWidth: 0 }));
  else if (output === "name") p.out(`${typedName(kind, obj.metadata.name)}\n`);
  else p.out(`${typedName(kind, obj.metadata.name)} created${dryRun === "client" ? " (dry run)" : dryRun === "server" ? " (server dry run)" : ""}\n`);
}

/** RFC 7386 JSON merge patch (--override-type=merge, cmdutil.Merge): objects merge, null deletes, anything else replaces. */
export function mergePatch(target: any, patch: any): any {
  if (patch === null || typeof patch !== "object" || Array.isArray(patch)) return structuredClone(patch);
  const out = target !== null && typeof target === "object" && !Array.isArray(target) ? { ...target } : {};
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) delete out[k];
    else out[k] = mergePatch(out[k], v);
  }
  return out;
}

/** What is sent to the API server: the generated object without its empty client-side fields. */
function forServer(obj: Record<string, any>): Record<string, any> {
  const o = structuredClone(obj);
  delete o.status;
  delete o.metadata.creationTimestamp;
  return o;
}

/** `kubectl run`. */
export async function run(p: Proc, cluster: KubeClusterApi, f: ParsedFlags, ns: string): Promise<number> {
  const output = flag(f, "output");
  const plan = planRun(f);
  if ("text" in plan) {
    p.err(plainError(plan.text) + (plan.usage ? "See 'kubectl run -h' for help and examples\n" : plan.flagError ? "See 'kubectl run --help' for usage.\n" : ""));
    return 1;
  }
  const overrides = flag(f, "overrides");
  if (overrides) {
    const type = flag(f, "override-type") ?? "merge";
    if (type !== "merge") {
      p.err(`lab: kubectl run --override-type=${type}: not available in the simulator\n`);
      return 1;
    }
    let patch: unknown;
    try {
      patch = JSON.parse(overrides);
    } catch {
      // jsonpatch.MergePatch's errBadJSONPatch.
      p.err(plainError("Invalid JSON Patch"));
      return 1;
    }
    plan.pod = mergePatch(plan.pod, patch);
  }
  const kindOf = (k: string) => cluster.discovery().find((x) => x.kind === k)!;
  const podKind = kindOf("Pod");
  const svcKind = kindOf("Service");
  // The namespace is set on a client-side dry run's object only when given (EnforceNamespace).
  if (flag(f, "namespace") !== undefined) plan.pod.metadata.namespace = ns;
  const created: Array<{ kind: KindInfo; name: string }> = [];
  const errs: string[] = [];
  let pod: Record<string, any> = plan.pod;
  if (plan.dryRun !== "client") {
    const r = cluster.create(forServer(plan.pod), ns, { dryRun: plan.dryRun === "server" });
    if (!r.ok) {
      p.err(apiErrorText(r.error));
      return 1;
    }
    pod = r.obj;
    if (plan.dryRun === "none") created.push({ kind: podKind, name: plan.name });
  }
  if (plan.expose) {
    let svc: Record<string, any> | undefined = exposedService(plan);
    if (flag(f, "namespace") !== undefined) svc.metadata.namespace = ns;
    if (plan.dryRun !== "client") {
      const r = cluster.create(forServer(svc), ns, { dryRun: plan.dryRun === "server" });
      if (!r.ok) errs.push(apiErrorText(r.error));
      else if (plan.dryRun === "none") created.push({ kind: svcKind, name: plan.name });
      svc = r.ok ? r.obj : undefined;
    }
    if (svc) {
      printObj(p, svcKind, svc, output, plan.dryRun);
      if (output === "yaml") p.out("---\n");
    }
  }
  if (!plan.attach) {
    printObj(p, podKind, pod, output, plan.dryRun);
    for (const e of errs) p.err(e);
    return errs.length ? 1 : 0;
  }
  const result = await attached(p, cluster, plan, ns, podKind);
  if (plan.rm) {
    for (const c of created) {
      const r = cluster.delete(c.kind, ns, c.name);
      if (r.ok) p.out(`${c.kind.singular} "${c.name}" deleted\n`);
    }
  }
  if (result.err) p.err(result.err);
  return result.code;
}

/** The attached half of Run: handleAttachPod, then the wait for the exit code. */
async function attached(p: Proc, cluster: KubeClusterApi, plan: RunPlan, ns: string, podKind: KindInfo): Promise<{ code: number; err?: string }> {
  const get = () => cluster.get(podKind, ns, plan.name);
  const gone = { code: 1, err: apiErrorText({ code: 404, reason: "NotFound", message: 'pods "" not found' }) };
  const ready = (o: KObject) => o.status?.phase === "Running" && (o.status.conditions ?? []).some((c: any) => c.type === "Ready" && c.status === "True");
  const started = await stepUntil(p, plan.timeoutMs, () => {
    const o = get();
    if (!o) return "gone";
    if (o.status?.phase === "Succeeded" || o.status?.phase === "Failed") return "completed";
    return ready(o) ? "ready" : undefined;
  });
  if (started === undefined) return { code: 1, err: TIMED_OUT };
  if (started === "gone") return gone;
  const logs = () => {
    const r = cluster.logs(ns, plan.name);
    if (r.ok) p.out(r.text);
  };
  if (started === "completed") logs();
  else {
    // attach.go Run: StreamOptions.SetupTTY finds no terminal on stdin, then the prompt hint.
    if (plan.interactive && plan.tty && !plan.quiet) p.err("Unable to use a TTY - input is not a terminal or the right kind of file\n");
    if (!plan.quiet) p.err("If you don't see a command prompt, try pressing enter.\n");
    const a = cluster.attach(ns, plan.name, undefined, { write: (fd, text) => (fd === 1 ? p.out(text) : p.err(text)) }, plan.interactive ? p.stdin : undefined);
    if (!a.ok) {
      p.err(`warning: couldn't attach to pod/${plan.name}, falling back to streaming logs: ${a.error.message}\n`);
      logs();
    } else {
      await stepUntil(p, Infinity, () => (a.ended() || !get() ? true : undefined));
      a.detach();
    }
  }
  if (plan.leaveStdinOpen || plan.restart === "Always") return { code: 0 };
  // Never: done when the pod completes either way; OnFailure: only success ends the wait.
  const done = await stepUntil(p, plan.timeoutMs, () => {
    const o = get();
    if (!o) return "gone";
    const phase = o.status?.phase;
    return phase === "Succeeded" || (phase === "Failed" && plan.restart === "Never") ? o : undefined;
  });
  if (done === undefined) return { code: 1, err: TIMED_OUT };
  if (done === "gone") return gone;
  if (done.status.phase === "Succeeded") return { code: 0 };
  const term = done.status.containerStatuses?.[0]?.state?.terminated;
  if (!term || !term.exitCode) return { code: 1, err: plainError(`pod ${ns}/${plan.name} failed with unknown exit code`) };
  return { code: term.exitCode, err: `pod ${ns}/${plan.name} terminated (${term.reason})\n${term.message ?? ""}` };
}
