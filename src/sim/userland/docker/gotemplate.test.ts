import { describe, expect, test } from "vitest";
import { TemplateError, renderTemplate } from "./gotemplate.js";

const obj = {
  Name: "/web",
  Config: { Cmd: ["nginx", "-g", "daemon off;"], Env: ["A=1"] },
  NetworkSettings: { IPAddress: "172.17.0.2", Networks: { bridge: { IPAddress: "172.17.0.2" } }, Ports: { "80/tcp": [{ HostIp: "0.0.0.0", HostPort: "1234" }] } },
  State: { Running: true, Pid: 0 },
};

describe("Go text/template subset", () => {
  test("fields, %v of slices and maps, json, index, range, if", () => {
    expect(renderTemplate("{{.NetworkSettings.IPAddress}}", obj)).toBe("172.17.0.2");
    expect(renderTemplate("{{.Config.Cmd}}", obj)).toBe("[nginx -g daemon off;]");
    expect(renderTemplate("{{.NetworkSettings.Ports}}", obj)).toBe("map[80/tcp:[map[HostIp:0.0.0.0 HostPort:1234]]]");
    expect(renderTemplate("{{json .NetworkSettings.Ports}}", obj)).toBe('{"80/tcp":[{"HostIp":"0.0.0.0","HostPort":"1234"}]}');
    expect(renderTemplate('{{index .NetworkSettings.Networks "bridge"}}', obj)).toBe("map[IPAddress:172.17.0.2]");
    expect(renderTemplate("{{range .NetworkSettings.Networks}}{{.IPAddress}}{{end}}", obj)).toBe("172.17.0.2");
    expect(renderTemplate("{{if .State.Running}}up{{else}}down{{end}}", obj)).toBe("up");
    expect(renderTemplate("{{.Nope}}", obj)).toBe("<no value>");
    expect(renderTemplate("{{join .Config.Cmd \",\"}}", obj)).toBe("nginx,-g,daemon off;");
  });

  test("errors are Go's", () => {
    expect(() => renderTemplate("{{nosuch .Name}}", obj)).toThrow(new TemplateError('template: :1: function "nosuch" not defined'));
    expect(() => renderTemplate("{{range .Config.Cmd}}", obj)).toThrow(TemplateError);
  });
});
