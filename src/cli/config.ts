/** `lab.config.yaml`: host-target contexts (`contexts: { node1: "docker exec -i kind-worker bash" }`). */
import { readFile } from "node:fs/promises";
import { resolve } from "node:path";
import { parse } from "yaml";
import type { HostConfig } from "../target/host/index.js";

/** Loads the config; a missing default file is an empty config, anything else wrong is a message. */
export async function loadConfig(cwd: string, explicit?: string): Promise<{ config: HostConfig } | { error: string }> {
  const file = explicit ?? "lab.config.yaml";
  let text: string;
  try {
    text = await readFile(resolve(cwd, file), "utf8");
  } catch {
    return explicit ? { error: `${file}: No such file or directory` } : { config: {} };
  }
  let data: unknown;
  try {
    data = parse(text);
  } catch (e) {
    return { error: `${file}: invalid YAML: ${(e as Error).message.split("\n")[0]}` };
  }
  if (data === null || data === undefined) return { config: {} };
  if (typeof data !== "object" || Array.isArray(data)) return { error: `${file}: expected a mapping with key "contexts"` };
  const unknown = Object.keys(data).filter((k) => k !== "contexts");
  if (unknown.length) return { error: `${file}: unexpected key "${unknown[0]}", expected contexts` };
  const contexts = (data as { contexts?: unknown }).contexts;
  if (contexts === undefined || contexts === null) return { config: {} };
  if (typeof contexts !== "object" || Array.isArray(contexts) || !Object.values(contexts).every((v) => typeof v === "string")) {
    return { error: `${file}: "contexts" must map context names to shell command lines` };
  }
  return { config: { contexts: contexts as Record<string, string> } };
}
