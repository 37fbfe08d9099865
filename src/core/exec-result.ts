/**
 * The one result shape of running a command anywhere (simulator or real host).
 * A failed command is data, not an exception (as execa's `reject: false`).
 */
export interface ExecResult {
  /** Exit status as a shell reports it: 0..255; 124 after a timeout, 127 for an unknown command. */
  exitCode: number;
  /** stdout and stderr interleaved as a terminal shows them. */
  output: string;
  /** Wall (host) or virtual (sim) milliseconds the command took. */
  durationMs: number;
  /** The command was ended by its timeout. */
  timedOut?: boolean;
  /** The output was cut at the output cap. */
  truncated?: boolean;
  /** The shell itself ended (`exit` ran at its top level), as an interactive shell would close. */
  exited?: boolean;
}
