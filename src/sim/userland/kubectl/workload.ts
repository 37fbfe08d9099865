/**
 * `kubectl scale`, `kubectl rollout status`, `kubectl wait --for=condition=…`: the commands that
 * change replica counts or wait for the cluster, letting virtual time pass while they wait.
 * Texts: scale.go ("scaled"), rollout_status.go / polymorphichelpers/rollout_status.go
 * (DeploymentStatusViewer messages), wait.go ("condition met", "timed out waiting for the
 * condition on pods/x").
 */
import type { KObject, KubeClusterApi } from "../../k8s/api.js";
import type { Proc } from "../types.js";
import { apiErrorText, plainError } from "./errors.js";
import { flag, type ParsedFlags } from "./flags.js";
import { resourceArgs, typedName } from "./get.js";

/** Parses Go durations like 30s, 2m, 1m30s, 500ms into ms. */
export function parseDuration(s: string): number | undefined {
  const re = /(\d+(?:\.\d+)?)(ms|s|m|h)/g;
  let total = 0;
  let seen = "";
  let m: RegExpExecArray | null;
  while ((m = re.exec(s))) {
    total += Number(m[1]) * { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }[m[2] as "ms"];
    seen += m[0];
  }
  if (/^\d+$/.test(s)) return Number(s) * 1000;
  return seen === s && s !== "" ? total : undefined;
}

/** `kubectl scale TYPE/NAME --replicas=N`. */
export function scale(p: Proc, cluster: KubeClusterApi, f: ParsedFlags, ns: string): number {
  const replicas = flag(f, "replicas");
  if (replicas === undefined) {
    p.err(plainError("required flag(s) \"replicas\" not set"));
    return 1;
  }
  const r = resourceArgs(cluster, f.args.length ? f.args : ["deployments"]);
  if (!r.ok) {
    p.err(plainError(r.error));
    return 1;
  }
  for (const req of r.reqs) {
    for (const name of req.names) {
      const o = cluster.get(req.kind, ns, name);
      if (!o) {
        p.err(apiErrorText({ code: 404, reason: "NotFound", message: `${req.kind.resource}.${req.kind.group} "${name}" not found` }));
        return 1;
      }
      const next = structuredClone(o);
      next.spec.replicas = Number(replicas);
      next.metadata.generation = (next.metadata.generation ?? 1) + 1;
      cluster.update(next);
      p.out(`${typedName(req.kind, name)} scaled\n`);
    }
  }
  return 0;
}

/**
 * DeploymentStatusViewer.Status (polymorphichelpers/rollout_status.go): the message for one
 * observed state of the Deployment, and whether the rollout is done.
 */
export function deploymentRolloutStatus(d: KObject): { msg: string; done: boolean } | { error: string } {
  const name = d.metadata.name;
  const s = d.status ?? {};
  if ((d.metadata.generation ?? 0) > (s.observedGeneration ?? 0)) return { msg: "Waiting for deployment spec update to be observed...\n", done: false };
  const progressing = (s.conditions ?? []).find((c: any) => c.type === "Progressing");
  if (progressing?.reason === "ProgressDeadlineExceeded") return { error: `deployment "${name}" exceeded its progress deadline` };
  const want = d.spec.replicas ?? 1;
  const updated = s.updatedReplicas ?? 0;
  const wait = (m: string) => ({ msg: `Waiting for deployment "${name}" rollout to finish: ${m}...\n`, done: false });
  if (updated < want) return wait(`${updated} out of ${want} new replicas have been updated`);
  if ((s.replicas ?? 0) > updated) return wait(`${(s.replicas ?? 0) - updated} old replicas are pending termination`);
  if ((s.availableReplicas ?? 0) < updated) return wait(`${s.availableReplicas ?? 0} of ${updated} updated replicas are available`);
  return { msg: `deployment "${name}" successfully rolled out\n`, done: true };
}

/**
 * `kubectl rollout status deployment/NAME`: the status of the Deployment as listed, then again at
 * every change of it (rollout_status.go prints on each watch event, repeats included) until the
 * rollout is done, `--watch=false`, or `--timeout`. The watch is a poll of the resourceVersion
 * every 100 ms of virtual time, so changes within one poll print once.
 */
export function rolloutStatus(p: Proc, cluster: KubeClusterApi, f: ParsedFlags, ns: string): number {
  const r = resourceArgs(cluster, f.args);
  if (!r.ok || !r.reqs[0]?.names[0]) {
    p.err(plainError(r.ok ? "required resource not specified" : r.error));
    return 1;
  }
  const k = r.reqs[0].kind;
  const name = r.reqs[0].names[0];
  const timeout = parseDuration(flag(f, "timeout") ?? "0s") ?? 0;
  const watch = !/^(0|f|F|false|FALSE|False)$/.test(flag(f, "watch") ?? "true"); // strconv.ParseBool
  const start = p.world.clock.now();
  let seen: string | undefined;
  for (;;) {
    const d = cluster.get(k, ns, name);
    if (!d) {
      if (seen !== undefined) {
        p.err(plainError("object has been deleted"));
        return 1;
      }
      p.err(apiErrorText({ code: 404, reason: "NotFound", message: `${k.resource}.${k.group} "${name}" not found` }));
      return 1;
    }
    if (d.metadata.resourceVersion !== seen) {
      seen = d.metadata.resourceVersion;
      const st = deploymentRolloutStatus(d);
      if ("error" in st) {
        p.err(plainError(st.error));
        return 1;
      }
      p.out(st.msg);
      if (st.done || !watch) return 0;
    }
    if ((timeout && p.world.clock.now() - start >= timeout) || (p.deadline !== undefined && p.world.clock.now() >= p.deadline)) {
      p.err(plainError("timed out waiting for the condition"));
      return 1;
    }
    cluster.sleep(100);
  }
}

function conditionMet(o: KObject | undefined, cond: string): boolean {
  if (!o) return false;
  const [type, want = "true"] = cond.split("=");
  const c = (o.status?.conditions ?? []).find((x: any) => x.type.toLowerCase() === type!.toLowerCase());
  return !!c && String(c.status).toLowerCase() === want.toLowerCase();
}

/** `kubectl wait --for=condition=Ready pod/NAME | pods -l …|--all`, or `--for=delete`. */
export function wait(p: Proc, cluster: KubeClusterApi, f: ParsedFlags, ns: string): number {
  const forArg = flag(f, "for");
  if (!forArg) {
    p.err(plainError("--for must be specified"));
    return 1;
  }
  if (!forArg.startsWith("condition=") && forArg !== "delete") {
    p.err(plainError(`unrecognized condition: "${forArg}"`));
    return 1;
  }
  const r = resourceArgs(cluster, f.args);
  if (!r.ok) {
    p.err(plainError(r.error));
    return 1;
  }
  const timeout = parseDuration(flag(f, "timeout") ?? "30s") ?? 30_000;
  const sel = flag(f, "selector");
  const targets: Array<{ k: (typeof r.reqs)[0]["kind"]; name: string }> = [];
  for (const req of r.reqs) {
    if (req.names.length) for (const n of req.names) targets.push({ k: req.kind, name: n });
    else {
      const list = cluster.list(req.kind, ns).filter((o) => !sel || sel.split(",").every((t) => { const [a, b] = t.split("="); return o.metadata.labels?.[a!] === b; }));
      if (!sel && flag(f, "all") !== "true") {
        p.err(plainError("resource(s) were provided, but no name was specified"));
        return 1;
      }
      for (const o of list) targets.push({ k: req.kind, name: o.metadata.name });
    }
  }
  if (targets.length === 0) {
    p.err(plainError("no matching resources found"));
    return 1;
  }
  const start = p.world.clock.now();
  for (const t of targets) {
    if (forArg !== "delete" && !cluster.get(t.k, ns, t.name)) {
      p.err(apiErrorText({ code: 404, reason: "NotFound", message: `${t.k.group ? `${t.k.resource}.${t.k.group}` : t.k.resource} "${t.name}" not found` }));
      return 1;
    }
    for (;;) {
      const o = cluster.get(t.k, ns, t.name);
      const done = forArg === "delete" ? !o : conditionMet(o, forArg.slice("condition=".length));
      if (done) {
        p.out(`${typedName(t.k, t.name)} ${forArg === "delete" ? "deleted" : "condition met"}\n`);
        break;
      }
      if (p.world.clock.now() - start >= timeout || (p.deadline !== undefined && p.world.clock.now() >= p.deadline)) {
        p.err(plainError(`timed out waiting for the condition on ${t.k.resource}/${t.name}`));
        return 1;
      }
      cluster.sleep(Math.min(100, timeout - (p.world.clock.now() - start)));
    }
  }
  return 0;
}
