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

/**
 * What every waiter shares: its links in one list (`W` is the concrete waiter type), the settle
 * functions of its promise (settled with `V`), and its attachment to the caller's abort link.
 */
abstract class Waiter<W extends WaitNode<W>, V> implements WaitNode<W>, AbortTarget {
  prev: W | undefined = undefined;
  next: W | undefined = undefined;
  linked = false;
  resolve!: (value: V) => void;
  reject!: (reason: unknown) => void;
  abortLink: AbortLink | undefined = undefined;
  readonly list: WaitList<W>;

  constructor(list: WaitList<W>) {
    this.list = list;
  }

  /** Joins the end of its list; `link` (of the caller's signal) tells of an abort. */
  start<R = V>(link: AbortLink | undefined): Promise<R> {
    const promise = new Promise<R>((resolve, reject) => {
      this.resolve = resolve as unknown as (value: V) => void;
      this.reject = reject;
    });
    this.list.push(this as unknown as W);
    if (link !== undefined) {
      this.abortLink = link;
      link.attach(this);
    }
    return promise;
  }

  /** Leaves the caller's abort link and resolves (already removed from its list). */
  protected fulfil(value: V): void {
    this.abortLink?.detach(this);
    this.resolve(value);
  }

  /** Leaves the caller's abort link and rejects (already removed from its list). */
  protected fail(reason: unknown): void {
    this.abortLink?.detach(this);
    this.reject(reason);
  }

  abstract parentAborted(reason: unknown): void;
}

/** A producer blocked until there is room (`overflow: 'block'`). */
export class Producer<T> extends Waiter<Producer<T>, void> {
  readonly item: T;
  /** The clock time past which it is refused (Infinity: never). */
  readonly deadline: number;
  readonly host: WaiterHost;

  constructor(item: T, deadline: number, list: WaitList<Producer<T>>, host: WaiterHost) {
    super(list);
    this.item = item;
    this.deadline = deadline;
    this.host = host;
  }

  /** Settles with `error` (the producer has already been removed from the list). */
  refuse(error: unknown): void {
    this.fail(error);
  }

  /** Its item is in the queue (the producer has already been removed from the list). */
  admitted(): void {
    this.fulfil(undefined);
  }

  override parentAborted(reason: unknown): void {
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
export class Consumer<T> extends Waiter<Consumer<T>, T | IteratorResult<T, undefined>> {
  /**
   * The iterator whose `next()` made it, if any: it settles with iterator results, and with
   * `done` when the queue closes. The iterator holds no reference back (a settled consumer, and
   * the item it was handed, are never retained by a long-lived iterator).
   */
  readonly owner: ConsumerOwner | undefined;

  constructor(owner: ConsumerOwner | undefined, list: WaitList<Consumer<T>>) {
    super(list);
    this.owner = owner;
  }

  override start<R>(link: AbortLink | undefined): Promise<R> {
    if (this.owner !== undefined) this.owner.waiting++;
    return super.start<R>(link);
  }

  /** Hands it `item` (it has already been removed from the list). */
  deliver(item: T): void {
    const owner = this.owner;
    if (owner === undefined) {
      this.fulfil(item);
      return;
    }
    owner.waiting--;
    this.fulfil({ done: false, value: item });
  }

  /** The queue closed with nothing left, or its iterator returned (already removed from the list). */
  end(error: () => unknown): void {
    const owner = this.owner;
    if (owner === undefined) {
      this.fail(error());
      return;
    }
    owner.waiting--;
    this.fulfil(iterationDone);
  }

  override parentAborted(reason: unknown): void {
    if (!this.list.remove(this)) return;
    if (this.owner !== undefined) this.owner.waiting--;
    this.reject(reason);
  }
}

/** A `drained()` caller waiting for the queue to be empty. */
export class DrainWaiter extends Waiter<DrainWaiter, void> {
  /** The queue is empty (already removed from the list). */
  drained(): void {
    this.fulfil(undefined);
  }

  override parentAborted(reason: unknown): void {
    if (this.list.remove(this)) this.reject(reason);
  }
}
