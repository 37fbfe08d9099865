/**
 * The bare world: one Debian-like machine named `host` with `lo` and `eth0` (192.168.56.10/24,
 * the VirtualBox host-only network lab VMs commonly use) on an underlay segment with nothing
 * else on it, no default route. Lessons build namespaces, veths and bridges on it by hand.
 */
import type { WorldBuilder } from "./types.js";

/** The underlay address of `host` in the bare world. */
export const BARE_HOST_ADDRESS = "192.168.56.10/24";

export const bareWorld: WorldBuilder = {
  kind: "bare",
  build(env) {
    env.addMachine({ name: "host", address: BARE_HOST_ADDRESS });
  },
};
