/**
 * `lab grade`'s progress bar, drawn on stderr while many submissions are graded, only on a
 * terminal (the CLI decides: stdout and stderr both TTYs, and not CI). Each result redraws one
 * line in place with a carriage return; the last one ends the line, so the report that follows
 * starts on a fresh line:
 *
 *   grading [###############---------------] 100/200
 */

/** One frame of the bar: `\rgrading [###---] done/total`, with a newline when done === total. */
export function progressFrame(done: number, total: number, width = 30): string {
  const fill = total > 0 ? Math.round((Math.min(done, total) / total) * width) : width;
  return `\rgrading [${"#".repeat(fill)}${"-".repeat(width - fill)}] ${done}/${total}${done >= total ? "\n" : ""}`;
}

/** The per-result callback that draws the bar on `write`, or undefined when there is no terminal or one submission. */
export function gradeProgress(opts: { tty: boolean; total: number; write(text: string): void }): ((done: number, total: number) => void) | undefined {
  if (!opts.tty || opts.total < 2) return undefined;
  return (done, total) => opts.write(progressFrame(done, total));
}
