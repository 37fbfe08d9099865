/**
 * kube-controller-manager and kube-scheduler, reduced to what networking lessons exercise:
 *
 *   Deployment ──(pod-template-hash)──► ReplicaSet ──(replicas)──► Pods ──scheduler──► spec.nodeName
 *   (the deployment controller's rollouts: deployment.ts)
 *   Service + ready Pods ──► Endpoints (name = service) and EndpointSlice (svc-xxxxx)
 *
 * Naming follows the real controllers: ReplicaSet `<deploy>-<hash>` where the hash is
 * rand.SafeEncodeString(fmt.Sprint(fnv32a(template))) (pkg/controller/controller_utils.go
 * ComputeHash; our fnv input is the template's JSON, not Go's object dump, so the value differs),
 * pods `<rs>-<5 chars>` (generateName + utilrand.String(5)).
 */
import type { ApiServer, WatchEvent } from "./apiserver.js";
import { rfc3339 } from "./apiserver.js";
import type { KObject, Pod } from "./objects.js";
import { selectorMatches } from "./objects.js";
import { findKind } from "./schema.js";
import { recordEvent } from "./events.js";
import { DeploymentController } from "./deployment.js";
import { availableAt, podAvailable } from "./deployment-util.js";
import { isPodActive, isPodTerminal, isTerminating } from "./graceful.js";

const K = {
  pod: findKind("v1", "Pod")!,
  svc: findKind("v1", "Service")!,
  ep: findKind("v1", "Endpoints")!,
  eps: findKind("discovery.k8s.io/v1", "EndpointSlice")!,
  deploy: findKind("apps/v1", "Deployment")!,
  rs: findKind("apps/v1", "ReplicaSet")!,
  node: findKind("v1", "Node")!,
};
export { K as KIND };

const RS_CTRL = { component: "replicaset-controller" };
const SCHEDULER = { reportingController: "default-scheduler", reportingInstance: "default-scheduler-control-plane" };

const SAFE = "bcdfghjklmnpqrstvwxz2456789";

/** rand.SafeEncodeString(fmt.Sprint(fnv32a(s))). */
export function podTemplateHash(s: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i) & 0xff;
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return String(h)
    .split("")
    .map((c) => SAFE[c.charCodeAt(0) % SAFE.length])
    .join("");
}

/** True when the pod is Running and every container is ready. */
export function podReady(p: KObject): boolean {
  return (p.status?.conditions ?? []).some((c: any) => c.type === "Ready" && c.status === "True");
}

const ownedBy = (o: KObject, owner: KObject) => o.metadata.ownerReferences?.some((r) => r.uid === owner.metadata.uid) ?? false;
const ownerRef = (o: KObject) => ({ apiVersion: o.apiVersion, kind: o.kind, name: o.metadata.name, uid: o.metadata.uid!, controller: true, blockOwnerDeletion: true });

/** Runs the controllers and the scheduler against `api`; `nodes()` lists schedulable node names. */
export class ControllerManager {
  private busy = false;
  private again = false;

  private dirty = true;
  private readonly deployments: DeploymentController;
  /** Virtual times at which a pass is already due (minReadySeconds and progress-deadline requeues). */
  private readonly requeued = new Set<number>();

  constructor(private readonly api: ApiServer, private readonly schedulable: (pod: KObject) => string[]) {
    this.deployments = new DeploymentController(api, (t) => podTemplateHash(JSON.stringify(t)), (at) => this.requeueAt(at));
    // Level-triggered: once the API server has delivered a burst of changes, reconcile everything.
    api.watch((ev) => this.onEvent(ev));
    api.onIdle(() => this.onIdle());
  }

  private onEvent(ev: WatchEvent): void {
    // Status-only churn of objects no controller reads does not need a pass.
    if (ev.obj.kind === "EndpointSlice" || ev.obj.kind === "Endpoints" || ev.obj.kind === "Node") return;
    this.dirty = true;
  }

  private onIdle(): void {
    if (!this.dirty) return;
    this.dirty = false;
    if (this.busy) {
      this.again = true;
      return;
    }
    this.busy = true;
    try {
      let rounds = 0;
      do {
        this.again = false;
        this.reconcile();
      } while (this.again && ++rounds < 20);
    } finally {
      this.busy = false;
    }
  }

  /** One pass over every controller. */
  reconcile(): void {
    for (const d of this.api.list(K.deploy)) this.deployments.sync(d);
    for (const rs of this.api.list(K.rs)) this.syncReplicaSet(rs);
    for (const p of this.api.list(K.pod)) if (!p.spec.nodeName) this.schedule(p);
    for (const s of this.api.list(K.svc)) this.syncEndpoints(s);
    for (const d of this.api.list(K.deploy)) this.deployments.syncStatus(d);
  }

  private syncReplicaSet(rs: KObject): void {
    const ns = rs.metadata.namespace!;
    // FilterActivePods: a Terminating (or finished) pod no longer counts; its replacement is made at once.
    const pods = this.api.list(K.pod, ns).filter((p) => ownedBy(p, rs) && isPodActive(p));
    const want = rs.spec.replicas ?? 1;
    for (let i = pods.length; i < want; i++) {
      const created = this.api.create(
        {
          apiVersion: "v1",
          kind: "Pod",
          metadata: { generateName: `${rs.metadata.name}-`, namespace: ns, labels: { ...(rs.spec.template.metadata?.labels ?? {}) }, ownerReferences: [ownerRef(rs)] },
          spec: structuredClone(rs.spec.template.spec),
        },
        ns,
      );
      if (created.ok) recordEvent(this.api, rs, { type: "Normal", reason: "SuccessfulCreate", message: `Created pod: ${created.obj.metadata.name}`, source: RS_CTRL });
    }
    if (pods.length > want) {
      // Unscheduled and not-ready pods go first, then the newest (controller.ActivePods ranking).
      const ranked = [...pods].sort((a, b) => Number(!!a.spec.nodeName) - Number(!!b.spec.nodeName) || Number(podReady(a)) - Number(podReady(b)) || (a.metadata.creationTimestamp! < b.metadata.creationTimestamp! ? 1 : -1));
      for (const p of ranked.slice(0, pods.length - want)) {
        if (this.api.delete(K.pod, ns, p.metadata.name).ok) recordEvent(this.api, rs, { type: "Normal", reason: "SuccessfulDelete", message: `Deleted pod: ${p.metadata.name}`, source: RS_CTRL });
      }
    }
    const mine = this.api.list(K.pod, ns).filter((p) => ownedBy(p, rs) && isPodActive(p));
    const ready = mine.filter(podReady).length;
    // A pod counts as available once Ready for minReadySeconds; the controller looks again then.
    const minReady = rs.spec.minReadySeconds ?? 0;
    const now = this.api.clock.epochMs + this.api.clock.now();
    const available = mine.filter((p) => podAvailable(p, minReady, now));
    for (const p of mine) if (!available.includes(p)) this.requeueAt(availableAt(p, minReady));
    const count = mine.length;
    const status: any = { replicas: count, fullyLabeledReplicas: count, readyReplicas: ready, availableReplicas: available.length, observedGeneration: rs.metadata.generation };
    for (const k of ["readyReplicas", "availableReplicas", "fullyLabeledReplicas"]) if (!status[k]) delete status[k];
    if (JSON.stringify(status) !== JSON.stringify(rs.status ?? {})) {
      const next = structuredClone(rs);
      next.status = status;
      this.api.update(next);
    }
  }

  /** Runs a pass at calendar time `atMs` (the ReplicaSet controller's AddAfter). */
  private requeueAt(atMs: number | undefined): void {
    if (atMs === undefined) return;
    const at = atMs - this.api.clock.epochMs;
    if (at <= this.api.clock.now() || this.requeued.has(at)) return;
    this.requeued.add(at);
    this.api.clock.schedule(at, () => {
      this.requeued.delete(at);
      this.dirty = true;
      this.onIdle();
    });
  }

  private schedule(p: KObject): void {
    const nodes = this.schedulable(p);
    if (nodes.length === 0) return;
    const counts = new Map(nodes.map((n) => [n, 0]));
    for (const q of this.api.list(K.pod)) if (q.spec.nodeName && counts.has(q.spec.nodeName)) counts.set(q.spec.nodeName, counts.get(q.spec.nodeName)! + 1);
    const node = [...counts.entries()].sort((a, b) => a[1] - b[1])[0]![0];
    const next = structuredClone(p) as Pod;
    next.spec.nodeName = node;
    next.status = { ...(next.status ?? { phase: "Pending" }), phase: "Pending", conditions: [{ type: "PodScheduled", status: "True", lastTransitionTime: rfc3339(this.api.clock) }] };
    // The scheduler records through events.k8s.io/v1 (action Binding), after the bind.
    if (this.api.update(next).ok) recordEvent(this.api, next, { type: "Normal", reason: "Scheduled", message: `Successfully assigned ${next.metadata.namespace}/${next.metadata.name} to ${node}`, source: SCHEDULER, action: "Binding" });
  }

  private syncEndpoints(svc: KObject): void {
    const ns = svc.metadata.namespace!;
    const name = svc.metadata.name;
    if (!svc.spec.selector) return; // the apiserver (kubernetes) or the user manages these
    // ShouldPodBeInEndpoints: not finished, with an IP; the Endpoints controller also leaves out
    // Terminating pods, the EndpointSlice controller keeps them as terminating, not ready.
    const all = this.api.list(K.pod, ns).filter((p) => selectorMatches(svc.spec.selector, p.metadata.labels) && p.status?.podIP && !isPodTerminal(p));
    const pods = all.filter((p) => svc.spec.publishNotReadyAddresses || !isTerminating(p));
    const addr = (p: KObject) => ({ ip: p.status.podIP, nodeName: p.spec.nodeName, targetRef: { kind: "Pod", namespace: ns, name: p.metadata.name, uid: p.metadata.uid } });
    // LessEndpointAddress: bytes.Compare of the IP strings.
    const byIp = (a: { ip: string }, b: { ip: string }) => (a.ip < b.ip ? -1 : a.ip > b.ip ? 1 : 0);
    const ready = pods.filter((p) => svc.spec.publishNotReadyAddresses || podReady(p)).map(addr).sort(byIp);
    const notReady = pods.filter((p) => !svc.spec.publishNotReadyAddresses && !podReady(p)).map(addr).sort(byIp);
    const ports = (svc.spec.ports ?? []).map((sp: any) => {
      let port = sp.targetPort;
      if (typeof port === "string") {
        const p = all.flatMap((q) => q.spec.containers.flatMap((c: any) => c.ports ?? [])).find((cp: any) => cp.name === port);
        port = p ? p.containerPort : undefined;
      }
      return { ...(sp.name ? { name: sp.name } : {}), port, protocol: sp.protocol };
    }).filter((p: any) => p.port !== undefined);
    const subsets = ready.length + notReady.length && ports.length
      ? [{ ...(ready.length ? { addresses: ready } : {}), ...(notReady.length ? { notReadyAddresses: notReady } : {}), ports }]
      : undefined;
    const existing = this.api.get(K.ep, ns, name);
    const body: KObject = { apiVersion: "v1", kind: "Endpoints", metadata: { name, namespace: ns, labels: { ...(svc.metadata.labels ?? {}) } }, ...(subsets ? { subsets } : {}) };
    if (!existing) this.api.create(body, ns);
    else if (JSON.stringify(existing.subsets) !== JSON.stringify(body.subsets)) {
      const next = structuredClone(existing);
      next.subsets = body.subsets;
      if (!body.subsets) delete next.subsets;
      this.api.update(next);
    }
    // EndpointSlice (one per service here; the real controller caps them at 100 endpoints).
    const slice = this.api.list(K.eps, ns).find((s) => s.metadata.labels?.["kubernetes.io/service-name"] === name);
    // podToEndpoint: ready = serving && !terminating (or publishNotReadyAddresses).
    const endpoints = all.map((p) => ({
      addresses: [p.status.podIP],
      conditions: { ready: !!svc.spec.publishNotReadyAddresses || (podReady(p) && !isTerminating(p)), serving: podReady(p), terminating: isTerminating(p) },
      nodeName: p.spec.nodeName,
      targetRef: { kind: "Pod", namespace: ns, name: p.metadata.name, uid: p.metadata.uid },
    }));
    const slicePorts = ports.map((p: any) => ({ name: p.name ?? "", port: p.port, protocol: p.protocol }));
    if (!slice) {
      this.api.create({
        apiVersion: "discovery.k8s.io/v1", kind: "EndpointSlice",
        metadata: { generateName: `${name}-`, namespace: ns, labels: { "kubernetes.io/service-name": name, "endpointslice.kubernetes.io/managed-by": "endpointslice-controller.k8s.io" }, ownerReferences: [ownerRef(svc)] },
        addressType: "IPv4", endpoints, ports: slicePorts,
      }, ns);
    } else if (JSON.stringify(slice.endpoints) !== JSON.stringify(endpoints) || JSON.stringify(slice.ports) !== JSON.stringify(slicePorts)) {
      const next = structuredClone(slice);
      next.endpoints = endpoints;
      next.ports = slicePorts;
      this.api.update(next);
    }
  }
}
