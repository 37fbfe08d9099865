/**
 * Markdown → Lesson. remark parses the document (with YAML front matter); every fenced
 * ```` ```console ````, ```` ```sh ```` or ```` ```shell ```` block becomes a runnable block.
 * All problems of a file are collected as diagnostics; the parser never throws on bad input.
 */
import { unified } from "unified";
import remarkParse from "remark-parse";
import remarkFrontmatter from "remark-frontmatter";
import { visit } from "unist-util-visit";
import type { Code, Heading, Root, Yaml } from "mdast";
import type { Diagnostic } from "../core/diagnostic.js";
import { parseFrontMatter } from "./frontmatter.js";
import { parseBlockMeta } from "./meta.js";
import { splitShell } from "./shsplit.js";
import { captureUses, parseTranscript, type SourceLine } from "./transcript.js";
import type { Block, BlockKind, Command, Lesson, LessonMeta } from "./types.js";

/** Fence languages that run, and what kind of block each makes. */
export const RUNNABLE_LANGS: Readonly<Record<string, BlockKind>> = { console: "console", sh: "sh", shell: "sh", trace: "trace" };

export interface ParseOptions {
  /** Normalizer names a lesson may use (the assert layer owns them); unchecked when absent. */
  normalizers?: readonly string[];
}

export interface ParseResult {
  lesson: Lesson;
  diagnostics: Diagnostic[];
}

const processor = unified().use(remarkParse).use(remarkFrontmatter, ["yaml"]);

/** Parses a lesson's Markdown source; `file` names it in diagnostics. */
export function parseLesson(source: string, file: string, opts: ParseOptions = {}): ParseResult {
  const diagnostics: Diagnostic[] = [];
  const tree = processor.parse(source) as Root;
  const lines = source.split(/\r?\n/);
  let meta: LessonMeta = { title: "", requires: [], world: "bare", normalize: [], sim: {} };
  let titleSet = false;
  let heading: string | undefined;
  const codes: Code[] = [];
  visit(tree, (node) => {
    if (node.type === "yaml" && node.position) {
      const fm = parseFrontMatter((node as Yaml).value, file, node.position.start.line + 1, opts.normalizers);
      meta = fm.meta;
      titleSet = fm.titleSet;
      diagnostics.push(...fm.diagnostics);
    } else if (node.type === "heading" && heading === undefined && (node as Heading).depth === 1) {
      heading = textOf(node as Heading);
    } else if (node.type === "code") {
      codes.push(node as Code);
    }
  });
  if (!titleSet) meta.title = heading ?? file.replace(/^.*\//, "").replace(/\.md$/, "");

  const blocks: Block[] = [];
  for (const code of codes) {
    const kind = code.lang ? RUNNABLE_LANGS[code.lang] : undefined;
    if (!kind || !code.position) continue;
    const block = parseBlock(code, kind, blocks.length, lines, file, opts, diagnostics);
    if (block) blocks.push(block);
  }
  checkCaptures(blocks, file, diagnostics);
  diagnostics.sort((a, b) => a.position.line - b.position.line || a.position.column - b.position.column);
  return { lesson: { file, source, meta, blocks }, diagnostics };
}

function textOf(node: { value?: string; children?: unknown[] }): string {
  if (typeof node.value === "string") return node.value;
  return (node.children ?? []).map((c) => textOf(c as { value?: string; children?: unknown[] })).join("");
}

function parseBlock(
  code: Code,
  kind: BlockKind,
  index: number,
  lines: string[],
  file: string,
  opts: ParseOptions,
  diagnostics: Diagnostic[],
): Block | undefined {
  const start = code.position!.start;
  const end = code.position!.end;
  const fenceLine = lines[start.line - 1] ?? "";
  const indent = fenceLine.slice(0, start.column - 1);
  const fence = /^\s*(`{3,}|~{3,})/.exec(fenceLine)?.[1] ?? "```";
  const lastLine = (lines[end.line - 1] ?? "").trim();
  const closed =
    end.line > start.line && lastLine.length >= fence.length && lastLine.startsWith(fence) && /^(`+|~+)$/.test(lastLine);
  if (!closed) {
    diagnostics.push({
      file,
      position: { line: start.line, column: start.column },
      severity: "error",
      message: `Unclosed code fence: expected a closing ${fence} for the block opened here`,
      rule: "unclosed-fence",
    });
  }
  const metaText = code.meta ?? "";
  const metaAt = metaText ? fenceLine.indexOf(metaText, fenceLine.indexOf(code.lang ?? "") + (code.lang ?? "").length) : -1;
  const { meta, diagnostics: metaDiags } = parseBlockMeta(
    metaText,
    kind === "trace" ? "console" : kind,
    file,
    start.line,
    metaAt >= 0 ? metaAt + 1 : start.column,
    opts.normalizers,
  );
  diagnostics.push(...metaDiags);
  const bodyLines: SourceLine[] =
    code.value === "" ? [] : code.value.split("\n").map((text, k) => ({ text, line: start.line + 1 + k }));
  const column = start.column;
  let commands: Command[];
  if (kind === "console" || kind === "trace") {
    const t = parseTranscript(bodyLines, file, column);
    commands = t.commands;
    diagnostics.push(...t.diagnostics);
  } else {
    const split = splitShell(bodyLines.map((l) => l.text));
    for (const c of split) {
      if (/^\$ /.test(c.text)) {
        diagnostics.push({
          file,
          position: { line: bodyLines[c.first - 1]!.line, column },
          severity: "error",
          message: "A `$ ` prompt in a sh block would run as a command: write plain commands here, or use a console block for a transcript",
          rule: "prompt-in-sh-block",
        });
      }
    }
    commands = split.map((c, k) => {
      const first = bodyLines[c.first - 1]!;
      const cmdLines = c.text.split("\n").map((text, j) => ({ text, line: first.line + j }));
      const isLast = k === split.length - 1;
      const exit = meta.exit === "any" ? "any" : isLast && meta.exit !== undefined ? meta.exit : 0;
      return {
        text: c.text,
        position: { line: first.line, column },
        expected: [],
        exit,
        outputLines: { start: first.line + cmdLines.length, end: first.line + cmdLines.length - 1 },
        uses: captureUses(cmdLines, 0, column),
      };
    });
  }
  return {
    index,
    kind,
    lang: code.lang!,
    position: { line: start.line, column: start.column },
    endLine: end.line,
    indent,
    on: meta.on,
    timeoutMs: meta.timeoutMs,
    target: meta.target,
    id: meta.id,
    cleanup: meta.cleanup,
    hidden: meta.hidden,
    skip: meta.skip,
    normalize: meta.normalize,
    ...(meta.grade ? { grade: meta.grade } : {}),
    commands,
  };
}

/**
 * A capture must be bound (by `{{name}}` in an earlier command's expected output) before a
 * command uses it. Cleanup blocks run last, so they see every capture of the lesson.
 */
function checkCaptures(blocks: Block[], file: string, diagnostics: Diagnostic[]): void {
  const bound = new Set<string>();
  const ordered = [...blocks.filter((b) => !b.cleanup), ...blocks.filter((b) => b.cleanup)];
  for (const block of ordered) {
    if (block.skip) continue;
    for (const cmd of block.commands) {
      for (const use of cmd.uses) {
        if (!bound.has(use.name)) {
          diagnostics.push({
            file,
            position: use.position,
            severity: "error",
            message: `Capture "${use.name}" is used before it is bound: write {{${use.name}}} in the expected output of an earlier command`,
            rule: "capture-before-bound",
          });
        }
      }
      for (const line of cmd.expected) {
        if (line.kind !== "literal") continue;
        for (const p of line.parts) if ("capture" in p) bound.add(p.capture);
      }
    }
  }
}
