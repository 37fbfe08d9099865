import { describe, expect, it } from "vitest";
import { renderCommand } from "./template.js";
import { findCaptures } from "./captures.js";

describe("renderCommand", () => {
  it("fills captures and leaves Go templates, stray braces and backslashes untouched", () => {
    const cmd = String.raw`docker inspect -f '{{range .Networks}}{{.IPAddress}}{{end}}' {{cid}} && printf 'a\\b\n' {{ json . }} {{{x}}} }}`;
    expect(renderCommand(cmd, { cid: "3f2a" })).toEqual({
      ok: true,
      text: String.raw`docker inspect -f '{{range .Networks}}{{.IPAddress}}{{end}}' 3f2a && printf 'a\\b\n' {{ json . }} {{{x}}} }}`,
    });
  });
  it("inserts values verbatim (no HTML escaping, no template evaluation)", () => {
    expect(renderCommand("echo {{v}} {{ v }}", { v: "<a&b> {{w}}" })).toEqual({ ok: true, text: "echo <a&b> {{w}} <a&b> {{w}}" });
  });
  it("is an error for an unbound name", () => {
    expect(renderCommand("ping {{ip}}", { other: "1" })).toEqual({ ok: false, missing: "ip", message: 'Capture "ip" is not bound' });
  });
  it("does not treat Go keywords as captures", () => {
    expect(findCaptures("{{end}} {{else}} {{a_1}}").map((c) => c.name)).toEqual(["a_1"]);
  });
});
