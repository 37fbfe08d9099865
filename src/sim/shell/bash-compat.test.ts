/**
 * The interpreter against real bash: every case in fixtures/bash-cases.json was run with
 * `bash -c CMD` on this machine by fixtures/record-bash.mjs (GNU bash 5.2.15), in a directory
 * holding the case files; the simulator runs it in a directory with the same files and must
 * print the same bytes and exit with the same status. Known divergences are listed below
 * with their reason and asserted to still diverge (so a fix shows up).
 */
import { readFileSync } from "node:fs";
import { describe, expect, test } from "vitest";
import { fakeSession } from "./test-fakes.js";

interface Case {
  cmd: string;
  output: string;
  exitCode: number;
}
const data = JSON.parse(readFileSync(new URL("./fixtures/bash-cases.json", import.meta.url), "utf8")) as {
  files: Record<string, string>;
  cases: Case[];
};

const DIR = "/tmp/labsh";

/** Cases whose simulator output is known to differ, with the reason. */
const KNOWN: Record<string, string> = {};

async function runCase(cmd: string) {
  const { session, ctx } = fakeSession();
  ctx.fs.mkdir(DIR);
  for (const [p, c] of Object.entries(data.files)) {
    const full = `${DIR}/${p}`;
    ctx.fs.mkdir(full.slice(0, full.lastIndexOf("/")));
    ctx.fs.writeFile(full, c);
  }
  await session.exec(`cd ${DIR}`);
  return session.exec(cmd);
}

describe("bash -c compatibility (recorded with real bash)", () => {
  for (const c of data.cases) {
    const known = KNOWN[c.cmd];
    test(`${JSON.stringify(c.cmd)}${known ? ` (known divergence: ${known})` : ""}`, async () => {
      const r = await runCase(c.cmd);
      const expected = { output: c.output.replaceAll("$DIR", DIR), exitCode: c.exitCode };
      if (known) expect({ output: r.output, exitCode: r.exitCode }).not.toEqual(expected);
      else expect({ output: r.output, exitCode: r.exitCode }).toEqual(expected);
    });
  }
});
