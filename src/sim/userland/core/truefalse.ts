/** /bin/true and /bin/false: exit 0 and 1, ignoring arguments. */
import type { ProgramSpec } from "../types.js";

export const trueProgram: ProgramSpec = { name: "true", summary: "exit with status 0", run: () => 0 };
export const falseProgram: ProgramSpec = { name: "false", summary: "exit with status 1", run: () => 1 };
