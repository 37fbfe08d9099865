/**
 * Grading keys: when two submissions must get the same result, so that the pool grades one.
 *
 * Grading is a deterministic function of (lesson, commands run, limits): the world is built
 * from the lesson's seed, time is virtual, every random choice comes from the seeded Rng. Two
 * keys, from strict to broad:
 *
 * - the **text key**: each exercise's commands, as text. Equal text, equal result, byte for byte
 *   (only the student/file labels differ), whatever the result says.
 * - the **shared key**: each command replaced by what it does (src/sim/keys.ts): its argv when
 *   the shell runs it as one simple command of literal words (`docker  run 'nginx'` is
 *   `docker run nginx`; a trailing comment changes nothing; a line continuation does, as the
 *   shell's messages number lines of a multi-line script), and for
 *   `docker run`/`create` and `iptables` the request the tool's own parsing makes of it (flag
 *   order, `--name=web` or `--name web`, `! -o docker0 -s NET` or `--source NET ! -o docker0`).
 *   Commands it cannot see through (expansions, pipes, loops, here-documents) keep their text.
 *   Equal shared keys run the same programs with the same inputs, so every check sees the same
 *   world. What a result says of the text is handled by the pool (pool.ts): an exercise's limit
 *   message quotes the command, so it is requoted for each submission (result.ts requoteLimit);
 *   a grader error, a wall-time limit, or a keyed program shadowed by a shell function of its
 *   name make a result hold for its own text only (task.ts TaskResult, grade.ts).
 *
 * test/grade/equivalence.test.ts grades varied submissions both ways and compares full results.
 */
import type { Lesson } from "../lesson/types.js";
import { commandKey } from "../sim/keys.js";
import { answerCommands, type Answers } from "./answers.js";

/** Each exercise's commands in lesson order, mapped by `f` (answers to unknown ids are never run, so left out). */
function keyOf(lesson: Lesson, answers: Answers, f: (command: string) => unknown): string {
  const parts: [string, unknown[]][] = [];
  for (const b of lesson.blocks) {
    if (b.grade?.role !== "exercise" || b.id === undefined) continue;
    parts.push([b.id, answerCommands(answers.get(b.id) ?? "").map(f)]);
  }
  return JSON.stringify(parts);
}

/** The text key of `answers` for `lesson`: the exact commands the grader will run. */
export function gradingKey(lesson: Lesson, answers: Answers): string {
  return keyOf(lesson, answers, (c) => c);
}

/** The shared key of `answers` for `lesson`: what each command does, where the simulator can tell (src/sim/keys.ts); its text where not. */
export function sharedKey(lesson: Lesson, answers: Answers): string {
  return keyOf(lesson, answers, (c) => {
    const k = commandKey(c);
    return k ? { does: k.key } : c;
  });
}
