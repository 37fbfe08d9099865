/**
 * The world's packet engine: a FIFO of pending frame deliveries that runs to completion.
 * A device's transmit enqueues the receive on the other end; `drain` processes them in order,
 * so a whole request/response exchange happens inside one API call without recursion.
 * Long waits (ARP retries, ageing) are scheduled on the injected virtual Clock instead.
 */
import type { Clock } from "../../core/clock.js";
import type { Rng } from "../../core/random.js";
import type { NetfilterFactory } from "./packet.js";
import { Tracer } from "./trace.js";

/** Virtual ms one hop (one device transmit) costs; RTTs are sums of hops. */
export const HOP_MS = 0.012;

/** Shared services of a kernel world: time, randomness, tracing, packet ids and the queue. */
export class Engine {
  readonly tracer = new Tracer();
  private queue: Array<() => void> = [];
  private running = false;
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
    this.hops++;
    if (!this.running) this.drain();
  }

  /** Runs queued work until none is left. */
  drain(): void {
    if (this.running) return;
    this.running = true;
    try {
      for (let i = 0; i < this.queue.length; i++) this.queue[i]!();
    } finally {
      this.queue = [];
      this.running = false;
    }
  }
}
