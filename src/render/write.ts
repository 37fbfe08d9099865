/**
 * Writes rendered pages through handlebars templates: the shipped set (src/render/templates),
 * each file overridable by a file of the same name in the author's `--templates` directory.
 * md: NAME.md (+ NAME-diagram-N.svg), index.md. html: NAME.html, index.html, style.css.
 */
import { existsSync } from "node:fs";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import Handlebars from "handlebars";
import type { PageData } from "./page.js";

/** Where the default templates live: beside this module in src/, copied from src/ when built to dist/. */
function defaultDir(): string {
  const here = fileURLToPath(new URL("./templates/", import.meta.url));
  if (existsSync(here)) return here;
  return fileURLToPath(new URL("../../src/render/templates/", import.meta.url));
}

async function template(name: string, authorDir: string | undefined): Promise<Handlebars.TemplateDelegate> {
  const own = authorDir ? join(authorDir, name) : undefined;
  const path = own && existsSync(own) ? own : join(defaultDir(), name);
  const hb = Handlebars.create();
  hb.registerHelper("eq", (a: unknown, b: unknown) => a === b);
  hb.registerHelper("json", (a: unknown) => JSON.stringify(a));
  hb.registerHelper("trim", (a: unknown) => String(a ?? "").trim());
  return hb.compile(await readFile(path, "utf8"), { strict: false });
}

/** Writes every page and the index into `outDir`; returns the written paths. */
export async function writeSite(pages: readonly PageData[], opts: { outDir: string; format: "md" | "html"; templates?: string; target: string }): Promise<string[]> {
  await mkdir(opts.outDir, { recursive: true });
  const written: string[] = [];
  const put = async (name: string, text: string): Promise<void> => {
    const p = join(opts.outDir, name);
    await writeFile(p, text);
    written.push(p);
  };
  const page = await template(`lesson.${opts.format}.hbs`, opts.templates);
  for (const p of pages) {
    await put(`${p.name}.${opts.format}`, page(p));
    if (opts.format === "md") for (const s of p.sections) if (s.kind === "diagram") await put(s.file, s.svg + "\n");
  }
  const index = await template(`index.${opts.format}.hbs`, opts.templates);
  await put(`index.${opts.format}`, index({ pages, target: opts.target }));
  if (opts.format === "html") await put("style.css", (await template("style.css.hbs", opts.templates))({}));
  return written;
}
