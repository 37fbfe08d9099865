/**
 * `kubectl delete TYPE NAME… | TYPE/NAME… | TYPE --all | -f FILE` (kubectl pkg/cmd/delete):
 *
 *   --now ──► grace period 1 │ --grace-period=0 without --force ──► 1 │ --force alone ──► 0
 *   each object: DELETE with DeleteOptions.gracePeriodSeconds, then `KIND "NAME" deleted`
 *   --wait (default true): block until every deleted object (same UID) is gone, in virtual time;
 *   a pod is gone once its kubelet stopped its containers (up to the grace period).
 *
 * Complete's and Validate's errors and the force-deletion warning use kubectl's texts.
 */
import type { KubeClusterApi } from "../../k8s/api.js";
import type { Proc } from "../types.js";
import { stepUntil } from "../lib/deadline.js";
import { apiErrorText, plainError } from "./errors.js";
import { flag, type ParsedFlags } from "./flags.js";
import { namedTargets } from "./targets.js";

/** How long --wait waits at most (kubectl: --timeout=0 means a week; pods here end within their grace period). */
const WAIT_LIMIT_MS = 3600_000;

/** The grace period Complete settles on (-1: none given), or kubectl's error. */
function gracePeriod(f: ParsedFlags): { ok: true; period: number; force: boolean } | { ok: false; error: string; usage?: boolean } {
  const raw = flag(f, "grace-period");
  if (raw !== undefined && !/^[+-]?\d+$/.test(raw)) return { ok: false, error: `invalid argument "${raw}" for "--grace-period" flag: strconv.ParseInt: parsing ${JSON.stringify(raw)}: invalid syntax`, usage: true };
  let period = raw === undefined ? -1 : Number(raw);
  const force = flag(f, "force") === "true";
  if (flag(f, "now") === "true") {
    if (period !== -1) return { ok: false, error: "--now and --grace-period cannot be specified together" };
    period = 1;
  }
  // --grace-period=0 without --force becomes 1 (backwards compatibility without data loss).
  if (period === 0 && !force) period = 1;
  if (force && period < 0) period = 0;
  return { ok: true, period, force };
}

/** `kubectl delete`. */
export async function del(p: Proc, cluster: KubeClusterApi, f: ParsedFlags, ns: string): Promise<number> {
  const grace = gracePeriod(f);
  if (!grace.ok) {
    p.err(plainError(grace.error) + (grace.usage ? "See 'kubectl delete --help' for usage.\n" : ""));
    return 1;
  }
  const targets = namedTargets(p, cluster, f, ns, { allowAll: true });
  if (!targets) return 1;
  // Validate: force deletion warns (grace 0) or refuses a positive grace period.
  if (grace.force && grace.period > 0) {
    p.err(plainError("--force and --grace-period greater than 0 cannot be specified together"));
    return 1;
  }
  if (grace.force) p.err("Warning: Immediate deletion does not wait for confirmation that the running resource has been terminated. The resource may continue to run on the cluster indefinitely.\n");
  let rc = 0;
  const waitFor: Array<(typeof targets)[number] & { uid?: string }> = [];
  for (const t of targets) {
    const r = cluster.delete(t.kind, t.ns, t.name, grace.period >= 0 ? { gracePeriodSeconds: grace.period } : {});
    if (!r.ok) {
      p.err(apiErrorText(r.error));
      rc = 1;
    } else {
      p.out(`${t.kind.singular}${t.kind.group ? "." + t.kind.group : ""} "${t.name}" deleted\n`);
      waitFor.push({ ...t, uid: r.obj.metadata.uid });
    }
  }
  if (flag(f, "wait") === "false") return rc;
  // --wait=true (the default): until each object with that UID is gone (a pod once its kubelet
  // stopped it, a namespace once emptied), letting virtual time pass.
  const present = (t: (typeof waitFor)[number]) => {
    const o = cluster.get(t.kind, t.kind.namespaced ? t.ns : undefined, t.name);
    return !!o && (!t.uid || o.metadata.uid === t.uid);
  };
  // Event by event, letting background processes run (a preStop hook's exec ends in one).
  await stepUntil(p, WAIT_LIMIT_MS, () => (waitFor.some(present) ? undefined : true));
  return rc;
}
