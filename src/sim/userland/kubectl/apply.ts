/**
 * `kubectl apply -f`, `kubectl create -f|namespace|deployment` (`kubectl delete`: delete.ts).
 * Messages: the name printer (`deployment.apps/web created`, cli-runtime printers/name.go);
 * errors wrapped `error when creating "FILE": …` (cmdutil.AddSourceToErr); a kind the server does
 * not serve stops before anything is applied (`resource mapping not found …`, apply.go GetObjects).
 */
import type { KubeClusterApi } from "../../k8s/api.js";
import type { Proc } from "../types.js";
import { apiErrorText, plainError } from "./errors.js";
import { flag, flags, type ParsedFlags } from "./flags.js";
import { typedName } from "./get.js";
import { readManifests, type Manifest } from "./manifests.js";

/** False (after kubectl's error) when a manifest's kind is not served. */
export function mapped(p: Proc, cluster: KubeClusterApi, items: Manifest[], ns: string): boolean {
  for (const m of items) {
    const known = cluster.discovery().some((k) => (k.group ? `${k.group}/${k.version}` : k.version) === m.obj.apiVersion && k.kind === m.obj.kind);
    if (!known) {
      p.err(plainError(`resource mapping not found for name: "${m.obj.metadata?.name ?? ""}" namespace: "${m.obj.metadata?.namespace ?? ""}" from "${m.source}": no matches for kind "${m.obj.kind}" in version "${m.obj.apiVersion}"\nensure CRDs are installed first`));
      return false;
    }
  }
  void ns;
  return true;
}

/** The served kind of a manifest object (checked by `mapped`). */
export function kindOf(cluster: KubeClusterApi, obj: Record<string, any>) {
  return cluster.discovery().find((k) => (k.group ? `${k.group}/${k.version}` : k.version) === obj.apiVersion && k.kind === obj.kind)!;
}

/** `kubectl apply` (verb "apply") and `kubectl create -f` (verb "create"). */
export function applyOrCreate(p: Proc, cluster: KubeClusterApi, f: ParsedFlags, ns: string, verb: "apply" | "create"): number {
  const files = flags(f, "filename");
  if (files.length === 0) {
    p.err(plainError(verb === "apply" ? "must specify one of -f and -k" : "must specify one of -f and -k"));
    return 1;
  }
  const read = readManifests(p, files, cluster);
  if (!read.ok) {
    p.err(read.plain ? read.error + "\n" : plainError(read.error));
    return 1;
  }
  if (read.items.length === 0) {
    p.err(plainError(`no objects passed to ${verb}`));
    return 1;
  }
  if (!mapped(p, cluster, read.items, ns)) return 1;
  const errs: string[] = [];
  for (const m of read.items) {
    const k = kindOf(cluster, m.obj);
    const objNs = m.obj.metadata?.namespace;
    if (objNs && flag(f, "namespace") && objNs !== ns && k.namespaced) {
      errs.push(plainError(`the namespace from the provided object "${objNs}" does not match the namespace "${ns}". You must pass '--namespace=${objNs}' to perform this operation.`));
      continue;
    }
    const useNs = objNs ?? ns;
    if (verb === "apply") {
      const r = cluster.apply(m.obj, useNs);
      if (!r.ok) errs.push(apiErrorText(r.error, { verb: cluster.get(k, useNs, m.obj.metadata?.name ?? "") ? "patching" : "creating", source: m.source }));
      else p.out(`${typedName(k, r.obj.metadata.name)} ${r.op}\n`);
    } else {
      const r = cluster.create(m.obj, useNs);
      if (!r.ok) errs.push(apiErrorText(r.error, { verb: "creating", source: m.source }));
      else p.out(`${typedName(k, r.obj.metadata.name)} created\n`);
    }
  }
  for (const e of errs) p.err(e);
  return errs.length ? 1 : 0;
}

/** `kubectl create namespace NAME` / `kubectl create deployment NAME --image=…`. */
export function createGenerated(p: Proc, cluster: KubeClusterApi, f: ParsedFlags, ns: string): number {
  const [what, name] = f.args;
  let obj: Record<string, any>;
  if (what === "namespace" || what === "ns") {
    obj = { apiVersion: "v1", kind: "Namespace", metadata: { name } };
  } else if (what === "deployment" || what === "deploy") {
    const images = flags(f, "image");
    if (!images.length) {
      p.err(plainError("required flag(s) \"image\" not set"));
      return 1;
    }
    const port = flag(f, "port");
    const base = (img: string) => img.split("/").pop()!.split(":")[0]!.split("@")[0]!;
    obj = {
      apiVersion: "apps/v1",
      kind: "Deployment",
      metadata: { name, labels: { app: name } },
      spec: {
        replicas: Number(flag(f, "replicas") ?? 1),
        selector: { matchLabels: { app: name } },
        template: { metadata: { labels: { app: name } }, spec: { containers: images.map((img) => ({ name: base(img), image: img, ...(port ? { ports: [{ containerPort: Number(port) }] } : {}) })) } },
      },
    };
  } else {
    p.err(plainError(`Unexpected args: [${f.args.join(" ")}]\nSee 'kubectl create -h' for help and examples`));
    return 1;
  }
  if (!name) {
    p.err(plainError(`exactly one NAME is required, got 0\nSee 'kubectl create ${what} -h' for help and examples`));
    return 1;
  }
  const r = cluster.create(obj, ns);
  if (!r.ok) {
    p.err(apiErrorText(r.error));
    return 1;
  }
  p.out(`${typedName(kindOf(cluster, obj), name)} created\n`);
  return 0;
}
