/**
 * Stopping one container of a Terminating pod when it declares `lifecycle.preStop`, as
 * kuberuntime_container.go killContainer/executePreStopHook do it:
 *
 *   Killing event ──► hook (exec in the container | httpGet from the node | sleep, 1.30+)
 *        waited for at most the grace period G; a failure records FailedPreStopHook, nothing more
 *   ──► SIGTERM ──► SIGKILL after max(G − hook seconds, 2)        (1.28+, and before 1.22)
 *                    SIGKILL after max(G, 2)                       (1.22–1.27: the pod worker's
 *                    grace period override replaced the remainder, kubernetes#117798; fixed by
 *                    #115835, taken here as released in 1.28)
 *
 * The hook's seconds are truncated (int64 of a Duration's Seconds()). A hook still running when
 * the grace period ends is no longer waited for (its simulated process runs on to its own end; the
 * real one dies with the container: D-K8S-TERM-1).
 * A failure's event carries handlers.go's message (Run) before 1.26, `PreStopHook failed` from
 * 1.26. postStart hooks are not run.
 */
import type { Clock } from "../../core/clock.js";
import type { NetnsApi } from "../kernel/api.js";
import type { KObject } from "./objects.js";
import type { RuntimeContainer } from "./runtime.js";

/** minimumGracePeriodInSeconds (kuberuntime_manager.go): a container always gets 2 s after SIGTERM. */
export const MIN_GRACE_S = 2;

/** What stopping a container needs from its kubelet. */
export interface PreStopHost {
  clock: Clock;
  /** The kubelet's minor version (28 for 1.28). */
  minor: number;
  /** The node's network namespace, where the kubelet's HTTP client runs. */
  nodeNetns: NetnsApi;
  /** A Warning event about the container. */
  warn(reason: string, message: string): void;
  /** Whether the pod is still this kubelet's (not torn down meanwhile). */
  alive(): boolean;
}

/** The container's preStop handler as the kubelet of `minor` sees it, or undefined when it runs none. */
export function preStopHandler(spec: any, minor: number): any {
  const h = spec?.lifecycle?.preStop;
  if (!h) return undefined;
  // The sleep action (KEP-3960, PodLifecycleSleepAction) is beta and on by default from 1.30.
  if (!h.exec && !h.httpGet && !(h.sleep && minor >= 30)) return undefined;
  return h;
}

/**
 * killContainer for running container `c` with preStop handler `hook` and grace period
 * `graceS`: runs the hook, then sends SIGTERM and schedules the SIGKILL; `killTimer` gets that
 * timer's handle (so the kubelet can cancel it when the pod goes).
 */
export function stopWithPreStop(host: PreStopHost, pod: KObject, c: RuntimeContainer, spec: any, hook: any, graceS: number, killTimer: (handle: number) => void): void {
  const start = host.clock.now();
  let done = false;
  const proceed = () => {
    if (done || !host.alive()) return;
    done = true;
    host.clock.cancel(cut);
    const elapsed = Math.floor((host.clock.now() - start) / 1000);
    const rest = host.minor >= 22 && host.minor < 28 ? graceS : graceS - elapsed;
    const stopS = Math.max(rest, MIN_GRACE_S);
    if (c.state !== "running") return;
    c.signal("TERM");
    if (c.state === "running") killTimer(host.clock.schedule(host.clock.now() + stopS * 1000, () => c.state === "running" && c.signal("KILL")));
  };
  const cut = host.clock.schedule(start + graceS * 1000, proceed);
  runHandler(host, pod, c, spec, hook, (failure) => {
    // From 1.26 the event no longer carries the handler's message, lest it leak secrets (kubernetes#119541).
    if (failure !== undefined && !done && host.alive()) host.warn("FailedPreStopHook", host.minor >= 26 ? "PreStopHook failed" : failure);
    proceed();
  });
}

/** format.Pod: NAME_NAMESPACE(UID). */
function formatPod(pod: KObject): string {
  return `${pod.metadata.name}_${pod.metadata.namespace}(${pod.metadata.uid})`;
}

/** Go's %q of a string (ASCII: JSON's escapes are Go's). */
const goQuote = (s: string) => JSON.stringify(s);

/**
 * HandlerRunner.Run: `done` gets undefined on success, else the message the kubelet records. It
 * is called straight from the clock's task or the exec's end (no promise chain in between), so a
 * foreground wait stepping virtual time sees the hook end before the next event.
 */
function runHandler(host: PreStopHost, pod: KObject, c: RuntimeContainer, spec: any, h: any, done: (failure?: string) => void): void {
  if (h.exec) {
    const cmd: string[] = (h.exec.command ?? []).map(String);
    let out = "";
    let err = "";
    c.exec(cmd, { write: (fd, text) => (fd === 1 ? (out += text) : (err += text)) }, (code) => {
      if (code === 0) return done();
      // ExecSync's CodeExitError ("command '…' exited with N: STDERR"); the output is stdout then stderr.
      const error = `command '${cmd.join(" ")}' exited with ${code}: ${err}`;
      done(`Exec lifecycle hook ([${cmd.join(" ")}]) for Container "${spec.name}" in Pod "${formatPod(pod)}" failed - error: ${error}, message: ${goQuote(out + err)}`);
    });
    return;
  }
  if (h.httpGet) return done(httpGetHook(host, pod, spec, h.httpGet));
  // The sleep action: the hook simply lasts that long (it never fails for a valid duration).
  host.clock.schedule(host.clock.now() + Number(h.sleep.seconds) * 1000, () => done());
}

/** The httpGet handler (runHTTPHandler): a GET from the node; undefined once any HTTP answer came. */
function httpGetHook(host: PreStopHost, pod: KObject, spec: any, g: any): string | undefined {
  const host_ = g.host || pod.status?.podIP;
  const port = typeof g.port === "number" || /^\d+$/.test(String(g.port)) ? Number(g.port) : (spec.ports ?? []).find((p: any) => p.name === g.port)?.containerPort;
  const path = g.path ?? "";
  const url = `${(g.scheme ?? "HTTP").toLowerCase()}://${host_}:${port}${path}`;
  const fail = (e: string) => `HTTP lifecycle hook (${path}) for Container "${spec.name}" in Pod "${formatPod(pod)}" failed - error: ${e}`;
  if (port === undefined) return fail(`unable to find port ${goQuote(String(g.port))} in container ${spec.name}`);
  const headers = (g.httpHeaders ?? []).map((x: any) => `${x.name}: ${x.value}\r\n`).join("");
  const req = new TextEncoder().encode(`GET ${path || "/"} HTTP/1.1\r\nHost: ${host_}:${port}\r\nUser-Agent: kube-lifecycle/1.${host.minor}\r\n${headers}Accept: */*\r\nConnection: close\r\n\r\n`);
  const r = host.nodeNetns.tcpRequest(host_, port, req);
  // Any HTTP answer is a success: runHTTPHandler only discards the body.
  if (r.ok) return undefined;
  const d = r.disposition;
  const why = d.kind === "refused" ? "connect: connection refused" : d.kind === "timeout" ? "i/o timeout" : "connect: no route to host";
  return fail(`Get ${goQuote(url)}: dial tcp ${host_}:${port}: ${why}`);
}
