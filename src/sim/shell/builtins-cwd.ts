/**
 * Builtins for the working directory: cd (with `-` and HOME, PWD/OLDPWD kept, ash's words in a
 * busybox context) and pwd.
 */
import { resolvePath } from "./vfs.js";
import { out, type Builtin } from "./builtins-base.js";

/** cd [-L|-P] [DIR|-]: changes the shell's working directory. */
export const cd: Builtin = (sh, argv) => {
  const args = argv.slice(1).filter((a, i) => !(i === 0 && (a === "-L" || a === "-P")));
  if (args.length > 1) {
    sh.error("cd: too many arguments\n");
    return 1;
  }
  let target: string | undefined = args[0];
  let print = false;
  if (target === undefined) {
    target = sh.state.vars.get("HOME");
    if (target === undefined) {
      sh.error("cd: HOME not set\n");
      return 1;
    }
  } else if (target === "-") {
    target = sh.state.vars.get("OLDPWD");
    if (target === undefined) {
      sh.error("cd: OLDPWD not set\n");
      return 1;
    }
    print = true;
  }
  const path = resolvePath(sh.state.cwd, target as string);
  if (!sh.fs.exists(path)) {
    sh.error(sh.rt.flavor === "ash" ? `cd: line ${Math.max(1, sh.line)}: can't cd to ${target}: No such file or directory\n` : `cd: ${target}: No such file or directory\n`);
    return sh.rt.flavor === "ash" ? 2 : 1;
  }
  if (!sh.fs.isDir(path)) {
    sh.error(sh.rt.flavor === "ash" ? `cd: line ${Math.max(1, sh.line)}: can't cd to ${target}: Not a directory\n` : `cd: ${target}: Not a directory\n`);
    return sh.rt.flavor === "ash" ? 2 : 1;
  }
  sh.state.vars.set("OLDPWD", sh.state.cwd);
  sh.state.exported.add("OLDPWD");
  sh.state.cwd = path;
  sh.state.vars.set("PWD", path);
  if (print) out(sh, path + "\n");
  return 0;
};

/** pwd: prints the working directory. */
export const pwd: Builtin = (sh) => {
  out(sh, sh.state.cwd + "\n");
  return 0;
};
