/**
 * `kubectl exec [-i] [-t] [-c C] POD -- CMD…` and `kubectl logs POD [-c C]`.
 * Texts: "Defaulted container %q out of: %s" (kubectl/pkg/cmd/util/podcmd), the TTY warning
 * "Unable to use a TTY - input is not a terminal or the right kind of file" (exec.go), and
 * "command terminated with exit code N" with that exit code (client-go remotecommand v4).
 */
import type { KubeClusterApi } from "../../k8s/api.js";
import type { Proc } from "../types.js";
import { apiErrorText, plainError } from "./errors.js";
import { flag, type ParsedFlags } from "./flags.js";
import { deadlineOf } from "../lib/deadline.js";

/** POD, pod/POD, or TYPE/NAME of a workload (its first pod, as kubectl's AttachablePodForObject picks it). */
function podName(arg: string | undefined, cluster?: KubeClusterApi, ns = "default"): string | undefined {
  if (!arg) return undefined;
  const slash = arg.indexOf("/");
  if (slash < 0) return arg;
  const type = arg.slice(0, slash).toLowerCase();
  const name = arg.slice(slash + 1);
  if (type === "pod" || type === "pods" || type === "po") return name;
  const kind = cluster?.discovery().find((k) => k.resource === type || k.singular === type || k.short.includes(type) || `${k.resource}.${k.group}` === type);
  const owner = kind && cluster?.get(kind, ns, name);
  const sel = owner?.spec?.selector?.matchLabels ?? owner?.spec?.selector;
  if (!owner || !sel) return name;
  const podKind = cluster!.discovery().find((k) => k.kind === "Pod")!;
  const pods = cluster!.list(podKind, ns).filter((p) => Object.entries(sel as Record<string, string>).every(([k, v]) => p.metadata.labels?.[k] === v));
  return pods[0]?.metadata.name ?? name;
}

/** `kubectl exec`. */
export async function exec(p: Proc, cluster: KubeClusterApi, f: ParsedFlags, ns: string): Promise<number> {
  const pod = podName(f.args[0], cluster, ns);
  const cmd = f.dashArgs ?? f.args.slice(1);
  if (!pod || cmd.length === 0) {
    p.err(plainError("you must specify at least one command for the container\nSee 'kubectl exec -h' for help and examples"));
    return 1;
  }
  // exec.go refuses a finished pod before it picks a container.
  const podKind = cluster.discovery().find((k) => k.kind === "Pod")!;
  const phase = cluster.get(podKind, ns, pod)?.status?.phase;
  if (phase === "Succeeded" || phase === "Failed") {
    p.err(plainError(`cannot exec into a container in a completed pod; current phase is ${phase}`));
    return 1;
  }
  const t = cluster.execTarget(ns, pod, flag(f, "container"));
  if (!t.ok) {
    p.err("reason" in t.error ? apiErrorText(t.error) : plainError(t.error.message));
    return 1;
  }
  if (t.defaulted) p.err(t.defaulted);
  if (flag(f, "tty") === "true") p.err("Unable to use a TTY - input is not a terminal or the right kind of file\n");
  // The runtime execs cmd[0] as exec(2) would: an absolute path must exist in the container's
  // file system, a bare name is looked up in PATH. containerd's refusal, as kubectl prints it
  // (reference: nigelpoulton/TheK8sBook#30), exits 1.
  const argv = [...cmd];
  const first = argv[0]!;
  const missing = first.includes("/") ? !t.ctx.fs.exists(first) : t.ctx.available ? !t.ctx.available(first) : false;
  if (missing) {
    const id = Array.from({ length: 64 }, () => "0123456789abcdef"[p.world.rng.int(16)]).join("");
    const why = first.includes("/") ? `stat ${first}: no such file or directory` : "executable file not found in $PATH";
    p.err(`error: Internal error occurred: error executing command in container: failed to exec in container: failed to start exec "${id}": OCI runtime exec failed: exec failed: unable to start container process: exec: "${first}": ${why}: unknown\n`);
    return 1;
  }
  if (first.includes("/")) argv[0] = first.slice(first.lastIndexOf("/") + 1);
  const stdin = flag(f, "stdin") === "true" ? p.stdin : "";
  const rc = await p.world.spawn(t.ctx, { argv, stdin, ...deadlineOf(p) }, { write: (fd, text) => (fd === 1 ? p.out(text) : p.err(text)) });
  if (rc !== 0) {
    p.err(`command terminated with exit code ${rc}\n`);
  }
  return rc;
}

/** `kubectl logs`. */
export function logs(p: Proc, cluster: KubeClusterApi, f: ParsedFlags, ns: string): number {
  const pod = podName(f.args[0], cluster, ns);
  if (!pod) {
    p.err(plainError("expected 'logs [-f] [-p] (POD | TYPE/NAME) [-c CONTAINER]'.\nPOD or TYPE/NAME is a required argument for the logs command\nSee 'kubectl logs -h' for help and examples"));
    return 1;
  }
  const t = cluster.execTarget(ns, pod, flag(f, "container"));
  if (!t.ok && "reason" in t.error) {
    p.err(apiErrorText(t.error));
    return 1;
  }
  if (t.ok && t.defaulted) p.err(t.defaulted);
  const r = cluster.logs(ns, pod, t.ok ? t.container : flag(f, "container"));
  if (!r.ok) {
    // The kubelet refuses logs of a container that has not started as a BadRequest status.
    p.err(/is waiting to start/.test(r.message) ? apiErrorText({ code: 400, reason: "BadRequest", message: r.message }) : plainError(r.message));
    return 1;
  }
  let text = r.text;
  const tail = flag(f, "tail");
  if (tail !== undefined && Number(tail) >= 0) {
    const lines = text.split("\n");
    if (lines[lines.length - 1] === "") lines.pop();
    text = lines.slice(Math.max(0, lines.length - Number(tail))).map((l) => l + "\n").join("");
  }
  p.out(text);
  return 0;
}
