/**
 * The error of a call given up at its deadline.
 *
 * @module
 */
import { hasErrorCode, ResilienceError } from '../core/errors.js';

/**
 * A call was given up at its deadline (code `ERR_TIMEOUT`). It is also the reason the attempt's
 * signal was aborted with. A caller's own abort is never reported as a `TimeoutError`.
 *
 * @example
 * ```ts
 * import { isTimeoutError, timeout } from 'crackstop';
 *
 * try {
 *   await timeout({ ms: 100 }).execute(({ signal }) => fetch('http://127.0.0.1:8080/slow', { signal }));
 * } catch (error) {
 *   if (isTimeoutError(error)) console.log(`gave up after ${error.timeoutMs} ms`);
 * }
 * ```
 */
export class TimeoutError extends ResilienceError {
  /** The deadline that passed, in milliseconds. */
  readonly timeoutMs: number;

  constructor(timeoutMs: number, options?: { readonly cause?: unknown; readonly message?: string }) {
    super('ERR_TIMEOUT', options?.message ?? `Timed out after ${timeoutMs} ms`, options);
    // A literal, not the class name: bundlers rename classes (see ResilienceError).
    if (new.target === TimeoutError) this.name = 'TimeoutError';
    this.timeoutMs = timeoutMs;
  }

  static override [Symbol.hasInstance](value: unknown): boolean {
    return this === TimeoutError ? isTimeoutError(value) : super[Symbol.hasInstance](value);
  }
}

/**
 * Whether `value` is a {@link TimeoutError} from any copy of crackstop.
 *
 * @example
 * ```ts
 * import { isTimeoutError, TimeoutError } from 'crackstop';
 *
 * isTimeoutError(new TimeoutError(50)); // true
 * ```
 */
export function isTimeoutError(value: unknown): value is TimeoutError {
  return hasErrorCode(value, 'ERR_TIMEOUT');
}
