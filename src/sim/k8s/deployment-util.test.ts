/**
 * The rolling-update budgets as deployment_util.go computes them (its test table's cases:
 * ResolveFenceposts, NewRSNewReplicas, GetReplicaSetProportion) and IsPodAvailable's strict
 * minReadySeconds comparison.
 */
import { describe, expect, it } from "vitest";
import type { KObject } from "./objects.js";
import { maxSurge, maxUnavailable, newRSNewReplicas, podAvailable, replicaSetProportion, resolveFenceposts, scaledValue, setNewReplicaSetAnnotations } from "./deployment-util.js";

const deploy = (replicas: number, strategy: any): KObject => ({ apiVersion: "apps/v1", kind: "Deployment", metadata: { name: "d" }, spec: { replicas, strategy } });
const rs = (replicas: number, annotations: Record<string, string> = {}): KObject => ({ apiVersion: "apps/v1", kind: "ReplicaSet", metadata: { name: `r${replicas}`, annotations }, spec: { replicas } });

describe("deployment arithmetic", () => {
  it("percentages: maxSurge rounds up, maxUnavailable down; both 0 makes maxUnavailable 1", () => {
    expect(scaledValue("25%", 10, true)).toBe(3);
    expect(scaledValue("25%", 10, false)).toBe(2);
    expect(scaledValue(2, 10, true)).toBe(2);
    expect(resolveFenceposts("25%", "25%", 4)).toEqual({ surge: 1, unavailable: 1 });
    expect(resolveFenceposts("25%", "25%", 3)).toEqual({ surge: 1, unavailable: 0 });
    expect(resolveFenceposts("10%", "10%", 3)).toEqual({ surge: 1, unavailable: 0 });
    expect(resolveFenceposts(0, "10%", 3)).toEqual({ surge: 0, unavailable: 1 });
    expect(maxUnavailable(deploy(1, { type: "RollingUpdate", rollingUpdate: { maxSurge: 0, maxUnavailable: 5 } }))).toBe(1);
    expect(maxUnavailable(deploy(0, { type: "RollingUpdate", rollingUpdate: { maxSurge: 1, maxUnavailable: 1 } }))).toBe(0);
    expect(maxSurge(deploy(4, { type: "Recreate" }))).toBe(0);
  });

  it("NewRSNewReplicas: up to replicas + maxSurge pods in all, never above replicas; Recreate: all at once", () => {
    const d = deploy(10, { type: "RollingUpdate", rollingUpdate: { maxSurge: "25%", maxUnavailable: "25%" } });
    const fresh = rs(0);
    expect(newRSNewReplicas(d, [rs(10), fresh], fresh)).toBe(3);
    const grown = rs(3);
    expect(newRSNewReplicas(d, [rs(10), grown], grown)).toBe(3);
    expect(newRSNewReplicas(d, [rs(5), grown], grown)).toBe(8);
    expect(newRSNewReplicas(d, [rs(0), grown], grown)).toBe(10);
    expect(newRSNewReplicas(deploy(4, { type: "Recreate" }), [rs(4), fresh], fresh)).toBe(4);
  });

  it("GetReplicaSetProportion: a replica set's share of a resize from its max-replicas annotation", () => {
    const d = deploy(20, { type: "RollingUpdate", rollingUpdate: { maxSurge: 2, maxUnavailable: 1 } });
    // Sized for a deployment of 12 max; now 22 max: 6 → 11.
    expect(replicaSetProportion(rs(6, { "deployment.kubernetes.io/max-replicas": "12" }), d, 10, 0)).toBe(5);
    expect(replicaSetProportion(rs(6, { "deployment.kubernetes.io/max-replicas": "12" }), d, 10, 8)).toBe(2);
    expect(replicaSetProportion(rs(0), d, 10, 0)).toBe(0);
  });

  it("a rollback brings an old replica set back with the next revision and remembers the old one", () => {
    const d = deploy(2, { type: "RollingUpdate", rollingUpdate: { maxSurge: "25%", maxUnavailable: "25%" } });
    const back = rs(0, { "deployment.kubernetes.io/revision": "1" });
    expect(setNewReplicaSetAnnotations(d, back, 3, true)).toBe(true);
    expect(back.metadata.annotations).toEqual({ "deployment.kubernetes.io/revision": "3", "deployment.kubernetes.io/revision-history": "1" });
  });

  it("IsPodAvailable: Ready, and for more than minReadySeconds", () => {
    const pod = { metadata: { name: "p" }, status: { conditions: [{ type: "Ready", status: "True", lastTransitionTime: "2026-01-01T00:00:03Z" }] } } as unknown as KObject;
    const at = (s: number) => Date.parse("2026-01-01T00:00:00Z") + s * 1000;
    expect(podAvailable(pod, 0, at(3))).toBe(true);
    expect(podAvailable(pod, 5, at(8))).toBe(false);
    expect(podAvailable(pod, 5, at(8.001))).toBe(true);
  });
});
