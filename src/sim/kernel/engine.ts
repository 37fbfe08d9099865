/**
 * The world's packet engine: a FIFO of pending frame deliveries that runs to completion.
 * A device's transmit enqueues the receive on the other end; `drain` processes them in order,
 * so a whole request/response exchange happens inside one API call without recursion.
 * Long waits (ARP retries, ageing) are scheduled on the injected virtual Clock instead.
 *
 * Re-entrant: a socket handler may itself open a connection (docker-proxy relaying to a
 * container). Its request calls `drain` while the outer drain is running; the nested drain
 * carries on with the same FIFO from the outer one's cursor, so the inner exchange (its own
 * packets, with their own ids) completes before the handler returns:
 *
 *   drain ─► [.. SYN ─► listener handler ─► tcpRequest ─► drain ─► [inner SYN, SYN/ACK, ..] ] ─► PSH/ACK ..
 */
import type { Clock } from "../../core/clock.js";
import type { Rng } from "../../core/random.js";
import type { NetfilterFactory, Packet } from "./packet.js";
import { Tracer } from "./trace.js";

/** Virtual ms one hop (one device transmit) costs; RTTs are sums of hops. */
export const HOP_MS = 0.012;

/** What a queued frame is delivered to (a device's receive side). */
export interface FrameReceiver {
  receive(frame: Packet): void;
}

/** Shared services of a kernel world: time, randomness, tracing, packet ids and the queue. */
export class Engine {
  readonly tracer = new Tracer();
  /** Queue entries: work to run, or a receiver whose frame sits at the same index of `frames`. */
  private queue: Array<(() => void) | FrameReceiver> = [];
  private frames: Array<Packet | undefined> = [];
  /** Next queue entry to run; shared by nested drains. */
  private cursor = 0;
  /** Drains on the stack (0: idle). */
  private depth = 0;
  private nextPacketId = 1;
  /** Hops processed since creation; a round trip's RTT comes from the hops it took. */
  hops = 0;

  constructor(
    readonly clock: Clock,
    readonly rng: Rng,
    readonly netfilter: NetfilterFactory | undefined,
  ) {}

  /** A fresh packet id, unique in this world. */
  packetId(): number {
    return this.nextPacketId++;
  }

  /** Queues work (a frame arriving somewhere) and runs the queue unless already running. */
  post(work: () => void): void {
    this.queue.push(work);
    this.frames.push(undefined);
    this.hops++;
    if (this.depth === 0) this.drain();
  }

  /** `post(() => to.receive(frame))` without a closure per frame: the frame arrives at `to` in its turn. */
  deliver(to: FrameReceiver, frame: Packet): void {
    this.queue.push(to);
    this.frames.push(frame);
    this.hops++;
    if (this.depth === 0) this.drain();
  }

  /** True while queued work is being run (a socket handler is called from inside a drain). */
  get draining(): boolean {
    return this.depth > 0;
  }

  /**
   * Runs queued work until none is left. Called again from inside a work item (a handler's own
   * request), it runs the entries after the current one, then returns to that item.
   */
  drain(): void {
    this.depth++;
    try {
      while (this.cursor < this.queue.length) {
        const i = this.cursor++;
        const w = this.queue[i]!;
        const frame = this.frames[i];
        if (frame === undefined) (w as () => void)();
        else (w as FrameReceiver).receive(frame);
      }
    } finally {
      if (--this.depth === 0) {
        this.queue.length = 0;
        this.frames.length = 0;
        this.cursor = 0;
      }
    }
  }
}
