/**
 * The simulated Linux network stack: `createKernelWorld` builds hosts and underlay segments;
 * each host implements HostKernelApi (api.ts). The netfilter engine (netfilter/) is the default.
 */
import { createNetfilter } from "./netfilter/index.js";
import { createKernelWorld as create, type KernelWorld, type KernelWorldOptions } from "./world.js";

export type { KernelWorld, KernelWorldOptions } from "./world.js";
export * from "./api.js";

/** Creates a world whose namespaces use the real netfilter engine unless another is given. */
export function createKernelWorld(opts: KernelWorldOptions): KernelWorld {
  return create({ ...opts, netfilter: opts.netfilter ?? createNetfilter });
}
