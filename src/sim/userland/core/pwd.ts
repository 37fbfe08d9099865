/** /bin/pwd (coreutils): prints the working directory. */
import type { ProgramSpec } from "../types.js";

export const pwd: ProgramSpec = {
  name: "pwd",
  summary: "print the working directory",
  run: (p) => {
    p.out(p.cwd + "\n");
    return 0;
  },
};
