/**
 * Kubernetes API objects as the simulated API server stores them: the JSON shapes of the real API
 * (core/v1, apps/v1, discovery.k8s.io/v1, networking.k8s.io/v1), with only the fields the
 * simulator uses typed. Unknown-field checks happen in schema.ts before an object gets here.
 */

export interface ObjectMeta {
  name: string;
  namespace?: string;
  uid?: string;
  resourceVersion?: string;
  generation?: number;
  /** RFC 3339 from the virtual clock. */
  creationTimestamp?: string;
  deletionTimestamp?: string;
  /** Seconds the kubelet gives a Terminating pod (graceful deletion). */
  deletionGracePeriodSeconds?: number;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  generateName?: string;
  ownerReferences?: Array<{ apiVersion: string; kind: string; name: string; uid: string; controller?: boolean; blockOwnerDeletion?: boolean }>;
}

export interface KObject {
  apiVersion: string;
  kind: string;
  metadata: ObjectMeta;
  spec?: any;
  status?: any;
  [k: string]: any;
}

export interface ContainerPort {
  containerPort: number;
  name?: string;
  protocol?: "TCP" | "UDP" | "SCTP";
  hostPort?: number;
}

export interface Container {
  name: string;
  image: string;
  command?: string[];
  args?: string[];
  ports?: ContainerPort[];
  env?: Array<{ name: string; value?: string }>;
}

export interface PodSpec {
  containers: Container[];
  nodeName?: string;
  restartPolicy?: string;
  dnsPolicy?: string;
  hostNetwork?: boolean;
  nodeSelector?: Record<string, string>;
}

export interface ContainerStatus {
  name: string;
  ready: boolean;
  restartCount: number;
  image: string;
  imageID: string;
  containerID?: string;
  started?: boolean;
  state: { waiting?: { reason: string }; running?: { startedAt: string }; terminated?: { reason: string; exitCode: number } };
}

export interface PodStatus {
  phase: "Pending" | "Running" | "Succeeded" | "Failed" | "Unknown";
  conditions?: Array<{ type: string; status: "True" | "False"; lastTransitionTime?: string }>;
  hostIP?: string;
  podIP?: string;
  podIPs?: Array<{ ip: string }>;
  startTime?: string;
  containerStatuses?: ContainerStatus[];
  qosClass?: string;
}

export interface Pod extends KObject {
  kind: "Pod";
  spec: PodSpec;
  status: PodStatus;
}

export interface ServicePort {
  name?: string;
  protocol: "TCP" | "UDP" | "SCTP";
  port: number;
  targetPort: number | string;
  nodePort?: number;
}

export interface Service extends KObject {
  kind: "Service";
  spec: {
    type: "ClusterIP" | "NodePort" | "LoadBalancer" | "ExternalName";
    selector?: Record<string, string>;
    ports: ServicePort[];
    clusterIP?: string;
    clusterIPs?: string[];
    externalIPs?: string[];
    sessionAffinity?: string;
    externalTrafficPolicy?: "Cluster" | "Local";
  };
}

export interface LabelSelector {
  matchLabels?: Record<string, string>;
  matchExpressions?: Array<{ key: string; operator: string; values?: string[] }>;
}

export interface Deployment extends KObject {
  kind: "Deployment";
  spec: { replicas?: number; selector: LabelSelector; template: { metadata?: Partial<ObjectMeta>; spec: PodSpec } };
}

export interface ReplicaSet extends KObject {
  kind: "ReplicaSet";
  spec: { replicas: number; selector: LabelSelector; template: { metadata?: Partial<ObjectMeta>; spec: PodSpec } };
}

export interface EndpointAddress {
  ip: string;
  nodeName?: string;
  targetRef?: { kind: string; namespace: string; name: string; uid: string };
}

export interface Endpoints extends KObject {
  kind: "Endpoints";
  subsets?: Array<{ addresses?: EndpointAddress[]; notReadyAddresses?: EndpointAddress[]; ports?: Array<{ name?: string; port: number; protocol: string }> }>;
}

export interface EndpointSlice extends KObject {
  kind: "EndpointSlice";
  addressType: "IPv4";
  endpoints: Array<{ addresses: string[]; conditions: { ready: boolean; serving?: boolean; terminating?: boolean }; nodeName?: string; targetRef?: EndpointAddress["targetRef"] }>;
  ports: Array<{ name: string; port: number; protocol: string }>;
}

export interface IngressBackend {
  service?: { name: string; port: { number?: number; name?: string } };
}

export interface Ingress extends KObject {
  kind: "Ingress";
  spec: {
    ingressClassName?: string;
    defaultBackend?: IngressBackend;
    tls?: Array<{ hosts?: string[]; secretName?: string }>;
    rules?: Array<{ host?: string; http?: { paths: Array<{ path?: string; pathType: string; backend: IngressBackend }> } }>;
  };
}

export interface Node extends KObject {
  kind: "Node";
  spec: { podCIDR?: string; podCIDRs?: string[]; taints?: Array<{ key: string; effect: string }> };
}

/** True when every matchLabels pair is in `labels` (matchExpressions In/NotIn/Exists/DoesNotExist too). */
export function selectorMatches(sel: LabelSelector | Record<string, string> | undefined, labels: Record<string, string> | undefined): boolean {
  if (!sel) return false;
  const l = labels ?? {};
  const isLS = "matchLabels" in sel || "matchExpressions" in sel;
  const ml = (isLS ? (sel as LabelSelector).matchLabels : (sel as Record<string, string>)) ?? {};
  for (const [k, v] of Object.entries(ml)) if (l[k] !== v) return false;
  for (const e of (isLS ? (sel as LabelSelector).matchExpressions : undefined) ?? []) {
    const has = e.key in l;
    const inVals = has && (e.values ?? []).includes(l[e.key]!);
    if (e.operator === "In" && !inVals) return false;
    if (e.operator === "NotIn" && inVals) return false;
    if (e.operator === "Exists" && !has) return false;
    if (e.operator === "DoesNotExist" && has) return false;
  }
  return true;
}
