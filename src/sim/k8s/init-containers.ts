/**
 * A pod's init containers, as the kubelet (1.28, SidecarContainers off) runs them: one at a time,
 * in spec order, each to completion, in the pod's sandbox, before any main container starts.
 *
 *   sandbox ─► init[0] ─(exit 0, seen at the next relist)─► init[1] ─► … ─► Initialized ─► main containers
 *                 └─(exit ≠ 0)─► restartPolicy Never: phase Failed, nothing more runs
 *                              └► Always/OnFailure: restarted at the next sync unless in crash
 *                                 back-off (CrashLoopBackOff, 10 s doubling to 300 s)
 *
 * Sources (kubernetes 1.28): pkg/kubelet/kuberuntime/kuberuntime_container.go
 * findNextInitContainerToRun (the last failed init container is retried first; a running one is
 * waited for; after the last exited one comes the next), kuberuntime_manager.go computePodActions
 * (a failed init container with restartPolicy Never kills the pod) and doBackOff (the crash
 * back-off is measured from the exited container's finishedAt; the first restart is immediate,
 * flowcontrol.Backoff.Next then opens 10 s, doubling); kubelet_pods.go getPhase (a failed init
 * container with restartPolicy Never: Failed; else Pending), convertToAPIContainerStatuses
 * (every container of a pod with init containers waits as PodInitializing), and
 * status/generate.go GeneratePodInitializedCondition ("containers with incomplete status: [a b]").
 */
import type { KObject } from "./objects.js";
import { doBackOff, type CrashBackoff } from "./crash-backoff.js";
import type { RuntimeContainer, RuntimeImage } from "./runtime.js";

/** One pod's init-container state on its node. */
export interface InitState {
  /** Runtime containers by init container name: the latest instance of each. */
  containers: Map<string, RuntimeContainer>;
  /** When each one's latest instance exited (virtual ms), for the crash back-off. */
  finishedAt: Map<string, number>;
  /** The crash back-off of the init containers. */
  backoff: CrashBackoff;
  /** Set once every init container has completed: main containers may start. */
  done: boolean;
  /** Set when a failed init container with restartPolicy Never failed the pod. */
  failed: boolean;
}

/** What the init phase needs from the kubelet, bound to one pod. */
export interface InitHost {
  current(): KObject | undefined;
  patchStatus(fn: (status: any, pod: KObject) => void): void;
  event(c: { name: string }, type: "Normal" | "Warning", reason: string, message: string): void;
  /** Runs `fn` after `ms` of virtual time, cancelled with the pod. */
  at(ms: number, fn: () => void): void;
  /** EnsureImageExists (a failure is recorded as the container's waiting state). */
  ensureImage(c: any, done: (image: RuntimeImage | undefined) => void): void;
  /** CreateContainer + StartContainer with the Created/Started events; `onExit` gets the exit code. */
  launch(c: any, image: RuntimeImage, onExit: (code: number) => void): RuntimeContainer;
  /** The virtual clock (ms) and its RFC 3339 stamp. */
  now(): number;
  stamp(): string;
  /** Syncs the pod again after `ms` (a relist that sees an exit, a retry after a back-off). */
  resync(ms: number): void;
  /** The pod worker's requeue after a failed sync (an image that could not be had). */
  failedSync(): void;
  /** Whether the pod is being deleted (nothing more starts). */
  terminating(): boolean;
}

/** PLEG relist period: an exit is seen (and the pod synced) this long after it happens. */
const RELIST_MS = 1000;
/** The pod worker's backOffPeriod after a failed sync. */
const RETRY_MS = 10_000;

/** A fresh init state. */
export function newInitState(): InitState {
  return { containers: new Map(), finishedAt: new Map(), backoff: new Map(), done: false, failed: false };
}

/** The init containers' initial statuses and the Initialized condition, for a pod just admitted. */
export function initialInitStatus(pod: KObject, now: string): { statuses: any[]; condition: any } {
  const specs: any[] = pod.spec.initContainers ?? [];
  const statuses = specs.map((c) => ({ name: c.name, image: c.image, imageID: "", ready: false, restartCount: 0, started: false, state: { waiting: { reason: "PodInitializing" } }, lastState: {} }));
  const condition = specs.length
    ? { type: "Initialized", status: "False", lastProbeTime: null, lastTransitionTime: now, reason: "ContainersNotInitialized", message: `containers with incomplete status: [${specs.map((c) => c.name).join(" ")}]` }
    : { type: "Initialized", status: "True", lastProbeTime: null, lastTransitionTime: now };
  return { statuses, condition };
}

/** GeneratePodInitializedCondition over `s.initContainerStatuses`, updating `s.conditions` in place. */
function initializedCondition(s: any, pod: KObject, now: string): void {
  const incomplete = (pod.spec.initContainers as any[]).filter((c) => {
    const st = s.initContainerStatuses.find((x: any) => x.name === c.name);
    return st?.state?.terminated?.exitCode !== 0;
  });
  const cond = s.conditions.find((c: any) => c.type === "Initialized");
  const want = incomplete.length ? "False" : "True";
  if (cond.status !== want) {
    cond.status = want;
    cond.lastTransitionTime = now;
  }
  if (incomplete.length) {
    cond.reason = "ContainersNotInitialized";
    cond.message = `containers with incomplete status: [${incomplete.map((c) => c.name).join(" ")}]`;
  } else {
    delete cond.reason;
    delete cond.message;
  }
}

/**
 * One sync of the init phase; true once every init container has completed (the caller goes on
 * with the main containers). Otherwise it starts, restarts or waits for the next init container.
 */
export function syncInit(st: InitState, h: InitHost): boolean {
  const pod = h.current();
  const specs: any[] = pod?.spec.initContainers ?? [];
  if (!pod || st.done || specs.length === 0) return true;
  if (st.failed || h.terminating()) return false;
  const failed = [...specs].reverse().find((c) => st.containers.get(c.name)?.state === "exited" && st.containers.get(c.name)!.exitCode !== 0);
  let next: any = failed;
  if (!next) {
    for (let i = specs.length - 1; i >= 0; i--) {
      const rc = st.containers.get(specs[i].name);
      if (!rc) continue;
      if (rc.state === "running") return false;
      if (i === specs.length - 1) {
        st.done = true;
        return true;
      }
      next = specs[i + 1];
      break;
    }
    next ??= specs[0];
  }
  if (failed && pod.spec.restartPolicy === "Never") return false;
  if (failed && inCrashBackOff(st, h, pod, failed)) return false;
  h.ensureImage(next, (image) => {
    if (!image) return h.failedSync();
    if (h.current() && !h.terminating()) start(st, h, next, image);
  });
  return false;
}

/** doBackOff for a failed init container: in back-off it waits as CrashLoopBackOff, with a BackOff event and a retry at a later sync. */
function inCrashBackOff(st: InitState, h: InitHost, pod: KObject, c: any): boolean {
  const refused = doBackOff(st.backoff, pod, c.name, st.finishedAt.get(c.name)!, h.now());
  if (!refused) return false;
  h.event(c, "Warning", "BackOff", refused.event);
  h.patchStatus((s) => {
    const cs = s.initContainerStatuses.find((x: any) => x.name === c.name);
    if (cs.state.terminated) cs.lastState = { terminated: cs.state.terminated };
    cs.state = { waiting: refused.waiting };
  });
  h.resync(RETRY_MS);
  return true;
}

/** Starts init container `c`: a restart counts, and the previous instance becomes lastState. */
function start(st: InitState, h: InitHost, c: any, image: RuntimeImage): void {
  const restart = st.containers.has(c.name);
  const rc = h.launch(c, image, (code) => exited(st, h, c, code));
  st.containers.set(c.name, rc);
  const now = h.stamp();
  h.patchStatus((s) => {
    const cs = s.initContainerStatuses.find((x: any) => x.name === c.name);
    if (restart) {
      cs.restartCount += 1;
      if (cs.state.terminated) cs.lastState = { terminated: cs.state.terminated };
    }
    Object.assign(cs, { containerID: `containerd://${rc.id}`, imageID: image.imageID, image: c.image, ready: false, started: rc.state === "running", state: rc.state === "running" ? { running: { startedAt: now } } : cs.state });
  });
}

/** An init container's main process ended: its terminated state, the pod's phase, the next sync. */
function exited(st: InitState, h: InitHost, c: any, code: number): void {
  st.finishedAt.set(c.name, h.now());
  const now = h.stamp();
  h.patchStatus((s, p) => {
    const cs = s.initContainerStatuses.find((x: any) => x.name === c.name);
    const terminated = { exitCode: code, reason: code === 0 ? "Completed" : "Error", startedAt: cs.state?.running?.startedAt, finishedAt: now, containerID: cs.containerID };
    Object.assign(cs, { ready: code === 0, started: false, state: { terminated } });
    initializedCondition(s, p, now);
    if (code !== 0 && p.spec.restartPolicy === "Never" && !h.terminating()) {
      st.failed = true;
      s.phase = "Failed";
    }
  });
  if (!st.failed && !h.terminating()) h.resync(RELIST_MS);
}
