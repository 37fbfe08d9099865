/**
 * YAML front matter of a lesson: title, requires, world, timeout, normalize, sim.
 * Every problem becomes a diagnostic at its line; unknown keys list the valid ones.
 */
import { LineCounter, parseDocument, isMap, isScalar, type Node as YamlNode } from "yaml";
import type { Diagnostic } from "../core/diagnostic.js";
import { parseDuration } from "./duration.js";
import type { LessonMeta, Requirement, SimOptions, WorldKind } from "./types.js";

/** Front matter keys, in the order error messages list them. */
export const FRONT_MATTER_KEYS = ["title", "description", "requires", "world", "timeout", "normalize", "sim"] as const;
const REQUIREMENTS: readonly Requirement[] = ["docker", "kubernetes", "root"];
const WORLDS: readonly WorldKind[] = ["bare", "docker", "kubernetes"];
const SIM_KEYS = ["seed", "nodes", "kubeProxyMode", "kubeProxyVersion"] as const;

/** Parses front matter `yaml` whose first line is file line `firstLine`. */
export function parseFrontMatter(
  yaml: string,
  file: string,
  firstLine: number,
  knownNormalizers?: readonly string[],
): { meta: LessonMeta; diagnostics: Diagnostic[]; titleSet: boolean } {
  const diagnostics: Diagnostic[] = [];
  const meta: LessonMeta = { title: "", requires: [], world: "bare", normalize: [], sim: {} };
  const lc = new LineCounter();
  const doc = parseDocument(yaml, { lineCounter: lc, prettyErrors: false, uniqueKeys: true });
  const at = (offset: number | undefined): { line: number; column: number } => {
    const p = lc.linePos(offset ?? 0);
    return { line: firstLine + p.line - 1, column: p.col };
  };
  const err = (node: YamlNode | null | undefined, message: string, rule: string, offset?: number): void => {
    diagnostics.push({ file, position: at(offset ?? node?.range?.[0]), severity: "error", message, rule });
  };
  for (const e of doc.errors) {
    err(undefined, `Invalid YAML front matter: ${e.message.split("\n")[0]}`, "bad-front-matter", e.pos[0]);
  }
  if (doc.errors.length > 0) return { meta, diagnostics, titleSet: false };
  const root = doc.contents;
  if (root === null || root === undefined) return { meta, diagnostics, titleSet: false };
  if (!isMap(root)) {
    err(root, "Front matter must be a mapping of keys to values", "bad-front-matter");
    return { meta, diagnostics, titleSet: false };
  }
  let titleSet = false;
  let worldSet = false;
  for (const pair of root.items) {
    const keyNode = pair.key as YamlNode;
    const key = isScalar(keyNode) ? String(keyNode.value) : String(keyNode);
    const valueNode = pair.value as YamlNode | null;
    const value: unknown = valueNode && "toJSON" in valueNode ? (valueNode as { toJSON(): unknown }).toJSON() : null;
    switch (key) {
      case "title":
      case "description":
        if (typeof value !== "string" || value.trim() === "") err(valueNode ?? keyNode, `Front matter "${key}" must be a non-empty string`, "bad-front-matter");
        else {
          meta[key] = value;
          if (key === "title") titleSet = true;
        }
        break;
      case "requires": {
        const list = typeof value === "string" ? value.split(/[\s,]+/).filter(Boolean) : value;
        if (!Array.isArray(list)) {
          err(valueNode ?? keyNode, `Front matter "requires" must be a list of ${REQUIREMENTS.join(", ")}`, "bad-front-matter");
          break;
        }
        for (const r of list) {
          if (typeof r === "string" && (REQUIREMENTS as readonly string[]).includes(r)) meta.requires.push(r as Requirement);
          else err(valueNode ?? keyNode, `Unknown requirement "${String(r)}", expected one of ${REQUIREMENTS.join(", ")}`, "bad-front-matter");
        }
        break;
      }
      case "world":
        if (typeof value === "string" && (WORLDS as readonly string[]).includes(value)) {
          meta.world = value as WorldKind;
          worldSet = true;
        } else err(valueNode ?? keyNode, `Unknown world "${String(value)}", expected one of ${WORLDS.join(", ")}`, "bad-front-matter");
        break;
      case "timeout": {
        const ms = typeof value === "number" ? value * 1000 : typeof value === "string" ? parseDuration(value) : undefined;
        if (ms === undefined || !(ms > 0)) err(valueNode ?? keyNode, `Invalid timeout "${String(value)}", expected a duration like 500ms, 10s or 2m`, "bad-front-matter");
        else meta.timeoutMs = ms;
        break;
      }
      case "normalize": {
        const list = typeof value === "string" ? value.split(/[\s,]+/).filter(Boolean) : value;
        if (!Array.isArray(list)) {
          err(valueNode ?? keyNode, `Front matter "normalize" must be a list of normalizer names`, "bad-front-matter");
          break;
        }
        for (const n of list) {
          if (typeof n === "string" && (!knownNormalizers || knownNormalizers.includes(n))) meta.normalize.push(n);
          else err(valueNode ?? keyNode, `Unknown normalizer "${String(n)}", expected one of ${(knownNormalizers ?? []).join(", ")}`, "unknown-normalizer");
        }
        break;
      }
      case "sim":
        meta.sim = parseSim(value, (m) => err(valueNode ?? keyNode, m, "bad-front-matter"));
        break;
      default:
        err(keyNode, `Unexpected front matter key "${key}", expected one of ${FRONT_MATTER_KEYS.join(", ")}`, "unknown-front-matter-key");
    }
  }
  if (!worldSet) {
    meta.world = meta.requires.includes("kubernetes") ? "kubernetes" : meta.requires.includes("docker") ? "docker" : "bare";
  }
  return { meta, diagnostics, titleSet };
}

function parseSim(value: unknown, err: (m: string) => void): SimOptions {
  const out: SimOptions = {};
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    err(`Front matter "sim" must be a mapping with keys ${SIM_KEYS.join(", ")}`);
    return out;
  }
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
    if (k === "seed" && Number.isInteger(v)) out.seed = v as number;
    else if (k === "nodes" && Array.isArray(v) && v.every((n) => typeof n === "string")) out.nodes = v as string[];
    else if (k === "kubeProxyMode" && (v === "iptables" || v === "ipvs")) out.kubeProxyMode = v;
    else if (k === "kubeProxyVersion" && (typeof v === "string" || typeof v === "number")) out.kubeProxyVersion = String(v);
    else if (!(SIM_KEYS as readonly string[]).includes(k)) err(`Unexpected key "sim.${k}", expected one of ${SIM_KEYS.join(", ")}`);
    else err(`Invalid value for "sim.${k}": ${JSON.stringify(v)}`);
  }
  return out;
}
