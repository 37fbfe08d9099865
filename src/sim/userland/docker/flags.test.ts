import { describe, expect, test } from "vitest";
import { FlagError, parseFlags, type FlagSpec } from "./flags.js";

const specs: FlagSpec[] = [
  { name: "detach", short: "d", type: "bool" },
  { name: "interactive", short: "i", type: "bool" },
  { name: "tty", short: "t", type: "bool" },
  { name: "name", type: "string" },
  { name: "publish", short: "p", type: "list" },
];

describe("pflag-style parsing", () => {
  test("combined shorts, attached values, repeats, and no interspersing for run", () => {
    const f = parseFlags(["-dit", "-p80:80", "-p", "1234:80", "--name=web", "busybox", "ping", "-c", "1"], specs, { interspersed: false });
    expect([...f.bools].sort()).toEqual(["detach", "interactive", "tty"]);
    expect(f.lists.get("publish")).toEqual(["80:80", "1234:80"]);
    expect(f.strings.get("name")).toBe("web");
    expect(f.args).toEqual(["busybox", "ping", "-c", "1"]);
  });

  test("pflag's error texts", () => {
    expect(() => parseFlags(["--bogus"], specs, { interspersed: true })).toThrow(new FlagError("unknown flag: --bogus"));
    expect(() => parseFlags(["-z"], specs, { interspersed: true })).toThrow(new FlagError("unknown shorthand flag: 'z' in -z"));
    expect(() => parseFlags(["--name"], specs, { interspersed: true })).toThrow(new FlagError("flag needs an argument: --name"));
    expect(() => parseFlags(["-p"], specs, { interspersed: true })).toThrow(new FlagError("flag needs an argument: 'p' in -p"));
  });
});
