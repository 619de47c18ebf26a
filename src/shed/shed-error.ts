/**
 * The error of a call refused by a load shedder.
 *
 * @module
 */
import { hasErrorCode, ResilienceError } from '../core/errors.js';
import { withoutStack } from '../core/stackless.js';
import type { ShedPriority, ShedReason } from './priority.js';

/**
 * What a {@link LoadShedError} says about the refusal.
 *
 * @example
 * ```ts
 * import { LoadShedError, type LoadShedDetails } from 'crackstop';
 *
 * const details: LoadShedDetails = { retryAfterMs: 1_000, priority: 'sheddable', reason: 'latency' };
 * const error = new LoadShedError(details);
 * ```
 */
export interface LoadShedDetails {
  /** A hint: how long the caller should wait before trying again, in milliseconds. */
  readonly retryAfterMs: number;
  /** The priority class of the refused call. */
  readonly priority: ShedPriority;
  /** The signal that refused it. */
  readonly reason: ShedReason;
}

/**
 * A load shedder refused to run a call (code `ERR_LOAD_SHED`): the service is over capacity and
 * the call was turned away before it started, so it is always safe to retry later. It is a
 * rejection (`isRejection()` is true): retry does not retry it by default and a circuit breaker
 * does not count it as a failure. `retryAfterMs` is a hint for an HTTP `Retry-After` header.
 *
 * Errors the shedder builds itself carry no stack trace (their `stack` is the first line only): a
 * refusal is a decision, not a bug in a place, and capturing a stack would cost more than the rest
 * of the refusal. Each refusal gets a fresh error, so no stack ever grows. Errors you construct
 * yourself capture one as usual.
 *
 * @example
 * ```ts
 * import { isLoadShedError, loadShedder } from 'crackstop';
 *
 * const shedder = loadShedder({ maxInFlight: 64 });
 * try {
 *   await shedder.execute(() => fetch('http://127.0.0.1:8080/'));
 * } catch (error) {
 *   if (isLoadShedError(error)) console.log(`busy (${error.reason}); retry in ${error.retryAfterMs} ms`);
 * }
 * ```
 */
export class LoadShedError extends ResilienceError {
  /** A hint: how long the caller should wait before trying again, in milliseconds. */
  readonly retryAfterMs: number;
  /** The priority class of the refused call. */
  readonly priority: ShedPriority;
  /** The signal that refused it. */
  readonly reason: ShedReason;

  constructor(details: LoadShedDetails, options?: { readonly cause?: unknown; readonly message?: string }) {
    super('ERR_LOAD_SHED', options?.message ?? `Load shed: ${details.priority} call refused (${details.reason}); retry in ${details.retryAfterMs} ms`, options);
    // A literal: bundlers rename a class that refers to itself (`class _LoadShedError`).
    if (new.target === LoadShedError) this.name = 'LoadShedError';
    this.retryAfterMs = details.retryAfterMs;
    this.priority = details.priority;
    this.reason = details.reason;
  }

  static override [Symbol.hasInstance](value: unknown): boolean {
    return this === LoadShedError ? isLoadShedError(value) : super[Symbol.hasInstance](value);
  }
}

/**
 * Whether `value` is a {@link LoadShedError} from any copy of crackstop.
 *
 * @example
 * ```ts
 * import { isLoadShedError, LoadShedError } from 'crackstop';
 *
 * isLoadShedError(new LoadShedError({ retryAfterMs: 500, priority: 'normal', reason: 'in-flight' })); // true
 * ```
 */
export function isLoadShedError(value: unknown): value is LoadShedError {
  return hasErrorCode(value, 'ERR_LOAD_SHED');
}

/**
 * Builds the error of one refusal without capturing a stack trace (see `withoutStack`).
 *
 * @internal
 */
export function shedRejection(details: LoadShedDetails): LoadShedError {
  return withoutStack(() => new LoadShedError(details));
}
