/**
 * The bounded queue's implementation.
 *
 * @internal
 * @module
 */
import type { Clock } from '../clock/clock.js';
import { withoutStack } from '../core/stackless.js';
import type { EventHub } from '../events/event-hub.js';
import { AbortLink } from './abort-link.js';
import type { BoundedQueue, BoundedQueueOptions, QueueOverflow, QueueWaitOptions } from './bounded-queue.js';
import { DeadlineTimer } from './deadline-timer.js';
import type { QueueDropReason, QueueRejectReason } from './events.js';
import { QueueClosedError } from './queue-closed-error.js';
import { QueueFullError } from './queue-full-error.js';
import { QueueIterator } from './queue-iterator.js';
import { badSignal, queueSettings } from './queue-options.js';
import { RingBuffer } from './ring-buffer.js';
import { WaitList } from './wait-list.js';
import { Consumer, DrainWaiter, Producer, type WaiterHost } from './waiters.js';

const resolved: Promise<void> = Promise.resolve();
/** What an offer without waiting did. */
const Offer = { Refused: 0, Added: 1, Dropped: 2 } as const;
type Offer = (typeof Offer)[keyof typeof Offer];
const newClosedError = (): QueueClosedError => new QueueClosedError();

/** @internal */
export class Queue<T> implements BoundedQueue<T>, WaiterHost {
  readonly name: string;
  readonly clock: Clock;
  readonly events: EventHub;
  readonly capacity: number;
  readonly overflow: QueueOverflow;
  readonly maxWaitMs: number;
  closed = false;
  pushed = 0;
  taken = 0;
  dropped = 0;
  refused = 0;

  readonly #onDrop: ((item: T, reason: QueueDropReason) => void) | undefined;
  readonly #buffer = new RingBuffer<T>();
  readonly #producers = new WaitList<Producer<T>>();
  readonly #consumers = new WaitList<Consumer<T>>();
  readonly #drainWaiters = new WaitList<DrainWaiter>();
  #abortLinks: WeakMap<AbortSignal, AbortLink> | undefined = undefined;
  /** One timer for the blocked producers' `maxWaitMs` (their deadlines follow their order). */
  readonly #deadlines: DeadlineTimer;

  constructor(options: BoundedQueueOptions<T>) {
    const settings = queueSettings(options);
    this.name = settings.name;
    this.clock = settings.clock;
    this.events = settings.events;
    this.capacity = settings.capacity;
    this.overflow = settings.overflow;
    this.maxWaitMs = settings.maxWaitMs;
    this.#onDrop = settings.onDrop;
    this.#deadlines = new DeadlineTimer(this.clock, () => this.#expire());
  }

  get size(): number {
    return this.#buffer.size;
  }

  get waitingProducers(): number {
    return this.#producers.size;
  }

  get waitingConsumers(): number {
    return this.#consumers.size;
  }

  push(item: T, options?: QueueWaitOptions): Promise<void> {
    const signal = options?.signal;
    if (signal !== undefined) {
      const invalid = badSignal('BoundedQueue.push()', signal);
      if (invalid !== undefined) return Promise.reject(invalid);
      if (signal.aborted) {
        this.pushed++;
        this.refused++;
        return Promise.reject(signal.reason);
      }
    }
    if (this.closed) return Promise.reject(this.#refuse('closed'));
    if (this.#offer(item) !== Offer.Refused) return resolved;
    if (this.overflow !== 'block' || this.maxWaitMs === 0) return Promise.reject(this.#refuse(this.overflow === 'block' ? 'max-wait' : 'full'));
    const deadline = this.maxWaitMs === Infinity ? Infinity : this.clock.now() + this.maxWaitMs;
    const producer = new Producer<T>(item, deadline, this.#producers, this);
    const promise = producer.start(this.#link(signal));
    if (deadline !== Infinity && producer.linked) this.#deadlines.arm(deadline);
    return promise;
  }

  tryPush(item: T): boolean {
    if (this.closed) {
      this.#count('closed');
      throw new QueueClosedError(); // thrown at the caller: with its stack
    }
    const outcome = this.#offer(item);
    if (outcome === Offer.Refused) this.#count('full'); // no error to build: tryPush says false
    return outcome === Offer.Added;
  }

  /** Adds `item` if the overflow policy allows it without waiting (or drops it, reported). */
  #offer(item: T): Offer {
    const consumer = this.#consumers.shift();
    if (consumer !== undefined) {
      this.pushed++;
      this.taken++;
      consumer.deliver(item);
      return Offer.Added;
    }
    const buffer = this.#buffer;
    if (buffer.size < this.capacity) {
      buffer.push(item);
      this.pushed++;
      return Offer.Added;
    }
    if (this.overflow === 'drop-newest') {
      this.pushed++;
      this.dropped++;
      this.#reportDrop(item, 'drop-newest');
      return Offer.Dropped;
    }
    if (this.overflow === 'drop-oldest') {
      const oldest = buffer.shift() as T;
      buffer.push(item);
      this.pushed++;
      this.dropped++;
      this.#reportDrop(oldest, 'drop-oldest');
      return Offer.Added;
    }
    return Offer.Refused;
  }

  take(options?: QueueWaitOptions): Promise<T> {
    const signal = options?.signal;
    if (signal !== undefined) {
      const invalid = badSignal('BoundedQueue.take()', signal);
      if (invalid !== undefined) return Promise.reject(invalid);
      if (signal.aborted) return Promise.reject(signal.reason);
    }
    if (this.#buffer.size > 0) return Promise.resolve(this.#takeOne());
    if (this.closed) return Promise.reject(new QueueClosedError());
    const consumer = new Consumer<T>(undefined, this.#consumers);
    return consumer.start<T>(this.#link(signal));
  }

  tryTake(): T | undefined {
    return this.#buffer.size > 0 ? this.#takeOne() : undefined;
  }

  takeAll(): T[] {
    const out: T[] = [];
    while (this.#buffer.size > 0) out.push(this.#takeOne());
    return out;
  }

  /** Takes the oldest item (the buffer is not empty), lets a blocked producer in, tells drain waiters. */
  #takeOne(): T {
    const buffer = this.#buffer;
    const item = buffer.shift() as T;
    this.taken++;
    // Once closed, no blocked producer gets in (close() is refusing them, and may be running a
    // queue.rejected listener that takes right now).
    const producer = this.closed ? undefined : this.#producers.shift();
    if (producer !== undefined) {
      buffer.push(producer.item);
      this.pushed++;
      if (this.#producers.size === 0) this.#deadlines.disarm();
      producer.admitted();
    } else if (buffer.size === 0 && this.#drainWaiters.size > 0) {
      for (let waiter = this.#drainWaiters.shift(); waiter !== undefined; waiter = this.#drainWaiters.shift()) waiter.drained();
    }
    return item;
  }

  /**
   * The next iteration result for an iterator: an item, `done` once closed and empty, or a wait.
   *
   * @internal
   */
  nextResult(signal: AbortSignal | undefined, iterator: QueueIterator<T>): Promise<IteratorResult<T, undefined>> {
    if (signal !== undefined && signal.aborted) return Promise.reject(signal.reason);
    if (this.#buffer.size > 0) return Promise.resolve({ done: false, value: this.#takeOne() });
    if (this.closed) {
      iterator.finished = true;
      return Promise.resolve({ done: true, value: undefined });
    }
    const consumer = new Consumer<T>(iterator, this.#consumers);
    return consumer.start(this.#link(signal));
  }

  /**
   * An iterator returned while `next()` calls of its own waited: each of them leaves with `done`.
   * O(waiting consumers), and only for an iterator with a `next()` waiting (a `break` out of
   * `for await` has none).
   *
   * @internal
   */
  cancelWaiting(iterator: QueueIterator<T>): void {
    const consumers = this.#consumers;
    for (let c = consumers.head; c !== undefined && iterator.waiting > 0; ) {
      const next = c.next;
      if (c.owner === iterator) {
        consumers.remove(c);
        c.end(newClosedError);
      }
      c = next;
    }
  }

  drained(options?: QueueWaitOptions): Promise<void> {
    const signal = options?.signal;
    if (signal !== undefined) {
      const invalid = badSignal('BoundedQueue.drained()', signal);
      if (invalid !== undefined) return Promise.reject(invalid);
      if (signal.aborted) return Promise.reject(signal.reason);
    }
    if (this.#buffer.size === 0) return resolved;
    const waiter = new DrainWaiter(this.#drainWaiters);
    return waiter.start(this.#link(signal));
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.#deadlines.disarm();
    for (let p = this.#producers.shift(); p !== undefined; p = this.#producers.shift()) p.refuse(this.#refuse('closed'));
    for (let c = this.#consumers.shift(); c !== undefined; c = this.#consumers.shift()) c.end(newClosedError);
  }

  iterate(options?: QueueWaitOptions): AsyncIterableIterator<T> {
    const signal = options?.signal;
    if (signal !== undefined) {
      const invalid = badSignal('BoundedQueue.iterate()', signal);
      if (invalid !== undefined) throw invalid;
    }
    return new QueueIterator<T>(this, signal);
  }

  [Symbol.asyncIterator](): AsyncIterableIterator<T> {
    return new QueueIterator<T>(this, undefined);
  }

  producerAborted(): void {
    this.pushed++;
    this.refused++;
    if (this.#producers.size === 0) this.#deadlines.disarm();
  }

  /** The abort link of a waiting operation's signal (one listener per signal, however many wait). */
  #link(signal: AbortSignal | undefined): AbortLink | undefined {
    return signal === undefined ? undefined : AbortLink.of(signal, (this.#abortLinks ??= new WeakMap()));
  }

  /** Counts a refused push, reports it, and returns the error its producer gets. */
  #refuse(reason: QueueRejectReason): QueueFullError | QueueClosedError {
    this.#count(reason);
    // Without a stack trace: refusals under overload must be cheap, and one built in a timer or
    // in close() would only show those frames.
    return withoutStack(() => this.#refusalError(reason));
  }

  #refusalError(reason: QueueRejectReason): QueueFullError | QueueClosedError {
    if (reason === 'closed') return new QueueClosedError();
    if (reason === 'full') return new QueueFullError(this.capacity);
    return new QueueFullError(this.capacity, { message: `Queue full (capacity ${this.capacity}): no room within ${this.maxWaitMs} ms` });
  }

  /** Counts a refused push and reports it. */
  #count(reason: QueueRejectReason): void {
    this.pushed++;
    this.refused++;
    const events = this.events;
    if (events.hasListeners('queue.rejected')) {
      events.emit({ type: 'queue.rejected', kind: 'queue', name: this.name, time: this.clock.now(), reason, size: this.#buffer.size });
    }
  }

  #reportDrop(item: T, reason: QueueDropReason): void {
    const onDrop = this.#onDrop;
    if (onDrop !== undefined) {
      try {
        onDrop(item, reason);
      } catch (error) {
        console.error(`crackstop: the onDrop callback of queue '${this.name}' threw:`, error);
      }
    }
    const events = this.events;
    if (events.hasListeners('queue.dropped')) {
      events.emit({ type: 'queue.dropped', kind: 'queue', name: this.name, time: this.clock.now(), reason, item, size: this.#buffer.size });
    }
  }

  /** Refuses every blocked producer whose deadline has passed, then waits for the next one. */
  #expire(): void {
    const now = this.clock.now();
    const producers = this.#producers;
    for (let p = producers.head; p !== undefined && p.deadline <= now; p = producers.head) {
      producers.remove(p);
      p.refuse(this.#refuse('max-wait'));
    }
    const head = producers.head;
    if (head !== undefined) this.#deadlines.arm(head.deadline);
  }
}
