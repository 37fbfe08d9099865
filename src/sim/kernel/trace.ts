/**
 * The packet trace: every hop and decision, with its reason, as TraceEvents in virtual time.
 * Events accumulate per world until taken (`traceTake`), capped so an endless ping cannot grow
 * memory without bound (the oldest events are dropped first).
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
    if (this.events.length > MAX_EVENTS) this.events.splice(0, this.events.length - MAX_EVENTS);
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
