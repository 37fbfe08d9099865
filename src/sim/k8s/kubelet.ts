/**
 * The kubelet of one node: for each pod bound to the node it runs the sandbox (pause + netns),
 * calls CNI, writes the pod's /etc/resolv.conf and /etc/hosts as the kubelet does, runs the init
 * containers one by one (init-containers.ts), starts the containers, and reports status. Pods take virtual time to start, as on a
 * real node: the sandbox after SANDBOX_MS, then the containers one after another, each after its
 * image (images.ts: serial pulls, PULL_MS for a node's first pull, retries with back-off).
 *
 *   Pending/ContainerCreating ──(sandbox, CNI)──► podIP ──(pull, start)──► Running, Ready
 */
import type { Clock } from "../../core/clock.js";
import type { ApiServer } from "./apiserver.js";
import { rfc3339 } from "./apiserver.js";
import type { FlannelCni } from "./cni.js";
import { KIND } from "./controllers.js";
import { recordEvent, type EventSpec } from "./events.js";
import type { KObject } from "./objects.js";
import type { Stdio } from "../userland/types.js";
import { ImageManager } from "./images.js";
import { doBackOff, type CrashBackoff } from "./crash-backoff.js";
import { readiness } from "./pod-conditions.js";
import { initialInitStatus, newInitState, syncInit, type InitHost, type InitState } from "./init-containers.js";
import type { ContainerRuntime, RuntimeContainer, RuntimeImage, Sandbox } from "./runtime.js";
import { MIN_GRACE_S, preStopHandler, stopWithPreStop } from "./prestop.js";
import { minorOf } from "./kubeproxy/model.js";
import { podFiles } from "./pod-files.js";

export const SANDBOX_MS = 1000;

/** The pod worker's backOffPeriod: a failed sync (a pull, a crash back-off) is retried this long after. */
const BACKOFF_MS = 10_000;
/** The PLEG relist period: a new sandbox is seen (and the pod synced again) this long after. */
const PLEG_RELIST_MS = 1000;

interface PodRecord {
  uid: string;
  ns: string;
  name: string;
  sandbox?: Sandbox;
  ip?: string;
  containers: Map<string, RuntimeContainer>;
  /** The init containers' progress (init-containers.ts). */
  init: InitState;
  /** The main containers' crash back-off, when each last exited (virtual ms), and those being started. */
  backoff: CrashBackoff;
  finishedAt: Map<string, number>;
  starting: Set<string>;
  timers: number[];
  dead: boolean;
  /** When the sandbox started, and whether the sync after it (the first) has ended. */
  sandboxAt?: number;
  synced?: boolean;
  /** Containers whose stdinOnce stream an attach has used up: their restarts read EOF at once. */
  stdinClosed: Set<string>;
  /** Once deleted: the SIGKILL time (virtual ms) and timer; `own`: containers with a preStop hook, killed by their `timers`. */
  terminating?: { killAt: number; timer: number; own: Set<RuntimeContainer>; timers: number[] };
}

export class Kubelet {
  private readonly pods = new Map<string, PodRecord>();
  private readonly images: ImageManager;

  constructor(
    private readonly api: ApiServer,
    private readonly clock: Clock,
    readonly node: string,
    readonly nodeIP: string,
    private readonly runtime: ContainerRuntime,
    private readonly cni: FlannelCni,
    private readonly dns: { ip: string; domain: string },
    /** The kubelet's version ("1.28.0"): preStop behaviour changed at 1.22, 1.28 and 1.30. */
    private readonly version = "1.28",
  ) {
    this.images = new ImageManager(clock, runtime);
    api.watch((ev) => {
      if (ev.obj.kind !== "Pod" || ev.obj.spec?.nodeName !== node) return;
      const rec = this.pods.get(ev.obj.metadata.uid!);
      if (ev.type === "DELETED") this.kill(ev.obj.metadata.uid!, ev.obj);
      else if (ev.obj.metadata.deletionTimestamp) {
        if (rec) this.terminate(rec, ev.obj);
      } else if (!rec) this.admit(ev.obj);
    });
  }

  /** The latest instance of container `name` (default: the first main one; init containers too) of a pod on this node. */
  container(uid: string, name?: string): RuntimeContainer | undefined {
    const rec = this.pods.get(uid);
    if (!rec) return undefined;
    if (name === undefined) return [...rec.containers.values()][0];
    return rec.containers.get(name) ?? rec.init.containers.get(name);
  }

  /**
   * The kubelet's attach endpoint: streams the running container's output into `io` and hands
   * `stdin` to a main process waiting for it (a container with stdin: true). A stdinOnce
   * container's stream closes after this first attach.
   */
  attach(uid: string, name: string, io: Stdio, stdin?: string): { detach(): void; ended(): boolean } | undefined {
    const rec = this.pods.get(uid);
    const c = rec?.containers.get(name);
    if (!rec || !c || c.state !== "running") return undefined;
    const spec = this.current(rec)?.spec.containers.find((x: any) => x.name === name);
    if (spec?.stdinOnce) rec.stdinClosed.add(name);
    return { ...c.attach(io, stdin), ended: () => c.state !== "running" };
  }

  private current(rec: PodRecord): KObject | undefined {
    const p = this.api.get(KIND.pod, rec.ns, rec.name);
    return p && p.metadata.uid === rec.uid ? p : undefined;
  }

  private patchStatus(rec: PodRecord, fn: (status: any, pod: KObject) => void): void {
    const p = this.current(rec);
    if (!p) return;
    const next = structuredClone(p);
    next.status ??= {};
    fn(next.status, next);
    this.api.update(next);
  }

  /** Records a kubelet event about container `c` (or the pod) of `rec`'s pod. */
  private event(rec: PodRecord, c: { name: string } | undefined, type: EventSpec["type"], reason: string, message: string): void {
    const p = this.current(rec);
    if (!p) return;
    const list = (p.spec.initContainers ?? []).some((x: any) => x.name === c?.name) ? "initContainers" : "containers";
    recordEvent(this.api, p, { type, reason, message, source: { component: "kubelet", host: this.node }, ...(c ? { fieldPath: `spec.${list}{${c.name}}` } : {}) });
  }

  private at(rec: PodRecord, delay: number, fn: () => void): void {
    rec.timers.push(this.clock.schedule(this.clock.now() + delay, () => !rec.dead && fn()));
  }

  private admit(pod: KObject): void {
    const rec: PodRecord = { uid: pod.metadata.uid!, ns: pod.metadata.namespace!, name: pod.metadata.name, containers: new Map(), init: newInitState(), backoff: new Map(), finishedAt: new Map(), starting: new Set(), timers: [], dead: false, stdinClosed: new Set() };
    this.pods.set(rec.uid, rec);
    const now = rfc3339(this.clock);
    const init = initialInitStatus(pod, now);
    this.patchStatus(rec, (s, p) => {
      s.phase = "Pending";
      s.conditions = [
        init.condition,
        { type: "Ready", status: "False", lastProbeTime: null, lastTransitionTime: now, reason: "ContainersNotReady", message: `containers with unready status: [${p.spec.containers.map((c: any) => c.name).join(" ")}]` },
        { type: "ContainersReady", status: "False", lastProbeTime: null, lastTransitionTime: now, reason: "ContainersNotReady", message: `containers with unready status: [${p.spec.containers.map((c: any) => c.name).join(" ")}]` },
        { type: "PodScheduled", status: "True", lastProbeTime: null, lastTransitionTime: (s.conditions ?? []).find((c: any) => c.type === "PodScheduled")?.lastTransitionTime ?? now },
      ];
      s.hostIP = this.nodeIP;
      s.hostIPs = [{ ip: this.nodeIP }];
      s.startTime = now;
      s.qosClass = "BestEffort";
      // Every container of a pod with init containers waits as PodInitializing (convertToAPIContainerStatuses).
      const waiting = init.statuses.length ? "PodInitializing" : "ContainerCreating";
      if (init.statuses.length) s.initContainerStatuses = init.statuses;
      s.containerStatuses = p.spec.containers.map((c: any) => ({ name: c.name, image: c.image, imageID: "", ready: false, restartCount: 0, started: false, state: { waiting: { reason: waiting } }, lastState: {} }));
    });
    if (pod.spec.hostNetwork) {
      // Host-network pods (kube-proxy, flannel, the control plane's static pods) are the
      // simulator's own components: they run in the node's namespace from the start.
      this.patchStatus(rec, (s, p) => {
        s.podIP = this.nodeIP;
        s.podIPs = [{ ip: this.nodeIP }];
        for (const cs of s.containerStatuses) {
          const img = this.runtime.findImage(cs.image);
          Object.assign(cs, { ready: true, started: true, state: { running: { startedAt: now } }, containerID: `containerd://${this.runtime.newId()}`, imageID: img?.imageID ?? cs.image });
        }
        readiness(s, now);
      });
      return;
    }
    this.at(rec, SANDBOX_MS, () => this.sandbox(rec));
  }

  private sandbox(rec: PodRecord): void {
    const pod = this.current(rec);
    if (!pod) return;
    rec.sandbox = this.runtime.runPodSandbox(pod.metadata.name);
    rec.sandboxAt = this.clock.now();
    rec.ip = this.cni.add(rec.sandbox.netns).ip;
    this.patchStatus(rec, (s) => {
      s.podIP = rec.ip;
      s.podIPs = [{ ip: rec.ip }];
    });
    this.syncPod(rec);
  }

  /**
   * One SyncPod, once the init containers are done: the containers not started yet, and the exited
   * ones the restart policy restarts (unless in crash back-off: CrashLoopBackOff), one after
   * another in spec order (each waits for its image before the next one's pull begins). A
   * container that fails (ErrImagePull, ImagePullBackOff, …) gets `Failed` "Error: <reason>" and a
   * waiting status, and the sync continues with the next. After a failed sync the pod worker syncs again: right after the
   * relist that sees the new sandbox (PLEG, 1 s period), then backOffPeriod (10 s) after each
   * failed sync (pod_workers.go, without its jitter).
   */
  private syncPod(rec: PodRecord): void {
    if (!this.current(rec) || !syncInit(rec.init, this.initHost(rec))) return;
    const pod = this.current(rec)!;
    const todo: any[] = pod.spec.containers.filter((c: any) => {
      const rc = rec.containers.get(c.name);
      return !rec.starting.has(c.name) && (!rc || (rc.state === "exited" && !rec.terminating && restarts(pod, rc.exitCode!)));
    });
    let failed = false;
    const step = (i: number): void => {
      if (i === todo.length) {
        if (failed) this.failedSync(rec);
        return;
      }
      const c = todo[i];
      if (rec.containers.has(c.name) && this.inCrashBackOff(rec, pod, c)) {
        failed = true;
        return step(i + 1);
      }
      rec.starting.add(c.name);
      this.ensureImage(rec, c, (image) => {
        rec.starting.delete(c.name);
        const p = this.current(rec);
        if (image && p && !rec.terminating) this.startContainer(rec, p, c, image);
        else if (!image) failed = true;
        step(i + 1);
      });
    };
    step(0);
  }

  /** doBackOff for exited container `c`: in back-off it waits as CrashLoopBackOff (a failed sync, retried later). */
  private inCrashBackOff(rec: PodRecord, pod: KObject, c: any): boolean {
    const refused = doBackOff(rec.backoff, pod, c.name, rec.finishedAt.get(c.name)!, this.clock.now());
    if (!refused) return false;
    rec.synced = true;
    this.event(rec, c, "Warning", "BackOff", refused.event);
    this.patchStatus(rec, (s) => {
      const cs = s.containerStatuses.find((x: any) => x.name === c.name);
      if (cs.state.terminated) cs.lastState = { terminated: cs.state.terminated };
      cs.state = { waiting: refused.waiting };
    });
    return true;
  }

  /** The pod worker's requeue after a failed sync: at the relist that sees the new sandbox, then backOffPeriod later. */
  private failedSync(rec: PodRecord): void {
    const firstSync = !rec.synced;
    rec.synced = true;
    const delay = firstSync ? Math.max(0, rec.sandboxAt! + PLEG_RELIST_MS - this.clock.now()) : BACKOFF_MS;
    this.at(rec, delay, () => this.syncPod(rec));
  }

  /** The init phase's view of this kubelet, bound to one pod. */
  private initHost(rec: PodRecord): InitHost {
    return {
      current: () => this.current(rec),
      patchStatus: (fn) => this.patchStatus(rec, fn),
      event: (c, type, reason, message) => this.event(rec, c, type, reason, message),
      at: (ms, fn) => this.at(rec, ms, fn),
      ensureImage: (c, done) => this.ensureImage(rec, c, done),
      launch: (c, image, onExit) =>
        this.launch(rec, this.current(rec)!, c, image, (code) => {
          onExit(code);
          if (rec.terminating) this.finishTermination(rec);
        }),
      now: () => this.clock.now(),
      stamp: () => rfc3339(this.clock),
      resync: (ms) => this.at(rec, ms, () => this.syncPod(rec)),
      failedSync: () => this.failedSync(rec),
      terminating: () => !!rec.terminating,
    };
  }

  /**
   * EnsureImageExists for `c`, then (startContainer) on failure `Failed` "Error: <reason>" and
   * the container's waiting state; `done` gets the image or undefined.
   */
  private ensureImage(rec: PodRecord, c: any, done: (image: RuntimeImage | undefined) => void): void {
    const pod = this.current(rec);
    if (!pod) return;
    const io = { event: (type: EventSpec["type"], reason: string, message: string) => this.event(rec, c, type, reason, message), after: (ms: number, fn: () => void) => (ms ? this.at(rec, ms, fn) : fn()) };
    this.images.ensure(pod.metadata.uid!, c, io, (r) => {
      if ("image" in r) return done(r.image);
      this.patchStatus(rec, (s) => {
        const cs = [...(s.initContainerStatuses ?? []), ...s.containerStatuses].find((x: any) => x.name === c.name);
        if (cs) cs.state = { waiting: { reason: r.reason, message: r.message } };
      });
      this.event(rec, c, "Warning", "Failed", `Error: ${r.reason}`);
      done(undefined);
    });
  }

  /** CreateContainer + StartContainer of `c` in the pod's sandbox, with the Created/Started events. */
  private launch(rec: PodRecord, pod: KObject, c: any, image: RuntimeImage, onExit: (code: number) => void): RuntimeContainer {
    const env: Record<string, string> = {};
    for (const e of c.env ?? []) env[e.name] = e.value ?? "";
    env.KUBERNETES_SERVICE_HOST = "10.96.0.1";
    env.KUBERNETES_SERVICE_PORT = "443";
    const rc = this.runtime.start(rec.sandbox!, { name: c.name, image, command: c.command, args: c.args, env, files: podFiles(pod, this.dns), waitStdin: c.stdin === true && !rec.stdinClosed.has(c.name) }, onExit);
    this.event(rec, c, "Normal", "Created", `Created container ${c.name}`);
    if (rc.state === "running") this.event(rec, c, "Normal", "Started", `Started container ${c.name}`);
    return rc;
  }

  private startContainer(rec: PodRecord, pod: KObject, c: any, image: RuntimeImage): void {
    const restart = rec.containers.has(c.name);
    const rc = this.launch(rec, pod, c, image, (code) => this.exited(rec, c, code));
    rec.containers.set(c.name, rc);
    const now = rfc3339(this.clock);
    this.patchStatus(rec, (s) => {
      const cs = s.containerStatuses.find((x: any) => x.name === c.name);
      if (restart) {
        cs.restartCount += 1;
        if (cs.state.terminated) cs.lastState = { terminated: cs.state.terminated };
      }
      Object.assign(cs, { containerID: `containerd://${rc.id}`, imageID: image.imageID, image: c.image, ready: rc.state === "running", started: rc.state === "running", state: rc.state === "running" ? { running: { startedAt: now } } : cs.state });
      readiness(s, now);
    });
  }

  /** A main process ended: the container's terminated state, the phase once nothing restarts, a sync at the relist that sees it. */
  private exited(rec: PodRecord, c: any, code: number): void {
    rec.finishedAt.set(c.name, this.clock.now());
    const now = rfc3339(this.clock);
    let restart = false;
    this.patchStatus(rec, (s, p) => {
      const cs = s.containerStatuses.find((x: any) => x.name === c.name);
      // A Terminating pod's containers stay down.
      restart = !rec.terminating && restarts(p, code);
      const terminated = { exitCode: code, reason: code === 0 ? "Completed" : "Error", startedAt: cs.state?.running?.startedAt, finishedAt: now, containerID: cs.containerID };
      Object.assign(cs, { ready: false, started: false, state: { terminated } });
      readiness(s, now);
      if (!restart && s.containerStatuses.every((x: any) => x.state?.terminated)) s.phase = s.containerStatuses.every((x: any) => x.state.terminated.exitCode === 0) ? "Succeeded" : "Failed";
    });
    if (restart) this.at(rec, PLEG_RELIST_MS, () => this.syncPod(rec));
    if (rec.terminating) this.finishTermination(rec);
  }

  /**
   * A pod got a deletionTimestamp (killPodWithSyncResult): no more starts or restarts; each
   * running container gets a Killing event, then (prestop.ts) its preStop hook if it has one, and
   * SIGTERM, and SIGKILL once the grace period (deletionGracePeriodSeconds, at least 2 s) is over.
   * A later, shorter period brings every SIGKILL forward.
   */
  private terminate(rec: PodRecord, pod: KObject): void {
    const grace = pod.metadata.deletionGracePeriodSeconds ?? 0;
    const killAt = this.clock.now() + Math.max(grace, MIN_GRACE_S) * 1000;
    const kill = (all: boolean) => () => {
      for (const c of [...rec.init.containers.values(), ...rec.containers.values()]) if (c.state === "running" && (all || !rec.terminating!.own.has(c))) c.signal("KILL");
    };
    if (rec.terminating) {
      if (killAt >= rec.terminating.killAt) return;
      this.clock.cancel(rec.terminating.timer);
      Object.assign(rec.terminating, { killAt, timer: this.clock.schedule(killAt, kill(true)) });
      return;
    }
    for (const t of rec.timers) this.clock.cancel(t);
    rec.timers = [];
    rec.terminating = { killAt, timer: this.clock.schedule(killAt, kill(false)), own: new Set(), timers: [] };
    const term = rec.terminating, minor = minorOf(this.version);
    const running = [...rec.init.containers.values(), ...rec.containers.values()].filter((c) => c.state === "running");
    for (const c of running) this.event(rec, c, "Normal", "Killing", `Stopping container ${c.name}`);
    for (const c of running) {
      const spec = pod.spec.containers.find((x: any) => x.name === c.name);
      const hook = grace > 0 && rec.containers.get(c.name) === c ? preStopHandler(spec, minor) : undefined;
      if (!hook) c.signal("TERM");
      if (!hook) continue;
      term.own.add(c);
      const host = { clock: this.clock, minor, nodeNetns: this.runtime.nodeNetns(), alive: () => !rec.dead, warn: (reason: string, msg: string) => this.event(rec, c, "Warning", reason, msg) };
      stopWithPreStop(host, pod, c, spec, hook, grace, (t) => term.timers.push(t));
    }
    this.finishTermination(rec);
  }

  /**
   * Once no container of a Terminating pod runs, the status manager removes the pod from the API
   * (a DELETE with grace period 0 and the pod's UID as precondition); the DELETED event tears the
   * sandbox down.
   */
  private finishTermination(rec: PodRecord): void {
    if (!rec.terminating || [...rec.init.containers.values(), ...rec.containers.values()].some((c) => c.state === "running")) return;
    for (const t of [rec.terminating.timer, ...rec.terminating.timers]) this.clock.cancel(t);
    this.api.delete(KIND.pod, rec.ns, rec.name, { gracePeriodSeconds: 0, uid: rec.uid });
  }

  private kill(uid: string, pod?: KObject): void {
    const rec = this.pods.get(uid);
    if (!rec) return;
    rec.dead = true;
    // killContainer's event (kuberuntime_container.go), about the pod as it was when deleted
    // (force deletion: the pod never was Terminating here).
    if (pod && !rec.terminating) for (const name of rec.containers.keys()) recordEvent(this.api, pod, { type: "Normal", reason: "Killing", message: `Stopping container ${name}`, source: { component: "kubelet", host: this.node }, fieldPath: `spec.containers{${name}}` });
    for (const t of rec.timers) this.clock.cancel(t);
    if (rec.terminating) for (const t of [rec.terminating.timer, ...rec.terminating.timers]) this.clock.cancel(t);
    for (const c of [...rec.init.containers.values(), ...rec.containers.values()]) c.stop();
    if (rec.ip) this.cni.del(rec.ip);
    if (rec.sandbox) this.runtime.removePodSandbox(rec.sandbox);
    this.pods.delete(uid);
  }
}

/** Whether the pod's restartPolicy restarts a container that exited with `code`. */
function restarts(pod: KObject, code: number): boolean {
  return pod.spec.restartPolicy === "Always" || (pod.spec.restartPolicy === "OnFailure" && code !== 0);
}
