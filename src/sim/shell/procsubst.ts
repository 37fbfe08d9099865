/**
 * Process substitution, as bash does it on Linux: `<(cmd)` and `>(cmd)` expand to a path under
 * /dev/fd (63 for the first of a command, then 62, …) that the command opens like a file.
 *
 *   diff <(ip route) <(ip netns exec red ip route)
 *     cmd runs first, its output becomes /dev/fd/63 ── diff reads it ── the file goes
 *   tee >(wc -l) < file
 *     tee writes /dev/fd/63 ── when tee ends, wc -l reads what was written ── the file goes
 *
 * bash runs the substituted command concurrently through a pipe; here the reader of `<(…)` gets
 * the whole output at once, and `>(…)` runs after the command, which no program can tell apart
 * unless it waits on the other side (nothing in a lesson does).
 */
import type { ScriptNode } from "./ast.js";
import { BufferSink, cloneFds, Input } from "./io.js";
import type { Interpreter } from "./interpreter.js";

interface Substitution {
  path: string;
  /** `>(…)`: the command that reads what was written, once the command using the path ends. */
  reader?: ScriptNode;
}

const open = new WeakMap<Interpreter, Substitution[]>();

function listOf(sh: Interpreter): Substitution[] {
  let list = open.get(sh);
  if (!list) open.set(sh, (list = []));
  return list;
}

/** Where the substitutions of the next command start (pass it to endProcSubsts). */
export function procSubstMark(sh: Interpreter): number {
  return open.get(sh)?.length ?? 0;
}

/** Expands `<(body)` or `>(body)` to its /dev/fd path. */
export async function procSubst(sh: Interpreter, body: ScriptNode, direction: "input" | "output"): Promise<string> {
  const list = listOf(sh);
  const path = `/dev/fd/${63 - list.length}`;
  if (!sh.fs.isDir("/dev/fd")) sh.fs.mkdir("/dev/fd");
  if (direction === "input") {
    const buf = new BufferSink();
    const fds = cloneFds(sh.fds);
    fds.out.set(1, buf);
    await sh.runInSubshell(sh.subshell(fds), body.statements);
    sh.fs.writeFile(path, buf.text());
    list.push({ path });
  } else {
    sh.fs.writeFile(path, "");
    list.push({ path, reader: body });
  }
  return path;
}

/** Ends the substitutions made since `mark`: `>(…)` readers get what was written; the paths go. */
export async function endProcSubsts(sh: Interpreter, mark: number): Promise<void> {
  const list = open.get(sh);
  if (!list || list.length <= mark) return;
  for (const s of list.splice(mark)) {
    if (s.reader) {
      const fds = cloneFds(sh.fds);
      fds.stdin = new Input(sh.fs.readFile(s.path) ?? "");
      await sh.runInSubshell(sh.subshell(fds), s.reader.statements);
    }
    sh.fs.remove(s.path);
  }
}
