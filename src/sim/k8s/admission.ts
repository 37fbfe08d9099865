/**
 * Mutating admission plugins a new pod goes through (plugin/pkg/admission): Priority and
 * DefaultTolerationSeconds.
 */
import type { KObject } from "./objects.js";

/** Applies the pod admission plugins to a pod being created. */
export function admitPod(pod: KObject): void {
  defaultTolerationSeconds(pod);
  // The Priority admission plugin: the built-in classes' values, 0 without a class.
  pod.spec.priority ??= { "system-node-critical": 2000001000, "system-cluster-critical": 2000000000 }[pod.spec.priorityClassName as string] ?? 0;
}

/**
 * The DefaultTolerationSeconds admission plugin (plugin/pkg/admission/defaulttolerationseconds):
 * a pod that does not tolerate the not-ready / unreachable NoExecute taints already gets
 * tolerations for them, for 300 s.
 */
function defaultTolerationSeconds(pod: KObject): void {
  const tol: any[] = pod.spec.tolerations ?? [];
  const tolerates = (key: string) => tol.some((t) => (t.key === key || !t.key) && (t.effect === "NoExecute" || !t.effect));
  const add = ["node.kubernetes.io/not-ready", "node.kubernetes.io/unreachable"].filter((k) => !tolerates(k));
  if (add.length) pod.spec.tolerations = [...tol, ...add.map((key) => ({ effect: "NoExecute", key, operator: "Exists", tolerationSeconds: 300 }))];
}
