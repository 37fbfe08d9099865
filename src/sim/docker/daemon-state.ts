/**
 * What the simulated dockerd holds and how it looks things up: the world's services it runs on
 * (DockerdDeps), its tables of networks, containers, images and allocated host ports, the random
 * ids and MACs it hands out, and the name/id/prefix lookups every API call starts with. The
 * container lifecycle (daemon.ts), a container's plumbing (container-net.ts) and network CRUD
 * (networks.ts) all work on one DaemonState.
 */
import type { Clock } from "../../core/clock.js";
import type { Rng } from "../../core/random.js";
import type { HostKernelApi, NetnsApi } from "../kernel/api.js";
import type { SimFs, WorldServices } from "../userland/types.js";
import { DockerError } from "./types.js";
import { defaultImages, normalizeRef, type Image } from "./images.js";
import { Iptables } from "./iptables.js";
import type { Container, Network } from "./state.js";

/** What the daemon needs from the world it runs in. */
export interface DockerdDeps {
  host: HostKernelApi;
  clock: Clock;
  rng: Rng;
  spawn: WorldServices["spawn"];
  /** Builds a container's root file system from image files, its /sys and /proc seen from `netns`. */
  makeFs(files: Record<string, string>, dirs: string[], netns: NetnsApi): SimFs;
  /** The host's /etc/resolv.conf, copied into containers on the default bridge. */
  hostResolvConf?: string;
  /** Told when a container starts running (the world makes its name a context). */
  onStarted?(name: string): void;
  /** Lets the world's background processes run to their next wait (WorldServices.settle). */
  settle?(): Promise<void>;
}

/** Character codes of the hex digits, and a scratch array hex() fills (it never re-enters). */
const HEX_DIGITS = Array.from("0123456789abcdef", (c) => c.charCodeAt(0));
const HEX_SCRATCH = new Array<number>(64).fill(0);
/** The range host ports are picked from for a binding that names none (`-p 80`, `-P`). */
export const EPHEMERAL_START = 32768;
export const EPHEMERAL_END = 60999;

/** The daemon's tables and lookups, shared by its lifecycle, plumbing and network code. */
export class DaemonState {
  readonly init: NetnsApi;
  readonly ipt: Iptables;
  readonly images: Image[];
  readonly networks: Network[] = [];
  readonly containers: Container[] = [];
  /** Host ports in use per proto (portallocator): "tcp/0.0.0.0/1234". */
  readonly allocated = new Set<string>();
  lastEphemeral = EPHEMERAL_START - 1;
  /** Index in defaultPools() of the last pool given to a network (docker0 has the first). */
  lastPool = 0;

  constructor(readonly d: DockerdDeps) {
    this.init = d.host.init;
    this.ipt = new Iptables(this.init);
    this.images = defaultImages((n) => this.hex(n));
  }

  /** `n` hex digits from the Rng, eight per uint32 (the digits of toString(16) padded to 8), built as one string. */
  hex(n: number): string {
    const codes = n <= HEX_SCRATCH.length ? HEX_SCRATCH : new Array<number>(n);
    for (let i = 0; i < n; i += 8) {
      let x = this.d.rng.uint32();
      for (let j = 7; j >= 0; j--) {
        if (i + j < n) codes[i + j] = HEX_DIGITS[x & 15]!;
        x >>>= 4;
      }
    }
    return String.fromCharCode.apply(null, codes.length === n ? codes : codes.slice(0, n));
  }

  /** A locally administered 02:42 MAC with four random bytes, as dockerd gives its bridges. */
  randomMac(): string {
    const b = [0x02, 0x42, ...Array.from({ length: 4 }, () => this.d.rng.int(256))];
    return b.map((x) => x.toString(16).padStart(2, "0")).join(":");
  }

  /** A network by name, full id, or unique id prefix. */
  findNetwork(ref: string): Network | undefined {
    return this.networks.find((n) => n.name === ref) ?? this.networks.find((n) => n.id === ref)
      ?? uniquePrefix(this.networks, ref);
  }

  /** A container that is not removed, by id, name (with or without its leading `/`) or unique id prefix. */
  find(ref: string): Container | undefined {
    const live = this.containers.filter((c) => !c.removed);
    const r = ref.startsWith("/") ? ref.slice(1) : ref;
    return live.find((c) => c.id === r) ?? live.find((c) => c.name === r) ?? uniquePrefix(live, r);
  }

  /** find(), or the daemon's "No such container" refusal. */
  get(ref: string): Container {
    const c = this.find(ref);
    if (!c) throw new DockerError("notFound", `No such container: ${ref}`, undefined, "container");
    return c;
  }

  /** An image by normalized repo:tag, or by id (`sha256:` optional; a prefix of at least 4 characters). */
  findImage(ref: string): Image | undefined {
    const full = normalizeRef(ref);
    return this.images.find((i) => i.repoTags.includes(full)) ?? this.images.find((i) => i.id === ref || i.id.startsWith(ref.replace(/^sha256:/, "")) && ref.length >= 4);
  }
}

function uniquePrefix<T extends { id: string }>(list: T[], ref: string): T | undefined {
  if (ref.length === 0) return undefined;
  const hits = list.filter((x) => x.id.startsWith(ref));
  return hits.length === 1 ? hits[0] : undefined;
}
