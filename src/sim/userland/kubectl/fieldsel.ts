/**
 * `--field-selector`: `field=value`, `field==value`, `field!=value`, comma-separated, all must
 * hold. The API server supports a few fields per kind (each kind's GetAttrs/fieldsets, e.g.
 * pkg/registry/core/pod/strategy.go PodToSelectableFields, core/event/strategy.go); any other
 * field is a BadRequest: `Unable to find "/v1, Resource=pods" that match label selector "",
 * field selector "foo=bar": field label not supported: foo`. (The text for a term that does not
 * parse is fields.ParseSelector's; how a server wraps it was not captured.)
 */
import type { KindInfo, KObject } from "../../k8s/api.js";

const META = ["metadata.name", "metadata.namespace"];

/** Selectable fields per kind, with how to read each from an object. */
const FIELDS: Record<string, Record<string, (o: KObject) => unknown>> = {
  Pod: {
    "spec.nodeName": (o) => o.spec?.nodeName,
    "spec.restartPolicy": (o) => o.spec?.restartPolicy,
    "spec.schedulerName": (o) => o.spec?.schedulerName,
    "spec.serviceAccountName": (o) => o.spec?.serviceAccountName,
    "spec.hostNetwork": (o) => String(o.spec?.hostNetwork ?? false),
    "status.phase": (o) => o.status?.phase,
    "status.podIP": (o) => o.status?.podIP,
    "status.nominatedNodeName": (o) => o.status?.nominatedNodeName,
  },
  Event: {
    "involvedObject.kind": (o) => o.involvedObject?.kind,
    "involvedObject.namespace": (o) => o.involvedObject?.namespace,
    "involvedObject.name": (o) => o.involvedObject?.name,
    "involvedObject.uid": (o) => o.involvedObject?.uid,
    "involvedObject.apiVersion": (o) => o.involvedObject?.apiVersion,
    "involvedObject.resourceVersion": (o) => o.involvedObject?.resourceVersion,
    "involvedObject.fieldPath": (o) => o.involvedObject?.fieldPath,
    reason: (o) => o.reason,
    reportingComponent: (o) => o.reportingComponent,
    source: (o) => o.source?.component,
    type: (o) => o.type,
  },
  Node: { "spec.unschedulable": (o) => String(o.spec?.unschedulable ?? false) },
  Namespace: { "status.phase": (o) => o.status?.phase },
  Secret: { type: (o) => o.type },
};

/** A filter for `sel` on objects of `kind`, or kubectl's error text for an unsupported field. */
export function fieldFilter(kind: KindInfo, sel: string | undefined): { ok: true; test: (o: KObject) => boolean } | { ok: false; error: string } {
  if (!sel) return { ok: true, test: () => true };
  const terms: Array<{ field: string; neg: boolean; value: string }> = [];
  for (const t of sel.split(",")) {
    const m = /^\s*([^!=\s]+)\s*(!=|==|=)\s*(.*?)\s*$/.exec(t);
    if (!m) return { ok: false, error: `error: invalid selector: '${sel}'; can't understand '${t}'` };
    terms.push({ field: m[1]!, neg: m[2] === "!=", value: m[3]! });
  }
  const readers = FIELDS[kind.kind] ?? {};
  for (const t of terms) {
    if (!META.includes(t.field) && !readers[t.field]) {
      const gvr = `${kind.group}/${kind.version}, Resource=${kind.resource}`;
      return { ok: false, error: `Error from server (BadRequest): Unable to find "${gvr}" that match label selector "", field selector "${sel}": field label not supported: ${t.field}` };
    }
  }
  const read = (o: KObject, f: string): string => String((f === "metadata.name" ? o.metadata.name : f === "metadata.namespace" ? o.metadata.namespace : readers[f]!(o)) ?? "");
  return { ok: true, test: (o) => terms.every((t) => (read(o, t.field) === t.value) !== t.neg) };
}
