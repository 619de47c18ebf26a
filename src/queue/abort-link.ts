/**
 * The abort listeners of a queue's waiting operations.
 *
 * @internal
 * @module
 */
import type { AbortTarget } from '../core/scope.js';

/**
 * The one abort listener of a (signal, queue) pair, shared by every operation of the queue
 * waiting with that signal, and removed when the last of them leaves.
 *
 * Unlike the policies' signal links, where the caller's abort wins until the call's promise has
 * settled, an operation the queue settles (an item handed to a consumer, a producer let in, a
 * close) leaves its link at once: an abort later in the same tick cannot undo it. A consumer
 * handed an item gets that item, and a producer let in never hears that its push failed.
 *
 * @internal
 */
export class AbortLink implements EventListenerObject {
  readonly #waiting: Set<AbortTarget> = new Set();
  readonly #signal: AbortSignal;
  readonly #links: WeakMap<AbortSignal, AbortLink>;

  /** The link of `signal` among `links`, created (and listening) if there is none yet. */
  static of(signal: AbortSignal, links: WeakMap<AbortSignal, AbortLink>): AbortLink {
    return links.get(signal) ?? new AbortLink(signal, links);
  }

  private constructor(signal: AbortSignal, links: WeakMap<AbortSignal, AbortLink>) {
    this.#signal = signal;
    this.#links = links;
    signal.addEventListener('abort', this);
    links.set(signal, this);
  }

  /** `waiter` is told once, synchronously, if the signal aborts before it is detached. */
  attach(waiter: AbortTarget): void {
    this.#waiting.add(waiter);
  }

  /** `waiter` was settled by the queue; a waiter not attached is ignored. */
  detach(waiter: AbortTarget): void {
    if (this.#waiting.delete(waiter) && this.#waiting.size === 0) this.#stop();
  }

  handleEvent(): void {
    const reason: unknown = this.#signal.reason;
    const waiting = [...this.#waiting];
    this.#waiting.clear();
    this.#stop();
    for (const waiter of waiting) waiter.parentAborted(reason);
  }

  #stop(): void {
    this.#signal.removeEventListener('abort', this);
    this.#links.delete(this.#signal);
  }
}
