/**
 * The errors of calls a circuit breaker refuses: open, or isolated by hand.
 *
 * @module
 */
import { hasErrorCode, ResilienceError } from '../core/errors.js';
import { withoutStack } from '../core/stackless.js';

/**
 * A circuit breaker refused a call because its circuit is open, or half-open with every probe
 * slot taken (code `ERR_CIRCUIT_OPEN`). `retryAfterMs` says when to try again. It is a rejection
 * (`isRejection()` is true): `retry()` does not retry it and other breakers do not count it.
 *
 * Errors the breaker throws itself carry no stack trace (their `stack` is the first line only):
 * a rejection is a decision, not a bug in a place, and capturing a stack would cost more than the
 * rest of the rejection. Errors you construct yourself capture one as usual.
 *
 * @example
 * ```ts
 * import { circuitBreaker, isCircuitOpenError } from 'crackstop';
 *
 * const breaker = circuitBreaker();
 * try {
 *   await breaker.execute(({ signal }) => fetch('http://127.0.0.1:8080/', { signal }));
 * } catch (error) {
 *   if (isCircuitOpenError(error)) console.log(`circuit open, try again in ${error.retryAfterMs} ms`);
 * }
 * ```
 */
export class CircuitOpenError extends ResilienceError {
  /** Milliseconds until a call may be admitted again (a whole number, >= 0). */
  readonly retryAfterMs: number;

  constructor(retryAfterMs: number, options?: { readonly message?: string; readonly cause?: unknown }) {
    super('ERR_CIRCUIT_OPEN', options?.message ?? `Circuit is open; retry after ${retryAfterMs} ms`, options);
    // A literal: bundlers rename classes (esbuild writes `_CircuitOpenError`).
    if (new.target === CircuitOpenError) this.name = 'CircuitOpenError';
    this.retryAfterMs = retryAfterMs;
  }

  static override [Symbol.hasInstance](value: unknown): boolean {
    return this === CircuitOpenError ? isCircuitOpenError(value) : super[Symbol.hasInstance](value);
  }
}

/**
 * Whether `value` is a {@link CircuitOpenError} from any copy of crackstop.
 *
 * @example
 * ```ts
 * import { CircuitOpenError, isCircuitOpenError } from 'crackstop';
 *
 * isCircuitOpenError(new CircuitOpenError(1_000)); // true
 * ```
 */
export function isCircuitOpenError(value: unknown): value is CircuitOpenError {
  return hasErrorCode(value, 'ERR_CIRCUIT_OPEN');
}

/**
 * A circuit breaker refused a call because its circuit was isolated by hand with `isolate()`
 * (code `ERR_CIRCUIT_ISOLATED`); it stays so until every isolation handle is released or the
 * breaker is `reset()`. It is a rejection (`isRejection()` is true). Like
 * {@link CircuitOpenError}, the ones the breaker throws carry no stack trace.
 *
 * @example
 * ```ts
 * import { circuitBreaker, isIsolatedCircuitError } from 'crackstop';
 *
 * const breaker = circuitBreaker();
 * const handle = breaker.isolate();
 * await breaker.execute(() => 'never runs').catch((error) => console.log(isIsolatedCircuitError(error))); // true
 * handle.release();
 * ```
 */
export class IsolatedCircuitError extends ResilienceError {
  constructor(options?: { readonly message?: string; readonly cause?: unknown }) {
    super('ERR_CIRCUIT_ISOLATED', options?.message ?? 'Circuit is isolated', options);
    if (new.target === IsolatedCircuitError) this.name = 'IsolatedCircuitError';
  }

  static override [Symbol.hasInstance](value: unknown): boolean {
    return this === IsolatedCircuitError ? isIsolatedCircuitError(value) : super[Symbol.hasInstance](value);
  }
}

/**
 * Whether `value` is an {@link IsolatedCircuitError} from any copy of crackstop.
 *
 * @example
 * ```ts
 * import { IsolatedCircuitError, isIsolatedCircuitError } from 'crackstop';
 *
 * isIsolatedCircuitError(new IsolatedCircuitError()); // true
 * ```
 */
export function isIsolatedCircuitError(value: unknown): value is IsolatedCircuitError {
  return hasErrorCode(value, 'ERR_CIRCUIT_ISOLATED');
}

/**
 * Builds a rejection without capturing a stack trace (see `withoutStack`): a fresh error per
 * rejection keeps `message` and `retryAfterMs` right for each one, and nothing is reused, so no
 * stack ever grows.
 *
 * @internal
 */
export function rejectionError(name: string, retryAfterMs: number | undefined): CircuitOpenError | IsolatedCircuitError {
  return withoutStack(() => build(name, retryAfterMs));
}

function build(name: string, retryAfterMs: number | undefined): CircuitOpenError | IsolatedCircuitError {
  return retryAfterMs === undefined
    ? new IsolatedCircuitError({ message: `Circuit "${name}" is isolated` })
    : new CircuitOpenError(retryAfterMs, { message: `Circuit "${name}" is open; retry after ${retryAfterMs} ms` });
}
