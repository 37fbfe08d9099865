/**
 * kubectl's resource builder for the commands that act on named objects (delete, expose): the
 * objects of `-f` files, or those `TYPE NAME...` / `TYPE/NAME` arguments name, with `--all`
 * listing a type's objects where the command allows it. On bad input it prints kubectl's own
 * error (unknown kind in a file, no resources, no name) and returns undefined.
 */
import type { KindInfo, KubeClusterApi } from "../../k8s/api.js";
import type { Proc } from "../types.js";
import { kindOf, mapped } from "./apply.js";
import { NO_RESOURCES, plainError } from "./errors.js";
import { flag, flags, type ParsedFlags } from "./flags.js";
import { resourceArgs } from "./get.js";
import { readManifests } from "./manifests.js";

/** One object a command acts on. */
export interface Target {
  kind: KindInfo;
  ns: string;
  name: string;
}

/** The objects `f` names in namespace `ns` (see the file comment); undefined after an error. */
export function namedTargets(p: Proc, cluster: KubeClusterApi, f: ParsedFlags, ns: string, opts: { allowAll?: boolean } = {}): Target[] | undefined {
  const targets: Target[] = [];
  const files = flags(f, "filename");
  if (files.length) {
    const read = readManifests(p, files, cluster);
    if (!read.ok) {
      p.err(read.plain ? read.error + "\n" : plainError(read.error));
      return undefined;
    }
    if (!mapped(p, cluster, read.items, ns)) return undefined;
    for (const m of read.items) targets.push({ kind: kindOf(cluster, m.obj), ns: m.obj.metadata?.namespace ?? ns, name: m.obj.metadata?.name });
    return targets;
  }
  if (f.args.length === 0) {
    p.err(plainError(NO_RESOURCES));
    return undefined;
  }
  const r = resourceArgs(cluster, f.args);
  if (!r.ok) {
    p.err(plainError(r.error));
    return undefined;
  }
  const all = opts.allowAll === true && flag(f, "all") === "true";
  for (const req of r.reqs) {
    const names = req.names.length ? req.names : all ? cluster.list(req.kind, ns).map((o) => o.metadata.name) : [];
    if (!names.length && !all) {
      p.err(plainError("resource(s) were provided, but no name was specified"));
      return undefined;
    }
    for (const name of names) targets.push({ kind: req.kind, ns, name });
  }
  return targets;
}
