/**
 * Which endpoints of a service port kube-proxy sends cluster traffic to (pkg/proxy/topology.go
 * CategorizeEndpoints, without topology hints):
 *
 *   ready endpoints ──(none)──► serving and terminating ones (KEP-1669 ProxyTerminatingEndpoints:
 *                               beta and on by default in 1.26, GA in 1.28; alpha and off before)
 *
 * Conditions as endpointslicecache.go reads an EndpointSlice endpoint: ready and serving unless
 * false, terminating only when true.
 */
import { minorOf, type ProxyEndpoint } from "./model.js";

/** An EndpointSlice endpoint's conditions as kube-proxy reads them. */
export interface EndpointConditions {
  ready: boolean;
  serving: boolean;
  terminating: boolean;
}

/** endpointslicecache.go: nil ready/serving count as true, nil terminating as false. */
export function readConditions(c: { ready?: boolean | null; serving?: boolean | null; terminating?: boolean | null } | undefined): EndpointConditions {
  return { ready: c?.ready !== false, serving: c?.serving !== false, terminating: c?.terminating === true };
}

/** Whether kube-proxy `version`'s default feature gates fall back to serving terminating endpoints. */
export function proxiesTerminatingEndpoints(version: string): boolean {
  return minorOf(version) >= 26;
}

/** The cluster endpoints of one service port: the ready ones, else (when the version falls back) the serving terminating ones. */
export function clusterEndpoints<E extends ProxyEndpoint>(eps: Array<E & { conditions: EndpointConditions }>, version: string): E[] {
  const ready = eps.filter((e) => e.conditions.ready);
  if (ready.length > 0 || !proxiesTerminatingEndpoints(version)) return ready.map(strip);
  return eps.filter((e) => e.conditions.serving && e.conditions.terminating).map(strip);
}

function strip<E extends ProxyEndpoint>(e: E & { conditions: EndpointConditions }): E {
  const { conditions: _c, ...rest } = e;
  return rest as unknown as E;
}
