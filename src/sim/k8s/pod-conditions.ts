/**
 * The pod conditions the kubelet derives from its containers' statuses (pkg/kubelet/status
 * generate.go, 1.28): Ready and ContainersReady ("containers with unready status: [a b]"), and
 * the phase Running once a main container runs.
 */

/** The Ready and ContainersReady conditions (and phase Running once a container runs) from `s.containerStatuses`. */
export function readiness(s: any, now: string): void {
  const allReady = s.containerStatuses.every((x: any) => x.ready);
  if (s.containerStatuses.some((x: any) => x.state?.running)) s.phase = "Running";
  for (const cond of s.conditions) {
    if (cond.type !== "Ready" && cond.type !== "ContainersReady") continue;
    const want = allReady ? "True" : "False";
    if (cond.status !== want) {
      cond.status = want;
      cond.lastTransitionTime = now;
    }
    if (allReady) {
      delete cond.reason;
      delete cond.message;
    } else {
      const names = s.containerStatuses.filter((x: any) => !x.ready).map((x: any) => x.name).join(" ");
      cond.reason = "ContainersNotReady";
      cond.message = `containers with unready status: [${names}]`;
    }
  }
}
