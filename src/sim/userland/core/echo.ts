/** /bin/echo (coreutils): prints its arguments. */
import type { ProgramSpec } from "../types.js";
import { echoText } from "../lib/echo.js";

export const echo: ProgramSpec = {
  name: "echo",
  summary: "print arguments",
  run: (p) => {
    p.out(echoText(p.argv.slice(1)));
    return 0;
  },
};
