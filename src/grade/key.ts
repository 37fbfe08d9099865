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
 *   `docker run nginx`; a trailing comment or a line continuation changes nothing), and for
 *   `docker run`/`create` the request the client sends (flag order, `--name=web` or `--name web`,
 *   `-dp1234:80` or `--detach --publish 1234:80`). Commands it cannot see through (expansions,
 *   pipes, loops, here-documents) keep their text. Equal shared keys run the same programs with
 *   the same inputs, so every check sees the same world; two limits remain, which the pool
 *   honours (pool.ts): a `limit` or `error` verdict's message quotes the command text, so only
 *   `graded` results are shared across spellings; and a docker request key assumes `docker` runs
 *   the program, which a shell function of that name would break, so the grader reports the
 *   result as not shareable when one exists (grade.ts).
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
