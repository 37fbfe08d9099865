/**
 * The kinds the simulated API server serves and their field schemas, for the API server's strict
 * decoding (kubectl 1.27+ sends fieldValidation=Strict): an unknown field is a BadRequest
 * `strict decoding error: unknown field "spec.containers[0].ports[0].continerPort"`, a wrong type a
 * `json: cannot unmarshal string into Go struct field ContainerPort.spec.containers.ports.containerPort of type int32`.
 * Sources: apimachinery pkg/runtime/serializer/json (strict errors), k8s.io/api types.go files.
 */

/** A field type: scalar, string map, anything, a nested struct, or a list. */
export type FieldType = "string" | "int32" | "int64" | "bool" | "map" | "any" | "intstr" | StructType | { list: FieldType };
export interface StructType {
  go: string;
  fields: Record<string, FieldType>;
}

const S = (go: string, fields: Record<string, FieldType>): StructType => ({ go, fields });
const L = (t: FieldType): { list: FieldType } => ({ list: t });

const objectMeta = S("ObjectMeta", {
  name: "string", generateName: "string", namespace: "string", uid: "string", resourceVersion: "string",
  generation: "int64", creationTimestamp: "any", deletionTimestamp: "any", labels: "map", annotations: "map",
  ownerReferences: "any", finalizers: L("string"), managedFields: "any", selfLink: "string", deletionGracePeriodSeconds: "int64",
});
const containerPort = S("ContainerPort", { name: "string", hostPort: "int32", containerPort: "int32", protocol: "string", hostIP: "string" });
const envVar = S("EnvVar", { name: "string", value: "string", valueFrom: "any" });
const container = S("Container", {
  name: "string", image: "string", command: L("string"), args: L("string"), workingDir: "string", ports: L(containerPort),
  envFrom: "any", env: L(envVar), resources: "any", volumeMounts: "any", volumeDevices: "any", livenessProbe: "any",
  readinessProbe: "any", startupProbe: "any", lifecycle: "any", terminationMessagePath: "string",
  terminationMessagePolicy: "string", imagePullPolicy: "string", securityContext: "any", stdin: "bool", stdinOnce: "bool",
  tty: "bool", resizePolicy: "any", restartPolicy: "string",
});
const podSpec = S("PodSpec", {
  volumes: "any", initContainers: L(container), containers: L(container), ephemeralContainers: "any", restartPolicy: "string",
  terminationGracePeriodSeconds: "int64", activeDeadlineSeconds: "int64", dnsPolicy: "string", nodeSelector: "map",
  serviceAccountName: "string", serviceAccount: "string", automountServiceAccountToken: "bool", nodeName: "string",
  hostNetwork: "bool", hostPID: "bool", hostIPC: "bool", shareProcessNamespace: "bool", securityContext: "any",
  imagePullSecrets: "any", hostname: "string", subdomain: "string", affinity: "any", schedulerName: "string",
  tolerations: "any", hostAliases: "any", priorityClassName: "string", priority: "int32", dnsConfig: "any",
  readinessGates: "any", runtimeClassName: "string", enableServiceLinks: "bool", preemptionPolicy: "string",
  overhead: "any", topologySpreadConstraints: "any", setHostnameAsFQDN: "bool", os: "any", hostUsers: "bool",
  schedulingGates: "any", resourceClaims: "any",
});
const podTemplate = S("PodTemplateSpec", { metadata: objectMeta, spec: podSpec });
const labelSelector = S("LabelSelector", { matchLabels: "map", matchExpressions: "any" });
const servicePort = S("ServicePort", { name: "string", protocol: "string", appProtocol: "string", port: "int32", targetPort: "intstr", nodePort: "int32" });
const serviceSpec = S("ServiceSpec", {
  ports: L(servicePort), selector: "map", clusterIP: "string", clusterIPs: L("string"), type: "string", externalIPs: L("string"),
  sessionAffinity: "string", loadBalancerIP: "string", loadBalancerSourceRanges: L("string"), externalName: "string",
  externalTrafficPolicy: "string", healthCheckNodePort: "int32", publishNotReadyAddresses: "bool", sessionAffinityConfig: "any",
  ipFamilies: L("string"), ipFamilyPolicy: "string", allocateLoadBalancerNodePorts: "bool", loadBalancerClass: "string",
  internalTrafficPolicy: "string",
});
const deploymentSpec = S("DeploymentSpec", {
  replicas: "int32", selector: labelSelector, template: podTemplate, strategy: "any", minReadySeconds: "int32",
  revisionHistoryLimit: "int32", paused: "bool", progressDeadlineSeconds: "int32",
});
const rsSpec = S("ReplicaSetSpec", { replicas: "int32", minReadySeconds: "int32", selector: labelSelector, template: podTemplate });
const ingressBackend = S("IngressBackend", {
  service: S("IngressServiceBackend", { name: "string", port: S("ServiceBackendPort", { name: "string", number: "int32" }) }),
  resource: "any",
});
const ingressSpec = S("IngressSpec", {
  ingressClassName: "string", defaultBackend: ingressBackend, tls: "any",
  rules: L(S("IngressRule", {
    host: "string",
    http: S("HTTPIngressRuleValue", { paths: L(S("HTTPIngressPath", { path: "string", pathType: "string", backend: ingressBackend })) }),
  })),
});

const top = (go: string, extra: Record<string, FieldType>): StructType =>
  S(go, { apiVersion: "string", kind: "string", metadata: objectMeta, ...extra });

/** One served kind: its REST resource name, group, scope and schema. */
export interface KindInfo {
  kind: string;
  group: string;
  version: string;
  resource: string;
  namespaced: boolean;
  schema: StructType;
  /** Short names kubectl accepts (`svc`, `deploy`, …). */
  short: string[];
  singular: string;
}

const k = (kind: string, gv: string, resource: string, namespaced: boolean, schema: StructType, short: string[] = []): KindInfo => {
  const [group, version] = gv.includes("/") ? gv.split("/") as [string, string] : ["", gv];
  return { kind, group, version, resource, namespaced, schema, short, singular: kind.toLowerCase() };
};

/** Every kind the simulated cluster serves. */
export const KINDS: KindInfo[] = [
  k("Pod", "v1", "pods", true, top("Pod", { spec: podSpec, status: "any" }), ["po"]),
  k("Service", "v1", "services", true, top("Service", { spec: serviceSpec, status: "any" }), ["svc"]),
  k("Namespace", "v1", "namespaces", false, top("Namespace", { spec: "any", status: "any" }), ["ns"]),
  k("Node", "v1", "nodes", false, top("Node", { spec: "any", status: "any" }), ["no"]),
  k("Endpoints", "v1", "endpoints", true, top("Endpoints", { subsets: "any" }), ["ep"]),
  k("ConfigMap", "v1", "configmaps", true, top("ConfigMap", { data: "map", binaryData: "any", immutable: "bool" }), ["cm"]),
  k("ServiceAccount", "v1", "serviceaccounts", true, top("ServiceAccount", { secrets: "any", imagePullSecrets: "any", automountServiceAccountToken: "bool" }), ["sa"]),
  k("Secret", "v1", "secrets", true, top("Secret", { data: "any", stringData: "any", type: "string", immutable: "bool" })),
  k("Event", "v1", "events", true, top("Event", {
    involvedObject: "any", reason: "string", message: "string", source: "any", firstTimestamp: "any", lastTimestamp: "any",
    count: "int32", type: "string", eventTime: "any", series: "any", action: "string", related: "any",
    reportingComponent: "string", reportingInstance: "string",
  }), ["ev"]),
  k("Deployment", "apps/v1", "deployments", true, top("Deployment", { spec: deploymentSpec, status: "any" }), ["deploy"]),
  k("ReplicaSet", "apps/v1", "replicasets", true, top("ReplicaSet", { spec: rsSpec, status: "any" }), ["rs"]),
  k("EndpointSlice", "discovery.k8s.io/v1", "endpointslices", true, top("EndpointSlice", { addressType: "string", endpoints: "any", ports: "any" })),
  k("Ingress", "networking.k8s.io/v1", "ingresses", true, top("Ingress", { spec: ingressSpec, status: "any" }), ["ing"]),
  k("IngressClass", "networking.k8s.io/v1", "ingressclasses", false, top("IngressClass", { spec: "any" })),
  k("ClusterRole", "rbac.authorization.k8s.io/v1", "clusterroles", false, top("ClusterRole", { rules: "any", aggregationRule: "any" })),
  k("ClusterRoleBinding", "rbac.authorization.k8s.io/v1", "clusterrolebindings", false, top("ClusterRoleBinding", { subjects: "any", roleRef: "any" })),
  k("Role", "rbac.authorization.k8s.io/v1", "roles", true, top("Role", { rules: "any" })),
  k("RoleBinding", "rbac.authorization.k8s.io/v1", "rolebindings", true, top("RoleBinding", { subjects: "any", roleRef: "any" })),
];

/** The kind served at `apiVersion` with exactly this (case-sensitive) name, as the REST mapper finds it. */
export function findKind(apiVersion: string, kind: string): KindInfo | undefined {
  return KINDS.find((x) => (x.group ? `${x.group}/${x.version}` : x.version) === apiVersion && x.kind === kind);
}

/** A resource name as kubectl accepts it on the command line (plural, singular, short, `kind.group`). */
export function findResource(name: string): KindInfo | undefined {
  const n = name.toLowerCase();
  return KINDS.find((x) => x.resource === n || x.singular === n || x.short.includes(n) || `${x.resource}.${x.group}` === n || `${x.singular}.${x.group}` === n);
}

function goType(t: FieldType): string {
  if (typeof t === "string") return t === "map" ? "map[string]string" : t === "intstr" ? "intstr.IntOrString" : t === "any" ? "interface {}" : t;
  if ("list" in t) return `[]${goType(t.list)}`;
  return `v1.${t.go}`;
}

function jsonKind(v: unknown): string {
  if (v === null) return "null";
  if (Array.isArray(v)) return "array";
  if (typeof v === "object") return "object";
  return typeof v;
}

/**
 * Strict decoding: every unknown field path (`spec.containers[0].ports[0].continerPort`), and the
 * first type error in json's words. Returns error text, or undefined when the object decodes.
 */
export function strictDecode(obj: Record<string, unknown>, schema: StructType): string | undefined {
  const unknown: string[] = [];
  let typeError: string | undefined;
  const walk = (v: unknown, t: FieldType, path: string, goPath: string[], owner: string) => {
    if (v === null || v === undefined || t === "any") return;
    const mismatch = (want: string) => {
      typeError ??= `json: cannot unmarshal ${jsonKind(v)} into Go struct field ${owner}.${goPath.join(".")} of type ${want}`;
    };
    if (typeof t === "string") {
      if (t === "string" && typeof v !== "string") mismatch("string");
      else if ((t === "int32" || t === "int64") && (typeof v !== "number" || !Number.isInteger(v))) mismatch(t);
      else if (t === "bool" && typeof v !== "boolean") mismatch("bool");
      else if (t === "map" && (typeof v !== "object" || Array.isArray(v))) mismatch("map[string]string");
      else if (t === "map" && Object.values(v as object).some((x) => typeof x !== "string")) {
        const bad = Object.values(v as object).find((x) => typeof x !== "string");
        typeError ??= `json: cannot unmarshal ${jsonKind(bad)} into Go struct field ${owner}.${goPath.join(".")} of type string`;
      }
      return;
    }
    if ("list" in t) {
      if (!Array.isArray(v)) return mismatch(goType(t));
      v.forEach((item, i) => walk(item, t.list, `${path}[${i}]`, goPath, owner));
      return;
    }
    if (typeof v !== "object" || Array.isArray(v)) return mismatch(goType(t));
    for (const [key, val] of Object.entries(v as Record<string, unknown>)) {
      const ft = t.fields[key];
      const p = path ? `${path}.${key}` : key;
      if (ft === undefined) unknown.push(`unknown field "${p}"`);
      else walk(val, ft, p, [...goPath, key], t.go);
    }
  };
  // json's "Go struct field" names the struct that owns the field and the path from the top.
  const walkTop = () => {
    for (const [key, val] of Object.entries(obj)) {
      const ft = schema.fields[key];
      if (ft === undefined) unknown.push(`unknown field "${key}"`);
      else walk(val, ft, key, [key], schema.go);
    }
  };
  walkTop();
  if (typeError) return typeError;
  if (unknown.length) return `strict decoding error: ${unknown.join(", ")}`;
  return undefined;
}
