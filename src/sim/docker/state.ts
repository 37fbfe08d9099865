/**
 * The daemon's records: networks, endpoints and containers, as dockerd keeps them. Pure data;
 * daemon.ts, container-net.ts and networks.ts mutate them, inspect.ts renders them as the
 * Engine API's JSON.
 */
import type { ListenHandle, NetnsApi } from "../kernel/api.js";
import type { ProcContext, SimFs } from "../userland/types.js";
import type { CreateRequest, PortMapping } from "./types.js";
import type { Image } from "./images.js";
import type { Pool } from "./ipam.js";

export interface Network {
  id: string;
  name: string;
  driver: "bridge" | "host" | "null";
  /** Linux bridge device (`docker0`, `br-<id[:12]>`). */
  bridge?: string;
  subnet?: string;
  gateway?: string;
  pool?: Pool;
  createdMs: number;
  /** The default `bridge` network (no embedded DNS, no name resolution). */
  isDefault: boolean;
  options: Record<string, string>;
  /** Whether the IPAM config carries the gateway (user networks) or only the subnet (docker0). */
  ipamGateway: boolean;
}

export interface Endpoint {
  id: string;
  networkId: string;
  ip: string;
  mac: string;
  hostVeth: string;
  ifname: string;
}

export type ContainerState = "created" | "running" | "exited";

export interface Container {
  id: string;
  name: string;
  createdMs: number;
  image: Image;
  /** The reference as the user gave it (`nginx`, `busybox:latest`): `docker ps` prints it. */
  imageRef: string;
  path: string;
  args: string[];
  req: CreateRequest;
  hostname: string;
  /** Environment of the main process (image ENV, then `-e`). */
  env: string[];
  state: ContainerState;
  exitCode: number;
  startedMs?: number;
  finishedMs?: number;
  pid: number;
  restartCount: number;
  /** Its own namespace (bridge / none modes), released when it stops. */
  netns?: NetnsApi;
  /** Networks it is attached to (by network id), in connection order; endpoints exist while running. */
  networks: string[];
  endpoints: Map<string, Endpoint>;
  ports: PortMapping[];
  /** docker-proxy sockets, DNS sockets, and sockets opened by its processes: closed when it stops. */
  handles: ListenHandle[];
  /** The embedded DNS server's UDP and TCP sockets while it runs (also in `handles`). */
  resolver?: ListenHandle[];
  fs: SimFs;
  log: string;
  /** Bumped at every start/stop, so a late exit of an old process is ignored. */
  generation: number;
  waiters: Array<(code: number) => void>;
  ctx?: ProcContext;
  sandboxId: string;
  /** Set by `docker rm`: the record is gone. */
  removed: boolean;
}
