/**
 * `lab render LESSONS... [--target sim|host] [--out DIR] [--format md|html] [--templates DIR]`:
 * runs lessons and writes them as Markdown or a static HTML site (docs/render.md).
 */
import { basename, resolve } from "node:path";
import { parseArgs } from "node:util";
import { formatDiagnostic } from "../core/diagnostic.js";
import { buildPage, type PageData } from "../render/page.js";
import { runForRender } from "../render/run.js";
import { writeSite } from "../render/write.js";
import { createHostTarget } from "../target/host/index.js";
import { loadConfig } from "./config.js";
import { collectLessonFiles, loadLessons } from "./files.js";

export const RENDER_USAGE = `Usage: lab render LESSONS... [--target sim|host] [--out DIR] [--format md|html] [--templates DIR]

Runs the lessons and writes them, with this run's outputs, topology diagrams (sim) and the
tool versions, through handlebars templates. Default: --target sim --out rendered --format html.`;

interface Io {
  out: (t: string) => void;
  err: (t: string) => void;
  cwd: string;
}

/** Runs `lab render` with its own arguments; resolves to the exit status (1 when a block failed). */
export async function renderMain(argv: readonly string[], io: Io): Promise<number> {
  let values: { target?: string; out?: string; format?: string; templates?: string; config?: string; help?: boolean };
  let positionals: string[];
  try {
    ({ values, positionals } = parseArgs({
      args: [...argv],
      allowPositionals: true,
      options: {
        target: { type: "string" },
        out: { type: "string" },
        format: { type: "string" },
        templates: { type: "string" },
        config: { type: "string" },
        help: { type: "boolean", short: "h" },
      },
    }));
  } catch (e) {
    io.err(`lab render: ${(e as Error).message}\n${RENDER_USAGE}\n`);
    return 2;
  }
  if (values.help) {
    io.out(RENDER_USAGE + "\n");
    return 0;
  }
  const target = values.target ?? "sim";
  const format = values.format ?? "html";
  if (target !== "sim" && target !== "host") {
    io.err(`lab render: invalid --target "${target}", expected sim or host\n`);
    return 2;
  }
  if (format !== "md" && format !== "html") {
    io.err(`lab render: invalid --format "${format}", expected md or html\n`);
    return 2;
  }
  const found = await collectLessonFiles(positionals.length > 0 ? positionals : ["lessons"], io.cwd);
  const loaded = await loadLessons(found.files, io.cwd);
  const diagnostics = [...found.diagnostics, ...loaded.diagnostics];
  for (const d of diagnostics) io.err(formatDiagnostic(d) + "\n");
  if (diagnostics.some((d) => d.severity === "error")) return 2;
  if (loaded.lessons.length === 0) {
    io.err("lab render: no lessons found\n");
    return 2;
  }
  let t: Parameters<typeof runForRender>[1] = "sim";
  if (target === "host") {
    const cfg = await loadConfig(io.cwd, values.config);
    if ("error" in cfg) {
      io.err(`lab render: ${cfg.error}\n`);
      return 2;
    }
    t = createHostTarget(cfg.config);
  }
  const pages: PageData[] = [];
  let failed = 0;
  for (const lesson of loaded.lessons) {
    const run = await runForRender(lesson, t);
    const page = buildPage(run, basename(lesson.file).replace(/\.md$/, ""), target);
    const nFailed = run.result.blocks.filter((b) => b.status === "failed").length + (run.result.error ? 1 : 0);
    failed += nFailed;
    io.err(`${lesson.file}: ${run.result.status}${nFailed ? ` (${nFailed} failed)` : ""}\n`);
    pages.push(page);
  }
  const outDir = resolve(io.cwd, values.out ?? "rendered");
  const written = await writeSite(pages, { outDir, format, templates: values.templates ? resolve(io.cwd, values.templates) : undefined, target });
  io.err(`lab render: wrote ${written.length} files to ${outDir}\n`);
  return failed > 0 ? 1 : 0;
}
