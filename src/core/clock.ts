/**
 * Virtual time for the simulator: nothing inside `sim/` reads the real clock.
 * `advance` runs every scheduled task that falls due, in time order, so
 * `sleep 3600` finishes at once while timers (ARP ageing, pod start-up) fire.
 */
export interface Clock {
  /** Milliseconds since the world's epoch. */
  now(): number;
  /** Moves time forward by `ms`, running due tasks in order. */
  advance(ms: number): void;
  /** Runs `task` when virtual time reaches `at`; returns a handle for `cancel`. */
  schedule(at: number, task: () => void): number;
  /** Cancels a scheduled task; unknown handles are ignored. */
  cancel(handle: number): void;
  /** When the earliest scheduled task falls due, if any (lets a waiter step time event by event). */
  nextDue?(): number | undefined;
  /** Wall-clock epoch (ms since 1970) that virtual time 0 stands for; used to print dates. */
  readonly epochMs: number;
}

interface Task {
  at: number;
  seq: number;
  handle: number;
  run: () => void;
}

/** Creates a virtual clock starting at 0, standing for `epochMs` in calendar time. */
export function createVirtualClock(epochMs = Date.UTC(2026, 0, 1)): Clock {
  let now = 0;
  let seq = 0;
  const tasks: Task[] = [];
  const clock: Clock = {
    epochMs,
    now: () => now,
    advance(ms: number) {
      const end = now + Math.max(0, ms);
      for (;;) {
        tasks.sort((a, b) => a.at - b.at || a.seq - b.seq);
        const next = tasks[0];
        if (!next || next.at > end) break;
        tasks.shift();
        now = Math.max(now, next.at);
        next.run();
      }
      // A task may itself have advanced the clock past `end` (a socket handler waiting on its
      // own connection, kernel re-entrant sockets): time never goes back.
      now = Math.max(now, end);
    },
    schedule(at: number, run: () => void) {
      const handle = ++seq;
      tasks.push({ at, seq: handle, handle, run });
      return handle;
    },
    nextDue() {
      let at: number | undefined;
      for (const t of tasks) if (at === undefined || t.at < at) at = t.at;
      return at;
    },
    cancel(handle: number) {
      const i = tasks.findIndex((t) => t.handle === handle);
      if (i >= 0) tasks.splice(i, 1);
    },
  };
  return clock;
}

const TURN: Promise<void> = Promise.resolve();

/**
 * A wait that moves virtual time itself: steps `clock` event by event, letting `settle` run what
 * each event woke (background processes) before `test` looks again, until `test` answers or
 * `end` (clock ms) comes; undefined then. With nothing due, what `test` waits for may still be a
 * few promise turns away (the end of a job that settle saw finish): those run before the jump to
 * `end`, and with no end the wait gives up.
 */
export async function stepClock<T>(clock: Clock, settle: (() => Promise<void>) | undefined, end: number, test: () => T | undefined): Promise<T | undefined> {
  for (let steps = 0; steps < 1_000_000; steps++) {
    await settle?.();
    const v = test();
    if (v !== undefined) return v;
    if (clock.now() >= end) return undefined;
    const next = clock.nextDue?.();
    if (next === undefined) {
      for (let i = 0; i < 16; i++) await TURN;
      const late = test();
      if (late !== undefined) return late;
      if (end === Infinity) return undefined;
    }
    const to = next === undefined || next > end ? end : Math.max(next, clock.now());
    clock.advance(to - clock.now());
  }
  return undefined;
}
