/**
 * Go's text/tabwriter (the algorithm of Writer.format/writeLines), as kubectl uses it:
 * `kubectl get` tables with minwidth 6, tabwidth 4, padding 3 (cli-runtime printers/tabwriter.go),
 * `kubectl describe` with minwidth 0, tabwidth 8, padding 2 (describe.go tabbedString).
 * Cells end with a tab; the text after a line's last tab is not aligned. A column block is a run
 * of consecutive lines that all have a cell in that column, so a line without tabs ends it.
 */

interface Cell {
  text: string;
  width: number;
}

/** Aligns tab-separated `text` (lines end with "\n") as Go's tabwriter with padchar ' '. */
export function tabwrite(text: string, opts: { minwidth: number; padding: number }): string {
  const rawLines = text.split("\n");
  const trailingNewline = text.endsWith("\n");
  if (trailingNewline) rawLines.pop();
  const lines: Cell[][] = rawLines.map((l) => l.split("\t").map((t) => ({ text: t, width: [...t].length })));
  let out = "";
  const widths: number[] = [];
  const writeLines = (line0: number, line1: number) => {
    for (let i = line0; i < line1; i++) {
      const line = lines[i]!;
      line.forEach((c, j) => {
        out += c.text;
        if (j < widths.length) out += " ".repeat(Math.max(0, widths[j]! - c.width));
      });
      if (i < lines.length - 1 || trailingNewline) out += "\n";
    }
  };
  const format = (line0: number, line1: number) => {
    const column = widths.length;
    for (let t = line0; t < line1; t++) {
      if (column >= lines[t]!.length - 1) continue;
      writeLines(line0, t);
      line0 = t;
      let width = opts.minwidth;
      for (; t < line1; t++) {
        const line = lines[t]!;
        if (column >= line.length - 1) break;
        width = Math.max(width, line[column]!.width + opts.padding);
      }
      widths.push(width);
      format(line0, t);
      widths.pop();
      line0 = t;
    }
    writeLines(line0, line1);
  };
  format(0, lines.length);
  return out;
}

/** Lays out rows (the first is the header) as `kubectl get` does. */
export function formatTable(rows: string[][]): string {
  return tabwrite(rows.map((r) => r.join("\t") + "\n").join(""), { minwidth: 6, padding: 3 });
}
