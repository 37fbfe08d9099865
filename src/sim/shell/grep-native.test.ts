/**
 * The native grep prints exactly what just-bash's grep prints, on every call it accepts:
 * a corpus of lesson-like patterns and inputs (on stdin and as a file), then random patterns over the characters that
 * matter to regular expressions (seeded, so a failure is reproducible).
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { nativeGrep } from "./grep-native.js";
import { runDelegated, runNative } from "./textutils.js";
import { VfsTree, VfsView } from "./vfs.js";
import type { NetnsApi } from "../kernel/api.js";


const PAGE = "<!DOCTYPE html>\n<html>\n<head>\n<title>Welcome to nginx!</title>\n</head>\n<body>\n<h1>Welcome</h1>\n</body>\n</html>\n";
const SAVE = [
  "*nat", ":PREROUTING ACCEPT [0:0]", ":DOCKER - [0:0]", "-A PREROUTING -m addrtype --dst-type LOCAL -j DOCKER",
  "-A POSTROUTING -s 172.17.0.0/16 ! -o docker0 -j MASQUERADE", "-A DOCKER ! -i docker0 -p tcp -m tcp --dport 1234 -j DNAT --to-destination 172.17.0.2:80",
  "-A KUBE-SVC-5MSM3UZHD6Y54CKX -m comment --comment \"default/web\" -m statistic --mode random --probability 0.50000000000 -j KUBE-SEP-ABC",
  "COMMIT", "",
].join("\n");
const INPUTS = [
  PAGE, SAVE, "", "\n", "\n\n", "no newline", "a\nb\n\nc", "tab\there\r\nCRLF line\r\n", "$x *y .z |w (v) [u] ^t {s} \\r\n",
  "café au lait\nnaïve → arrow\nplain\n", "aaa\nabab\nba\nxyz\n", "inet 10.0.0.1/24 brd 10.0.0.255\ninet6 fe80::1/64\n",
  "cni-0a1b2c-3d\nvxlan id 1 local 10.0.0.1 dev eth0 dstport 8472 nolearning\n",
];
const fs = new VfsView(
  new VfsTree({ "/etc/hosts": "127.0.0.1 localhost\n", ...Object.fromEntries(INPUTS.map((t, i) => [`/root/in${i}`, t])) }, ["/root/dir"]),
  undefined as unknown as NetnsApi,
);
const PATTERNS = [
  "<title>", "DOCKER|MASQUERADE", "198.51.100.2", "h", "", "^-A KUBE-", "^:KUBE-SEP-", "^-A KUBE-SVC-5MSM3UZHD6Y54CKX .*-j KUBE-SEP-",
  "probability [0-9.]*", "^cni-[0-9a-f-]*", "vxlan id [0-9]* local [0-9.]* dev [a-z0-9]* .*dstport [0-9]* nolearning", "--dport 1234",
  "a*", "a+", "a?", "(ab)+", "a|", "|b", "x$", "^$", "$", "^", ".", "a.b", "[^a ]", "[a-c]", "[-a]", "[a-]", "a$b", "a(b", "a)b", "a{2}",
  "é", "→", "\\.", "a**", "*a", "^*a", "[[:alpha:]]", "(a|b)*c", "ab*", "b*", "[.]", "[z-a]", "a|b|c", "()", "(|a)",
];
const OPTIONS = [[], ["-v"], ["-c"], ["-n"], ["-q"], ["-o"], ["-E"], ["-F"], ["-w"], ["-x"], ["-vc"], ["-on"], ["-Ec"], ["-Eo"], ["-Fx"], ["-Ew"], ["-Eon"], ["-Evn"], ["-oc"], ["-Eoc"], ["-i"], ["-e"]];

async function both(argv: string[], stdin: string): Promise<{ native: unknown; jb: unknown } | undefined> {
  const native = runNative(argv, stdin, fs, "/root");
  if (!native) return undefined;
  let jb: unknown;
  try {
    jb = await runDelegated(argv, { fs, cwd: "/root", env: {}, stdin });
  } catch (e) {
    jb = { threw: String(e) };
  }
  return { native, jb };
}

describe("native grep against just-bash's grep", () => {
  it("prints the same on the corpus (patterns x options x inputs)", async () => {
    let handled = 0;
    for (const pattern of PATTERNS) {
      for (const opts of OPTIONS) {
        for (const cmd of ["grep", "egrep", "fgrep"]) {
          if (cmd !== "grep" && opts.length > 0) continue;
          for (const [i, input] of INPUTS.entries()) {
            // On stdin, and on the same text as a file operand (stdin then ignored).
            for (const [argv, stdin] of [[[cmd, ...opts, "--", pattern], input], [[cmd, ...opts, "--", pattern, `in${i}`], "ignored\n"]] as const) {
              const r = await both([...argv], stdin);
              if (!r) continue;
              handled++;
              expect(r.native, JSON.stringify({ argv, input })).toEqual(r.jb);
            }
          }
        }
      }
    }
    expect(handled).toBeGreaterThan(10000);
  });

  it("prints the same for random patterns", async () => {
    let handled = 0;
    const chars = fc.constantFrom(..."ab.*+?|()[]^$-z09 ".split(""));
    await fc.assert(
      fc.asyncProperty(
        fc.array(chars, { maxLength: 8 }).map((c) => c.join("")),
        fc.constantFrom(...OPTIONS.slice(0, 20)),
        fc.array(fc.array(fc.constantFrom(..."ab z0-.$|()[]*\t\ré".split("")), { maxLength: 10 }).map((c) => c.join("")), { maxLength: 5 }).map((ls) => ls.join("\n") + "\n"),
        async (pattern, opts, input) => {
          const argv = ["grep", ...opts, "--", pattern];
          const r = await both(argv, input);
          if (!r) return;
          handled++;
          expect(r.native, JSON.stringify({ argv, input })).toEqual(r.jb);
        },
      ),
      { seed: 42, numRuns: 4000 },
    );
    expect(handled).toBeGreaterThan(1000);
  });

  it("leaves missing files, directories, globs, several files, -i, -e and large input to just-bash", () => {
    for (const file of ["/nope", "/root/dir", "/root/in*", "-"]) expect(runNative(["grep", "x", file], "x\n", fs, "/root")).toBeUndefined();
    expect(runNative(["grep", "x", "/etc/hosts", "/etc/hosts"], "", fs, "/root")).toBeUndefined();
    expect(nativeGrep(["grep", "-i", "x"], "x\n")).toBeUndefined();
    expect(nativeGrep(["grep", "-e", "x"], "x\n")).toBeUndefined();
    expect(nativeGrep(["grep", "x"], "x\n".repeat(40_000))).toBeUndefined();
  });
});
