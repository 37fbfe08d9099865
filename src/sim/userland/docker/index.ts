/**
 * The `docker` client program (CLI 20.10): parses the command line, talks to the daemon found at
 * `proc.world.daemons.docker` through its API, and prints what the real CLI prints. It never
 * touches the kernel: everything it knows comes from the daemon.
 */
import type { ProgramSpec } from "../types.js";
import { daemonOf, invoke, parseInvocation, type Subcommand } from "./common.js";
import { containerCommands } from "./containers.js";
import { networkCommands } from "./network.js";
import { nginx } from "./nginx.js";
import { createCommand, runCommand } from "./run.js";

const TOP: Subcommand[] = [runCommand, createCommand, ...containerCommands];

const USAGE = `
Usage:  docker [OPTIONS] COMMAND

A self-sufficient runtime for containers

Management Commands:
  network     Manage networks

Commands:
  create      Create a new container
  exec        Run a command in a running container
  images      List images
  inspect     Return low-level information on Docker objects
  kill        Kill one or more running containers
  logs        Fetch the logs of a container
  port        List port mappings or a specific mapping for the container
  ps          List containers
  restart     Restart one or more containers
  rm          Remove one or more containers
  run         Run a command in a new container
  start       Start one or more stopped containers
  stop        Stop one or more running containers
  version     Show the Docker version information

Run 'docker COMMAND --help' for more information on a command.
`;

const NETWORK_USAGE = `
Usage:  docker network COMMAND

Manage networks

Commands:
  connect     Connect a container to a network
  create      Create a network
  disconnect  Disconnect a container from a network
  inspect     Display detailed information on one or more networks
  ls          List networks
  rm          Remove one or more networks

Run 'docker network COMMAND --help' for more information on a command.
`;

export const docker: ProgramSpec = {
  name: "docker",
  summary: "Docker 20.10 client, talking to the simulated dockerd",
  async run(p) {
    const d = daemonOf(p);
    if (!d) {
      p.err("Cannot connect to the Docker daemon at unix:///var/run/docker.sock. Is the docker daemon running?\n");
      return 1;
    }
    const [cmd, ...rest] = p.argv.slice(1);
    if (cmd === undefined || cmd === "--help") {
      p.out(USAGE);
      return 0;
    }
    if (cmd === "version") {
      p.out("Client:\n Version:           20.10.24+dfsg1\n API version:       1.41\n\nServer:\n Engine:\n  Version:          20.10.24+dfsg1\n  API version:      1.41 (minimum version 1.12)\n");
      return 0;
    }
    if (cmd === "network") {
      const [sub, ...args] = rest;
      const alias: Record<string, string> = { list: "ls", remove: "rm" };
      const sc = networkCommands.find((c) => c.path === `network ${alias[sub ?? ""] ?? sub}`);
      if (!sc) {
        if (sub === undefined || sub === "--help") {
          p.out(NETWORK_USAGE);
          return 0;
        }
        p.err(`docker: 'network ${sub}' is not a docker command.\nSee 'docker --help'\n`);
        return 1;
      }
      return invoke(p, d, sc, args);
    }
    const top = topSubcommand([cmd, ...rest]);
    if (!top) {
      if (cmd.startsWith("-")) {
        p.err(`unknown flag: ${cmd}\nSee 'docker --help'.\n`);
        return 125;
      }
      p.err(`docker: '${cmd}' is not a docker command.\nSee 'docker --help'\n`);
      return 1;
    }
    return invoke(p, d, top.sc, top.rest);
  },
};

/** The top-level subcommand a command line (after `docker`) names, `container X` included, with its arguments; not `network` or `version`. */
function topSubcommand(args: string[]): { sc: Subcommand; rest: string[] } | undefined {
  const [cmd, ...rest] = args;
  if (cmd === "container") {
    const [sub, ...more] = rest;
    const alias: Record<string, string> = { ls: "ps", list: "ps", remove: "rm" };
    const sc = TOP.find((c) => c.path === (alias[sub ?? ""] ?? sub));
    if (sc) return { sc, rest: more };
  }
  const sc = TOP.find((c) => c.path === cmd);
  return sc ? { sc, rest } : undefined;
}

/**
 * The request a `docker` command line makes, as plain data, when that is all its run depends on
 * (`docker run`/`create`: the parsed CreateRequest); undefined for anything else, a usage error
 * or `--help` included. Two command lines with equal keys run identically in the same world
 * (`-d -p 1234:80 --name web` and `--name=web --publish 1234:80 --detach`): grading shares by it.
 */
export function dockerCommandKey(argv: readonly string[]): unknown {
  const args = argv.slice(1);
  const cmd = args[0];
  if (cmd === undefined || cmd === "--help" || cmd === "version" || cmd === "network") return undefined;
  const top = topSubcommand(args);
  if (!top?.sc.requestKey) return undefined;
  const inv = parseInvocation(top.sc, top.rest);
  if (inv.kind !== "run") return undefined;
  const request = top.sc.requestKey(inv.f);
  return request === undefined ? undefined : { docker: top.sc.path, request };
}

/** The programs of this module: the client and the nginx stand-in its image runs. */
export const programs: ProgramSpec[] = [docker, nginx];
