/**
 * Server-side validation of the kinds whose rules lessons meet, as field errors
 * (`spec.selector: Required value`). Sources: kubernetes pkg/apis/core/validation/validation.go
 * (ValidatePodSpec, validateContainerPorts, ValidateService), pkg/apis/apps/validation
 * (ValidateDeploymentSpec, ValidatePodTemplateSpecForReplicaSet), apimachinery
 * pkg/util/validation (IsDNS1123Subdomain, IsDNS1035Label) and field/errors.go (ErrorBody).
 */
import type { KObject } from "./objects.js";
import { selectorMatches } from "./objects.js";

/** One field error, printed as `field: body`. */
export interface FieldError {
  field: string;
  body: string;
}

const DNS1123_SUB = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS1035 = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;

const required = (field: string, detail = ""): FieldError => ({ field, body: detail ? `Required value: ${detail}` : "Required value" });

/** Go's %#v of a value, as field.Invalid prints it (strings quoted, string maps as map[string]string{...}). */
export function goValue(v: unknown): string {
  if (typeof v === "string") return JSON.stringify(v);
  if (v && typeof v === "object" && !Array.isArray(v)) {
    const entries = Object.entries(v as Record<string, string>).sort(([a], [b]) => (a < b ? -1 : 1));
    return `map[string]string{${entries.map(([k, x]) => `${JSON.stringify(k)}:${JSON.stringify(x)}`).join(", ")}}`;
  }
  return String(v);
}
const invalid = (field: string, value: unknown, detail: string): FieldError => ({ field, body: `Invalid value: ${goValue(value)}: ${detail}` });

const LABEL1123 = "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')";

function validateName(obj: KObject, kind: "subdomain" | "label1035" | "label1123"): FieldError[] {
  const name = obj.metadata?.name;
  if (!name) return obj.metadata?.generateName ? [] : [required("metadata.name", "name or generateName is required")];
  if (kind === "subdomain" && !(DNS1123_SUB.test(name) && name.length <= 253)) {
    return [invalid("metadata.name", name, "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')")];
  }
  if (kind === "label1035" && !(DNS1035.test(name) && name.length <= 63)) {
    return [invalid("metadata.name", name, "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')")];
  }
  if (kind === "label1123" && !(DNS1123_LABEL.test(name) && name.length <= 63)) {
    return [invalid("metadata.name", name, LABEL1123)];
  }
  return [];
}

function validatePodSpec(spec: any, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const containers: any[] = spec?.containers ?? [];
  if (containers.length === 0) errs.push(required(`${path}.containers`));
  const names = new Set<string>();
  containers.forEach((c, i) => {
    const p = `${path}.containers[${i}]`;
    if (!c.name) errs.push(required(`${p}.name`));
    else if (!(DNS1123_LABEL.test(c.name) && c.name.length <= 63)) errs.push(invalid(`${p}.name`, c.name, LABEL1123));
    else if (names.has(c.name)) errs.push({ field: `${p}.name`, body: `Duplicate value: ${JSON.stringify(c.name)}` });
    names.add(c.name);
    if (!c.image) errs.push(required(`${p}.image`));
    (c.ports ?? []).forEach((port: any, j: number) => {
      const pp = `${p}.ports[${j}]`;
      if (!port.containerPort) errs.push(required(`${pp}.containerPort`));
      else if (port.containerPort < 1 || port.containerPort > 65535) errs.push(invalid(`${pp}.containerPort`, port.containerPort, "must be between 1 and 65535, inclusive"));
    });
  });
  return errs;
}

/** The field errors of `obj` (already defaulted); empty when valid. */
export function validateObject(obj: KObject): FieldError[] {
  switch (obj.kind) {
    case "Pod":
      return [...validateName(obj, "subdomain"), ...validatePodSpec(obj.spec, "spec")];
    case "Deployment":
    case "ReplicaSet": {
      const errs = validateName(obj, "subdomain");
      const sel = obj.spec?.selector;
      const hasSel = sel && (Object.keys(sel.matchLabels ?? {}).length > 0 || (sel.matchExpressions ?? []).length > 0);
      if (!sel) errs.push(required("spec.selector"));
      else if (!hasSel) errs.push(invalid("spec.selector", "", "empty selector is invalid for deployment"));
      const labels = obj.spec?.template?.metadata?.labels ?? {};
      // A nil selector converts to labels.Nothing(), which is not Empty() and matches nothing.
      if (!sel || (hasSel && !selectorMatches(sel, labels))) {
        errs.push(invalid("spec.template.metadata.labels", labels, "`selector` does not match template `labels`"));
      }
      if (typeof obj.spec?.replicas === "number" && obj.spec.replicas < 0) errs.push(invalid("spec.replicas", obj.spec.replicas, "must be greater than or equal to 0"));
      return [...errs, ...validatePodSpec(obj.spec?.template?.spec, "spec.template.spec")];
    }
    case "Service": {
      const errs = validateName(obj, "label1035");
      const ports: any[] = obj.spec?.ports ?? [];
      const TYPES = ["ClusterIP", "ExternalName", "LoadBalancer", "NodePort"];
      if (obj.spec?.type !== undefined && !TYPES.includes(obj.spec.type)) {
        errs.push({ field: "spec.type", body: `Unsupported value: ${JSON.stringify(obj.spec.type)}: supported values: ${TYPES.map((t) => `"${t}"`).join(", ")}` });
      }
      if (ports.length === 0 && obj.spec?.clusterIP !== "None" && obj.spec?.type !== "ExternalName") errs.push(required("spec.ports"));
      ports.forEach((p, i) => {
        if (ports.length > 1 && !p.name) errs.push(required(`spec.ports[${i}].name`));
        if (!p.port) errs.push(required(`spec.ports[${i}].port`));
        if (p.nodePort !== undefined && (p.nodePort < 30000 || p.nodePort > 32767)) {
          errs.push(invalid(`spec.ports[${i}].nodePort`, p.nodePort, "provided port is not in the valid range. The range of valid ports is 30000-32767"));
        }
      });
      return errs;
    }
    case "Namespace":
      return validateName(obj, "label1123");
    default:
      return validateName(obj, "subdomain");
  }
}
