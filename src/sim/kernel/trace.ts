/**
 * The packet trace: every hop and decision, with its reason, as TraceEvents in virtual time.
 * Events accumulate per world until taken (`traceTake`), capped so an endless ping cannot grow
 * memory without bound (the oldest events are dropped first).
 *
 * Tracing costs: every hop formats its text. A world that nobody reads the trace of (a lesson
 * run, a grading) turns it off; readers turn it on around what they observe (`tracing(true)`
 * returns the previous state to restore): lab-check's probes, `lab trace`, rendered diagrams.
 */
import type { TraceEvent } from "./api.js";

const MAX_EVENTS = 100_000;

/** Collects trace events of one world. */
export class Tracer {
  private events: TraceEvent[] = [];
  /** Turn off to measure raw packet speed (benchmarks). */
  enabled = true;

  /** Records one event. */
  emit(ev: TraceEvent): void {
    if (!this.enabled) return;
    this.events.push(ev);
    // Trimmed a quarter at a time: one splice per MAX_EVENTS/4 events, not one per event.
    if (this.events.length > MAX_EVENTS + MAX_EVENTS / 4) this.events.splice(0, this.events.length - MAX_EVENTS);
  }

  /** Turns tracing on or off; returns whether it was on (to restore). */
  set(on: boolean): boolean {
    const was = this.enabled;
    this.enabled = on;
    return was;
  }

  /** Returns and forgets every event since the last take. */
  take(): TraceEvent[] {
    const out = this.events;
    this.events = [];
    return out;
  }

  /** Events recorded since index `mark` (for per-call traces), without forgetting them. */
  since(mark: number): TraceEvent[] {
    return this.events.slice(mark);
  }

  /** Current position, for `since`. */
  mark(): number {
    return this.events.length;
  }
}
