/**
 * A call waiting for a bulkhead permit.
 *
 * @internal
 * @module
 */
import type { Task } from '../core/policy.js';
import { Scope } from '../core/scope.js';
import type { WaitList, WaitNode } from '../queue/wait-list.js';

/** What a waiter needs from its bulkhead. */
export interface PermitHost {
  /** Runs `fn` under a permit already counted in `active`; releases it when `fn` really settles. */
  run<T>(fn: Task<T>, context: Scope): Promise<T>;
  /** Gives back a permit that was granted to a waiter that could not use it. */
  release(): void;
  /** A waiter left by its caller's abort (it is already out of the list). */
  waiterLeft(): void;
}

/**
 * One waiting call: list node, abort target of the caller's scope while it waits, and, when the
 * caller has no scope, the context its function runs with (a Scope that never aborts), so a
 * waiting call costs one object and one promise.
 *
 * @internal
 */
export class Waiter<T> extends Scope implements WaitNode<Waiter<T>> {
  prev: Waiter<T> | undefined = undefined;
  next: Waiter<T> | undefined = undefined;
  linked = false;
  resolve!: (value: T | PromiseLike<T>) => void;
  reject!: (reason: unknown) => void;
  readonly fn: Task<T>;
  readonly parent: Scope | undefined;
  /** The clock time past which it is refused (Infinity: never). */
  readonly deadline: number;
  readonly list: WaitList<Waiter<T>>;
  readonly host: PermitHost;

  constructor(fn: Task<T>, parent: Scope | undefined, deadline: number, list: WaitList<Waiter<T>>, host: PermitHost) {
    super(parent === undefined ? 1 : parent.attempt);
    this.fn = fn;
    this.parent = parent;
    this.deadline = deadline;
    this.list = list;
    this.host = host;
  }

  /** Joins the end of the queue. */
  start(): Promise<T> {
    const promise = new Promise<T>((resolve, reject) => {
      this.resolve = resolve;
      this.reject = reject;
    });
    this.list.push(this);
    this.parent?.attach(this);
    return promise;
  }

  /** Was granted a permit (already counted, already out of the list): runs its function. */
  admit(): void {
    const parent = this.parent;
    if (parent === undefined) {
      this.resolve(this.host.run(this.fn, this));
      return;
    }
    parent.detach(this);
    if (parent.aborted) {
      // Reached only if code ran between the parent's abort and this waiter hearing of it (a
      // listener on the parent's signal that freed a permit synchronously): give the permit back.
      this.host.release();
      this.reject(parent.reason);
      return;
    }
    this.resolve(this.host.run(this.fn, parent));
  }

  /** Refused (already out of the list): evicted or waited too long. */
  refuse(error: unknown): void {
    this.parent?.detach(this);
    this.reject(error);
  }

  /** The caller (or an outer policy) gave up while this call waited: it leaves at once. */
  override parentAborted(reason: unknown): void {
    if (!this.list.remove(this)) return;
    this.host.waiterLeft();
    this.reject(reason);
  }
}
