/**
 * Syntax errors in the words of the shell being imitated: `bash -c` (`bash: -c: line N: ...`
 * followed by the offending line) or busybox ash (`sh: syntax error: ...`).
 */

/** Formats a just-bash parse error the way the shell flavour reports syntax errors. */
export function syntaxErrorText(flavor: "bash" | "ash", err: unknown, source: string): string {
  const e = err as { message?: string; line?: number };
  const raw = String(e.message ?? err);
  const m = /^Parse error at (\d+):(\d+): (.*)$/s.exec(raw);
  let line = e.line ?? (m ? Number(m[1]) : 1);
  let msg = m ? m[3]! : raw.replace(/^line \d+: /, "");
  if (/^Expected .*, got EOF$|^Unexpected end of input|unexpected end of file/i.test(msg)) {
    // bash reads -c text as if newline-terminated and reports the line after the last one.
    msg = "syntax error: unexpected end of file";
    line = (source.endsWith("\n") ? source : source + "\n").split("\n").length;
  }
  const srcAt = source.split("\n")[line - 1] ?? "";
  const fn = /^\s*[\w.-]+\s*\(\s*(.*)$/.exec(srcAt);
  if (msg === "syntax error near unexpected token `('" && fn) {
    // `NAME (` starts a function definition; bash complains about the token after the `(`.
    const next = fn[1]!.trim() === "" ? "newline" : fn[1]!.trim().split(/\s+/)[0]!;
    msg = `syntax error near unexpected token \`${next}'`;
  }
  if (flavor === "ash") return `sh: syntax error: ${msg.replace(/^syntax error: /, "")}\n`;
  const srcLine = source.split("\n")[line - 1] ?? "";
  const echo = /near unexpected token/.test(msg) ? `bash: -c: line ${line}: \`${srcLine}'\n` : "";
  return `bash: -c: line ${line}: ${msg}\n${echo}`;
}
