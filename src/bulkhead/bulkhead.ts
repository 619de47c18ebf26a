/**
 * The bulkhead policy: a limit on concurrent executions, with a bounded FIFO wait queue.
 *
 * @module
 */
import type { Clock } from '../clock/clock.js';
import type { Policy, Task } from '../core/policy.js';
import { commonKeys, PolicyCore } from '../core/policy-core.js';
import { Scope } from '../core/scope.js';
import { withoutStack } from '../core/stackless.js';
import { checkOptions } from '../core/validate.js';
import type { EventHub } from '../events/event-hub.js';
import { DeadlineTimer } from '../queue/deadline-timer.js';
import { WaitList } from '../queue/wait-list.js';
import { BulkheadRejectedError, type BulkheadRejectReason } from './bulkhead-rejected-error.js';
import { bulkheadSettings, type BulkheadOptions, type BulkheadOverflow } from './options.js';
import { Waiter, type PermitHost } from './waiter.js';
import { adopt, isThenable } from '../core/thenable.js';

export type { BulkheadOptions, BulkheadOverflow, BulkheadQueueOptions } from './options.js';

/**
 * A bulkhead policy.
 *
 * @example
 * ```ts
 * import { bulkhead, type BulkheadPolicy } from 'crackstop';
 *
 * const policy: BulkheadPolicy = bulkhead({ limit: 4, queue: { capacity: 16 } });
 * console.log(`${policy.active}/${policy.limit} running, ${policy.queued} waiting`);
 * ```
 */
export interface BulkheadPolicy extends Policy {
  /** The most executions in flight at once. */
  readonly limit: number;
  /** How many calls may wait for a permit. */
  readonly queueCapacity: number;
  /** How long a call may wait for a permit, in milliseconds. */
  readonly maxWaitMs: number;
  /** Who is refused when the wait queue is full. */
  readonly overflow: BulkheadOverflow;
  /** Executions holding a permit now: their work has not settled yet (even if their caller gave up). */
  readonly active: number;
  /** Calls waiting for a permit now. */
  readonly queued: number;
  /** Whether `drain()` was called: new calls are refused, accepted ones go on. */
  readonly draining: boolean;
  /**
   * Lame-duck mode: from now on every new call is refused with `BulkheadRejectedError` (reason
   * `'draining'`), while the calls already running or waiting go on to the end. Idempotent. A
   * health check's drain calls it for the bulkheads registered with `addBulkhead()`.
   */
  drain(): void;
  /** The policy's name, carried by its events. */
  readonly name: string;
  /** The hub the policy's events go to. */
  readonly events: EventHub;
  /** The clock `maxWaitMs` is measured on. */
  readonly clock: Clock;
}

const where = 'bulkhead()';


class Bulkhead extends PolicyCore implements BulkheadPolicy, PermitHost {
  readonly limit: number;
  readonly queueCapacity: number;
  readonly maxWaitMs: number;
  readonly overflow: BulkheadOverflow;
  active = 0;
  draining = false;
  readonly #waiters = new WaitList<Waiter<unknown>>();
  #dispatching = false;
  /** One timer for `maxWaitMs` (the waiters' deadlines follow their order). */
  readonly #deadlines: DeadlineTimer;

  constructor(options: BulkheadOptions) {
    const opts = checkOptions(where, options, [...commonKeys, 'limit', 'queue']);
    super(where, 'bulkhead', opts);
    const settings = bulkheadSettings(where, opts);
    this.limit = settings.limit;
    this.queueCapacity = settings.queueCapacity;
    this.maxWaitMs = settings.maxWaitMs;
    this.overflow = settings.overflow;
    this.#deadlines = new DeadlineTimer(this.clock, () => this.#expire());
  }

  get queued(): number {
    return this.#waiters.size;
  }

  drain(): void {
    this.draining = true;
  }

  runScoped<T>(fn: Task<T>, parent: Scope | undefined): Promise<T> {
    if (parent !== undefined && parent.aborted) return Promise.reject(parent.reason);
    if (this.draining) return Promise.reject(this.#refusal('draining'));
    if (this.active < this.limit && this.#waiters.size === 0) {
      this.active++;
      return this.run(fn, parent ?? new Scope(1));
    }
    return this.#wait(fn, parent);
  }

  run<T>(fn: Task<T>, context: Scope): Promise<T> {
    let result: T | PromiseLike<T>;
    try {
      result = fn(context);
      if (isThenable(result)) {
        // The intrinsic `then` on the adopting promise: a promise's own patched `then` could call
        // back twice (a double release). Inside the try: reading `then`, or the `constructor`
        // that Promise.resolve reads, may throw; if so no reaction was registered, and the catch
        // releases the permit the only time.
        return adopt(result, this.#settledWith, this.#failedWith) as Promise<T>;
      }
    } catch (error) {
      this.release();
      return Promise.reject(error);
    }
    this.release();
    return Promise.resolve(result);
  }

  /** The permit of a call is released when its work really settles, not when its caller gives up. */
  readonly #settledWith = <V>(value: V): V => {
    this.release();
    return value;
  };

  readonly #failedWith = (error: unknown): never => {
    this.release();
    throw error;
  };

  release(): void {
    this.active--;
    if (this.#waiters.size > 0 && !this.#dispatching) this.#dispatch();
  }

  /** Hands free permits to waiters in order. A function that settles at once releases in place. */
  #dispatch(): void {
    const waiters = this.#waiters;
    this.#dispatching = true;
    try {
      while (this.active < this.limit) {
        const waiter = waiters.shift();
        if (waiter === undefined) break;
        this.active++;
        waiter.admit();
      }
    } finally {
      this.#dispatching = false;
    }
    if (waiters.size === 0) this.#deadlines.disarm();
  }

  #wait<T>(fn: Task<T>, parent: Scope | undefined): Promise<T> {
    if (this.maxWaitMs === 0) return Promise.reject(this.#refusal('max-wait')); // may not wait at all
    const waiters = this.#waiters;
    let evicted: Waiter<unknown> | undefined;
    if (waiters.size >= this.queueCapacity) {
      evicted = this.overflow === 'drop-oldest' ? waiters.shift() : undefined;
      if (evicted === undefined) return Promise.reject(this.#refusal('full'));
    }
    const deadline = this.maxWaitMs === Infinity ? Infinity : this.clock.now() + this.maxWaitMs;
    const waiter = new Waiter<T>(fn, parent, deadline, waiters as WaitList<Waiter<T>>, this);
    const promise = waiter.start();
    if (deadline !== Infinity && waiter.linked) this.#deadlines.arm(deadline);
    // Refused once the new caller has its place: a listener of the refusal that calls execute()
    // finds the queue full, never room for one caller too many.
    evicted?.refuse(this.#refusal('evicted'));
    return promise;
  }

  waiterLeft(): void {
    if (this.#waiters.size === 0) this.#deadlines.disarm();
  }

  /** Reports a refusal and returns the error the refused caller gets. */
  #refusal(reason: BulkheadRejectReason): BulkheadRejectedError {
    const events = this.events;
    if (events.hasListeners('bulkhead.rejected')) {
      events.emit({
        type: 'bulkhead.rejected',
        kind: 'bulkhead',
        name: this.name,
        time: this.clock.now(),
        reason,
        active: this.active,
        queued: this.#waiters.size,
        limit: this.limit,
      });
    }
    // Without a stack trace: a refusal under overload must be cheap (capturing one costs
    // microseconds), and for an eviction or a maximum wait it would only show timer frames.
    return withoutStack(() => this.#rejectionError(reason));
  }

  #rejectionError(reason: BulkheadRejectReason): BulkheadRejectedError {
    if (reason !== 'max-wait') return new BulkheadRejectedError(reason, this.limit, this.queueCapacity);
    return new BulkheadRejectedError(reason, this.limit, this.queueCapacity, { message: `Bulkhead full: no permit within ${this.maxWaitMs} ms` });
  }

  /** Refuses every waiter whose deadline has passed, then waits for the next one. */
  #expire(): void {
    const now = this.clock.now();
    const waiters = this.#waiters;
    for (let w = waiters.head; w !== undefined && w.deadline <= now; w = waiters.head) {
      waiters.remove(w);
      w.refuse(this.#refusal('max-wait'));
    }
    const head = waiters.head;
    if (head !== undefined) this.#deadlines.arm(head.deadline);
  }
}

/**
 * Creates a bulkhead: at most `limit` executions in flight; up to `queue.capacity` more calls
 * wait in order for a permit; past that the new call (or, with `overflow: 'drop-oldest'`, the
 * oldest waiting one) is refused with {@link BulkheadRejectedError} (code `ERR_BULKHEAD_FULL`),
 * as is a call that waits longer than `queue.maxWaitMs`. A caller that aborts while waiting
 * leaves the queue at once with its own reason. A permit is held until the work really settles,
 * even when the caller's abort or an outer timeout has already rejected the caller, so real
 * concurrency never exceeds `limit`; permits never leak and are never released twice.
 *
 * @throws TypeError or RangeError when an option is invalid.
 *
 * @example
 * ```ts
 * import { bulkhead, pipeline, timeout } from 'crackstop';
 *
 * const db = bulkhead({ limit: 10, queue: { capacity: 50, maxWaitMs: 500 }, name: 'db' });
 * const policy = pipeline(timeout({ ms: 2_000 }), db);
 * const rows = await policy.execute(({ signal }) => fetch('http://127.0.0.1:8080/rows', { signal }));
 * ```
 */
export function bulkhead(options: BulkheadOptions): BulkheadPolicy {
  return new Bulkhead(options);
}
