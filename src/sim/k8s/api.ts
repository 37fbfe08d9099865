/**
 * The cluster as its clients (kubectl) see it: the API server's REST verbs, discovery, and the
 * kubelet's streaming endpoints (exec, logs). Found at `proc.world.daemons.kubernetes`.
 * kubectl imports only this module.
 */
import type { ProcContext, Stdio } from "../userland/types.js";
import type { ApiError, ApiResult, WatchEvent } from "./apiserver.js";
import type { KObject } from "./objects.js";
import type { KindInfo } from "./schema.js";

export type { ApiError, ApiResult, KObject, KindInfo, WatchEvent };

/** Where kubectl's exec lands: the container's process context, or the API's refusal. */
export type ExecTarget =
  | { ok: true; ctx: ProcContext; container: string; defaulted?: string }
  | { ok: false; error: ApiError | { message: string } };

/** A kubectl attach session: output streams until `detach`; `ended` once the main process has exited. */
export type AttachResult = { ok: true; detach(): void; ended(): boolean } | { ok: false; error: ApiError | { message: string } };

export interface KubeClusterApi {
  /** Kubernetes version the cluster runs, e.g. "1.28.0". */
  readonly version: string;
  /** Calendar now in ms (the virtual clock's epoch + now), for AGE. */
  nowMs(): number;
  /** Lets virtual time pass (kubectl wait/rollout status poll this way). */
  sleep(ms: number): void;
  /** Served kinds (discovery). */
  discovery(): KindInfo[];
  get(k: KindInfo, ns: string | undefined, name: string): KObject | undefined;
  list(k: KindInfo, ns?: string): KObject[];
  /** POST; `dryRun` (?dryRun=All) admits and returns the object without storing it. */
  create(obj: Record<string, unknown>, ns: string, opts?: { dryRun?: boolean }): ApiResult<KObject>;
  apply(obj: Record<string, unknown>, ns: string): ApiResult<KObject> & { op?: "created" | "configured" | "unchanged" };
  update(obj: KObject): ApiResult<KObject>;
  /**
   * DELETE with DeleteOptions.gracePeriodSeconds (undefined: the object's default); a pod on a
   * node becomes Terminating and goes once its kubelet stopped it.
   */
  delete(k: KindInfo, ns: string | undefined, name: string, opts?: { gracePeriodSeconds?: number }): ApiResult<KObject>;
  /** The context of container `container` (default: the first) of a running pod, for `kubectl exec`. */
  execTarget(ns: string, pod: string, container?: string): ExecTarget;
  /** Attaches `io` to a running container's main process (kubectl attach / run -i), `stdin` for its input. */
  attach(ns: string, pod: string, container: string | undefined, io: Stdio, stdin?: string): AttachResult;
  /** A container's log (stdout and stderr lines of its main process). */
  logs(ns: string, pod: string, container?: string): { ok: true; text: string } | { ok: false; message: string };
  /** Documents reachable at http(s) URLs from this world (kubectl apply -f URL), or undefined. */
  fetch(url: string): string | undefined;
}
