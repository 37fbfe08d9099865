import { describe, expect, it } from "vitest";
import { splitShell } from "./shsplit.js";

const split = (text: string) => splitShell(text.split("\n")).map((c) => [c.first, c.text]);

describe("splitShell", () => {
  it("splits simple lines and skips blanks and comments", () => {
    expect(split("echo a\n\n# note\necho b; echo c")).toEqual([
      [1, "echo a"],
      [4, "echo b; echo c"],
    ]);
  });
  it("keeps compound commands, quotes, here-documents and continuations together", () => {
    const text = [
      "if true; then", // 1
      "  echo yes",
      "fi",
      "for i in 1 2; do echo $i; done", // 4
      "while false", // 5
      "do :",
      "done",
      "echo 'multi", // 8
      "line' \"and",
      "more\"",
      "cat <<EOF >/tmp/x", // 11
      "if this were code",
      "EOF",
      "cat <<-'END'", // 14
      "\tbody",
      "\tEND",
      "ip link add a \\", // 17
      "  type veth",
      "f() {", // 19
      "  echo $(date",
      "  )",
      "}",
      "case x in", // 23
      "  x) echo done ;;",
      "esac",
      "echo done", // 26
      "(cd /tmp", // 27
      " pwd)",
    ].join("\n");
    expect(split(text).map((c) => c[0])).toEqual([1, 4, 5, 8, 11, 14, 17, 19, 23, 26, 27]);
    expect(split(text)[4]).toEqual([11, "cat <<EOF >/tmp/x\nif this were code\nEOF"]);
  });
  it("returns an unterminated command as it is (the shell reports it)", () => {
    expect(split("echo 'open\nstill")).toEqual([[1, "echo 'open\nstill"]]);
  });
});
