/**
 * The simulated API server: decodes and validates manifests as kube-apiserver does (strict field
 * validation, defaulting, validation), stores objects with uid, resourceVersion and a
 * creationTimestamp from the virtual clock, allocates ClusterIPs and NodePorts, and tells watchers
 * (controllers, kubelets, kube-proxies) about every change. Events are delivered after the
 * mutation that caused them, in order, never re-entrantly.
 */
import type { Clock } from "../../core/clock.js";
import type { Rng } from "../../core/random.js";
import { applyDefaults } from "./defaults.js";
import type { KObject } from "./objects.js";
import { findKind, KINDS, strictDecode, type KindInfo } from "./schema.js";
import { validateObject, type FieldError } from "./validate.js";
import { ipToInt, intToIp } from "./net.js";

/** An API error as a Status object carries it (reason, message, details for Invalid). */
export interface ApiError {
  code: number;
  reason: "BadRequest" | "Invalid" | "NotFound" | "AlreadyExists" | "Conflict";
  message: string;
  details?: { kind: string; name: string; causes: FieldError[] };
}

export type ApiResult<T> = { ok: true; obj: T } | { ok: false; error: ApiError };
export type WatchEvent = { type: "ADDED" | "MODIFIED" | "DELETED"; obj: KObject };

/** "pods" or "deployments.apps": qualifiedResource.String(). */
export function qualifiedResource(k: KindInfo): string {
  return k.group ? `${k.resource}.${k.group}` : k.resource;
}

/** RFC 3339 (seconds) of a virtual time. */
export function rfc3339(clock: Clock, at = clock.now()): string {
  return new Date(clock.epochMs + at).toISOString().replace(/\.\d{3}Z$/, "Z");
}

const LAST_APPLIED = "kubectl.kubernetes.io/last-applied-configuration";

/** JSON with sorted keys, as Go's json.Marshal of an unstructured map writes it. */
export function sortedJson(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(sortedJson).join(",")}]`;
  if (v && typeof v === "object") {
    const keys = Object.keys(v as object).filter((k) => (v as any)[k] !== undefined).sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${sortedJson((v as any)[k])}`).join(",")}}`;
  }
  return JSON.stringify(v);
}

export interface ApiServerOptions {
  clock: Clock;
  rng: Rng;
  /** Service CIDR (kubeadm default 10.96.0.0/12). */
  serviceCIDR?: string;
}

export class ApiServer {
  private readonly objs = new Map<string, KObject>();
  private rv = 1;
  private readonly watchers: Array<(ev: WatchEvent) => void> = [];
  private readonly queue: WatchEvent[] = [];
  private dispatching = false;
  private batchDepth = 0;
  private readonly idleHooks: Array<() => void> = [];
  private readonly usedIPs = new Set<string>();
  private readonly usedNodePorts = new Set<number>();
  readonly clock: Clock;
  private readonly rng: Rng;
  readonly serviceCIDR: string;

  constructor(opts: ApiServerOptions) {
    this.clock = opts.clock;
    this.rng = opts.rng;
    this.serviceCIDR = opts.serviceCIDR ?? "10.96.0.0/12";
  }

  private key(k: KindInfo, ns: string | undefined, name: string): string {
    return `${k.resource}.${k.group}/${k.namespaced ? ns ?? "default" : ""}/${name}`;
  }

  /** Subscribes to every change; returns an unsubscribe function. */
  watch(fn: (ev: WatchEvent) => void): () => void {
    this.watchers.push(fn);
    return () => {
      const i = this.watchers.indexOf(fn);
      if (i >= 0) this.watchers.splice(i, 1);
    };
  }

  private emit(ev: WatchEvent): void {
    this.queue.push(ev);
    if (this.dispatching || this.batchDepth > 0) return;
    this.drain();
  }

  private drain(): void {
    this.dispatching = true;
    try {
      for (;;) {
        while (this.queue.length) {
          const e = this.queue.shift()!;
          for (const w of [...this.watchers]) w(e);
        }
        // Idle hooks (kube-proxy syncs) run once the cluster has settled; they may cause more events.
        for (const h of [...this.idleHooks]) h();
        if (!this.queue.length) break;
      }
    } finally {
      this.dispatching = false;
    }
  }

  /** Runs `fn` once every change has been delivered (after each top-level mutation or batch). */
  onIdle(fn: () => void): void {
    this.idleHooks.push(fn);
  }

  /** Makes many changes, delivering their events (and idle hooks) once at the end. */
  batch<T>(fn: () => T): T {
    this.batchDepth++;
    try {
      return fn();
    } finally {
      this.batchDepth--;
      if (this.batchDepth === 0 && !this.dispatching && this.queue.length) this.drain();
    }
  }

  /** The stored object, or undefined. Returned objects must not be mutated by callers. */
  get(k: KindInfo, ns: string | undefined, name: string): KObject | undefined {
    return this.objs.get(this.key(k, ns, name));
  }

  /** Objects of a kind in one namespace (undefined: all namespaces), sorted as etcd lists them. */
  list(k: KindInfo, ns?: string): KObject[] {
    const out: KObject[] = [];
    for (const o of this.objs.values()) {
      if (o.kind !== k.kind || findKind(o.apiVersion, o.kind) !== k) continue;
      if (ns !== undefined && k.namespaced && (o.metadata.namespace ?? "default") !== ns) continue;
      out.push(o);
    }
    // etcd returns keys in order: namespace, then name.
    return out.sort((a, b) => {
      const x = `${a.metadata.namespace ?? ""}/${a.metadata.name}`;
      const y = `${b.metadata.namespace ?? ""}/${b.metadata.name}`;
      return x < y ? -1 : x > y ? 1 : 0;
    });
  }

  /** Decodes, defaults and validates a manifest object without storing it. */
  admit(raw: Record<string, unknown>, ns: string): ApiResult<KObject> {
    const apiVersion = String(raw.apiVersion ?? "");
    const kind = String(raw.kind ?? "");
    const k = findKind(apiVersion, kind);
    if (!k) return { ok: false, error: { code: 400, reason: "BadRequest", message: `no matches for kind "${kind}" in version "${apiVersion}"` } };
    const decodeErr = strictDecode(raw, k.schema);
    if (decodeErr) {
      return { ok: false, error: { code: 400, reason: "BadRequest", message: `${k.kind} in version "${k.version}" cannot be handled as a ${k.kind}: ${decodeErr}` } };
    }
    const obj = structuredClone(raw) as KObject;
    obj.metadata ??= { name: "" };
    if (k.namespaced) obj.metadata.namespace ??= ns;
    else delete obj.metadata.namespace;
    applyDefaults(obj);
    const errs = validateObject(obj);
    if (errs.length) {
      const gk = k.group ? `${k.kind}.${k.group}` : k.kind;
      const agg = errs.length === 1 ? `${errs[0]!.field}: ${errs[0]!.body}` : `[${errs.map((e) => `${e.field}: ${e.body}`).join(", ")}]`;
      return {
        ok: false,
        error: { code: 422, reason: "Invalid", message: `${gk} "${obj.metadata.name}" is invalid: ${agg}`, details: { kind: k.kind, name: obj.metadata.name, causes: errs } },
      };
    }
    return { ok: true, obj };
  }

  private notFound(k: KindInfo, name: string): ApiError {
    return { code: 404, reason: "NotFound", message: `${qualifiedResource(k)} "${name}" not found` };
  }

  /** POST: stores a new object (after admit); `dryRun` returns it as stored (uid, creationTimestamp; no resourceVersion, no Service IP) without storing it. */
  create(raw: Record<string, unknown>, ns = "default", opts: { dryRun?: boolean } = {}): ApiResult<KObject> {
    const r = this.admit(raw, ns);
    if (!r.ok) return r;
    const obj = r.obj;
    const k = findKind(obj.apiVersion, obj.kind)!;
    if (obj.metadata.generateName && !obj.metadata.name) obj.metadata.name = obj.metadata.generateName + this.randomSuffix(5);
    if (k.namespaced) {
      const nsKind = findKind("v1", "Namespace")!;
      if (!this.get(nsKind, undefined, obj.metadata.namespace!)) return { ok: false, error: this.notFound(nsKind, obj.metadata.namespace!) };
    }
    const key = this.key(k, obj.metadata.namespace, obj.metadata.name);
    if (this.objs.has(key)) return { ok: false, error: { code: 409, reason: "AlreadyExists", message: `${qualifiedResource(k)} "${obj.metadata.name}" already exists` } };
    if (obj.kind === "Service" && !opts.dryRun) {
      const err = this.allocateService(obj);
      if (err) return { ok: false, error: err };
    }
    if (obj.kind === "Pod") {
      defaultTolerationSeconds(obj);
      // The Priority admission plugin: the built-in classes' values, 0 without a class.
      obj.spec.priority ??= { "system-node-critical": 2000001000, "system-cluster-critical": 2000000000 }[obj.spec.priorityClassName as string] ?? 0;
    }
    obj.metadata.uid = this.uuid();
    if (opts.dryRun) return { ok: true, obj: { ...obj, metadata: { ...obj.metadata, creationTimestamp: rfc3339(this.clock) } } };
    obj.metadata.resourceVersion = String(this.rv++);
    obj.metadata.creationTimestamp = rfc3339(this.clock);
    if (obj.kind === "Deployment" || obj.kind === "ReplicaSet") obj.metadata.generation = 1;
    this.objs.set(key, obj);
    this.emit({ type: "ADDED", obj });
    return { ok: true, obj };
  }

  /** PUT by a controller or kubelet: replaces spec/status of a stored object. */
  update(obj: KObject): ApiResult<KObject> {
    const k = findKind(obj.apiVersion, obj.kind)!;
    const key = this.key(k, obj.metadata.namespace, obj.metadata.name);
    if (!this.objs.has(key)) return { ok: false, error: this.notFound(k, obj.metadata.name) };
    obj.metadata.resourceVersion = String(this.rv++);
    this.objs.set(key, obj);
    this.emit({ type: "MODIFIED", obj });
    return { ok: true, obj };
  }

  /**
   * `kubectl apply`: creates with the last-applied annotation, or updates the spec when the
   * manifest changed ("configured"), or reports "unchanged".
   */
  apply(raw: Record<string, unknown>, ns = "default"): ApiResult<KObject> & { op?: "created" | "configured" | "unchanged" } {
    const manifest = structuredClone(raw) as any;
    const applied = sortedJson(manifest);
    const k = findKind(String(raw.apiVersion ?? ""), String(raw.kind ?? ""));
    const name = (raw.metadata as any)?.name;
    const existing = k && name ? this.get(k, k.namespaced ? (raw.metadata as any)?.namespace ?? ns : undefined, name) : undefined;
    const withAnno = structuredClone(raw) as any;
    withAnno.metadata ??= {};
    withAnno.metadata.annotations = { ...(withAnno.metadata.annotations ?? {}), [LAST_APPLIED]: applied + "\n" };
    if (!existing) {
      const r = this.create(withAnno, ns);
      return r.ok ? { ...r, op: "created" } : r;
    }
    const r = this.admit(withAnno, ns);
    if (!r.ok) return r;
    if (existing.metadata.annotations?.[LAST_APPLIED] === applied + "\n") return { ok: true, obj: existing, op: "unchanged" };
    const next = structuredClone(existing);
    for (const [f, v] of Object.entries(r.obj)) if (f !== "metadata" && f !== "status" && f !== "apiVersion" && f !== "kind") next[f] = v;
    if (next.kind === "Service") {
      next.spec.clusterIP = existing.spec.clusterIP;
      next.spec.clusterIPs = existing.spec.clusterIPs;
      next.spec.ports.forEach((p: any, i: number) => (p.nodePort ??= existing.spec.ports[i]?.nodePort));
    }
    next.metadata.labels = r.obj.metadata.labels;
    next.metadata.annotations = { ...(r.obj.metadata.annotations ?? {}) };
    if (typeof next.metadata.generation === "number" && JSON.stringify(next.spec) !== JSON.stringify(existing.spec)) next.metadata.generation++;
    const u = this.update(next);
    return u.ok ? { ...u, op: "configured" } : u;
  }

  /** DELETE: removes the object (and, for owners, the objects it owns: foreground GC is immediate here). */
  delete(k: KindInfo, ns: string | undefined, name: string): ApiResult<KObject> {
    const key = this.key(k, ns, name);
    const obj = this.objs.get(key);
    if (!obj) return { ok: false, error: this.notFound(k, name) };
    if (obj.kind === "Namespace" && !obj.metadata.deletionTimestamp) {
      // The namespace controller empties a Terminating namespace in the background; the
      // namespace object goes last.
      const next = structuredClone(obj);
      next.metadata.deletionTimestamp = rfc3339(this.clock);
      next.status = { ...(next.status ?? {}), phase: "Terminating" };
      this.update(next);
      this.clock.schedule(this.clock.now() + 1000, () => this.finalizeNamespace(name));
      return { ok: true, obj: next };
    }
    this.objs.delete(key);
    if (obj.kind === "Service") this.releaseService(obj);
    this.emit({ type: "DELETED", obj });
    for (const child of [...this.objs.values()]) {
      if (child.metadata.ownerReferences?.some((o) => o.uid === obj.metadata.uid)) {
        this.delete(findKind(child.apiVersion, child.kind)!, child.metadata.namespace, child.metadata.name);
      }
    }
    return { ok: true, obj };
  }

  private finalizeNamespace(name: string): void {
    const nsKind = findKind("v1", "Namespace")!;
    if (!this.get(nsKind, undefined, name)) return;
    this.batch(() => {
      for (const child of [...this.objs.values()]) {
        if (child.metadata.namespace === name) {
          const ck = findKind(child.apiVersion, child.kind)!;
          if (this.get(ck, name, child.metadata.name)) this.delete(ck, name, child.metadata.name);
        }
      }
      this.delete(nsKind, undefined, name);
    });
  }

  /**
   * Stores an Event (new or aggregated) as the events API does, with a uid and resourceVersion
   * but no watch notification (no component here watches Events) and no random draw (events
   * must not shift the names and addresses later objects get).
   */
  storeEvent(ev: KObject): void {
    const k = findKind("v1", "Event")!;
    const key = this.key(k, ev.metadata.namespace, ev.metadata.name);
    const old = this.objs.get(key);
    ev.metadata.uid = old?.metadata.uid ?? this.eventUid(++this.eventSeq);
    ev.metadata.creationTimestamp = old?.metadata.creationTimestamp ?? rfc3339(this.clock);
    ev.metadata.resourceVersion = String(this.rv++);
    this.objs.set(key, ev);
  }

  /** Unix nanoseconds of `epochMs`, distinct per call within one millisecond (event names). */
  eventNanos(epochMs: number): bigint {
    if (epochMs !== this.eventMs) {
      this.eventMs = epochMs;
      this.eventSub = 0;
    }
    // Virtual time may be fractional (ms); events in one microsecond get 1 ns apart.
    return BigInt(Math.round(epochMs * 1000)) * 1000n + BigInt(this.eventSub++);
  }

  private eventSeq = 0;
  private eventMs = -1;
  private eventSub = 0;

  private eventUid(n: number): string {
    // A version-4-shaped uid from a counter scrambled by a fixed multiplier (no Rng draw).
    const h = (x: number) => (Math.imul(x ^ 0x9e3779b9, 0x85ebca6b) >>> 0).toString(16).padStart(8, "0");
    const a = h(n) + h(n + 0x1000) + h(n + 0x2000) + h(n + 0x3000);
    return `${a.slice(0, 8)}-${a.slice(8, 12)}-4${a.slice(13, 16)}-${((parseInt(a[16]!, 16) & 3) | 8).toString(16)}${a.slice(17, 20)}-${a.slice(20, 32)}`;
  }

  private uuid(): string {
    const h = () => this.rng.uint32().toString(16).padStart(8, "0");
    const a = h() + h() + h() + h();
    return `${a.slice(0, 8)}-${a.slice(8, 12)}-4${a.slice(13, 16)}-${((parseInt(a[16]!, 16) & 3) | 8).toString(16)}${a.slice(17, 20)}-${a.slice(20, 32)}`;
  }

  /** utilrand.String(n): n characters from "bcdfghjklmnpqrstvwxz2456789". */
  randomSuffix(n: number): string {
    const alpha = "bcdfghjklmnpqrstvwxz2456789";
    let s = "";
    for (let i = 0; i < n; i++) s += alpha[this.rng.int(alpha.length)];
    return s;
  }

  private allocateService(obj: KObject): ApiError | undefined {
    const spec = obj.spec;
    if (spec.type === "ExternalName") return undefined;
    if (spec.clusterIP !== "None") {
      if (spec.clusterIP) {
        if (this.usedIPs.has(spec.clusterIP)) {
          return { code: 422, reason: "Invalid", message: `Service "${obj.metadata.name}" is invalid: spec.clusterIPs: Invalid value: []string{"${spec.clusterIP}"}: failed to allocate IP ${spec.clusterIP}: provided IP is already allocated`, details: { kind: "Service", name: obj.metadata.name, causes: [{ field: "spec.clusterIPs", body: `Invalid value: []string{"${spec.clusterIP}"}: failed to allocate IP ${spec.clusterIP}: provided IP is already allocated` }] } };
        }
      } else {
        // Dynamic allocation takes a random address from the upper band (1.25+ allocator; the lower
        // band of min(max(16, size/16), 256) addresses is kept for static IPs).
        const [base, plen] = this.serviceCIDR.split("/");
        const size = 2 ** (32 - Number(plen));
        const band = Math.min(Math.max(16, size / 16), 256);
        let ip: string;
        do ip = intToIp(ipToInt(base!) + band + this.rng.int(size - band - 1));
        while (this.usedIPs.has(ip));
        spec.clusterIP = ip;
      }
      this.usedIPs.add(spec.clusterIP);
      spec.clusterIPs = [spec.clusterIP];
      spec.ipFamilies ??= ["IPv4"];
      spec.ipFamilyPolicy ??= "SingleStack";
    }
    if (spec.type === "NodePort" || spec.type === "LoadBalancer") {
      for (const p of spec.ports) {
        if (p.nodePort === undefined) {
          let np: number;
          do np = 30000 + this.rng.int(2768);
          while (this.usedNodePorts.has(np));
          p.nodePort = np;
        }
        this.usedNodePorts.add(p.nodePort);
      }
    }
    return undefined;
  }

  private releaseService(obj: KObject): void {
    if (obj.spec?.clusterIP) this.usedIPs.delete(obj.spec.clusterIP);
    for (const p of obj.spec?.ports ?? []) if (p.nodePort) this.usedNodePorts.delete(p.nodePort);
  }
}

/**
 * The DefaultTolerationSeconds admission plugin (plugin/pkg/admission/defaulttolerationseconds):
 * a pod that does not tolerate the not-ready / unreachable NoExecute taints already gets
 * tolerations for them, for 300 s.
 */
function defaultTolerationSeconds(pod: KObject): void {
  const tol: any[] = pod.spec.tolerations ?? [];
  const tolerates = (key: string) => tol.some((t) => (t.key === key || !t.key) && (t.effect === "NoExecute" || !t.effect));
  const add = ["node.kubernetes.io/not-ready", "node.kubernetes.io/unreachable"].filter((k) => !tolerates(k));
  if (add.length) pod.spec.tolerations = [...tol, ...add.map((key) => ({ effect: "NoExecute", key, operator: "Exists", tolerationSeconds: 300 }))];
}

export { KINDS, LAST_APPLIED };
