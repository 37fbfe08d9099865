import { describe, expect, it } from "vitest";
import { gradeProgress, progressFrame } from "./grade-progress.js";

describe("lab grade's progress bar", () => {
  it("draws one line in place and ends it on the last submission", () => {
    expect(progressFrame(0, 4)).toBe("\rgrading [------------------------------] 0/4");
    expect(progressFrame(1, 4)).toBe("\rgrading [########----------------------] 1/4");
    expect(progressFrame(4, 4)).toBe("\rgrading [##############################] 4/4\n");
    expect(progressFrame(1, 3, 6)).toBe("\rgrading [##----] 1/3");
  });

  it("draws only on a terminal, and only for more than one submission", () => {
    const written: string[] = [];
    const write = (t: string) => void written.push(t);
    expect(gradeProgress({ tty: false, total: 5, write })).toBeUndefined();
    expect(gradeProgress({ tty: true, total: 1, write })).toBeUndefined();
    const bar = gradeProgress({ tty: true, total: 2, write })!;
    bar(1, 2);
    bar(2, 2);
    expect(written).toEqual(["\rgrading [###############---------------] 1/2", "\rgrading [##############################] 2/2\n"]);
  });
});
