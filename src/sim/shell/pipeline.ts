/**
 * Pipelines: the stages run one after another, each in a subshell copy of the state, the output
 * of one buffered as the input of the next; stderr of every stage goes straight to its fd 2
 * (the ordered terminal) unless `|&` joins it to the pipe.
 */
import type { CommandNode, PipelineNode } from "./ast.js";
import { BufferSink, cloneFds, Input } from "./io.js";
import type { Interpreter } from "./interpreter.js";
import { ExitSignal, LoopSignal, ReturnSignal } from "./signals.js";

/** Runs a pipeline in `sh`: the last stage's status (pipefail: the last failing one), `!` applied, also left in `$?`. */
export async function runPipeline(sh: Interpreter, p: PipelineNode): Promise<number> {
  let status: number;
  if (p.commands.length === 1) {
    status = await sh.runCommand(p.commands[0]!);
  } else {
    let input = sh.fds.stdin;
    const statuses: number[] = [];
    for (let i = 0; i < p.commands.length; i++) {
      const lastStage = i === p.commands.length - 1;
      const fds = cloneFds(sh.fds);
      fds.stdin = input;
      const buf = new BufferSink();
      if (!lastStage) {
        fds.out.set(1, buf);
        if (p.pipeStderr?.[i]) fds.out.set(2, buf);
      }
      const sub = sh.subshell(fds);
      statuses.push(await runStage(sub, p.commands[i]!));
      input = new Input(buf.text());
    }
    status = statuses[statuses.length - 1]!;
    if (sh.state.options.pipefail) status = [...statuses].reverse().find((s) => s !== 0) ?? 0;
  }
  if (p.negated) status = status === 0 ? 1 : 0;
  sh.state.lastStatus = status;
  return status;
}

/**
 * One pipeline stage in its subshell, turning `exit` into its status: what running it as a
 * statement of its own would give (the stage's status is the subshell's, `set -e` or not).
 */
async function runStage(sub: Interpreter, cmd: CommandNode): Promise<number> {
  try {
    return await sub.runCommand(cmd);
  } catch (e) {
    if (e instanceof ExitSignal || e instanceof ReturnSignal) return e.status;
    if (e instanceof LoopSignal) return 0;
    throw e;
  }
}
