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

/** A consumer waiting for an item: a `take()` or an iterator's `next()`. */
export class Consumer<T> implements WaitNode<Consumer<T>>, AbortTarget {
  prev: Consumer<T> | undefined = undefined;
  next: Consumer<T> | undefined = undefined;
  linked = false;
  resolve!: (value: T | IteratorResult<T, undefined>) => void;
  reject!: (reason: unknown) => void;
  abortLink: AbortLink | undefined = undefined;
  /** An iterator's `next()`: settles with iterator results, and with `done` when the queue closes. */
  readonly iterating: boolean;
  /** The same iterator's earlier `next()` still waiting when this one was made, if any. */
  earlier: Consumer<T> | undefined = undefined;
  readonly list: WaitList<Consumer<T>>;

  constructor(iterating: boolean, list: WaitList<Consumer<T>>) {
    this.iterating = iterating;
    this.list = list;
  }

  start<R>(link: AbortLink | undefined): Promise<R> {
    const promise = new Promise<R>((resolve, reject) => {
      this.resolve = resolve as (value: unknown) => void;
      this.reject = reject;
    });
    this.list.push(this);
    if (link !== undefined) {
      this.abortLink = link;
      link.attach(this);
    }
    return promise;
  }

  /** Hands it `item` (it has already been removed from the list). */
  deliver(item: T): void {
    this.abortLink?.detach(this);
    this.resolve(this.iterating ? { done: false, value: item } : item);
  }

  /** The queue closed with nothing left, or its iterator returned (already removed from the list). */
  end(error: () => unknown): void {
    this.abortLink?.detach(this);
    if (this.iterating) this.resolve(iterationDone);
    else this.reject(error());
  }

  parentAborted(reason: unknown): void {
    if (this.list.remove(this)) this.reject(reason);
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
