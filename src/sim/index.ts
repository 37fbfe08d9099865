/**
 * The simulator's one public entry: build a world, open a context's session, run command
 * lines in it. See api.ts for the types and worlds/ for how worlds are assembled.
 */
import type { SimWorld, WorldOptions } from "./api.js";
import { assembleWorld } from "./worlds/assemble.js";

export * from "./api.js";

/** Builds a simulated world of the given kind (bare, docker, kubernetes), deterministic for a seed. */
export function createWorld(opts: WorldOptions): SimWorld {
  return assembleWorld(opts);
}
