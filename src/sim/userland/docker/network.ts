/**
 * `docker network ls|create|inspect|rm|connect|disconnect`, with the 20.10 CLI's texts
 * (test/docker/captures/raw-1.txt, raw-2.txt).
 */
import { DockerError } from "../../docker/api.js";
import { HELP, type Subcommand } from "./common.js";
import { table } from "./format.js";
import { TemplateError, renderTemplate } from "./gotemplate.js";

const ls: Subcommand = {
  path: "network ls",
  usage: "network ls [OPTIONS]",
  summary: "List networks",
  flags: [HELP, { name: "quiet", short: "q", type: "bool" }, { name: "no-trunc", type: "bool" }, { name: "format", type: "string" }, { name: "filter", short: "f", type: "list" }],
  args: "none",
  run(p, d, f) {
    const trunc = !f.bools.has("no-trunc");
    const rows = d.networkList().map((n) => ({ ID: trunc ? n.id.slice(0, 12) : n.id, Name: n.name, Driver: n.driver, Scope: n.scope }));
    if (f.bools.has("quiet")) {
      for (const r of rows) p.out(`${r.ID}\n`);
      return 0;
    }
    const fmt = f.strings.get("format");
    if (fmt !== undefined) {
      try {
        for (const r of rows) p.out(renderTemplate(fmt, r) + "\n");
      } catch (e) {
        if (!(e instanceof TemplateError)) throw e;
        p.err(`${e.message}\n`);
        return 1;
      }
      return 0;
    }
    p.out(table([["NETWORK ID", "NAME", "DRIVER", "SCOPE"], ...rows.map((r) => [r.ID, r.Name, r.Driver, r.Scope])]));
    return 0;
  },
};

const create: Subcommand = {
  path: "network create",
  usage: "network create [OPTIONS] NETWORK",
  summary: "Create a network",
  flags: [HELP, { name: "driver", short: "d", type: "string" }, { name: "subnet", type: "string" }, { name: "gateway", type: "string" }],
  args: "exact:1",
  run(p, d, f) {
    const id = d.networkCreate(f.args[0]!, {
      ...(f.strings.has("driver") ? { driver: f.strings.get("driver")! } : {}),
      ...(f.strings.has("subnet") ? { subnet: f.strings.get("subnet")! } : {}),
      ...(f.strings.has("gateway") ? { gateway: f.strings.get("gateway")! } : {}),
    });
    p.out(`${id}\n`);
    return 0;
  },
};

const inspect: Subcommand = {
  path: "network inspect",
  usage: "network inspect [OPTIONS] NETWORK [NETWORK...]",
  summary: "Display detailed information on one or more networks",
  flags: [HELP, { name: "format", short: "f", type: "string" }, { name: "verbose", short: "v", type: "bool" }],
  args: "min:1",
  run(p, d, f) {
    const objs: unknown[] = [];
    const missing: string[] = [];
    for (const ref of f.args) {
      try {
        objs.push(d.networkInspect(ref));
      } catch (e) {
        if (!(e instanceof DockerError)) throw e;
        missing.push(ref);
      }
    }
    const fmt = f.strings.get("format");
    try {
      if (fmt !== undefined) for (const o of objs) p.out(renderTemplate(fmt, o) + "\n");
      else p.out(JSON.stringify(objs, null, 4) + "\n");
    } catch (e) {
      if (!(e instanceof TemplateError)) throw e;
      p.err(`${e.message}\n`);
      return 1;
    }
    for (const m of missing) p.err(`Error: No such network: ${m}\n`);
    return missing.length > 0 ? 1 : 0;
  },
};

const rm: Subcommand = {
  path: "network rm",
  usage: "network rm NETWORK [NETWORK...]",
  summary: "Remove one or more networks",
  flags: [HELP],
  args: "min:1",
  run(p, d, f) {
    let rc = 0;
    for (const ref of f.args) {
      try {
        d.networkRemove(ref);
        p.out(`${ref}\n`);
      } catch (e) {
        if (!(e instanceof DockerError)) throw e;
        p.err(e.kind === "notFound" ? `Error: ${e.message}\n` : `Error response from daemon: ${e.message}\n`);
        rc = 1;
      }
    }
    return rc;
  },
};

const connect: Subcommand = {
  path: "network connect",
  usage: "network connect [OPTIONS] NETWORK CONTAINER",
  summary: "Connect a container to a network",
  flags: [HELP, { name: "alias", type: "list" }, { name: "ip", type: "string" }],
  args: "exact:2",
  run(_p, d, f) {
    d.networkConnect(f.args[0]!, f.args[1]!);
    return 0;
  },
};

const disconnect: Subcommand = {
  path: "network disconnect",
  usage: "network disconnect [OPTIONS] NETWORK CONTAINER",
  summary: "Disconnect a container from a network",
  flags: [HELP, { name: "force", short: "f", type: "bool" }],
  args: "exact:2",
  run(_p, d, f) {
    d.networkDisconnect(f.args[0]!, f.args[1]!, f.bools.has("force"));
    return 0;
  },
};

export const networkCommands: Subcommand[] = [ls, create, inspect, rm, connect, disconnect];
