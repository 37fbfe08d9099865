/**
 * Server-side highlighting of shell transcripts: the prompt, command words, options, quoted
 * strings, operators and comments of `$ ` lines; output lines plain; `[N]` exit lines marked.
 * Produces HTML spans with classes (styled by the page's CSS); no JavaScript involved.
 */
import { escapeHtml } from "./escape.js";

const TOKEN = /(\s+)|('[^']*'?|"(?:\\.|[^"\\])*"?)|(\|\||&&|[|;&<>]|\$\(|\))|(#.*$)|([^\s'"|;&<>()]+)/g;

/** One command line (without the prompt) as highlighted HTML. */
export function highlightCommand(cmd: string): string {
  let out = "";
  let expectWord = true;
  for (const m of cmd.matchAll(TOKEN)) {
    const [all, space, quoted, op, comment, word] = m;
    if (space) out += escapeHtml(space);
    else if (quoted) out += `<span class="s">${escapeHtml(quoted)}</span>`;
    else if (op) {
      out += `<span class="op">${escapeHtml(op)}</span>`;
      expectWord = op !== ")" && op !== ">" && op !== "<";
      continue;
    } else if (comment) out += `<span class="cm">${escapeHtml(comment)}</span>`;
    else if (word) {
      const cls = expectWord && !word.includes("=") ? "c" : word.startsWith("-") ? "o" : word.startsWith("$") ? "v" : "";
      out += cls ? `<span class="${cls}">${escapeHtml(word)}</span>` : escapeHtml(word);
    } else out += escapeHtml(all);
    if (!space) expectWord = false;
  }
  return out;
}

/** A command with its output and exit status, as the HTML of a transcript. */
export function highlightTranscript(cmd: string, output: string, exitCode: number): string {
  // Highlighted as one command, so a continuation line continues its words; `> ` starts each further line.
  const lines = highlightCommand(cmd).split("\n").map((l, i) => `<span class="p">${i === 0 ? "$" : "&gt;"} </span>${l}`);
  const body = output.endsWith("\n") ? output.slice(0, -1) : output;
  if (body !== "") lines.push(...body.split("\n").map((l) => `<span class="out">${escapeHtml(l)}</span>`));
  if (exitCode !== 0) lines.push(`<span class="x">[${exitCode}]</span>`);
  return lines.join("\n");
}
