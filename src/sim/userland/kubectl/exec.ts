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

function podName(arg: string | undefined): string | undefined {
  if (!arg) return undefined;
  return arg.startsWith("pod/") ? arg.slice(4) : arg.startsWith("pods/") ? arg.slice(5) : arg;
}

/** `kubectl exec`. */
export async function exec(p: Proc, cluster: KubeClusterApi, f: ParsedFlags, ns: string): Promise<number> {
  const pod = podName(f.args[0]);
  const cmd = f.dashArgs ?? f.args.slice(1);
  if (!pod || cmd.length === 0) {
    p.err(plainError("you must specify at least one command for the container\nSee 'kubectl exec -h' for help and examples"));
    return 1;
  }
  const t = cluster.execTarget(ns, pod, flag(f, "container"));
  if (!t.ok) {
    p.err("reason" in t.error ? apiErrorText(t.error) : plainError(t.error.message));
    return 1;
  }
  if (t.defaulted) p.err(t.defaulted);
  if (flag(f, "tty") === "true") p.err("Unable to use a TTY - input is not a terminal or the right kind of file\n");
  const stdin = flag(f, "stdin") === "true" ? p.stdin : "";
  const rc = await p.world.spawn(t.ctx, { argv: cmd, stdin }, { write: (fd, text) => (fd === 1 ? p.out(text) : p.err(text)) });
  if (rc !== 0) {
    p.err(`command terminated with exit code ${rc}\n`);
  }
  return rc;
}

/** `kubectl logs`. */
export function logs(p: Proc, cluster: KubeClusterApi, f: ParsedFlags, ns: string): number {
  const pod = podName(f.args[0]);
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
    p.err(plainError(r.message));
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
