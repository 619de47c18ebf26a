/**
 * The waiters of a bounded queue: blocked producers, waiting consumers and `drained()` callers.
 * Each is one object: its list links, its promise's settle functions and its abort target.
 *
 * @internal
 * @module
 */
import type { AbortTarget } from '../core/scope.js';
import type { AbortLink } from './abort-link.js';
import type { WaitList, WaitNode } from './wait-list.js';

/** What a waiter tells its queue when it leaves by its caller's abort. */
export interface WaiterHost {
  /** A blocked producer's caller aborted: it has left its list; count it and tidy the timer. */
  producerAborted(): void;
}

/** A producer blocked until there is room (`overflow: 'block'`). */
export class Producer<T> implements WaitNode<Producer<T>>, AbortTarget {
  prev: Producer<T> | undefined = undefined;
  next: Producer<T> | undefined = undefined;
  linked = false;
  resolve!: () => void;
  reject!: (reason: unknown) => void;
  abortLink: AbortLink | undefined = undefined;
  readonly item: T;
  /** The clock time past which it is refused (Infinity: never). */
  readonly deadline: number;
  readonly list: WaitList<Producer<T>>;
  readonly host: WaiterHost;

  constructor(item: T, deadline: number, list: WaitList<Producer<T>>, host: WaiterHost) {
    this.item = item;
    this.deadline = deadline;
    this.list = list;
    this.host = host;
  }

  /** Joins the end of the list; `link` (of the caller's signal) tells of an abort. */
  start(link: AbortLink | undefined): Promise<void> {
    const promise = new Promise<void>((resolve, reject) => {
      this.resolve = resolve;
      this.reject = reject;
    });
    this.list.push(this);
    if (link !== undefined) {
      this.abortLink = link;
      link.attach(this);
    }
    return promise;
  }

  /** Settles with `error` (the producer has already been removed from the list). */
  refuse(error: unknown): void {
    this.abortLink?.detach(this);
    this.reject(error);
  }

  /** Its item is in the queue (the producer has already been removed from the list). */
  admitted(): void {
    this.abortLink?.detach(this);
    this.resolve();
  }

  parentAborted(reason: unknown): void {
    if (!this.list.remove(this)) return;
    this.host.producerAborted();
    this.reject(reason);
  }
}

/** The iterator result that ends an iteration. */
export const iterationDone: IteratorReturnResult<undefined> = Object.freeze({ done: true, value: undefined });

/** What a consumer made by an iterator's `next()` tells that iterator. */
export interface ConsumerOwner {
  /** How many of its `next()` calls are waiting in the queue now. */
  waiting: number;
}

/** A consumer waiting for an item: a `take()` or an iterator's `next()`. */
export class Consumer<T> implements WaitNode<Consumer<T>>, AbortTarget {
  prev: Consumer<T> | undefined = undefined;
  next: Consumer<T> | undefined = undefined;
  linked = false;
  resolve!: (value: T | IteratorResult<T, undefined>) => void;
  reject!: (reason: unknown) => void;
  abortLink: AbortLink | undefined = undefined;
  /**
   * The iterator whose `next()` made it, if any: it settles with iterator results, and with
   * `done` when the queue closes. The iterator holds no reference back (a settled consumer, and
   * the item it was handed, are never retained by a long-lived iterator).
   */
  readonly owner: ConsumerOwner | undefined;
  readonly list: WaitList<Consumer<T>>;

  constructor(owner: ConsumerOwner | undefined, list: WaitList<Consumer<T>>) {
    this.owner = owner;
    this.list = list;
  }

  start<R>(link: AbortLink | undefined): Promise<R> {
    const promise = new Promise<R>((resolve, reject) => {
      this.resolve = resolve as (value: unknown) => void;
      this.reject = reject;
    });
    this.list.push(this);
    if (this.owner !== undefined) this.owner.waiting++;
    if (link !== undefined) {
      this.abortLink = link;
      link.attach(this);
    }
    return promise;
  }

  /** Hands it `item` (it has already been removed from the list). */
  deliver(item: T): void {
    this.abortLink?.detach(this);
    const owner = this.owner;
    if (owner === undefined) {
      this.resolve(item);
      return;
    }
    owner.waiting--;
    this.resolve({ done: false, value: item });
  }

  /** The queue closed with nothing left, or its iterator returned (already removed from the list). */
  end(error: () => unknown): void {
    this.abortLink?.detach(this);
    const owner = this.owner;
    if (owner === undefined) {
      this.reject(error());
      return;
    }
    owner.waiting--;
    this.resolve(iterationDone);
  }

  parentAborted(reason: unknown): void {
    if (!this.list.remove(this)) return;
    if (this.owner !== undefined) this.owner.waiting--;
    this.reject(reason);
  }
}

/** A `drained()` caller waiting for the queue to be empty. */
export class DrainWaiter implements WaitNode<DrainWaiter>, AbortTarget {
  prev: DrainWaiter | undefined = undefined;
  next: DrainWaiter | undefined = undefined;
  linked = false;
  resolve!: () => void;
  reject!: (reason: unknown) => void;
  abortLink: AbortLink | undefined = undefined;
  readonly list: WaitList<DrainWaiter>;

  constructor(list: WaitList<DrainWaiter>) {
    this.list = list;
  }

  start(link: AbortLink | undefined): Promise<void> {
    const promise = new Promise<void>((resolve, reject) => {
      this.resolve = resolve;
      this.reject = reject;
    });
    this.list.push(this);
    if (link !== undefined) {
      this.abortLink = link;
      link.attach(this);
    }
    return promise;
  }

  /** The queue is empty (already removed from the list). */
  drained(): void {
    this.abortLink?.detach(this);
    this.resolve();
  }

  parentAborted(reason: unknown): void {
    if (this.list.remove(this)) this.reject(reason);
  }
}
