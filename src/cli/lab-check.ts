/**
 * The `lab-check` executable (bin/lab-check): host lab-check's process glue. The host target
 * puts bin/ on the PATH of its host shell, so a lesson's check blocks find it.
 */
import { runLabCheck } from "../target/host/labcheck/index.js";

/** Runs `lab-check` with `argv` (without node and script); resolves to the exit status. */
export function labCheckMain(argv: readonly string[]): Promise<number> {
  return runLabCheck(argv, { out: (t) => void process.stdout.write(t), err: (t) => void process.stderr.write(t) });
}
