/**
 * Async iteration over a bounded queue.
 *
 * @internal
 * @module
 */
import type { Queue } from './queue-core.js';
import { iterationDone, type ConsumerOwner } from './waiters.js';

/**
 * An iterator that takes items as they arrive and ends once the queue is closed and empty.
 * `return()` (a `break` out of `for await`) stops it: every `next()` still waiting resolves
 * `done` and takes nothing.
 *
 * @internal
 */
export class QueueIterator<T> implements AsyncIterableIterator<T, undefined>, ConsumerOwner {
  finished = false;
  /** How many of its `next()` calls wait in the queue now (kept by their consumers). */
  waiting = 0;
  readonly #queue: Queue<T>;
  readonly #signal: AbortSignal | undefined;

  constructor(queue: Queue<T>, signal: AbortSignal | undefined) {
    this.#queue = queue;
    this.#signal = signal;
  }

  next(): Promise<IteratorResult<T, undefined>> {
    if (this.finished) return Promise.resolve(iterationDone);
    return this.#queue.nextResult(this.#signal, this);
  }

  return(): Promise<IteratorResult<T, undefined>> {
    this.finished = true;
    if (this.waiting > 0) this.#queue.cancelWaiting(this);
    return Promise.resolve(iterationDone);
  }

  [Symbol.asyncIterator](): this {
    return this;
  }
}
