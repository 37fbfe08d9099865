/**
 * `kubectl get`: resource arguments (`pods`, `pod/x`, `deploy,svc`, `all`), `-n`, `-A`, `-l`,
 * `--field-selector` (fieldsel.ts), `--show-labels`, `--no-headers`, `--ignore-not-found`, `-o wide|name|yaml|json|jsonpath=…`, the
 * "No resources found" notice.
 * Sources: kubectl/pkg/cmd/get/get.go, cli-runtime printers (name.go, json.go, yaml.go).
 */
import { stringify } from "yaml";
import type { KindInfo, KObject, KubeClusterApi } from "../../k8s/api.js";
import { apiErrorText, plainError } from "./errors.js";
import { flag, type ParsedFlags } from "./flags.js";
import { fieldFilter } from "./fieldsel.js";
import { jsonpath } from "./jsonpath.js";
import { formatLabels, printerFor } from "./printers.js";
import { formatTable } from "./table.js";
import type { Proc } from "../types.js";

/** Finds a resource type by any name kubectl accepts. */
export function findResource(cluster: KubeClusterApi, name: string): KindInfo | undefined {
  const n = name.toLowerCase();
  return cluster.discovery().find((x) => x.resource === n || x.singular === n || x.short.includes(n) || `${x.resource}.${x.group}` === n || `${x.singular}.${x.group}` === n);
}

/** `kind.group/name` or `kind/name` as the name printer writes it. */
export function typedName(k: KindInfo, name: string): string {
  return `${k.singular}${k.group ? "." + k.group : ""}/${name}`;
}

/** Parses kubectl's resource arguments into (kind, names) requests. */
export function resourceArgs(cluster: KubeClusterApi, args: string[]): { ok: true; reqs: Array<{ kind: KindInfo; names: string[] }> } | { ok: false; error: string } {
  const reqs: Array<{ kind: KindInfo; names: string[] }> = [];
  const lookup = (t: string): KindInfo | string => findResource(cluster, t) ?? `the server doesn't have a resource type "${t}"`;
  if (args.some((a) => a.includes("/"))) {
    for (const a of args) {
      const [t, name] = a.split("/", 2);
      if (!name) return { ok: false, error: `there is no need to specify a resource type as a separate argument when passing arguments in resource/name form (e.g. 'kubectl get resource/<resource_name>' instead of 'kubectl get resource resource/<resource_name>'` };
      const k = lookup(t!);
      if (typeof k === "string") return { ok: false, error: k };
      const r = reqs.find((x) => x.kind === k);
      if (r) r.names.push(name);
      else reqs.push({ kind: k, names: [name] });
    }
    return { ok: true, reqs };
  }
  const [types, ...names] = args;
  for (const t of types!.split(",")) {
    if (t === "all") {
      for (const n of ["pods", "services", "deployments", "replicasets"]) reqs.push({ kind: findResource(cluster, n)!, names });
      continue;
    }
    const k = lookup(t);
    if (typeof k === "string") return { ok: false, error: k };
    reqs.push({ kind: k, names });
  }
  return { ok: true, reqs };
}

function labelFilter(sel: string | undefined): (o: KObject) => boolean {
  if (!sel) return () => true;
  const terms = sel.split(",").map((t) => t.trim());
  return (o) =>
    terms.every((t) => {
      const l = o.metadata.labels ?? {};
      let m: RegExpExecArray | null;
      if ((m = /^(.+?)\s*!=\s*(.*)$/.exec(t))) return l[m[1]!] !== m[2];
      if ((m = /^(.+?)\s*==?\s*(.*)$/.exec(t))) return l[m[1]!] === m[2];
      if (t.startsWith("!")) return !(t.slice(1) in l);
      return t in l;
    });
}

/** `kubectl get`. */
export function get(p: Proc, cluster: KubeClusterApi, f: ParsedFlags, ns: string): number {
  if (f.args.length === 0) {
    p.err(`You must specify the type of resource to get. Use "kubectl api-resources" for a complete list of supported resources.\n\nerror: Required resource not specified.\nUse "kubectl explain <resource>" for a detailed description of that resource (e.g. kubectl explain pods).\nSee 'kubectl get -h' for help and examples\n`);
    return 1;
  }
  const r = resourceArgs(cluster, f.args);
  if (!r.ok) {
    p.err(plainError(r.error));
    return 1;
  }
  const all = flag(f, "all-namespaces") === "true";
  const output = flag(f, "output") ?? "";
  const wide = output === "wide";
  const showLabels = flag(f, "show-labels") === "true";
  const noHeaders = flag(f, "no-headers") === "true";
  const ignoreNotFound = flag(f, "ignore-not-found") === "true";
  const sel = labelFilter(flag(f, "selector"));
  const now = cluster.nowMs();
  let rc = 0;
  const found: Array<{ kind: KindInfo; objs: KObject[] }> = [];
  const errors: string[] = [];
  for (const req of r.reqs) {
    const nsArg = req.kind.namespaced ? (all ? undefined : ns) : undefined;
    if (req.names.length) {
      const objs: KObject[] = [];
      for (const n of req.names) {
        const o = cluster.get(req.kind, nsArg ?? ns, n);
        if (o) objs.push(o);
        else if (!ignoreNotFound) {
          errors.push(apiErrorText({ code: 404, reason: "NotFound", message: `${req.kind.group ? `${req.kind.resource}.${req.kind.group}` : req.kind.resource} "${n}" not found` }));
          rc = 1;
        }
      }
      found.push({ kind: req.kind, objs });
    } else {
      const fsel = fieldFilter(req.kind, flag(f, "field-selector"));
      if (!fsel.ok) {
        p.err(fsel.error + "\n");
        return 1;
      }
      found.push({ kind: req.kind, objs: cluster.list(req.kind, nsArg).filter(sel).filter(fsel.test) });
    }
  }
  const objs = found.flatMap((x) => x.objs.map((o) => ({ kind: x.kind, o })));
  const single = r.reqs.length === 1 && r.reqs[0]!.names.length === 1;
  if (output === "name") {
    for (const { kind, o } of objs) p.out(typedName(kind, o.metadata.name) + "\n");
  } else if (output === "yaml" || output === "json") {
    const data = single && objs.length === 1 ? objs[0]!.o : { apiVersion: "v1", items: objs.map((x) => x.o), kind: "List", metadata: { resourceVersion: "" } };
    if (objs.length || !single) p.out(output === "json" ? JSON.stringify(data, null, 4) + "\n" : stringify(data, { indentSeq: false, sortMapEntries: true, lineWidth: 0 }));
  } else if (output.startsWith("jsonpath=") || output.startsWith("jsonpath-as-json=")) {
    const tpl = output.slice(output.indexOf("=") + 1);
    const data = single && objs.length === 1 ? objs[0]!.o : { apiVersion: "v1", items: objs.map((x) => x.o), kind: "List", metadata: { resourceVersion: "" } };
    try {
      p.out(jsonpath(tpl, data));
    } catch (e) {
      p.err(plainError(`error parsing jsonpath ${tpl}, ${(e as Error).message}`));
      return 1;
    }
  } else if (output !== "" && output !== "wide") {
    p.err(plainError(`unable to match a printer suitable for the output format "${output}", allowed formats are: custom-columns,custom-columns-file,go-template,go-template-file,json,jsonpath,jsonpath-as-json,jsonpath-file,name,template,templatefile,wide,yaml`));
    return 1;
  } else {
    const withKind = r.reqs.length > 1;
    let first = true;
    for (const { kind, objs: list } of found) {
      if (!list.length) continue;
      const pr = printerFor(kind.kind);
      const full = wide ? pr.wide : undefined;
      const header = [...(all && kind.namespaced ? ["NAMESPACE"] : []), ...(full ? full.header : [...pr.header, ...(wide ? pr.wideHeader : [])]), ...(showLabels ? ["LABELS"] : [])];
      const rows = noHeaders ? [] : [header];
      for (const o of list) {
        const cells = full ? full.row(o, now) : [...pr.row(o, now), ...(wide ? pr.wideRow(o, now) : [])];
        if (withKind) cells[0] = typedName(kind, cells[0]!);
        rows.push([...(all && kind.namespaced ? [o.metadata.namespace ?? ""] : []), ...cells, ...(showLabels ? [formatLabels(o.metadata.labels)] : [])]);
      }
      // get.go: a blank line between resource groups, on stderr, only when they have headers.
      if (!first && !noHeaders) p.err("\n");
      first = false;
      p.out(formatTable(rows));
    }
  }
  for (const e of errors) p.err(e);
  if (objs.length === 0 && rc === 0 && !ignoreNotFound && (output === "" || output === "wide")) {
    p.err(all || !r.reqs.some((x) => x.kind.namespaced) ? "No resources found\n" : `No resources found in ${ns} namespace.\n`);
  }
  return rc;
}
