/**
 * `kubectl expose (-f FILE | TYPE NAME | TYPE/NAME) [--port] [--target-port] [--protocol]
 * [--type] [--name] [--selector] [--labels] [--external-ip] [--cluster-ip]`: a Service built from
 * an existing pod, deployment, replica set or service (kubectl/pkg/cmd/expose/expose.go and its
 * polymorphichelpers): the selector is the pod's labels or the workload's matchLabels, the ports
 * come from --port or the containers' ports ("port-1", "port-2", … when there are several), the
 * target port is --target-port or the port itself, the labels are the exposed object's own.
 * Prints the name printer's `service/NAME exposed`.
 */
import type { KindInfo, KObject, KubeClusterApi } from "../../k8s/api.js";
import type { Proc } from "../types.js";
import { apiErrorText, plainError } from "./errors.js";
import { flag, type ParsedFlags } from "./flags.js";
import { namedTargets } from "./targets.js";

const EXPOSABLE = ["Pod", "Service", "Deployment", "ReplicaSet", "ReplicationController"];

/** canBeExposed's GroupKind string: `Node`, `Ingress.networking.k8s.io`. */
const groupKind = (k: KindInfo) => (k.group ? `${k.kind}.${k.group}` : k.kind);

/** The selector a workload's pods carry (mapBasedSelectorForObject). */
function selectorOf(o: KObject): { ok: true; sel: Record<string, string> } | { ok: false; error: string } {
  switch (o.kind) {
    case "Pod":
      if (!Object.keys(o.metadata.labels ?? {}).length) return { ok: false, error: `the pod has no labels and cannot be exposed` };
      return { ok: true, sel: o.metadata.labels! };
    case "Service":
      if (!o.spec?.selector) return { ok: false, error: `the service has no pod selector set` };
      return { ok: true, sel: o.spec.selector };
    default: {
      const sel = o.spec?.selector;
      if (sel?.matchExpressions?.length) return { ok: false, error: `couldn't convert expressions - "${JSON.stringify(sel.matchExpressions)}" to map-based selector format` };
      return { ok: true, sel: sel?.matchLabels ?? {} };
    }
  }
}

/** portsForObject: every container port (or service port) as a string, duplicates kept. */
function portsOf(o: KObject): Array<{ port: number; protocol: string }> {
  if (o.kind === "Service") return (o.spec.ports ?? []).map((p: any) => ({ port: p.port, protocol: p.protocol ?? "TCP" }));
  const spec = o.kind === "Pod" ? o.spec : o.spec?.template?.spec;
  return (spec?.containers ?? []).flatMap((c: any) => (c.ports ?? []).map((p: any) => ({ port: p.containerPort, protocol: p.protocol ?? "TCP" })));
}

/**
 * createService's ports (expose.go): each port in order, `port-N` names when there are several;
 * the protocol is --protocol, else the exposed object's protocol for that port number (a port
 * the object serves over two protocols becomes `port-N-tcp` and `port-N-udp`), else TCP.
 */
function servicePorts(portStrings: string[], known: Array<{ port: number; protocol: string }>, protocolFlag: string | undefined): { ok: true; ports: any[] } | { ok: false; error: string } {
  const byPort = new Map<string, string[]>();
  for (const k of known) byPort.set(String(k.port), [...(byPort.get(String(k.port)) ?? []), k.protocol]);
  const ports: any[] = [];
  for (const [i, ps] of portStrings.entries()) {
    if (!/^[+-]?\d+$/.test(ps)) return { ok: false, error: `strconv.Atoi: parsing ${JSON.stringify(ps)}: invalid syntax` };
    const port = Number(ps);
    const name = portStrings.length > 1 ? `port-${i + 1}` : undefined;
    let protocol = protocolFlag;
    if (!protocol) {
      const found = byPort.get(ps);
      if (found && found.length > 1) {
        for (const pr of found) ports.push({ name: `port-${i + 1}-${pr.toLowerCase()}`, port, protocol: pr });
        continue;
      }
      protocol = found?.[0] ?? "TCP";
    }
    ports.push({ ...(name ? { name } : {}), port, protocol });
  }
  return { ok: true, ports };
}

/** `kubectl expose`. */
export function expose(p: Proc, cluster: KubeClusterApi, f: ParsedFlags, ns: string): number {
  const targets = namedTargets(p, cluster, f, ns);
  if (!targets) return 1;
  let rc = 0;
  for (const t of targets) {
    const o = cluster.get(t.kind, t.kind.namespaced ? t.ns : undefined, t.name);
    if (!o) {
      p.err(apiErrorText({ code: 404, reason: "NotFound", message: `${t.kind.group ? `${t.kind.resource}.${t.kind.group}` : t.kind.resource} "${t.name}" not found` }));
      return 1;
    }
    if (!EXPOSABLE.includes(o.kind)) {
      p.err(plainError(`cannot expose a ${groupKind(t.kind)}`));
      return 1;
    }
    let selector: Record<string, string>;
    const selFlag = flag(f, "selector");
    if (selFlag) selector = Object.fromEntries(selFlag.split(",").map((kv) => kv.split("=", 2) as [string, string]));
    else {
      const s = selectorOf(o);
      if (!s.ok) {
        p.err(plainError(`couldn't retrieve selectors via --selector flag or introspection: ${s.error}`));
        return 1;
      }
      selector = s.sel;
    }
    const known = portsOf(o);
    const portFlag = flag(f, "port");
    const targetPort = flag(f, "target-port");
    if (portFlag === undefined && !known.length) {
      p.err(plainError("couldn't find port via --port flag or introspection"));
      return 1;
    }
    const built = servicePorts(portFlag !== undefined ? portFlag.split(",") : known.map((k) => String(k.port)), known, flag(f, "protocol"));
    if (!built.ok) {
      p.err(plainError(built.error));
      return 1;
    }
    // --target-port for every port, else each port's own number.
    const ports = built.ports.map((sp) => ({ ...sp, targetPort: targetPort !== undefined ? (/^\d+$/.test(targetPort) ? Number(targetPort) : targetPort) : sp.port }));
    const labelFlag = flag(f, "labels");
    const labels = labelFlag ? Object.fromEntries(labelFlag.split(",").map((kv) => kv.split("=", 2) as [string, string])) : o.metadata.labels;
    // The default name is the object's, cut to a DNS-1035 label's 63 characters.
    const name = flag(f, "name") ?? o.metadata.name.slice(0, 63);
    const type = flag(f, "type");
    const externalIP = flag(f, "external-ip");
    const clusterIP = flag(f, "cluster-ip");
    const svc = {
      apiVersion: "v1",
      kind: "Service",
      metadata: { name, ...(labels && Object.keys(labels).length ? { labels } : {}) },
      spec: { ports, selector, ...(type ? { type } : {}), ...(externalIP ? { externalIPs: [externalIP] } : {}), ...(clusterIP ? { clusterIP } : {}) },
    };
    const r = cluster.create(svc, t.ns);
    if (!r.ok) {
      p.err(apiErrorText(r.error));
      rc = 1;
      continue;
    }
    p.out(`service/${r.obj.metadata.name} exposed\n`);
  }
  return rc;
}
