/**
 * Background jobs in virtual time. A background process (a container's main process, `cmd &`)
 * runs on promises; nothing else in the world may observe it half-way through a step that
 * takes no virtual time. So the world counts background jobs that are runnable, a job is not
 * runnable while it waits on the clock or forever (`blockOn`), and `settle()` lets every
 * runnable job reach its next wait before a foreground command looks at the world.
 *
 *   docker run -d … sh -c 'mkdir … && httpd -f'   ──spawn(background)──► running = 1
 *        mkdir, echo > file, httpd listens, blocks     ──blockOn(forever)──► running = 0
 *   next exec: settle() returns at once; wget finds the listener, every time.
 */

/** One microtask turn for `await`, without a new promise per turn. */
const TURN: Promise<void> = Promise.resolve();

/** One turn of the host's event loop: every pending microtask runs before it ends. */
function loopTurn(): Promise<void> {
  return new Promise<void>((resolve) => setImmediate(resolve));
}

/** Tracks runnable background jobs of one world. */
export class BackgroundJobs {
  private runnable = 0;
  /** Waits in blockOn now: each may be woken (its promise resolved) at any time. */
  private blocked = 0;

  /** Runs `job` as a background job: it counts as runnable until it ends or blocks. */
  run<T>(job: () => Promise<T>): Promise<T> {
    this.runnable++;
    const done = (): void => {
      this.runnable--;
    };
    let p: Promise<T>;
    try {
      p = job();
    } catch (e) {
      done();
      throw e;
    }
    return p.then(
      (v) => (done(), v),
      (e) => {
        done();
        throw e;
      },
    );
  }

  /** Waits on `p` (the clock, or forever) without counting as runnable meanwhile. */
  async blockOn<T>(p: Promise<T>): Promise<T> {
    this.runnable--;
    this.blocked++;
    try {
      return await p;
    } finally {
      this.blocked--;
      this.runnable++;
    }
  }

  /**
   * Lets runnable jobs proceed until each waits or ends. Delegated text utilities (just-bash)
   * yield to the host's event loop inside, so microtask turns alone do not let them finish:
   * after a burst of microtask turns, settle yields one event-loop turn (setImmediate: no time
   * is read, no real I/O is pending, so the order of events stays deterministic). Bounded: a
   * job that never waits cannot hang the world. With no job runnable or blocked, nothing can
   * wake up, and settle returns at once.
   */
  async settle(maxLoopTurns = 2_000): Promise<void> {
    if (this.runnable <= 0 && this.blocked === 0) return;
    // A job just woken (its promise resolved) becomes runnable some microtasks later, as many
    // as its promise chain is deep: one event-loop turn runs every microtask first.
    await loopTurn();
    for (let turn = 0; this.runnable > 0 && turn < maxLoopTurns; turn++) {
      for (let i = 0; this.runnable > 0 && i < 64; i++) await TURN;
      if (this.runnable > 0) await loopTurn();
    }
  }

  /** Runnable jobs now (for tests). */
  get pending(): number {
    return this.runnable;
  }
}
