/** The host target's host shell finds the package's own lab-check first on PATH; other contexts are left alone. */
import { fileURLToPath } from "node:url";
import { expect, it } from "vitest";
import { createHostTarget } from "./index.js";

it("puts bin/ (with lab-check) first on the host shell's PATH, once per shell", async () => {
  const opened = await createHostTarget({ contexts: { plain: "bash --noprofile --norc" } }).open({ file: "t.md", world: "bare", requires: [] });
  if ("skip" in opened) throw new Error(opened.skip);
  const s = opened.session;
  try {
    const bin = fileURLToPath(new URL("../../../bin", import.meta.url));
    const host = await s.exec("host", "command -v lab-check; echo \"$PATH\" | tr : '\\n' | grep -c -x -F " + `'${bin}'`, { timeoutMs: 10_000 });
    expect([host.exitCode, host.output]).toEqual([0, `${bin}/lab-check\n1\n`]);
    const plain = await s.exec("plain", `echo "$PATH" | tr : '\\n' | grep -c -x -F '${bin}'`, { timeoutMs: 10_000 });
    expect([plain.output]).toEqual(["0\n"]);
  } finally {
    await s.close();
  }
});
