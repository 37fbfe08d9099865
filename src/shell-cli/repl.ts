/**
 * The interactive loop of `lab shell`: node:readline (history, line editing) over a simulated
 * world's sessions. The prompt names the context (`host$ `, `pod/web$ `); `lab-on NAME`
 * switches context, `exit` or Ctrl-D ends.
 */
import { createInterface } from "node:readline";
import type { SimWorld } from "../sim/api.js";

export interface ReplIo {
  input: NodeJS.ReadableStream;
  output: NodeJS.WritableStream;
  terminal: boolean;
}

const HELP = "lab-on NAME   switch to another context (lab-on alone lists them)\nexit          leave the shell (or Ctrl-D)\n";

/** Runs the loop until `exit` or end of input; resolves to the last command's exit status. */
export function repl(world: SimWorld, start: string, io: ReplIo): Promise<number> {
  let context = start;
  let last = 0;
  let exited = false;
  const rl = createInterface({ input: io.input, output: io.output, terminal: io.terminal, historySize: 1000, prompt: `${context}$ ` });
  const write = (t: string): void => void io.output.write(t);
  const switchTo = (name: string): void => {
    const known = world.contexts();
    if (name && known.includes(name)) {
      context = name;
      rl.setPrompt(`${context}$ `);
      return;
    }
    if (name) write(`lab-on: no context "${name}"\n`);
    write(`contexts: ${known.join(" ")}\n`);
  };
  return new Promise((resolve) => {
    let busy = Promise.resolve();
    rl.on("line", (line) => {
      busy = busy.then(async () => {
        const cmd = line.trim();
        if (cmd === "exit" || cmd.startsWith("exit ")) {
          const code = cmd === "exit" ? last : Number(cmd.slice(5).trim());
          last = Number.isInteger(code) ? code & 255 : 2;
          exited = true;
          rl.close();
          return;
        }
        if (cmd === "lab-on" || cmd.startsWith("lab-on ")) switchTo(cmd.slice(6).trim());
        else if (cmd === "lab-help") write(HELP);
        else if (cmd !== "") {
          rl.pause();
          try {
            const r = await world.session(context).exec(line);
            last = r.exitCode;
            write(r.output);
            if (r.exited) {
              // `cmd; exit 3` ends the shell as bash would; the session's state is gone with it.
              exited = true;
              rl.close();
              return;
            }
          } catch (e) {
            // The context went away (a container stopped): say so and stay.
            write(`lab shell: ${(e as Error).message}\n`);
            last = 1;
          }
          rl.resume();
        }
        rl.prompt();
      });
    });
    rl.on("close", () => void busy.then(() => {
      // Ctrl-D leaves the cursor after the prompt: end that line, as bash does.
      if (!exited) write("\n");
      resolve(last);
    }));
    rl.prompt();
  });
}
