/**
 * Redirections, applied left to right to a copy of the fd table, so `>f 2>&1` sends both to f
 * and `2>&1 >f` only stdout. `/dev/null`, `/dev/stdout`, `/dev/stderr` are handled here; files
 * are opened on the VFS (created, truncated or appended) before the command runs.
 */
import type { RedirectionNode, HereDocNode } from "./ast.js";
import { expandString, ExpansionError } from "./expand.js";
import { cloneFds, FileSink, Input, NULL_SINK, type Fds, type Sink } from "./io.js";
import { resolvePath, VfsView } from "./vfs.js";
import { errnoOf, strerror } from "../userland/lib/errno.js";
import type { Interpreter } from "./interpreter.js";

/** Applies redirections; returns the new fd table, or an exit status after printing the error. */
export async function applyRedirections(sh: Interpreter, redirs: RedirectionNode[], base: Fds): Promise<Fds | number> {
  if (redirs.length === 0) return base;
  const fds = cloneFds(base);
  for (const r of redirs) {
    try {
      const err = await applyOne(sh, r, fds);
      if (err !== undefined) return err;
    } catch (e) {
      if (e instanceof ExpansionError) {
        sh.error(e.message + "\n");
        return 1;
      }
      throw e;
    }
  }
  return fds;
}

async function applyOne(sh: Interpreter, r: RedirectionNode, fds: Fds): Promise<number | undefined> {
  const op = r.operator;
  if (r.target.type === "HereDoc") {
    fds.stdin = new Input(await hereDoc(sh, r.target));
    return undefined;
  }
  const target = await expandString(sh, r.target);
  switch (op) {
    case "<<<":
      fds.stdin = new Input(target + "\n");
      return undefined;
    case "<":
    case "<>": {
      const fd = r.fd ?? 0;
      if (fd !== 0) return undefined;
      if (target === "/dev/null") {
        fds.stdin = new Input("");
        return undefined;
      }
      const path = resolvePath(sh.state.cwd, target);
      let content: string | undefined;
      try {
        content = sh.fs.isDir(path) ? "" : sh.fs.readFile(path);
      } catch (e) {
        return openError(sh, target, errnoOf(e) ?? "EIO", "open");
      }
      if (content === undefined) return openError(sh, target, "ENOENT", "open");
      fds.stdin = new Input(content);
      return undefined;
    }
    case "<&":
      return undefined;
    case ">&":
      if (/^\d+$/.test(target) || target === "-") {
        const fd = r.fd ?? 1;
        if (target === "-") {
          fds.out.set(fd, NULL_SINK);
          return undefined;
        }
        const sink = fds.out.get(Number(target));
        if (!sink) {
          sh.error(`${target}: Bad file descriptor\n`);
          return 1;
        }
        fds.out.set(fd, sink);
        return undefined;
      }
      if (r.fd !== null && r.fd !== 1) {
        sh.error(`${target}: ambiguous redirect\n`);
        return 1;
      }
      return openOut(sh, fds, target, [1, 2], false);
    case "&>":
      return openOut(sh, fds, target, [1, 2], false);
    case "&>>":
      return openOut(sh, fds, target, [1, 2], true);
    case ">":
    case ">|":
      return openOut(sh, fds, target, [r.fd ?? 1], false);
    case ">>":
      return openOut(sh, fds, target, [r.fd ?? 1], true);
  }
  return undefined;
}

function openOut(sh: Interpreter, fds: Fds, target: string, which: number[], append: boolean): number | undefined {
  let sink: Sink;
  if (target === "") {
    sh.error(`: No such file or directory\n`);
    return 1;
  }
  if (target === "/dev/null") sink = NULL_SINK;
  else if (target === "/dev/stdout") sink = fds.out.get(1) ?? NULL_SINK;
  else if (target === "/dev/stderr") sink = fds.out.get(2) ?? NULL_SINK;
  else {
    const path = resolvePath(sh.state.cwd, target);
    try {
      if (sh.fs instanceof VfsView) sh.fs.open(path, append);
      else sh.fs.writeFile(path, "", { append });
    } catch (e) {
      return openError(sh, target, errnoOf(e) ?? "EIO", "create");
    }
    sink = new FileSink(sh.fs, path);
  }
  for (const fd of which) fds.out.set(fd, sink);
  return undefined;
}

function openError(sh: Interpreter, target: string, errno: string, mode: "open" | "create"): number {
  if (sh.rt.flavor === "ash") {
    // busybox ash: `sh: can't create /nope/x: nonexistent directory`, `sh: can't open /x: no such file`.
    const why = errno === "ENOENT" ? (mode === "create" ? "nonexistent directory" : "no such file") : strerror(errno);
    sh.error(`can't ${mode} ${target}: ${why}\n`);
    return mode === "create" ? 2 : 1;
  }
  sh.error(`${target}: ${strerror(errno)}\n`);
  return 1;
}

async function hereDoc(sh: Interpreter, doc: HereDocNode): Promise<string> {
  let text: string;
  if (doc.quoted) {
    text = doc.content.parts.map((p) => ("value" in p && typeof p.value === "string" ? p.value : "")).join("");
  } else {
    text = await expandString(sh, doc.content);
  }
  if (doc.stripTabs) text = text.replace(/^\t+/gm, "");
  return text;
}
