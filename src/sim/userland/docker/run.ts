/**
 * `docker run` and `docker create`: client-side parsing of `-p` (docker/go-connections nat
 * ParsePortSpec texts), then create, then start, attach and wait, as cli/command/container/run.go:
 *   - `-d`: the id is printed before the start (so it shows even when the start fails);
 *   - a daemon refusal prints `docker: Error response from daemon: MSG.` and exits 125, or
 *     126/127 when the runtime could not exec the command; after a failed start of an attached
 *     run the CLI also logs `error waiting for container: context canceled`;
 *   - `--rm` removes the container when it exits; the exit code is the command's own.
 */
import { DockerError, type CreateRequest, type DockerDaemonApi, type PortBindingReq } from "../../docker/api.js";
import type { Proc } from "../types.js";
import { waitOrDie } from "../lib/deadline.js";
import type { FlagSpec, Parsed } from "./flags.js";
import { HELP, type Subcommand } from "./common.js";

export const RUN_FLAGS: FlagSpec[] = [
  HELP,
  { name: "detach", short: "d", type: "bool" },
  { name: "interactive", short: "i", type: "bool" },
  { name: "tty", short: "t", type: "bool" },
  { name: "rm", type: "bool" },
  { name: "name", type: "string" },
  { name: "publish", short: "p", type: "list" },
  { name: "publish-all", short: "P", type: "bool" },
  { name: "network", type: "string" },
  { name: "net", type: "string" },
  { name: "env", short: "e", type: "list" },
  { name: "hostname", short: "h", type: "string" },
  { name: "entrypoint", type: "string" },
  { name: "privileged", type: "bool" },
  { name: "cap-add", type: "list" },
];

class UsageError extends Error {}

/** nat.ParsePortSpec: `[ip:][hostPort:]containerPort[/proto]`, ranges not supported here. */
export function parsePortSpec(spec: string): PortBindingReq {
  let rest = spec;
  let proto = "tcp";
  const slash = rest.lastIndexOf("/");
  if (slash >= 0) {
    proto = rest.slice(slash + 1);
    rest = rest.slice(0, slash);
  }
  if (proto !== "tcp" && proto !== "udp" && proto !== "sctp") throw new UsageError(`Invalid proto: ${proto}`);
  const parts = rest.split(":");
  let ip = "";
  let host = "";
  let cont: string;
  if (parts.length === 1) cont = parts[0]!;
  else if (parts.length === 2) [host, cont] = [parts[0]!, parts[1]!];
  else [ip, host, cont] = [parts.slice(0, -2).join(":"), parts[parts.length - 2]!, parts[parts.length - 1]!];
  if (ip !== "" && !/^\d+\.\d+\.\d+\.\d+$/.test(ip)) throw new UsageError(`Invalid ip address: ${ip}`);
  const validPort = (s: string) => /^\d+$/.test(s) && Number(s) >= 1 && Number(s) <= 65535;
  if (!validPort(cont)) throw new UsageError(`Invalid containerPort: ${cont}`);
  if (host !== "" && !validPort(host)) throw new UsageError(`Invalid hostPort: ${host}`);
  return { hostIp: ip, hostPort: host, containerPort: Number(cont), proto: proto as "tcp" | "udp" };
}

function buildRequest(f: Parsed): CreateRequest {
  const [image, ...cmd] = f.args;
  const ports = (f.lists.get("publish") ?? []).map(parsePortSpec);
  const env = (f.lists.get("env") ?? []).map((e) => e);
  const entry = f.strings.get("entrypoint");
  return {
    image: image!,
    ...(f.strings.has("name") ? { name: f.strings.get("name")! } : {}),
    cmd,
    ...(entry !== undefined ? { entrypoint: entry === "" ? [] : [entry] } : {}),
    env,
    ...(f.strings.has("hostname") ? { hostname: f.strings.get("hostname")! } : {}),
    networkMode: f.strings.get("network") ?? f.strings.get("net") ?? "default",
    portBindings: ports,
    publishAll: f.bools.has("publish-all"),
    openStdin: f.bools.has("interactive"),
    tty: f.bools.has("tty"),
    autoRemove: f.bools.has("rm"),
    attachStdout: !f.bools.has("detach"),
  };
}

/** `docker create`'s request: run's, never attached. */
function createRequest(f: Parsed): CreateRequest {
  return { ...buildRequest(f), attachStdout: false };
}

/** `build(f)`, or undefined where it would report a usage error. */
function requestOrUndefined(f: Parsed, build: (f: Parsed) => CreateRequest = buildRequest): CreateRequest | undefined {
  try {
    return build(f);
  } catch (e) {
    if (e instanceof UsageError) return undefined;
    throw e;
  }
}

function createOrPull(p: Proc, d: DockerDaemonApi, req: CreateRequest, path: string): string | number {
  try {
    return d.containerCreate(req);
  } catch (e) {
    if (!(e instanceof DockerError)) throw e;
    if (e.kind === "pull") {
      const ref = req.image.includes(":") ? req.image : `${req.image}:latest`;
      p.err(`Unable to find image '${ref}' locally\n`);
    }
    p.err(`docker: ${dot(`Error response from daemon: ${e.message}`)}\nSee 'docker ${path} --help'.\n`);
    return 125;
  }
}

async function run(p: Proc, d: DockerDaemonApi, f: Parsed): Promise<number> {
  let req: CreateRequest;
  try {
    req = buildRequest(f);
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    p.err(`docker: ${e.message}.\nSee 'docker run --help'.\n`);
    return 125;
  }
  if (req.tty && req.openStdin && req.attachStdout) {
    // Lessons and the host target run without a terminal: the CLI refuses before creating anything.
    p.err("the input device is not a TTY\n");
    return 1;
  }
  const created = createOrPull(p, d, req, "run");
  if (typeof created === "number") return created;
  const id = created;
  if (!req.attachStdout) p.out(`${id}\n`);
  const io = { write: (fd: 1 | 2, text: string) => (fd === 1 ? p.out(text) : p.err(text)) };
  try {
    d.containerStart(id, req.attachStdout ? io : undefined, req.attachStdout ? (req.openStdin ? p.stdin : "") : undefined);
  } catch (e) {
    if (!(e instanceof DockerError)) throw e;
    p.err(`docker: ${dot(`Error response from daemon: ${e.message}`)}\n`);
    if (req.attachStdout) p.err(`time="${timestamp(p)}" level=error msg="error waiting for container: context canceled"\n`);
    if (req.autoRemove) d.containerRemove(id, { force: true });
    return e.exitCode === 126 || e.exitCode === 127 ? e.exitCode : 125;
  }
  if (!req.attachStdout) return 0;
  // Attached: the CLI waits for the container to exit. A foreground CLI drives virtual time until
  // then, or until its deadline kills it (the container runs on: `docker run nginx` never ends).
  return waitOrDie(p, d.containerWait(id));
}

/** cli/command/container run.go reportError: a final period unless the text has one. */
function dot(s: string): string {
  return s.endsWith(".") ? s : `${s}.`;
}

function timestamp(p: Proc): string {
  return new Date(p.world.clock.epochMs + p.world.clock.now()).toISOString().replace(/\.\d+Z$/, "Z");
}

export const runCommand: Subcommand = {
  path: "run",
  usage: "run [OPTIONS] IMAGE [COMMAND] [ARG...]",
  summary: "Run a command in a new container",
  flags: RUN_FLAGS,
  interspersed: false,
  args: "min:1",
  run,
  requestKey: (f) => requestOrUndefined(f),
};

export const createCommand: Subcommand = {
  path: "create",
  usage: "create [OPTIONS] IMAGE [COMMAND] [ARG...]",
  summary: "Create a new container",
  flags: RUN_FLAGS.filter((x) => x.name !== "detach" && x.name !== "rm"),
  interspersed: false,
  args: "min:1",
  requestKey: (f) => requestOrUndefined(f, createRequest),
  run: (p, d, f) => {
    let req: CreateRequest;
    try {
      req = createRequest(f);
    } catch (e) {
      if (!(e instanceof UsageError)) throw e;
      p.err(`docker: ${e.message}.\nSee 'docker create --help'.\n`);
      return 125;
    }
    const created = createOrPull(p, d, req, "create");
    if (typeof created === "number") return created;
    p.out(`${created}\n`);
    return 0;
  },
};
