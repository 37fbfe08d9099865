/**
 * Event recording, as the control plane's components record core/v1 Events about the objects
 * they act on (client-go tools/record for the kubelet and controllers; the scheduler writes
 * events.k8s.io/v1 Events, which read through core/v1 as `eventTime` + `reportingComponent` with
 * an empty `source` and no first/last timestamps).
 *
 *   kubelet               Pulling / Pulled / Created / Started / Failed / BackOff / Killing   (fieldPath spec.containers{NAME})
 *   default-scheduler     Scheduled "Successfully assigned NS/POD to NODE"
 *   replicaset-controller SuccessfulCreate / SuccessfulDelete "Created pod: NAME"
 *   deployment-controller ScalingReplicaSet "Scaled up replica set NAME to N" ("… to N from M" when scaled)
 *
 * The same (object, type, reason, message, source) again bumps `count` and `lastTimestamp`
 * (the recorder's EventCorrelator aggregation), as `kubectl describe` shows "(x3 over 40s)".
 * Event names are `OBJECT.%x` of the event's Unix time in nanoseconds, from the virtual clock;
 * recording never draws from the random generator, so events do not change any other name.
 */
import type { ApiServer } from "./apiserver.js";
import type { KObject } from "./objects.js";
import { findKind } from "./schema.js";

const EVENT = findKind("v1", "Event")!;
/** Per API server: aggregation key (object uid, subobject, type, reason, message, source) → event name. */
const INDEX = new WeakMap<ApiServer, Map<string, string>>();

/** Who records: the legacy recorder's source, or the events.k8s.io reporting controller. */
export type EventSource = { component: string; host?: string } | { reportingController: string; reportingInstance: string };

/** One event to record: its type, reason, message, recorder and (for containers) sub-object. */
export interface EventSpec {
  type: "Normal" | "Warning";
  reason: string;
  message: string;
  source: EventSource;
  /** `spec.containers{nginx}` for container events. */
  fieldPath?: string;
  /** events.k8s.io action (the scheduler's "Binding"). */
  action?: string;
}

/** RFC 3339 with microseconds (metav1.MicroTime), as eventTime is written. */
function microTime(epochMs: number): string {
  return new Date(epochMs).toISOString().replace(/\.(\d{3})Z$/, ".$1000Z");
}

/** Records `spec` about `obj` through `api` (aggregating repeats), at the API server's clock. */
export function recordEvent(api: ApiServer, obj: KObject, spec: EventSpec): void {
  const epochMs = api.clock.epochMs + api.clock.now();
  const stamp = new Date(epochMs).toISOString().replace(/\.\d{3}Z$/, "Z");
  const ns = obj.metadata.namespace ?? "default";
  const legacy = "component" in spec.source;
  const involvedObject = {
    apiVersion: obj.apiVersion,
    ...(spec.fieldPath ? { fieldPath: spec.fieldPath } : {}),
    kind: obj.kind,
    name: obj.metadata.name,
    ...(obj.metadata.namespace ? { namespace: obj.metadata.namespace } : {}),
    resourceVersion: obj.metadata.resourceVersion,
    uid: obj.metadata.uid,
  };
  let index = INDEX.get(api);
  if (!index) INDEX.set(api, (index = new Map()));
  const aggKey = legacy ? [obj.metadata.uid, spec.fieldPath ?? "", spec.type, spec.reason, spec.message, (spec.source as { component: string }).component].join("\u0000") : "";
  if (legacy) {
    const name = index.get(aggKey);
    const same = name !== undefined ? api.get(EVENT, ns, name) : undefined;
    if (same) {
      api.storeEvent({ ...structuredClone(same), count: (same.count ?? 1) + 1, lastTimestamp: stamp });
      return;
    }
  }
  const base = { apiVersion: "v1", kind: "Event", metadata: { name: `${obj.metadata.name}.${api.eventNanos(epochMs).toString(16)}`, namespace: ns }, involvedObject, reason: spec.reason, message: spec.message, type: spec.type };
  if (legacy) {
    index.set(aggKey, base.metadata.name);
    const src = spec.source as { component: string; host?: string };
    api.storeEvent({ ...base, source: { component: src.component, ...(src.host ? { host: src.host } : {}) }, firstTimestamp: stamp, lastTimestamp: stamp, count: 1, eventTime: null, reportingComponent: src.component, reportingInstance: src.host ?? "" });
  } else {
    const src = spec.source as { reportingController: string; reportingInstance: string };
    api.storeEvent({ ...base, ...(spec.action ? { action: spec.action } : {}), source: {}, firstTimestamp: null, lastTimestamp: null, eventTime: microTime(epochMs), reportingComponent: src.reportingController, reportingInstance: src.reportingInstance });
  }
}
