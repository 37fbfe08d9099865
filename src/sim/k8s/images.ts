/**
 * The kubelet's image manager (pkg/kubelet/images, Kubernetes 1.28) in virtual time:
 * EnsureImageExists with its events, the serial image puller (serializeImagePulls: true, one
 * pull at a time per node) and the per-(pod, image) pull back-off (flowcontrol.Backoff, 10 s
 * doubling to 300 s).
 *
 *   present, not Always ──► Pulled "Container image … already present on machine"
 *   not present, Never  ──► ErrImageNeverPull
 *   in back-off         ──► BackOff "Back-off pulling image …"           ► ImagePullBackOff
 *   else                ──► Pulling ─(queue, pull)─► Pulled "… in 2s (Ns including waiting)"
 *                                                └─► Failed "Failed to pull image …" ► ErrImagePull
 *
 * No registry is reachable: an image the runtime does not know fails as containerd fails an
 * image Docker Hub does not have.
 */
import type { Clock } from "../../core/clock.js";
import { canonicalImage, type ContainerRuntime, type RuntimeImage } from "./runtime.js";

/** How long a node's first pull of an image takes. */
export const PULL_MS = 2000;
/** The kubelet's image back-off: backOffPeriod and MaxContainerBackOff (kubelet.go). */
const BACKOFF_INITIAL_MS = 10_000;
const BACKOFF_MAX_MS = 300_000;

/** time.Duration.String of whole milliseconds: 0s, 1.5s, 2s, 2m0s. */
export function goDuration(ms: number): string {
  if (ms === 0) return "0s";
  if (ms < 1000) return `${ms}ms`;
  const m = Math.floor(ms / 60000);
  const sec = String((ms % 60000) / 1000);
  return m ? `${m}m${sec}s` : `${sec}s`;
}

/** reference.ParseNormalizedNamed + the default tag: `nope:1` → `docker.io/library/nope:1`. */
export function fullyQualified(ref: string): string {
  const slash = ref.indexOf("/");
  const first = slash < 0 ? "" : ref.slice(0, slash);
  const hasDomain = first.includes(".") || first.includes(":") || first === "localhost";
  let name = hasDomain ? ref : slash < 0 ? `docker.io/library/${ref}` : `docker.io/${ref}`;
  const last = name.slice(name.lastIndexOf("/") + 1);
  if (!last.includes(":") && !last.includes("@")) name += ":latest";
  return name;
}

/**
 * containerd's CRI PullImage error for an image no registry has, as the kubelet prints it: Docker
 * Hub answers an unknown repository with insufficient_scope (code Unknown), other registries with
 * 404 (code NotFound).
 */
export function pullError(ref: string): string {
  const full = fullyQualified(ref);
  const head = `failed to pull and unpack image "${full}": failed to resolve reference "${full}"`;
  return full.startsWith("docker.io/")
    ? `rpc error: code = Unknown desc = ${head}: pull access denied, repository does not exist or may require authorization: server message: insufficient_scope: authorization failed`
    : `rpc error: code = NotFound desc = ${head}: ${full}: not found`;
}

/** EnsureImageExists' outcome: the image, or the error's reason (ErrImagePull, …) and message. */
export type EnsureResult = { image: RuntimeImage } | { reason: "ErrImagePull" | "ImagePullBackOff" | "ErrImageNeverPull"; message: string };

/** What EnsureImageExists needs from its caller: the container's event recorder and a timer. */
export interface EnsureIo {
  event(type: "Normal" | "Warning", reason: string, message: string): void;
  /** Runs `fn` after `ms` of virtual time (cancelled with the pod). */
  after(ms: number, fn: () => void): void;
}

export class ImageManager {
  /** When the serial puller's queue is empty again (virtual ms). */
  private pullerFreeAt = 0;
  /** flowcontrol.Backoff entries by `<pod uid>_<image>`. */
  private readonly backoff = new Map<string, { backoff: number; lastUpdate: number }>();
  /** When an image's first pull on this node completes (canonical reference → virtual ms). */
  private readonly arriving = new Map<string, number>();

  constructor(private readonly clock: Clock, private readonly runtime: ContainerRuntime) {}

  /** EnsureImageExists for container `c` of pod `podUid`; `done` gets the outcome (maybe later). */
  ensure(podUid: string, c: { image: string; imagePullPolicy?: string }, io: EnsureIo, done: (r: EnsureResult) => void): void {
    const known = this.runtime.findImage(c.image);
    const present = !!known && this.runtime.isPulled(c.image);
    const policy = c.imagePullPolicy ?? "IfNotPresent";
    if (policy === "Never" || (policy !== "Always" && present)) {
      if (present) {
        io.event("Normal", "Pulled", `Container image "${c.image}" already present on machine`);
        return done({ image: known! });
      }
      const message = `Container image "${c.image}" is not present with pull policy of Never`;
      io.event("Warning", "ErrImageNeverPull", message);
      return done({ reason: "ErrImageNeverPull", message });
    }
    const key = `${podUid}_${c.image}`;
    const now = this.clock.now();
    if (this.inBackOff(key, now)) {
      const message = `Back-off pulling image "${c.image}"`;
      io.event("Normal", "BackOff", message);
      return done({ reason: "ImagePullBackOff", message });
    }
    io.event("Normal", "Pulling", `Pulling image "${c.image}"`);
    // The serial puller: this pull starts once the node's earlier pulls are done.
    const start = Math.max(now, this.pullerFreeAt);
    // A pull queued behind another pull of the same image finds its layers there: no time.
    const canonical = canonicalImage(c.image);
    const took = !known || present || (this.arriving.get(canonical) ?? Infinity) <= start ? 0 : PULL_MS;
    const end = start + took;
    this.pullerFreeAt = end;
    if (known && !this.arriving.has(canonical)) this.arriving.set(canonical, end);
    io.after(end - now, () => {
      if (!known) {
        const message = pullError(c.image);
        io.event("Warning", "Failed", `Failed to pull image "${c.image}": ${message}`);
        this.next(key, this.clock.now());
        return done({ reason: "ErrImagePull", message });
      }
      this.runtime.markPulled(c.image);
      io.event("Normal", "Pulled", `Successfully pulled image "${c.image}" in ${goDuration(took)} (${goDuration(end - now)} including waiting)`);
      done({ image: known });
    });
  }

  /** Backoff.IsInBackOffSinceUpdate: an entry not expired (2 × max idle) whose window is open. */
  private inBackOff(key: string, now: number): boolean {
    const e = this.backoff.get(key);
    if (!e || now - e.lastUpdate > 2 * BACKOFF_MAX_MS) return false;
    return now - e.lastUpdate < e.backoff;
  }

  /** Backoff.Next: the first failure (or one after a long quiet) opens 10 s, each next doubles it up to 300 s. */
  private next(key: string, now: number): void {
    const e = this.backoff.get(key);
    if (!e || now - e.lastUpdate > 2 * BACKOFF_MAX_MS) this.backoff.set(key, { backoff: BACKOFF_INITIAL_MS, lastUpdate: now });
    else this.backoff.set(key, { backoff: Math.min(e.backoff * 2, BACKOFF_MAX_MS), lastUpdate: now });
  }
}
