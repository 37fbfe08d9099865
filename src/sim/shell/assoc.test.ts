/**
 * Associative arrays against real bash on this machine: the key order of `${!m[@]}` and
 * `declare -p` comes from bash's hash table (assoc.ts), so random maps built by random set and
 * unset sequences must print the same bytes in the simulator as in `bash -c`.
 */
import { spawnSync } from "node:child_process";
import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { AssocArray, bashHash } from "./assoc.js";
import { fakeSession } from "./test-fakes.js";

const hasBash = spawnSync("bash", ["-c", "[[ ${BASH_VERSINFO[0]} -ge 5 ]]"]).status === 0;

function bash(script: string): { output: string; exitCode: number } {
  // stdin /dev/null: on a socket (node's pipes) bash would read ~/.bashrc as if run by sshd.
  const r = spawnSync("bash", ["-c", `exec bash -c "$1" 2>&1`, "rec", script], { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"], env: { PATH: "/usr/bin:/bin", LANG: "C.UTF-8" } });
  return { output: r.stdout, exitCode: r.status ?? -1 };
}

function sq(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

describe("bash's hash order", () => {
  test("FNV-1 32-bit of the key's bytes", () => {
    expect(bashHash("")).toBe(2166136261);
    expect(bashHash("a")).toBe(((Math.imul(2166136261, 16777619) >>> 0) ^ 97) >>> 0);
  });

  test("a new key goes to the head of its bucket; an existing one keeps its place", () => {
    const m = new AssocArray();
    for (const k of ["c", "b", "a", "zz"]) m.set(k, "1");
    m.set("c", "2");
    expect(m.keys()).toEqual(["c", "b", "a", "zz"]);
    m.delete("b");
    expect(m.entries()).toEqual([["c", "2"], ["a", "1"], ["zz", "1"]]);
  });

  test.skipIf(!hasBash)("3000 keys (the table grows twice) in bash's order", () => {
    const keys = Array.from({ length: 3000 }, (_, i) => `k${i}`);
    const m = new AssocArray();
    for (const k of keys) m.set(k, "");
    const real = bash(`declare -A m; for k in ${keys.join(" ")}; do m[$k]=; done; printf '%s\\n' "\${!m[@]}"`);
    expect(m.keys().join("\n") + "\n").toBe(real.output);
  });
});

const key = fc.oneof(
  fc.constantFrom("a", "b", "web", "db", "node1", "node2", "10.244.1.0/24", "a b", "é", "x'y", 'q"', "0", "-1", "$x", "*"),
  fc.string({ minLength: 1, maxLength: 4, unit: fc.constantFrom("a", "b", "c", "1", "_", " ", "-", ".") }),
);
const value = fc.constantFrom("1", "x y", "", "v\"$", "a\tb");
const op = fc.oneof(
  { weight: 4, arbitrary: fc.tuple(fc.constant("set" as const), key, value) },
  { weight: 2, arbitrary: fc.tuple(fc.constant("add" as const), key, value) },
  { weight: 1, arbitrary: fc.tuple(fc.constant("append" as const), key, value) },
  { weight: 1, arbitrary: fc.tuple(fc.constant("get" as const), key, fc.constant("")) },
  { weight: 1, arbitrary: fc.tuple(fc.constant("unset" as const), key, fc.constant("")) },
);
const STEP = {
  set: (v: string) => `m[$k]=${v}`,
  add: (v: string) => `m+=([$k]=${v})`,
  append: (v: string) => `m[$k]+=${v}`,
  get: () => `echo "\${m[$k]-unset} \${#m[$k]}"`,
  unset: () => `unset 'm[$k]'`,
};

describe.skipIf(!hasBash)("random maps against bash -c", () => {
  test("set, +=, +=() and unset sequences: ${m[k]}, ${!m[@]}, ${m[@]}, ${#m[@]} and declare -p print what bash prints", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(op, { maxLength: 12 }), async (ops) => {
        const lines = ["declare -A m"];
        for (const [kind, k, v] of ops) lines.push(`k=${sq(k)}; ${STEP[kind](sq(v))}`);
        lines.push(`printf '<%s>' "\${!m[@]}"; echo; printf '<%s>' "\${m[@]}"; echo "\${#m[@]}"; declare -p m`);
        const script = lines.join("\n");
        const { session } = fakeSession();
        const sim = await session.exec(script);
        expect({ output: sim.output, exitCode: sim.exitCode }).toEqual(bash(script));
      }),
      { numRuns: 100 },
    );
  });
});
