/**
 * Turns a LessonRun into page data for the templates: prose and transcripts in document
 * order, hidden blocks left out, failed blocks marked, diagrams where the lesson asks for
 * them (`<!-- lab:diagram -->`, `<!-- lab:diagram trace -->` in prose) or, when it asks for
 * none, one after the last block that ran.
 *
 * Markdown pages use the recorded source (`--update`'s rewrite, so the page is itself a
 * runnable lesson); HTML pages show each command's actual output of this run.
 */
import { marked } from "marked";
import { parseLesson } from "../lesson/parse.js";
import { NORMALIZER_NAMES } from "../assert/index.js";
import { packetPath, topologySvg } from "./diagram.js";
import { highlightTranscript } from "./highlight.js";
import type { LessonRun } from "./run.js";

export type Section =
  | { kind: "prose"; markdown: string; html: string }
  | { kind: "block"; index: number; id?: string; context: string; status: string; message?: string; markdown: string; html: string }
  | { kind: "diagram"; index: number; caption: string; svg: string; file: string };

export interface PageData {
  name: string;
  title: string;
  description?: string;
  file: string;
  target: string;
  versions: string[];
  status: string;
  error?: string;
  sections: Section[];
}

const MARKER = /<!--\s*lab:diagram(\s+trace)?\s*-->/g;

/** Page data of one rendered lesson; `name` is the output file's base name. */
export function buildPage(run: LessonRun, name: string, target: string): PageData {
  const source = run.result.updatedSource ?? run.lesson.source;
  const recorded = parseLesson(source, run.lesson.file, { normalizers: NORMALIZER_NAMES }).lesson;
  const lines = source.split(/\r?\n/);
  const sections: Section[] = [];
  let diagrams = 0;
  let lastRan: number | undefined;
  const addDiagram = (trace: boolean): void => {
    if (lastRan === undefined) return;
    const snap = run.snapshots.get(lastRan);
    if (!snap) return;
    const b = recorded.blocks[lastRan]!;
    const label = b.id ?? `block ${lastRan + 1}`;
    const path = trace ? packetPath(snap.topology, snap.trace) : [];
    const caption = trace && path.length > 0 ? `Topology after ${label}, with the path of its first packet` : `Topology after ${label}`;
    diagrams++;
    sections.push({ kind: "diagram", index: lastRan, caption, svg: topologySvg(snap.topology, { title: caption, path }), file: `${name}-diagram-${diagrams}.svg` });
  };
  const prose = (from: number, to: number): void => {
    let text = lines.slice(from - 1, to).join("\n");
    if (from === 1) text = text.replace(/^---\n[\s\S]*?\n---\n?/, "");
    let at = 0;
    for (const m of text.matchAll(MARKER)) {
      pushProse(sections, text.slice(at, m.index! + m[0].length));
      addDiagram(Boolean(m[1]));
      at = m.index! + m[0].length;
    }
    pushProse(sections, text.slice(at));
  };
  let line = 1;
  for (const b of recorded.blocks) {
    prose(line, b.position.line - 1);
    line = b.endLine + 1;
    if (b.hidden) continue;
    const r = run.blocks.get(b.index);
    const status = r?.status ?? "skipped";
    if (r && status !== "skipped" && !b.cleanup) lastRan = b.index;
    const failed = r?.commands.find((c) => c.status === "failed");
    const message = status === "failed" ? failed?.message ?? "failed" : status === "skipped" ? `not run on ${target}${r?.skipReason ? ` (${r.skipReason})` : ""}` : undefined;
    const fence = lines.slice(b.position.line - 1, b.endLine).join("\n");
    const note = status === "failed" ? `> **Failed on ${target}:** ${message}\n\n` : "";
    const html = r && r.commands.length > 0
      ? r.commands.map((c) => highlightTranscript(c.command, c.output, c.exitCode)).join("\n")
      : b.commands.map((c) => highlightTranscript(c.text, c.expected.map((e) => e.text).join("\n"), typeof c.exit === "number" ? c.exit : 0)).join("\n");
    sections.push({ kind: "block", index: b.index, id: b.id, context: b.on, status, message, markdown: note + fence, html });
  }
  prose(line, lines.length);
  if (diagrams === 0) addDiagram(false);
  return {
    name,
    title: run.lesson.meta.title,
    description: run.lesson.meta.description,
    file: run.lesson.file,
    target,
    versions: run.versions,
    status: run.result.status,
    error: run.result.error,
    sections,
  };
}

function pushProse(sections: Section[], markdown: string): void {
  if (markdown.trim() === "") return;
  sections.push({ kind: "prose", markdown, html: marked.parse(markdown, { async: false }) });
}
