/**
 * Builtins that read the command's stdin or write its stdout: read (IFS splitting, `-r`) and
 * echo (a failed write prints bash's `echo: write error: ...`, status 1).
 */
import { setScalar } from "./arrays.js";
import { out, type Builtin } from "./builtins-base.js";
import { echoText } from "../userland/lib/echo.js";
import { errnoOf, strerror } from "../userland/lib/errno.js";

/** read [-r] [-p PROMPT] [NAME...]: one line of stdin split by IFS into the names (REPLY if none). */
export const read: Builtin = (sh, argv) => {
  let raw = false;
  const names: string[] = [];
  const args = argv.slice(1);
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === "-r") raw = true;
    else if (a === "-p" || a === "-t" || a === "-u" || a === "-d" || a === "-n") {
      if (a === "-p") sh.fds.out.get(2)?.write(args[i + 1] ?? "");
      i++;
    } else if (/^-[rs]+$/.test(a)) raw = raw || a.includes("r");
    else names.push(a);
  }
  let got = sh.fds.stdin.takeLine();
  if (!got) {
    for (const n of names.length ? names : ["REPLY"]) setScalar(sh.state, n, "");
    return 1;
  }
  let line = got.line;
  if (!raw) {
    while (line.endsWith("\\") && got?.sawNewline) {
      line = line.slice(0, -1);
      got = sh.fds.stdin.takeLine();
      if (!got) break;
      line += got.line;
    }
    line = line.replace(/\\(.)/g, "$1");
  }
  if (names.length === 0) {
    setScalar(sh.state, "REPLY", line);
    return got?.sawNewline === false ? 1 : 0;
  }
  const ifs = sh.state.vars.get("IFS") ?? " \t\n";
  const ws = /^[ \t\n]*$/.test(ifs);
  let rest = ws ? line.replace(/^[ \t\n]+/, "") : line;
  for (let i = 0; i < names.length; i++) {
    if (i === names.length - 1) {
      setScalar(sh.state, names[i]!, ws ? rest.replace(/[ \t\n]+$/, "") : rest);
      break;
    }
    const m = new RegExp(`[${ifs.replace(/[\]\\^-]/g, "\\$&")}]+`).exec(rest);
    if (!m) {
      setScalar(sh.state, names[i]!, rest);
      rest = "";
      continue;
    }
    setScalar(sh.state, names[i]!, rest.slice(0, m.index));
    rest = rest.slice(m.index + m[0].length);
  }
  return got?.sawNewline === false ? 1 : 0;
};

/** echo ARGS: bash's echo (options as userland/lib/echo.ts reads them), on fd 1. */
export const echo: Builtin = (sh, argv) => {
  try {
    out(sh, echoText(argv.slice(1)));
  } catch (e) {
    const errno = errnoOf(e);
    if (!errno) throw e;
    sh.error(`echo: write error: ${strerror(errno)}\n`);
    return 1;
  }
  return 0;
};
