/**
 * Container subcommands besides run: ps, exec, inspect, rm, stop, start, restart, kill, logs, port,
 * images. Texts and exit codes as the 20.10 CLI prints them (test/docker/captures/raw-*.txt):
 * commands over several containers go on after an error and exit 1 at the end; a 404 is
 * `Error: No such container: X` for rm/exec/logs/port/inspect and
 * `Error response from daemon: No such container: X` for stop/start/restart/kill.
 */
import { DockerError, humanDuration, type DockerDaemonApi } from "../../docker/api.js";
import type { Proc } from "../types.js";
import { HELP, type Subcommand } from "./common.js";
import type { Parsed } from "./flags.js";
import { displayablePorts, ellipsis, goQuote, humanSize, table } from "./format.js";
import { TemplateError, renderTemplate } from "./gotemplate.js";

/** Runs `fn` over each argument; errors are printed as `style` wants and make the exit 1. */
async function each(p: Proc, refs: string[], style: "client" | "daemon", fn: (ref: string) => void | Promise<void>): Promise<number> {
  let rc = 0;
  for (const ref of refs) {
    try {
      await fn(ref);
    } catch (e) {
      if (!(e instanceof DockerError)) throw e;
      p.err(e.kind === "notFound" && style === "client" ? `Error: ${e.message}\n` : `Error response from daemon: ${e.message}\n`);
      rc = 1;
    }
  }
  return rc;
}

function templateOut(p: Proc, tmpl: string, data: unknown): boolean {
  try {
    p.out(renderTemplate(tmpl, data) + "\n");
    return true;
  } catch (e) {
    if (!(e instanceof TemplateError)) throw e;
    p.err(`${e.message}\n`);
    return false;
  }
}

const ps: Subcommand = {
  path: "ps",
  usage: "ps [OPTIONS]",
  summary: "List containers",
  flags: [HELP, { name: "all", short: "a", type: "bool" }, { name: "quiet", short: "q", type: "bool" }, { name: "format", type: "string" },
    { name: "no-trunc", type: "bool" }, { name: "filter", short: "f", type: "list" }, { name: "latest", short: "l", type: "bool" }],
  args: "none",
  run(p, d, f) {
    let list = d.containerList({ all: f.bools.has("all") || f.bools.has("latest") });
    for (const flt of f.lists.get("filter") ?? []) {
      const [k, v = ""] = flt.split("=");
      if (k === "name") list = list.filter((c) => c.names.some((n) => n.includes(v)));
      else if (k === "status") list = list.filter((c) => c.state === v);
      else if (k === "ancestor") list = list.filter((c) => c.image === v || c.image.split(":")[0] === v);
      else if (k === "network") list = list.filter((c) => c.networks.includes(v));
      else {
        p.err(`Error response from daemon: Invalid filter '${k}'\n`);
        return 1;
      }
    }
    if (f.bools.has("latest")) list = list.slice(0, 1);
    const trunc = !f.bools.has("no-trunc");
    const now = p.world.clock.now();
    const rows = list.map((c) => ({
      ID: trunc ? c.id.slice(0, 12) : c.id,
      Image: c.image,
      Command: goQuote(trunc ? ellipsis(c.command, 20) : c.command),
      RunningFor: `${humanDuration(now - c.created)} ago`,
      CreatedAt: new Date(p.world.clock.epochMs + c.created).toISOString(),
      Status: c.status,
      State: c.state,
      Ports: displayablePorts(c.ports),
      Names: c.names.join(","),
      Networks: c.networks.join(","),
    }));
    if (f.bools.has("quiet")) {
      for (const r of rows) p.out(`${r.ID}\n`);
      return 0;
    }
    const fmt = f.strings.get("format");
    if (fmt !== undefined && !fmt.startsWith("table")) {
      for (const r of rows) if (!templateOut(p, fmt, r)) return 1;
      return 0;
    }
    if (fmt !== undefined) {
      const body = fmt.slice("table".length).trim().replace(/\\t/g, "\t");
      const header = body.replace(/\{\{\s*\.(\w+)\s*\}\}/g, (_, k: string) => HEADERS[k] ?? k.toUpperCase());
      const lines = [header, ...rows.map((r) => renderTemplate(body, r))];
      p.out(table(lines.map((l) => l.split("\t"))));
      return 0;
    }
    p.out(table([
      ["CONTAINER ID", "IMAGE", "COMMAND", "CREATED", "STATUS", "PORTS", "NAMES"],
      ...rows.map((r) => [r.ID, r.Image, r.Command, r.RunningFor, r.Status, r.Ports, r.Names]),
    ]));
    return 0;
  },
};

const HEADERS: Record<string, string> = {
  ID: "CONTAINER ID", Image: "IMAGE", Command: "COMMAND", RunningFor: "CREATED", CreatedAt: "CREATED AT", Status: "STATUS",
  State: "STATE", Ports: "PORTS", Names: "NAMES", Networks: "NETWORKS",
};

const exec: Subcommand = {
  path: "exec",
  usage: "exec [OPTIONS] CONTAINER COMMAND [ARG...]",
  summary: "Run a command in a running container",
  flags: [HELP, { name: "interactive", short: "i", type: "bool" }, { name: "tty", short: "t", type: "bool" },
    { name: "detach", short: "d", type: "bool" }, { name: "env", short: "e", type: "list" }, { name: "user", short: "u", type: "string" },
    { name: "workdir", short: "w", type: "string" }, { name: "privileged", type: "bool" }],
  interspersed: false,
  args: "min:2",
  async run(p, d, f) {
    const [ref, ...cmd] = f.args;
    if (f.bools.has("tty") && f.bools.has("interactive")) {
      try {
        d.containerId(ref!);
      } catch (e) {
        if (e instanceof DockerError) {
          p.err(`Error: ${e.message}\n`);
          return 1;
        }
        throw e;
      }
      p.err("the input device is not a TTY\n");
      return 1;
    }
    try {
      const io = { write: (fd: 1 | 2, text: string) => (fd === 1 ? p.out(text) : p.err(text)) };
      return await d.exec(ref!, { cmd, env: f.lists.get("env") ?? [], interactive: f.bools.has("interactive"), tty: f.bools.has("tty"),
        ...(f.bools.has("interactive") ? { stdin: p.stdin } : { stdin: "" }) }, io);
    } catch (e) {
      if (!(e instanceof DockerError)) throw e;
      if (e.kind === "notFound") p.err(`Error: ${e.message}\n`);
      else if (e.kind === "runtime") p.err(`${e.message}\n`);
      else p.err(`Error response from daemon: ${e.message}\n`);
      return e.kind === "runtime" ? 126 : 1;
    }
  },
};

const inspect: Subcommand = {
  path: "inspect",
  usage: "inspect [OPTIONS] NAME|ID [NAME|ID...]",
  summary: "Return low-level information on Docker objects",
  flags: [HELP, { name: "format", short: "f", type: "string" }, { name: "type", type: "string" }, { name: "size", short: "s", type: "bool" }],
  args: "min:1",
  run(p, d, f) {
    const objs: unknown[] = [];
    const missing: string[] = [];
    const type = f.strings.get("type");
    for (const ref of f.args) {
      const tries: Array<() => unknown> = [];
      if (!type || type === "container") tries.push(() => d.containerInspect(ref));
      if (!type || type === "image") tries.push(() => d.imageInspect(ref));
      if (!type || type === "network") tries.push(() => d.networkInspect(ref));
      let found: unknown;
      for (const t of tries) {
        try {
          found = t();
          break;
        } catch (e) {
          if (!(e instanceof DockerError)) throw e;
        }
      }
      if (found === undefined) missing.push(ref);
      else objs.push(found);
    }
    const fmt = f.strings.get("format");
    if (fmt !== undefined) {
      for (const o of objs) if (!templateOut(p, fmt, o)) return 1;
    } else {
      p.out(JSON.stringify(objs, null, 4).replace(/^\[\]$/, "[]") + "\n");
    }
    for (const m of missing) p.err(`Error: No such object: ${m}\n`);
    return missing.length > 0 ? 1 : 0;
  },
};

function lifecycle(path: string, summary: string, fn: (d: DockerDaemonApi, ref: string, f: Parsed) => void | Promise<void>, style: "client" | "daemon"): Subcommand {
  return {
    path,
    usage: `${path} [OPTIONS] CONTAINER [CONTAINER...]`,
    summary,
    flags: [HELP, { name: "force", short: "f", type: "bool" }, { name: "time", short: "t", type: "string" }, { name: "attach", short: "a", type: "bool" },
      { name: "interactive", short: "i", type: "bool" }, { name: "signal", short: "s", type: "string" }, { name: "volumes", short: "v", type: "bool" }],
    args: "min:1",
    run(p, d, f) {
      return each(p, f.args, style, async (ref) => {
        await fn(d, ref, f);
        p.out(`${ref}\n`);
      });
    },
  };
}

const timeOf = (f: Parsed) => (f.strings.has("time") ? Number(f.strings.get("time")) : undefined);

const rm = lifecycle("rm", "Remove one or more containers", (d, ref, f) => d.containerRemove(ref, { force: f.bools.has("force") }), "client");
const stop = lifecycle("stop", "Stop one or more running containers", (d, ref, f) => d.containerStop(ref, timeOf(f)), "daemon");
const start = lifecycle("start", "Start one or more stopped containers", (d, ref) => d.containerStart(ref), "daemon");
const restart = lifecycle("restart", "Restart one or more containers", (d, ref, f) => d.containerRestart(ref, timeOf(f)), "daemon");
const kill = lifecycle("kill", "Kill one or more running containers", (d, ref) => d.containerKill(ref), "daemon");

const logs: Subcommand = {
  path: "logs",
  usage: "logs [OPTIONS] CONTAINER",
  summary: "Fetch the logs of a container",
  flags: [HELP, { name: "follow", short: "f", type: "bool" }, { name: "tail", short: "n", type: "string" }, { name: "timestamps", short: "t", type: "bool" }],
  args: "exact:1",
  run(p, d, f) {
    return each(p, f.args, "client", (ref) => {
      let text = d.containerLogs(ref);
      const tail = f.strings.get("tail");
      if (tail !== undefined && tail !== "all") {
        const lines = text.split("\n");
        if (lines[lines.length - 1] === "") lines.pop();
        text = lines.slice(-Number(tail)).map((l) => l + "\n").join("");
        if (Number(tail) === 0) text = "";
      }
      p.out(text);
    });
  },
};

const port: Subcommand = {
  path: "port",
  usage: "port CONTAINER [PRIVATE_PORT[/PROTO]]",
  summary: "List port mappings or a specific mapping for the container",
  flags: [HELP],
  args: "min:1",
  run(p, d, f) {
    const [ref, want] = f.args;
    return each(p, [ref!], "client", (r) => {
      const ports = d.containerPorts(r).sort((a, b) => a.containerPort - b.containerPort);
      if (want === undefined) {
        for (const m of ports) p.out(`${m.containerPort}/${m.proto} -> ${m.hostIp}:${m.hostPort}\n`);
        return;
      }
      const [num, proto = "tcp"] = want.split("/");
      const hits = ports.filter((m) => m.containerPort === Number(num) && m.proto === proto);
      if (hits.length === 0) throw new DockerError("invalid", `Error: No public port '${num}/${proto}' published for ${r}`);
      for (const m of hits) p.out(`${m.hostIp}:${m.hostPort}\n`);
    });
  },
};

const images: Subcommand = {
  path: "images",
  usage: "images [OPTIONS] [REPOSITORY[:TAG]]",
  summary: "List images",
  flags: [HELP, { name: "quiet", short: "q", type: "bool" }, { name: "all", short: "a", type: "bool" }, { name: "format", type: "string" }],
  args: "max:1",
  run(p, d, f) {
    const now = p.world.clock.now();
    let list = d.imageList();
    const want = f.args[0];
    if (want) list = list.filter((i) => i.repository === want.split(":")[0] && (!want.includes(":") || i.tag === want.split(":")[1]));
    if (f.bools.has("quiet")) {
      for (const i of list) p.out(`${i.id.slice(0, 12)}\n`);
      return 0;
    }
    p.out(table([
      ["REPOSITORY", "TAG", "IMAGE ID", "CREATED", "SIZE"],
      ...list.map((i) => [i.repository, i.tag, i.id.slice(0, 12), `${humanDuration(now - i.created)} ago`, humanSize(i.size)]),
    ]));
    return 0;
  },
};

export const containerCommands: Subcommand[] = [ps, exec, inspect, rm, stop, start, restart, kill, logs, port, images];
