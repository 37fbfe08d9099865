/** Finding and loading lesson files; every problem becomes a diagnostic, never a throw. */
import { readFile, readdir, stat } from "node:fs/promises";
import { join, relative, resolve } from "node:path";
import type { Diagnostic } from "../core/diagnostic.js";
import { NORMALIZER_NAMES } from "../assert/index.js";
import { parseLesson } from "../lesson/parse.js";
import type { Lesson } from "../lesson/types.js";

/** Expands files and directories (recursively, `*.md`) into a sorted, de-duplicated list. */
export async function collectLessonFiles(paths: readonly string[], cwd: string): Promise<{ files: string[]; diagnostics: Diagnostic[] }> {
  const files = new Set<string>();
  const diagnostics: Diagnostic[] = [];
  const walk = async (dir: string): Promise<void> => {
    const entries = await readdir(dir, { withFileTypes: true });
    for (const e of entries.sort((a, b) => a.name.localeCompare(b.name))) {
      if (e.name.startsWith(".") || e.name === "node_modules") continue;
      const p = join(dir, e.name);
      if (e.isDirectory()) await walk(p);
      else if (e.isFile() && e.name.endsWith(".md") && e.name.toLowerCase() !== "readme.md") files.add(relative(cwd, p));
    }
  };
  for (const p of paths) {
    try {
      const abs = resolve(cwd, p);
      const s = await stat(abs);
      if (s.isDirectory()) await walk(abs);
      else files.add(relative(cwd, abs));
    } catch {
      diagnostics.push({ file: p, position: { line: 1, column: 1 }, severity: "error", message: "No such file or directory", rule: "missing-file" });
    }
  }
  return { files: [...files].sort(), diagnostics };
}

/** Reads and parses lessons; returns the lessons and every diagnostic of every file. */
export async function loadLessons(files: readonly string[], cwd: string): Promise<{ lessons: Lesson[]; diagnostics: Diagnostic[] }> {
  const lessons: Lesson[] = [];
  const diagnostics: Diagnostic[] = [];
  for (const file of files) {
    let source: string;
    try {
      source = await readFile(resolve(cwd, file), "utf8");
    } catch (e) {
      const code = (e as { code?: string }).code;
      diagnostics.push({
        file,
        position: { line: 1, column: 1 },
        severity: "error",
        message: code === "ENOENT" ? "No such file or directory" : `Cannot read file (${code ?? (e as Error).message})`,
        rule: "missing-file",
      });
      continue;
    }
    const r = parseLesson(source, file, { normalizers: NORMALIZER_NAMES });
    diagnostics.push(...r.diagnostics);
    lessons.push(r.lesson);
  }
  return { lessons, diagnostics };
}
