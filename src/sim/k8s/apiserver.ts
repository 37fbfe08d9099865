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
import { admitPod } from "./admission.js";
import { eventUid, uuidOfHex } from "./ids.js";
import { beforeDelete, isPodTerminal } from "./graceful.js";
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
    if (obj.kind === "Pod") admitPod(obj);
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

  /**
   * DELETE: removes the object (and the objects it owns: GC is immediate here), or makes a pod on
   * a node Terminating (graceful.ts); `uid`: Preconditions.UID, as the kubelet sends it.
   */
  delete(k: KindInfo, ns: string | undefined, name: string, opts: { gracePeriodSeconds?: number; uid?: string } = {}): ApiResult<KObject> {
    const key = this.key(k, ns, name);
    const obj = this.objs.get(key);
    if (!obj || (opts.uid && obj.metadata.uid !== opts.uid)) return { ok: false, error: this.notFound(k, name) };
    const graceful = beforeDelete(obj, opts.gracePeriodSeconds, this.clock.now(), (at) => rfc3339(this.clock, at));
    if (graceful.action === "pending") return { ok: true, obj };
    if (graceful.action === "update") return this.update(graceful.obj);
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

  /**
   * The namespace controller's pass (namespaced_resources_deleter.go): deletes what the namespace
   * holds; while anything is left it looks again after estimate/2 + 1 s, the estimate being the
   * longest terminationGracePeriodSeconds of its unfinished pods (0 once the namespace has been
   * deleting for longer); the namespace goes once empty.
   */
  private finalizeNamespace(name: string): void {
    const nsKind = findKind("v1", "Namespace")!;
    const ns = this.get(nsKind, undefined, name);
    if (!ns) return;
    const inNs = () => [...this.objs.values()].filter((o) => o.metadata.namespace === name && o.kind !== "Event");
    const grace = inNs().filter((o) => o.kind === "Pod" && !isPodTerminal(o)).map((p) => p.spec.terminationGracePeriodSeconds ?? 0);
    const since = this.clock.epochMs + this.clock.now() - Date.parse(ns.metadata.deletionTimestamp!);
    const estimate = since >= Math.max(0, ...grace) * 1000 ? 0 : Math.max(0, ...grace);
    this.batch(() => {
      for (const child of inNs()) if (!child.metadata.deletionTimestamp) this.delete(findKind(child.apiVersion, child.kind)!, name, child.metadata.name);
      if (inNs().length || estimate > 0) return void this.clock.schedule(this.clock.now() + (Math.floor(estimate / 2) + 1) * 1000, () => this.finalizeNamespace(name));
      for (const ev of [...this.objs.values()]) if (ev.metadata.namespace === name) this.delete(findKind(ev.apiVersion, ev.kind)!, name, ev.metadata.name);
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
    ev.metadata.uid = old?.metadata.uid ?? eventUid(++this.eventSeq);
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

  private uuid(): string {
    const h = () => this.rng.uint32().toString(16).padStart(8, "0");
    return uuidOfHex(h() + h() + h() + h());
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

export { KINDS, LAST_APPLIED };
