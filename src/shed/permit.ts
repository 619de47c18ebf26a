/**
 * The permit of a call admitted through the synchronous path of a load shedder.
 *
 * @module
 */
import type { ShedPriority } from './priority.js';

/**
 * The permit of a call admitted by `shedder.tryAdmit()`: it counts as one call in flight until
 * `release()` is called. Release it exactly once, when the work is done, in a `finally`; later
 * calls of `release()` do nothing and return false, so a permit can never be released twice and
 * the count of calls in flight can never go below the truth (failure mode 28).
 *
 * @example
 * ```ts
 * import { loadShedder } from 'crackstop';
 *
 * const shedder = loadShedder({ maxInFlight: 100 });
 * const permit = shedder.tryAdmit('normal');
 * if (permit !== undefined) {
 *   try {
 *     // ... the work
 *   } finally {
 *     permit.release();
 *   }
 * }
 * ```
 */
export interface ShedPermit {
  /** The priority class the permit was admitted in. */
  readonly priority: ShedPriority;
  /** When it was admitted, on the shedder's clock. */
  readonly admittedAt: number;
  /** Whether `release()` has been called. */
  readonly released: boolean;
  /**
   * Marks the moment the work really starts, after waiting in a queue behind the shedder: the
   * wait since admission is recorded as a queue delay (the `targetQueueDelayMs` signal). Only the
   * first call counts; returns whether it did (false after a first call or after release).
   */
  started(): boolean;
  /**
   * Frees the permit and records the call's duration since admission (the `latency` signal).
   * Returns true the first time, false (doing nothing) after.
   */
  release(): boolean;
}

/** The key of the method that ends an admitted call (a symbol: not part of the public surface). @internal */
export const settleCall: unique symbol = Symbol('settleCall');

/** What a permit reports to. @internal */
export interface PermitOwner {
  readonly clock: { now(): number };
  recordQueueDelay(delayMs: number): void;
  [settleCall](admittedAt: number, sample: boolean): void;
}

/** @internal */
export class Permit implements ShedPermit {
  readonly priority: ShedPriority;
  readonly admittedAt: number;
  #owner: PermitOwner | undefined;
  #started = false;

  constructor(owner: PermitOwner, priority: ShedPriority, admittedAt: number) {
    this.#owner = owner;
    this.priority = priority;
    this.admittedAt = admittedAt;
  }

  get released(): boolean {
    return this.#owner === undefined;
  }

  started(): boolean {
    const owner = this.#owner;
    if (owner === undefined || this.#started) return false;
    this.#started = true;
    // Never negative, even on a clock that stepped back since admission.
    const waited = owner.clock.now() - this.admittedAt;
    owner.recordQueueDelay(waited > 0 ? waited : 0);
    return true;
  }

  release(): boolean {
    const owner = this.#owner;
    if (owner === undefined) return false;
    this.#owner = undefined;
    owner[settleCall](this.admittedAt, true);
    return true;
  }
}
