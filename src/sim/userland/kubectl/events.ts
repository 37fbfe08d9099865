/**
 * `kubectl events [--for TYPE/NAME] [--types Normal,Warning] [-A]` (kubectl/pkg/cmd/events,
 * 1.26+): the namespace's core/v1 Events sorted by their last time (SortableEvents), printed
 * `LAST SEEN  TYPE  REASON  OBJECT  MESSAGE` with OBJECT as `Kind/name` and LAST SEEN as
 * describe's interval ("5s", "3s (x4 over 40s)"); none: `No events found in NS namespace.` on
 * stderr, exit 0.
 */
import type { KubeClusterApi } from "../../k8s/api.js";
import type { Proc } from "../types.js";
import { eventInterval, eventTime } from "./age.js";
import { plainError } from "./errors.js";
import { flag, flags, type ParsedFlags } from "./flags.js";
import { findResource } from "./get.js";
import { formatTable } from "./table.js";

/** `kubectl events`. */
export function events(p: Proc, cluster: KubeClusterApi, f: ParsedFlags, ns: string): number {
  if (f.args.length) {
    p.err(plainError(`unknown command "${f.args[0]}" for "kubectl events"`));
    return 1;
  }
  const types = flags(f, "types").flatMap((t) => t.split(",")).filter((t) => t);
  for (const t of types) {
    if (!/^(normal|warning)$/i.test(t)) {
      p.err(plainError("valid --types are Normal or Warning"));
      return 1;
    }
  }
  let forKind: string | undefined;
  let forName: string | undefined;
  const forArg = flag(f, "for");
  if (forArg !== undefined) {
    const parts = forArg.split("/");
    // decodeResourceTypeName (events.go): no slash is "not found", two slashes an error of its own.
    if (parts.length !== 2) {
      p.err(plainError(parts.length > 2 ? "arguments in resource/name form may not have more than one slash" : "--for must be in resource/name form"));
      return 1;
    }
    const k = findResource(cluster, parts[0]!);
    if (!k) {
      p.err(plainError(`the server doesn't have a resource type "${parts[0]}"`));
      return 1;
    }
    forKind = k.kind;
    forName = parts[1];
  }
  const all = flag(f, "all-namespaces") === "true";
  const evKind = cluster.discovery().find((k) => k.kind === "Event" && k.group === "")!;
  const list = cluster
    .list(evKind, all ? undefined : ns)
    .filter((e) => (forKind === undefined || (e.involvedObject?.kind === forKind && e.involvedObject?.name === forName)) && (!types.length || types.some((t) => t.toLowerCase() === String(e.type).toLowerCase())))
    .map((e, i) => ({ e, i }))
    .sort((a, b) => eventTime(a.e) - eventTime(b.e) || a.i - b.i)
    .map((x) => x.e);
  if (!list.length) {
    p.err(all ? "No events found.\n" : `No events found in ${ns} namespace.\n`);
    return 0;
  }
  const now = cluster.nowMs();
  const rows = [[...(all ? ["NAMESPACE"] : []), "LAST SEEN", "TYPE", "REASON", "OBJECT", "MESSAGE"]];
  for (const e of list) rows.push([...(all ? [e.metadata.namespace ?? ""] : []), eventInterval(e, now), e.type ?? "", e.reason ?? "", `${e.involvedObject?.kind}/${e.involvedObject?.name}`, String(e.message ?? "").trim()]);
  p.out(formatTable(flag(f, "no-headers") === "true" ? [rows[0]!.map(() => ""), ...rows.slice(1)] : rows).replace(/^[^\n]*\n/, flag(f, "no-headers") === "true" ? "" : "$&"));
  return 0;
}
