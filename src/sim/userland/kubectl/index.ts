/**
 * kubectl (1.28) for the simulated cluster: a client of the API server found at
 * `proc.world.daemons.kubernetes` (KubeClusterApi). Subcommands: apply, create, delete, get,
 * describe, events, exec, expose, logs, run, scale, rollout status, wait, version.
 */
import type { KubeClusterApi } from "../../k8s/api.js";
import type { Proc, ProgramSpec } from "../types.js";
import { applyOrCreate, createGenerated } from "./apply.js";
import { del } from "./delete.js";
import { describe } from "./describe.js";
import { plainError } from "./errors.js";
import { events } from "./events.js";
import { exec, logs } from "./exec.js";
import { expose } from "./expose.js";
import { flag, FlagError, GLOBAL, parseFlags, type FlagSpec } from "./flags.js";
import { get } from "./get.js";
import { HELP } from "./help-texts.js";
import { run as runPod } from "./run.js";
import { RUN_FLAGS } from "./run-pod.js";
import { rolloutStatus, scale, wait } from "./workload.js";

const OUT: FlagSpec = { long: "output", short: "o" };
const FILE: FlagSpec = { long: "filename", short: "f" };
const SEL: FlagSpec = { long: "selector", short: "l" };

const COMMANDS: Record<string, FlagSpec[]> = {
  apply: [FILE, OUT, { long: "recursive", short: "R", bool: true }, { long: "validate" }, { long: "dry-run" }, { long: "server-side", bool: true }],
  create: [FILE, OUT, { long: "image" }, { long: "replicas" }, { long: "port" }, { long: "dry-run" }, { long: "validate" }],
  delete: [FILE, SEL, { long: "all", bool: true }, { long: "now", bool: true }, { long: "force", bool: true }, { long: "grace-period" }, { long: "wait", bool: true }, { long: "ignore-not-found", bool: true }],
  get: [OUT, SEL, { long: "field-selector" }, { long: "all-namespaces", short: "A", bool: true }, { long: "show-labels", bool: true }, { long: "no-headers", bool: true }, { long: "ignore-not-found", bool: true }, { long: "watch", short: "w", bool: true }, FILE],
  describe: [SEL, FILE, { long: "all-namespaces", short: "A", bool: true }],
  // -o and --watch are not simulated (kubectl's own flags, so they are refused as unknown here).
  events: [{ long: "for" }, { long: "types" }, { long: "all-namespaces", short: "A", bool: true }, { long: "no-headers", bool: true }],
  expose: [
    FILE, OUT, { long: "port" }, { long: "target-port" }, { long: "protocol" }, { long: "type" }, { long: "name" }, { long: "selector" },
    { long: "labels", short: "l" }, { long: "external-ip" }, { long: "cluster-ip" }, { long: "session-affinity" }, { long: "load-balancer-ip" },
    { long: "dry-run" }, { long: "overrides" }, { long: "save-config", bool: true }, { long: "recursive", short: "R", bool: true }, { long: "field-manager" },
  ],
  exec: [{ long: "container", short: "c" }, { long: "stdin", short: "i", bool: true }, { long: "tty", short: "t", bool: true }, { long: "quiet", short: "q", bool: true }],
  logs: [{ long: "container", short: "c" }, { long: "follow", short: "f", bool: true }, { long: "tail" }, { long: "previous", short: "p", bool: true }, { long: "timestamps", bool: true }, SEL],
  run: RUN_FLAGS,
  scale: [{ long: "replicas" }, FILE, SEL],
  rollout: [{ long: "timeout" }, { long: "watch", short: "w", bool: true }],
  wait: [{ long: "for" }, { long: "timeout" }, SEL, { long: "all", bool: true }, FILE],
  version: [OUT, { long: "client", bool: true }, { long: "short", bool: true }],
};

async function run(p: Proc): Promise<number> {
  const cluster = p.world.daemons.kubernetes as KubeClusterApi | undefined;
  const argv = p.argv.slice(1);
  let si = 0;
  while (si < argv.length && argv[si]!.startsWith("-")) si += /^(-n|--namespace|--context|--kubeconfig|-v)$/.test(argv[si]!) ? 2 : 1;
  const sub = argv[si];
  // -h/--help before any `--`: the command's help (texts recorded from the real client, help-texts.ts).
  const dashdash = argv.indexOf("--");
  const wantsHelp = (dashdash < 0 ? argv : argv.slice(0, dashdash)).some((a) => a === "-h" || a === "--help");
  if (!sub || (wantsHelp && !COMMANDS[sub])) {
    if (sub && !COMMANDS[sub]) {
      p.err(`error: unknown command "${sub}" for "kubectl"\n`);
      return 1;
    }
    p.out(HELP[""]!);
    return 0;
  }
  const specs = COMMANDS[sub];
  if (!specs) {
    p.err(`error: unknown command "${sub}" for "kubectl"\n`);
    return 1;
  }
  let rest = argv.slice(si + 1);
  let path = sub;
  if (sub === "rollout") {
    const action = rest.find((a) => !a.startsWith("-"));
    if (action !== "status") {
      p.err(plainError(action ? `unknown command "${action}" for "kubectl rollout"` : "Required resource not specified."));
      return 1;
    }
    rest = rest.filter((a) => a !== action);
    path = "rollout status";
  }
  if (wantsHelp && HELP[path] !== undefined) {
    p.out(HELP[path]!);
    return 0;
  }
  let f;
  try {
    f = parseFlags([...argv.slice(0, si), ...rest], [...GLOBAL, ...specs]);
  } catch (e) {
    if (e instanceof FlagError) {
      p.err(`error: ${e.message}\nSee 'kubectl ${path} --help' for usage.\n`);
      return 1;
    }
    throw e;
  }
  if (!cluster) {
    if (sub === "version" && flag(f, "client") === "true") {
      p.out("Client Version: v1.28.0\nKustomize Version: v5.0.4-0.20230601165947-6ce0bf390ce3\n");
      return 0;
    }
    p.err("The connection to the server localhost:8080 was refused - did you specify the right host or port?\n");
    return 1;
  }
  const ns = flag(f, "namespace") ?? "default";
  switch (sub) {
    case "apply":
      return applyOrCreate(p, cluster, f, ns, "apply");
    case "create":
      return f.values.has("filename") ? applyOrCreate(p, cluster, f, ns, "create") : createGenerated(p, cluster, f, ns);
    case "delete":
      return del(p, cluster, f, ns);
    case "get":
      return get(p, cluster, f, ns);
    case "describe":
      return describe(p, cluster, f, ns);
    case "exec":
      return exec(p, cluster, f, ns);
    case "events":
      return events(p, cluster, f, ns);
    case "expose":
      return expose(p, cluster, f, ns);
    case "logs":
      return logs(p, cluster, f, ns);
    case "run":
      return runPod(p, cluster, f, ns);
    case "scale":
      return scale(p, cluster, f, ns);
    case "rollout":
      return rolloutStatus(p, cluster, f, ns);
    case "wait":
      return wait(p, cluster, f, ns);
    case "version":
      p.out(`Client Version: v1.28.0\nKustomize Version: v5.0.4-0.20230601165947-6ce0bf390ce3\nServer Version: v${cluster.version}\n`);
      return 0;
  }
  return 1;
}

export const programs: ProgramSpec[] = [{ name: "kubectl", summary: "Kubernetes command-line client", run }];
