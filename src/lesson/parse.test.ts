import { describe, expect, it } from "vitest";
import { formatDiagnostic } from "../core/diagnostic.js";
import { parseLesson } from "./parse.js";

const NORMALIZERS = ["mac", "rtt"];
const parse = (src: string) => parseLesson(src, "l.md", { normalizers: NORMALIZERS });
const diags = (src: string) => parse(src).diagnostics.map(formatDiagnostic);

describe("parseLesson", () => {
  it("reads front matter, blocks, commands, expected lines and positions", () => {
    const src = [
      "---", // 1
      "title: Ports",
      "requires: [docker, root]",
      "timeout: 5s",
      "normalize: [mac]",
      "---", // 6
      "# Heading",
      "",
      "```console on=web timeout=2s id=first normalize=rtt", // 9
      "$ docker run -d --name web nginx",
      "{{cid}}",
      "$ cat <<EOF",
      "> a",
      "> EOF",
      "a",
      "...",
      "10\\.0\\.0\\.\\d+ (re)",
      "[3]",
      "",
      "$ echo {{cid}}",
      "```", // 21
      "",
      "```sh cleanup hidden exit=any", // 23
      "docker rm -f web",
      "```",
      "```python",
      "print(1)",
      "```",
    ].join("\n");
    const { lesson, diagnostics } = parse(src);
    expect(diagnostics).toEqual([]);
    expect(lesson.meta).toEqual({ title: "Ports", requires: ["docker", "root"], world: "docker", timeoutMs: 5000, normalize: ["mac"], sim: {} });
    expect(lesson.blocks.map((b) => [b.kind, b.on, b.timeoutMs, b.id, b.cleanup, b.hidden, b.normalize, b.position, b.endLine])).toEqual([
      ["console", "web", 2000, "first", false, false, ["rtt"], { line: 9, column: 1 }, 21],
      ["sh", "host", undefined, undefined, true, true, [], { line: 23, column: 1 }, 25],
    ]);
    const [c1, c2, c3] = lesson.blocks[0]!.commands;
    expect(c1).toEqual({
      text: "docker run -d --name web nginx",
      position: { line: 10, column: 1 },
      expected: [{ kind: "literal", text: "{{cid}}", line: 11, parts: [{ capture: "cid" }] }],
      exit: 0,
      outputLines: { start: 11, end: 11 },
      uses: [],
    });
    expect(c2!.text).toBe("cat <<EOF\na\nEOF");
    expect(c2!.exit).toBe(3);
    expect(c2!.outputLines).toEqual({ start: 15, end: 18 });
    expect(c2!.expected).toEqual([
      { kind: "literal", text: "a", line: 15, parts: [{ text: "a" }] },
      { kind: "wildcard", text: "...", line: 16 },
      { kind: "regex", text: "10\\.0\\.0\\.\\d+ (re)", line: 17, source: "10\\.0\\.0\\.\\d+" },
    ]);
    expect(c3).toMatchObject({ text: "echo {{cid}}", uses: [{ name: "cid", position: { line: 20, column: 8 } }], outputLines: { start: 21, end: 20 } });
    expect(lesson.blocks[1]!.commands).toEqual([
      { text: "docker rm -f web", position: { line: 24, column: 1 }, expected: [], exit: "any", outputLines: { start: 25, end: 24 }, uses: [] },
    ]);
  });

  it("takes the title from the first heading, then the file name", () => {
    expect(parseLesson("# Hello *there*\n", "x/03-a.md").lesson.meta.title).toBe("Hello there");
    expect(parseLesson("text\n", "x/03-a.md").lesson.meta.title).toBe("03-a");
  });

  it("leaves Go templates alone and only treats {{identifier}} as captures", () => {
    const src = "```console\n$ docker inspect -f '{{range .Networks}}{{.IPAddress}}{{end}}' web\n172.17.0.2\n$ docker ps --format '{{json .}}'\n```\n";
    const { lesson, diagnostics } = parse(src);
    expect(diagnostics).toEqual([]);
    expect(lesson.blocks[0]!.commands.map((c) => c.uses)).toEqual([[], []]);
  });

  it("reports every error of a file at once, in file order", () => {
    const src = [
      "---",
      "title: x",
      "colour: red",
      "world: moon",
      "---",
      "```console on-host=1 timeout=soon",
      "stray output",
      "$ echo {{ip}}",
      "[abc]",
      "$ echo hi",
      "bad( (re)",
      "```",
      "```sh exit=console",
      "true",
      "```",
      "```console normalize=mac,color",
      "$ echo",
    ].join("\n");
    expect(diags(src)).toEqual([
      'l.md:3:1 error Unexpected front matter key "colour", expected one of title, description, requires, world, timeout, normalize, sim (unknown-front-matter-key)',
      'l.md:4:8 error Unknown world "moon", expected one of bare, docker, kubernetes (bad-front-matter)',
      'l.md:6:12 error Unexpected meta key "on-host", expected one of on, timeout, target, id, cleanup, hidden, skip, normalize, exit, exercise, check, wrong-solution, points, hint, fails, replaces (unknown-meta-key)',
      'l.md:6:22 error Invalid timeout "soon", expected a duration like 500ms, 10s or 2m (bad-meta-value)',
      "l.md:7:1 error Expected output before any command: transcript lines start with `$ ` (output-before-command)",
      'l.md:8:8 error Capture "ip" is used before it is bound: write {{ip}} in the expected output of an earlier command (capture-before-bound)',
      'l.md:9:1 error Expected an exit status 0..255 in [N], found "abc" (bad-exit-code)',
      "l.md:11:1 error Invalid regular expression /bad(/: Unterminated group (bad-regex)",
      'l.md:13:7 error Invalid exit "console", expected a number 0..255 or any (bad-meta-value)',
      "l.md:16:1 error Unclosed code fence: expected a closing ``` for the block opened here (unclosed-fence)",
      'l.md:16:12 error Unknown normalizer "color", expected one of mac, rtt (unknown-normalizer)',
    ]);
  });

  it("reports bad YAML at its line", () => {
    expect(diags("---\ntitle: [unclosed\n---\n# x\n")).toEqual([
      expect.stringMatching(/^l\.md:\d+:\d+ error Invalid YAML front matter: .+ \(bad-front-matter\)$/),
    ]);
    const d = parse("---\ntitle: a\ntitle: b\n---\n").diagnostics;
    expect(d.map((x) => [x.position.line, x.rule])).toEqual([[3, "bad-front-matter"]]);
  });

  it("a capture bound in a skipped block is not bound; cleanup blocks see all captures", () => {
    const src = "```console cleanup\n$ echo {{a}}\n```\n```console\n$ echo 1\n{{a}}\n```\n";
    expect(diags(src)).toEqual([]);
    const skipped = "```console skip\n$ echo 1\n{{a}}\n```\n```console\n$ echo {{a}}\n```\n";
    expect(diags(skipped)).toEqual([
      'l.md:6:8 error Capture "a" is used before it is bound: write {{a}} in the expected output of an earlier command (capture-before-bound)',
    ]);
  });

  it("keeps indentation of fences inside lists", () => {
    const src = "1. step\n\n   ```console\n   $ echo hi\n   hi\n   ```\n";
    const { lesson, diagnostics } = parse(src);
    expect(diagnostics).toEqual([]);
    expect(lesson.blocks[0]).toMatchObject({ indent: "   ", position: { line: 3, column: 4 } });
    expect(lesson.blocks[0]!.commands[0]).toMatchObject({ text: "echo hi", outputLines: { start: 5, end: 5 } });
  });
});

describe("sh blocks", () => {
  it("reject `$ ` prompts, which would run as commands", () => {
    expect(diags("```sh\necho ok\n$ echo no\n```\n")).toEqual([
      "l.md:3:1 error A `$ ` prompt in a sh block would run as a command: write plain commands here, or use a console block for a transcript (prompt-in-sh-block)",
    ]);
  });
});

describe("here-documents in transcripts", () => {
  it("take their body up to the terminator, with or without `> ` prompts", () => {
    const src = ["```console", "$ cat <<EOF > /tmp/x", "body {{a}}", "EOF", "out", "$ cat <<-'END'", "> \tx", "> \tEND", "$ echo {{a}}", "```", ""].join("\n");
    const { lesson, diagnostics } = parseLesson(src, "h.md");
    expect(diagnostics.map((d) => d.rule)).toEqual(["capture-before-bound", "capture-before-bound"]);
    expect(lesson.blocks[0]!.commands.map((c) => [c.text, c.expected.map((e) => e.text), c.outputLines])).toEqual([
      ["cat <<EOF > /tmp/x\nbody {{a}}\nEOF", ["out"], { start: 5, end: 5 }],
      ["cat <<-'END'\n\tx\n\tEND", [], { start: 9, end: 8 }],
      ["echo {{a}}", [], { start: 10, end: 9 }],
    ]);
    expect(diagnostics.map((d) => `${d.position.line}:${d.position.column}`)).toEqual(["3:6", "9:8"]);
  });
});
