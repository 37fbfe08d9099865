/**
 * What `kubectl run` sends (kubectl 1.28): its client-side checks in RunOptions.Run's order and
 * the pod of the run-pod/v1 generator (kubectl/pkg/generate/versioned/run.go BasicPod): labels
 * `run=NAME` unless --labels, one container named NAME, arguments as `args` (or `command` with
 * --command), restartPolicy from --restart (default Always), dnsPolicy ClusterFirst, stdin,
 * stdinOnce and tty with -i/-t. Keys are in the Go structs' field order, as `-o json` prints them.
 */
import { flag, flags, type ParsedFlags } from "./flags.js";
import { parseDuration } from "./workload.js";

/** The flags kubectl run accepts (1.28's, deprecated delete flags included). */
export const RUN_FLAGS = [
  { long: "image" }, { long: "image-pull-policy" }, { long: "restart" }, { long: "port" }, { long: "env" }, { long: "labels", short: "l" },
  { long: "annotations" }, { long: "dry-run" }, { long: "output", short: "o" }, { long: "overrides" }, { long: "override-type" },
  { long: "pod-running-timeout" }, { long: "field-manager" }, { long: "template" }, { long: "cascade" }, { long: "filename", short: "f" },
  { long: "grace-period" }, { long: "kustomize", short: "k" }, { long: "timeout" },
  ...["rm", "command", "attach", "leave-stdin-open", "expose", "privileged", "save-config", "show-managed-fields", "force", "wait", "allow-missing-template-keys"].map((long) => ({ long, bool: true })),
  { long: "stdin", short: "i", bool: true }, { long: "tty", short: "t", bool: true }, { long: "quiet", short: "q", bool: true },
];

/** The options kubectl run acts on, after validation. */
export interface RunPlan {
  name: string;
  dryRun: "none" | "client" | "server";
  attach: boolean;
  interactive: boolean;
  tty: boolean;
  quiet: boolean;
  rm: boolean;
  expose: boolean;
  leaveStdinOpen: boolean;
  /** The client's own restart policy (getRestartPolicy): what it waits for after attaching. */
  restart: "Always" | "OnFailure" | "Never";
  timeoutMs: number;
  pod: Record<string, any>;
  /** --labels as given (the exposed Service carries them; without, it has none). */
  labelFlag: string;
}

// docker/distribution reference.ReferenceRegexp (anchored): [domain/]name-components[:tag][@digest].
const DOMAIN_COMPONENT = "(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])";
const DOMAIN = `${DOMAIN_COMPONENT}(?:\\.${DOMAIN_COMPONENT})*(?::[0-9]+)?`;
const NAME_COMPONENT = "[a-z0-9]+(?:(?:[._]|__|[-]*)[a-z0-9]+)*";
const REFERENCE = new RegExp(`^(?:${DOMAIN}/)?${NAME_COMPONENT}(?:/${NAME_COMPONENT})*(?::[\\w][\\w.-]{0,127})?(?:@[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9A-Fa-f]{32,})?$`);

/**
 * An error as kubectl prints it: `usage` errors get cmdutil.UsageErrorf's "See 'kubectl run -h'"
 * line, `flagError`s (pflag's) the flag error function's "See 'kubectl run --help' for usage.".
 */
export interface RunError {
  text: string;
  usage?: boolean;
  flagError?: boolean;
}

const usage = (text: string): RunError => ({ text, usage: true });

/** generate.ParseLabels: `k=v,k2=v2`. */
function parseLabels(s: string): { labels: Record<string, string> } | { error: RunError } {
  const labels: Record<string, string> = {};
  for (const spec of s.split(",")) {
    const kv = spec.split("=");
    if (kv.length !== 2) return { error: { text: `unexpected label spec: ${spec}` } };
    if (!kv[0]) return { error: { text: "unexpected empty label key" } };
    labels[kv[0]] = kv[1]!;
  }
  return { labels };
}

/** Validates kubectl run's flags and builds the pod, or returns kubectl's error. */
export function planRun(f: ParsedFlags): RunPlan | RunError {
  // pflag parses the duration while parsing flags; cobra's required-flag check comes next.
  const timeoutFlag = flag(f, "pod-running-timeout") ?? "1m0s";
  const timeoutMs = parseDuration(timeoutFlag);
  if (timeoutMs === undefined) return { text: `invalid argument "${timeoutFlag}" for "--pod-running-timeout" flag: time: invalid duration "${timeoutFlag}"`, flagError: true };
  if (!f.values.has("image")) return { text: 'required flag(s) "image" not set' };
  const dry = flag(f, "dry-run") ?? "none";
  if (!["none", "client", "server"].includes(dry)) return { text: `Invalid dry-run value (${dry}). Must be "none", "server", or "client".` };
  // Complete builds the printer: run's PrintFlags know json, yaml, name and the template printers.
  const output = flag(f, "output");
  if (output !== undefined && !["json", "yaml", "name"].includes(output)) {
    return { text: `unable to match a printer suitable for the output format "${output}", allowed formats are: go-template,go-template-file,json,jsonpath,jsonpath-as-json,jsonpath-file,name,template,templatefile,yaml` };
  }
  const interactive = flag(f, "stdin") === "true";
  const attach = f.values.has("attach") ? flag(f, "attach") === "true" : interactive;
  // Run: `--` before any argument (ArgsLenAtDash == 0) leaves no NAME either.
  const name = f.args[0];
  if (!name) return usage("NAME is required for run");
  if (timeoutMs <= 0) return usage("--pod-running-timeout must be higher than zero");
  const image = flag(f, "image")!;
  if (image === "") return { text: "--image is required" };
  if (!REFERENCE.test(image)) return { text: `Invalid image name "${image}": invalid reference format` };
  const tty = flag(f, "tty") === "true";
  if (tty && !interactive) return usage("-i/--stdin is required for containers with -t/--tty=true");
  const port = flag(f, "port") ?? "";
  const expose = flag(f, "expose") === "true";
  if (expose && !port) return usage("--port must be set when exposing a service");
  // The flag's default is "Always"; only an explicit --restart= falls back on -i's OnFailure.
  const restartFlag = flag(f, "restart") ?? "Always";
  const restart = restartFlag === "" ? (interactive ? "OnFailure" : "Always") : restartFlag;
  if (restart !== "Always" && restart !== "OnFailure" && restart !== "Never") return usage(`invalid restart policy: ${restartFlag}`);
  const rm = flag(f, "rm") === "true";
  if (!attach && rm) return usage("--rm should only be used for attached containers");
  if (attach && dry !== "none") return usage("--dry-run=[server|client] can't be used with attached containers options (--attach, --stdin, or --tty)");
  const pullPolicy = flag(f, "image-pull-policy") ?? "";
  if (!["", "Always", "IfNotPresent", "Never"].includes(pullPolicy)) return usage(`invalid image pull policy: ${pullPolicy}`);

  // BasicPod.Generate.
  const args = [...f.args.slice(1), ...(f.dashArgs ?? [])];
  const env: Array<{ name: string; value: string }> = [];
  for (const e of flags(f, "env")) {
    const eq = e.indexOf("=");
    if (eq <= 0 || !/^[-._a-zA-Z][-._a-zA-Z0-9]*$/.test(e.slice(0, eq))) return { text: `invalid env: ${e}` };
    env.push({ name: e.slice(0, eq), value: e.slice(eq + 1) });
  }
  const labelFlag = flag(f, "labels") ?? "";
  const parsed = labelFlag ? parseLabels(labelFlag) : { labels: { run: name } };
  if ("error" in parsed) return parsed.error;
  const labels = parsed.labels;
  const annotations: Record<string, string> = {};
  for (const a of flags(f, "annotations")) {
    const eq = a.indexOf("=");
    if (eq <= 0) return { text: `invalid annotation spec: ${a}` };
    annotations[a.slice(0, eq)] = a.slice(eq + 1);
  }
  let containerPort: number | undefined;
  if (port) {
    if (!/^\d+$/.test(port)) return { text: `strconv.ParseUint: parsing ${JSON.stringify(port)}: invalid syntax` };
    if (Number(port) > 65535) return { text: `strconv.ParseUint: parsing ${JSON.stringify(port)}: value out of range` };
    containerPort = Number(port);
  }
  const command = flag(f, "command") === "true";
  const leaveStdinOpen = flag(f, "leave-stdin-open") === "true";
  const container: Record<string, unknown> = {
    name,
    image,
    ...(args.length && command ? { command: args } : {}),
    ...(args.length && !command ? { args } : {}),
    ...(containerPort !== undefined ? { ports: [{ containerPort }] } : {}),
    ...(env.length ? { env } : {}),
    resources: {},
    ...(pullPolicy ? { imagePullPolicy: pullPolicy } : {}),
    ...(flag(f, "privileged") === "true" ? { securityContext: { privileged: true } } : {}),
    ...(interactive ? { stdin: true } : {}),
    ...(interactive && !leaveStdinOpen ? { stdinOnce: true } : {}),
    ...(tty ? { tty: true } : {}),
  };
  const pod = {
    kind: "Pod",
    apiVersion: "v1",
    metadata: { name, creationTimestamp: null, labels, ...(Object.keys(annotations).length ? { annotations } : {}) },
    // The pod's policy is the flag's value: -i without --restart still makes an Always pod.
    spec: { containers: [container], restartPolicy: restartFlag || "Always", dnsPolicy: "ClusterFirst" },
    status: {},
  };
  return { name, dryRun: dry as RunPlan["dryRun"], attach, interactive, tty, quiet: flag(f, "quiet") === "true", rm, expose, leaveStdinOpen, restart, timeoutMs, pod, labelFlag };
}

/** The ClusterIP Service of --expose (service/v2 generator): port = target port = --port, selector the pod's labels. */
export function exposedService(plan: RunPlan): Record<string, any> {
  const port = Number(plan.pod.spec.containers[0].ports[0].containerPort);
  return {
    kind: "Service",
    apiVersion: "v1",
    metadata: { name: plan.name, creationTimestamp: null, ...(plan.labelFlag ? { labels: plan.pod.metadata.labels } : {}) },
    spec: { ports: [{ protocol: "TCP", port, targetPort: port }], selector: plan.pod.metadata.labels },
    status: { loadBalancer: {} },
  };
}
