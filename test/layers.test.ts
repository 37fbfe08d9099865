/**
 * The layer rules of docs/architecture.md, checked mechanically: every import of every source
 * file under src/ (tests excepted) is classified by layer and checked against the table below;
 * the import graph must have no cycles; only the host target runs processes; only cli/ touches
 * `process`; nothing in sim/ reads the real clock, random numbers or timers.
 */
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import ts from "typescript";
import { describe, expect, it } from "vitest";

const ROOT = resolve(import.meta.dirname, "..");
const SRC = join(ROOT, "src");

function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...sourceFiles(p));
    else if (e.name.endsWith(".ts") && !e.name.endsWith(".test.ts") && !e.name.endsWith(".d.ts")) out.push(p);
  }
  return out;
}

/** Module specifiers a file imports or re-exports (static and literal dynamic imports). */
export function importsOf(text: string): string[] {
  return ts.preProcessFile(text, true, true).importedFiles.map((f) => f.fileName);
}

/** The layer a src-relative path belongs to (first matching prefix wins). */
const LAYERS: [prefix: string, layer: string][] = [
  ["core/", "core"],
  ["lesson/", "lesson"],
  ["assert/", "assert"],
  ["runner/events.ts", "runner/events"],
  ["runner/", "runner"],
  ["report/", "report"],
  ["target/types.ts", "target/types"],
  ["target/host/labcheck/", "target/host/labcheck"],
  ["target/host/", "target/host"],
  ["target/", "target/sim"],
  ["cli/", "cli"],
  ["trace/", "trace"],
  ["grade/types.ts", "grade/types"],
  ["grade/", "grade"],
  ["render/", "render"],
  ["shell-cli/", "shell-cli"],
  ["sim/index.ts", "sim/index"],
  ["sim/api.ts", "sim/api"],
  ["sim/keys.ts", "sim/keys"],
  ["sim/kernel/", "sim/kernel"],
  ["sim/docker/", "sim/docker"],
  ["sim/k8s/", "sim/k8s"],
  ["sim/shell/", "sim/shell"],
  ["sim/userland/types.ts", "sim/userland/types"],
  ["sim/userland/lib/", "sim/userland/lib"],
  ["sim/userland/registry.ts", "sim/userland/registry"],
  ["sim/userland/index.ts", "sim/userland/registry"],
  ["sim/userland/", "sim/userland/cmd"],
  ["sim/worlds/", "sim/worlds"],
  ["sim/trace/", "sim/trace"],
  ["sim/topology/types.ts", "sim/topology/types"],
  ["sim/", "sim/other"],
];

/** Layer of a src-relative path. */
export function layerOf(rel: string): string {
  for (const [prefix, layer] of LAYERS) if (rel === prefix || rel.startsWith(prefix)) return layer;
  return "unknown";
}

/**
 * A folder's public entry points: from outside the folder, only these files may be imported
 * (userland reaches the kernel and the daemons only through their APIs).
 */
const PUBLIC: Record<string, (rel: string) => boolean> = {
  "sim/kernel": (r) => r === "sim/kernel/api.ts" || r === "sim/kernel/packet.ts" || r.startsWith("sim/kernel/wire/"),
  "sim/docker": (r) => r === "sim/docker/api.ts",
  "sim/k8s": (r) => r === "sim/k8s/api.ts",
};

const SIM_CONTRACTS = ["sim/api", "sim/kernel", "sim/userland/types", "core"];
/** Which layers each layer may import (its own layer is always allowed). */
const ALLOWED: Record<string, string[]> = {
  core: [],
  lesson: ["core"],
  assert: ["core"],
  "runner/events": ["core"],
  runner: ["runner/events", "lesson", "assert", "target/types", "core"],
  report: ["runner/events", "grade/types", "core"],
  "target/types": ["core"],
  "target/sim": ["target/types", "sim/index", "sim/api", "sim/kernel", "trace", "core"],
  "target/host": ["target/types", "core"],
  /** Host lab-check runs in its own process (bin/lab-check): real tools through execa, nothing of lab's engine or the simulator. */
  "target/host/labcheck": ["core"],
  cli: [
    "core", "lesson", "assert", "runner", "runner/events", "report", "target/types", "target/sim", "target/host", "target/host/labcheck", "trace",
    "grade", "grade/types", "render", "shell-cli", "sim/api",
  ],
  /** Grading: an orchestrator like the runner; in sim it builds a fresh world per submission (speed, isolation). */
  grade: ["grade/types", "lesson", "assert", "runner", "runner/events", "target/types", "target/sim", "target/host", "sim/index", "sim/api", "sim/keys", "core"],
  "grade/types": ["core"],
  /** `lab render`: runs lessons (runner, the recording path of --update) and writes pages and diagrams. */
  render: ["lesson", "assert", "runner", "runner/events", "target/types", "target/sim", "sim/index", "sim/api", "sim/kernel", "sim/topology/types", "core"],
  /** `lab shell`: an interactive front end over a simulated world, optionally after a lesson's blocks. */
  "shell-cli": ["lesson", "runner", "runner/events", "target/sim", "sim/index", "sim/api", "core"],
  /** Explaining a kernel trace (pure): `lab trace`, lab-check's feedback and the docs' packet paths read it. */
  "sim/trace": ["sim/kernel", "core"],
  "sim/topology/types": ["sim/kernel", "core"],
  /** `lab trace`'s explanation: reads a SimWorld's kernel trace; the sim target and the CLI use it. */
  trace: ["sim/api", "sim/kernel", "sim/trace", "core"],
  "sim/api": ["sim/kernel", "sim/topology/types", "core"],
  "sim/kernel": ["core"],
  "sim/docker": [...SIM_CONTRACTS],
  "sim/k8s": [...SIM_CONTRACTS, "sim/docker"],
  "sim/userland/types": ["sim/kernel", "core"],
  "sim/userland/lib": [...SIM_CONTRACTS, "sim/docker", "sim/k8s"],
  "sim/userland/cmd": [...SIM_CONTRACTS, "sim/userland/lib", "sim/docker", "sim/k8s", "sim/trace"],
  "sim/userland/registry": [...SIM_CONTRACTS, "sim/userland/lib", "sim/userland/cmd"],
  "sim/shell": [...SIM_CONTRACTS, "sim/userland/registry", "sim/userland/lib"],
};
/** Layers that may import anything inside sim/ (the assembly points). */
const SIM_ASSEMBLY = new Set(["sim/index", "sim/keys", "sim/worlds", "sim/other"]);

/** npm packages (and node built-ins that run processes) only some layers may use. */
const RESTRICTED_PACKAGES: Record<string, string[]> = {
  unified: ["lesson"],
  "remark-parse": ["lesson"],
  "remark-frontmatter": ["lesson"],
  "unist-util-visit": ["lesson"],
  handlebars: ["lesson", "render"],
  execa: ["target/host", "target/host/labcheck"],
  "node:child_process": ["target/host"],
  child_process: ["target/host"],
};

interface Edge {
  from: string;
  to: string;
  spec: string;
  /** `import type` / `export type ... from`: erased at run time, so never part of a cycle. */
  typeOnly?: boolean;
}

/** Specifiers imported only for types (whole-statement `import type` / `export type`). */
function typeOnlySpecs(text: string): Set<string> {
  const out = new Set<string>();
  for (const m of text.matchAll(/^\s*(?:import|export)\s+type\s[^;]*?from\s+["']([^"']+)["']/gms)) out.add(m[1]!);
  const value = new Set<string>();
  for (const m of text.matchAll(/^\s*(?:import|export)\s+(?!type\s)[^;]*?from\s+["']([^"']+)["']/gms)) value.add(m[1]!);
  for (const m of text.matchAll(/^\s*import\s+["']([^"']+)["']/gm)) value.add(m[1]!);
  for (const m of text.matchAll(/import\(\s*["']([^"']+)["']\s*\)/g)) value.add(m[1]!);
  for (const v of value) out.delete(v);
  return out;
}

function graph(): { files: string[]; edges: Edge[]; packages: { from: string; spec: string }[] } {
  const files = sourceFiles(SRC);
  const edges: Edge[] = [];
  const packages: { from: string; spec: string }[] = [];
  for (const f of files) {
    const text = readFileSync(f, "utf8");
    const typeOnly = typeOnlySpecs(text);
    for (const spec of importsOf(text)) {
      const from = relative(SRC, f);
      if (spec.startsWith(".")) {
        const target = resolve(dirname(f), spec).replace(/\.js$/, ".ts");
        edges.push({ from, to: relative(SRC, target), spec, typeOnly: typeOnly.has(spec) });
      } else packages.push({ from, spec });
    }
  }
  return { files: files.map((f) => relative(SRC, f)), edges, packages };
}

/** Forbidden edges by the table above, as `from -> to (layer -> layer)` strings. */
export function forbiddenEdges(edges: readonly Edge[]): string[] {
  const bad: string[] = [];
  for (const e of edges) {
    const a = layerOf(e.from);
    const b = layerOf(e.to);
    if (a === b) continue;
    const entry = PUBLIC[b];
    if (entry && !entry(e.to) && !SIM_ASSEMBLY.has(a)) {
      bad.push(`${e.from} -> ${e.to} (${b} is reached only through its API: ${b}/api.ts)`);
      continue;
    }
    if (SIM_ASSEMBLY.has(a) && e.to.startsWith("sim/")) continue;
    if (a.startsWith("sim") && !e.to.startsWith("sim/") && b !== "core") {
      bad.push(`${e.from} -> ${e.to} (the simulator never imports ${b})`);
      continue;
    }
    const allowed = ALLOWED[a];
    if (allowed === undefined && SIM_ASSEMBLY.has(a)) {
      if (!e.to.startsWith("sim/") && b !== "core") bad.push(`${e.from} -> ${e.to} (${a} -> ${b})`);
      continue;
    }
    if (!allowed || !allowed.includes(b)) bad.push(`${e.from} -> ${e.to} (${a} -> ${b})`);
  }
  // Commands never import each other.
  for (const e of edges) {
    if (layerOf(e.from) !== "sim/userland/cmd" || layerOf(e.to) !== "sim/userland/cmd") continue;
    const cmdOf = (p: string) => p.split("/")[2];
    if (cmdOf(e.from) !== cmdOf(e.to)) bad.push(`${e.from} -> ${e.to} (commands never import each other; share through userland/lib)`);
  }
  return bad;
}

/** Strongly connected components (value imports only) with more than one file or a self-import. */
export function cycles(nodes: readonly string[], edges: readonly Edge[]): string[][] {
  const adj = new Map<string, string[]>(nodes.map((n) => [n, []]));
  for (const e of edges) if (!e.typeOnly) adj.get(e.from)?.push(e.to);
  let index = 0;
  const idx = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const on = new Set<string>();
  const out: string[][] = [];
  const strong = (v: string): void => {
    idx.set(v, index);
    low.set(v, index++);
    stack.push(v);
    on.add(v);
    for (const w of adj.get(v) ?? []) {
      if (!idx.has(w)) {
        if (!adj.has(w)) continue;
        strong(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (on.has(w)) low.set(v, Math.min(low.get(v)!, idx.get(w)!));
    }
    if (low.get(v) === idx.get(v)) {
      const comp: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        on.delete(w);
        comp.push(w);
      } while (w !== v);
      if (comp.length > 1 || (adj.get(v) ?? []).includes(v)) out.push(comp.sort());
    }
  };
  for (const n of nodes) if (!idx.has(n)) strong(n);
  return out;
}

describe("layer rules (docs/architecture.md)", () => {
  const g = graph();

  it("every source file belongs to a known layer", () => {
    expect(g.files.filter((f) => layerOf(f) === "unknown")).toEqual([]);
  });

  it("no import crosses a forbidden edge", () => {
    expect(forbiddenEdges(g.edges)).toEqual([]);
  });

  it("restricted packages stay in their layer", () => {
    const bad = g.packages
      .filter((p) => RESTRICTED_PACKAGES[p.spec] && !RESTRICTED_PACKAGES[p.spec]!.includes(layerOf(p.from)))
      .map((p) => `${p.from} imports ${p.spec}`);
    expect(bad).toEqual([]);
  });

  it("has no import cycles", () => {
    expect(cycles(g.files, g.edges)).toEqual([]);
  });

  it("only cli/ touches process (the host target may kill its own process groups)", () => {
    const bad: string[] = [];
    for (const f of g.files) {
      if (f.startsWith("cli/")) continue;
      const text = stripComments(readFileSync(join(SRC, f), "utf8"));
      for (const m of text.matchAll(/\bprocess\.(\w+)/g)) {
        if (f.startsWith("target/host/") && m[1] === "kill") continue;
        bad.push(`${f}: process.${m[1]}`);
      }
    }
    expect(bad).toEqual([]);
  });

  it("nothing in sim/ reads the real clock, random numbers or timers", () => {
    const bad: string[] = [];
    for (const f of g.files.filter((x) => x.startsWith("sim/"))) {
      const text = stripComments(readFileSync(join(SRC, f), "utf8"));
      for (const m of text.matchAll(/\b(Date\.now|new Date\(\)|Math\.random|performance\.now|setTimeout|setInterval|setImmediate)\b/g)) {
        // The one exception: background jobs yield an event-loop turn (no time read) so that
        // delegated utilities can finish; see src/sim/shell/jobs.ts.
        if (f === "sim/shell/jobs.ts" && m[1] === "setImmediate") continue;
        bad.push(`${f}: ${m[1]}`);
      }
    }
    expect(bad).toEqual([]);
  });
});

describe("the checker itself", () => {
  it("finds forbidden edges and cycles in a made-up graph", () => {
    const edges: Edge[] = [
      { from: "assert/match.ts", to: "lesson/types.ts", spec: "" },
      { from: "sim/kernel/x.ts", to: "runner/run.ts", spec: "" },
      { from: "sim/userland/ip/a.ts", to: "sim/userland/ping/b.ts", spec: "" },
      { from: "sim/userland/ip/a.ts", to: "sim/kernel/netns.ts", spec: "" },
      { from: "core/x.ts", to: "lesson/a.ts", spec: "", typeOnly: true },
      { from: "runner/run.ts", to: "lesson/parse.ts", spec: "" },
      { from: "lesson/a.ts", to: "lesson/b.ts", spec: "" },
      { from: "lesson/b.ts", to: "lesson/a.ts", spec: "" },
    ];
    expect(forbiddenEdges(edges)).toEqual([
      "assert/match.ts -> lesson/types.ts (assert -> lesson)",
      "sim/kernel/x.ts -> runner/run.ts (the simulator never imports runner)",
      "sim/userland/ip/a.ts -> sim/kernel/netns.ts (sim/kernel is reached only through its API: sim/kernel/api.ts)",
      "core/x.ts -> lesson/a.ts (core -> lesson)",
      "sim/userland/ip/a.ts -> sim/userland/ping/b.ts (commands never import each other; share through userland/lib)",
    ]);
    expect(cycles(["lesson/a.ts", "lesson/b.ts", "core/x.ts"], edges)).toEqual([["lesson/a.ts", "lesson/b.ts"]]);
    expect(typeOnlySpecs('import type { A } from "./a.js";\nimport { type B, c } from "./b.js";\nexport type { D } from "./d.js";\nimport type { E } from "./e.js";\nimport { e } from "./e.js";')).toEqual(
      new Set(["./a.js", "./d.js"]),
    );
    expect(importsOf('import a from "./a.js";\nexport * from "./b.js";\nconst c = await import("./c.js");\nimport type { D } from "./d.js";')).toEqual([
      "./a.js",
      "./b.js",
      "./c.js",
      "./d.js",
    ]);
  });
});

function stripComments(text: string): string {
  return text.replace(/\/\*[\s\S]*?\*\//g, "").replace(/(^|[^:"'`])\/\/.*$/gm, "$1");
}
