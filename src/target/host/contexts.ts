/**
 * Which process runs the persistent shell of a context on a real host:
 *   host              bash --noprofile --norc
 *   pod/NAME[:C]      kubectl exec -i NAME [-c C] -- sh
 *   a configured name the command line from lab.config.yaml (run through sh -c)
 *   any other name    docker exec -i NAME sh   (a container)
 */

/** Host-target configuration (lab.config.yaml). */
export interface HostConfig {
  /** Context name → command line that starts a shell reading commands on stdin. */
  contexts?: Record<string, string>;
}

/** The argv that starts the shell of `context`. */
export function shellArgv(context: string, config: HostConfig = {}): string[] {
  const configured = config.contexts?.[context];
  if (configured !== undefined) return ["sh", "-c", `exec ${configured}`];
  if (context === "host") return ["bash", "--noprofile", "--norc"];
  const pod = /^pod\/([^:]+)(?::(.+))?$/.exec(context);
  if (pod) return ["kubectl", "exec", "-i", pod[1]!, ...(pod[2] ? ["-c", pod[2]] : []), "--", "sh"];
  return ["docker", "exec", "-i", context, "sh"];
}
