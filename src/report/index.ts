/** Reporters by name. */
import { createJsonReporter } from "./json.js";
import { createJUnitReporter } from "./junit.js";
import { createPrettyReporter } from "./pretty.js";
import type { Reporter, ReporterIO } from "./types.js";

export type { Reporter, ReporterIO } from "./types.js";

/** Reporter factories by the name `--reporter` takes. */
export const REPORTERS: Readonly<Record<string, (io: ReporterIO) => Reporter>> = {
  pretty: createPrettyReporter,
  json: createJsonReporter,
  junit: createJUnitReporter,
};
