/**
 * The bounded producer/consumer queue: its options, its public shape and its factory.
 *
 * @module
 */
import type { Clock } from '../clock/clock.js';
import type { CommonOptions } from '../core/policy-core.js';
import type { EventHub } from '../events/event-hub.js';
import type { QueueDropReason } from './events.js';
import { Queue } from './queue-core.js';

/**
 * What a full {@link BoundedQueue} does with a new item:
 * - `'reject'`: the push fails with `QueueFullError` (code `ERR_QUEUE_FULL`); the producer keeps the item.
 * - `'drop-newest'`: the push succeeds but the new item is discarded, and reported.
 * - `'drop-oldest'`: the oldest item is evicted, and reported, to make room for the new one.
 * - `'block'`: the producer waits for room (in order, up to `maxWaitMs`, abortable by its signal).
 *
 * @example
 * ```ts
 * import { boundedQueue, type QueueOverflow } from 'crackstop';
 *
 * const overflow: QueueOverflow = 'block';
 * const queue = boundedQueue<string>({ capacity: 100, overflow, maxWaitMs: 1_000 });
 * ```
 */
export type QueueOverflow = 'reject' | 'drop-newest' | 'drop-oldest' | 'block';

/**
 * Options of {@link boundedQueue}.
 *
 * @example
 * ```ts
 * import { boundedQueue, type BoundedQueueOptions } from 'crackstop';
 *
 * const options: BoundedQueueOptions<string> = {
 *   capacity: 1_000,
 *   overflow: 'drop-oldest',
 *   onDrop: (item, reason) => console.warn(`dropped ${item} (${reason})`),
 * };
 * const queue = boundedQueue(options);
 * ```
 */
export interface BoundedQueueOptions<T> extends CommonOptions {
  /** The most items the queue holds, an integer from 1 to 2^30. `size <= capacity` at every step. */
  readonly capacity: number;
  /** What a push does when the queue is full. @defaultValue `'reject'` */
  readonly overflow?: QueueOverflow;
  /**
   * With `overflow: 'block'` only: how long a producer waits for room before its push fails with
   * `QueueFullError`, in milliseconds, >= 0 (0: never wait). @defaultValue Infinity
   */
  readonly maxWaitMs?: number;
  /**
   * Called once for every item dropped by `'drop-newest'` or `'drop-oldest'`, before the
   * `queue.dropped` event. It must not throw; if it does, the error is reported with
   * `console.error` and the queue carries on.
   */
  readonly onDrop?: (item: T, reason: QueueDropReason) => void;
}

/**
 * Options of the waiting operations of a {@link BoundedQueue}.
 *
 * @example
 * ```ts
 * import { boundedQueue, type QueueWaitOptions } from 'crackstop';
 *
 * const queue = boundedQueue<number>({ capacity: 10 });
 * const options: QueueWaitOptions = { signal: AbortSignal.timeout(1_000) };
 * const item = await queue.take(options);
 * ```
 */
export interface QueueWaitOptions {
  /**
   * Aborting it while the operation waits makes it leave the queue at once and reject with
   * `signal.reason` (a blocked push's item is not added). An operation the queue has already
   * settled keeps its outcome even if the signal aborts later in the same tick: an item handed
   * to a consumer is never lost. An already-aborted signal rejects without doing anything, and a
   * value that is not an AbortSignal rejects with a TypeError.
   */
  readonly signal?: AbortSignal | undefined;
}

/**
 * A bounded FIFO queue between producers and consumers, with back pressure. Items leave in the
 * order they were added; `size` never exceeds `capacity`; push and take are O(1).
 *
 * The ledger always balances: `pushed === taken + dropped + refused + size`, where `pushed`
 * counts every push that has been decided (blocked producers are counted once they get room or
 * give up), `dropped` the items dropped by the overflow policy (each reported through `onDrop`
 * and a `queue.dropped` event), and `refused` the pushes whose producer kept its item (full,
 * closed, `maxWaitMs` passed, or its own abort).
 *
 * @example
 * ```ts
 * import { boundedQueue } from 'crackstop';
 *
 * const jobs = boundedQueue<string>({ capacity: 100, overflow: 'block' });
 * const worker = (async () => {
 *   for await (const job of jobs) console.log('processing', job);
 * })();
 * await jobs.push('resize-image-1'); // waits while the queue is full
 * jobs.close(); // the worker finishes what is queued, then its loop ends
 * await worker;
 * ```
 */
export interface BoundedQueue<T> extends AsyncIterable<T> {
  /** The queue's name, carried by its events. */
  readonly name: string;
  /** The clock `maxWaitMs` is measured on. */
  readonly clock: Clock;
  /** The hub the queue's events go to. */
  readonly events: EventHub;
  readonly capacity: number;
  readonly overflow: QueueOverflow;
  readonly maxWaitMs: number;
  /** Items in the queue now. */
  readonly size: number;
  /** Whether `close()` was called. */
  readonly closed: boolean;
  /** Producers blocked waiting for room. */
  readonly waitingProducers: number;
  /** Consumers (`take()` calls and iterators) waiting for an item. */
  readonly waitingConsumers: number;
  /** Pushes decided so far (added, dropped or refused). */
  readonly pushed: number;
  /** Items handed to consumers. */
  readonly taken: number;
  /** Items dropped by the overflow policy (each one reported). */
  readonly dropped: number;
  /** Pushes refused to their producer, which kept the item (full, closed, max wait, abort). */
  readonly refused: number;

  /**
   * Adds `item`. Resolves once it is in the queue (or, with `'drop-newest'` on a full queue, once
   * it has been dropped and reported). Rejects with `QueueFullError` when the queue is full under
   * `'reject'` (or after `maxWaitMs` under `'block'`), with `QueueClosedError` once the queue is
   * closed, and with `signal.reason` when the producer aborts while waiting.
   */
  push(item: T, options?: QueueWaitOptions): Promise<void>;
  /**
   * Adds `item` without waiting: true when it is now in the queue, false when it is not (the
   * queue was full: refused under `'reject'` and `'block'`, dropped and reported under
   * `'drop-newest'`).
   *
   * @throws QueueClosedError when the queue is closed.
   */
  tryPush(item: T): boolean;
  /**
   * Takes the oldest item, waiting for one if the queue is empty (consumers are served in order).
   * Rejects with `QueueClosedError` when the queue is closed and empty (also for a consumer that
   * was waiting when it closed), and with `signal.reason` when the consumer aborts while waiting.
   */
  take(options?: QueueWaitOptions): Promise<T>;
  /**
   * Takes the oldest item without waiting; `undefined` when the queue is empty (if `undefined`
   * can be an item, check `size` first).
   */
  tryTake(): T | undefined;
  /**
   * Takes every item without waiting, oldest first, including those of producers blocked for
   * room (they are let in as room appears). After `close()`, this returns everything left.
   */
  takeAll(): T[];
  /**
   * Resolves when the queue is empty (at once if it is). It does not reject on `close()`: items
   * left in a closed queue are still there to be taken.
   */
  drained(options?: QueueWaitOptions): Promise<void>;
  /**
   * Closes the queue: later pushes fail with `QueueClosedError`; producers blocked for room and
   * consumers waiting for an item settle at once (with `QueueClosedError`, and iterators end).
   * Items already in the queue stay there to be taken (iteration ends once they are), or taken
   * at once with `takeAll()`. Idempotent.
   */
  close(): void;
  /**
   * Iterates over items as they arrive, until the queue is closed and empty. Aborting `signal`
   * makes a waiting `next()` reject with its reason. Breaking out of the loop (`return()`) stops
   * taking: every `next()` still waiting resolves `done`.
   *
   * @throws TypeError when `signal` is not an AbortSignal.
   */
  iterate(options?: QueueWaitOptions): AsyncIterableIterator<T>;
  /** Same as `iterate()`: `for await (const item of queue)`. */
  [Symbol.asyncIterator](): AsyncIterableIterator<T>;
}

/**
 * Creates a bounded FIFO queue with back pressure and the four answers to "the queue is full"
 * (`overflow`): `'reject'` (default), `'drop-newest'`, `'drop-oldest'` and `'block'`. Nothing is
 * lost silently: every item is taken, dropped with a report (`onDrop` and a `queue.dropped`
 * event), refused to its producer, or still in the queue. Producers and consumers that wait can
 * abort with their signal and leave at once. Push and take are O(1) (a ring buffer), and so is
 * the departure of an aborted waiter.
 *
 * @throws TypeError or RangeError when an option is invalid.
 *
 * @example
 * ```ts
 * import { boundedQueue } from 'crackstop';
 *
 * const events = boundedQueue<object>({ capacity: 10_000, overflow: 'drop-oldest', name: 'telemetry' });
 * events.tryPush({ kind: 'click' }); // never waits; evicts (and reports) the oldest when full
 * const batch = events.takeAll();
 * ```
 */
export function boundedQueue<T>(options: BoundedQueueOptions<T>): BoundedQueue<T> {
  return new Queue<T>(options);
}
