/**
 * `-f FILE | -f DIR | -f - | -f URL`: the manifests kubectl reads (cli-runtime resource builder):
 * YAML or JSON, several documents per file separated by `---`, a directory's .json/.yaml/.yml
 * files in name order, `-` for stdin (source "STDIN"), http(s) URLs fetched over the simulated
 * network from kubectl's own context (http.ts).
 */
import { parseAllDocuments } from "yaml";
import type { KubeClusterApi } from "../../k8s/api.js";
import type { Proc } from "../types.js";
import { fetchUrl } from "./http.js";

export interface Manifest {
  source: string;
  obj: Record<string, any>;
}

/** Reads every manifest named by `files`; an error in kubectl's words on failure (`plain`: print as is, no `error: `). */
export function readManifests(p: Proc, files: string[], cluster: KubeClusterApi): { ok: true; items: Manifest[] } | { ok: false; error: string; plain?: boolean } {
  const items: Manifest[] = [];
  const resolve = (f: string) => (f.startsWith("/") ? f : `${p.cwd.replace(/\/$/, "")}/${f}`);
  const parse = (text: string, source: string): string | undefined => {
    const docs = parseAllDocuments(text);
    for (const d of Array.isArray(docs) ? docs : [docs]) {
      if (d.errors.length) {
        const e = d.errors[0]!;
        const line = e.linePos?.[0]?.line ?? 1;
        return `error parsing ${source}: error converting YAML to JSON: yaml: line ${line}: ${e.code === "BAD_INDENT" ? "did not find expected key" : "mapping values are not allowed in this context"}`;
      }
      const obj = d.toJSON();
      if (obj === null || obj === undefined) continue;
      if (typeof obj !== "object" || Array.isArray(obj)) return `error validating "${source}": error validating data: invalid object to validate`;
      if (obj.kind === "List" && Array.isArray(obj.items)) for (const it of obj.items) items.push({ source, obj: it });
      else items.push({ source, obj });
    }
    return undefined;
  };
  for (const f of files) {
    if (f === "-") {
      const err = parse(p.stdin, "STDIN");
      if (err) return { ok: false, error: err };
      continue;
    }
    if (/^https?:\/\//.test(f)) {
      const got = fetchUrl(p, f, (ms) => cluster.sleep(ms));
      if (!got.ok) return got;
      const err = parse(got.text, f);
      if (err) return { ok: false, error: err };
      continue;
    }
    const path = resolve(f);
    if (p.ctx.fs.isDir(path)) {
      const names = (p.ctx.fs.readdir(path) ?? []).filter((n) => /\.(ya?ml|json)$/.test(n)).sort();
      for (const n of names) {
        const err = parse(p.ctx.fs.readFile(`${path.replace(/\/$/, "")}/${n}`) ?? "", `${f.replace(/\/$/, "")}/${n}`);
        if (err) return { ok: false, error: err };
      }
      continue;
    }
    const text = p.ctx.fs.readFile(path);
    if (text === undefined) return { ok: false, error: `the path "${f}" does not exist` };
    const err = parse(text, f);
    if (err) return { ok: false, error: err };
  }
  for (const m of items) {
    if (!m.obj.kind) return { ok: false, error: `error validating "${m.source}": error validating data: kind not set; if you choose to ignore these errors, turn validation off with --validate=false` };
    if (!m.obj.apiVersion) return { ok: false, error: `error validating "${m.source}": error validating data: apiVersion not set; if you choose to ignore these errors, turn validation off with --validate=false` };
  }
  return { ok: true, items };
}
