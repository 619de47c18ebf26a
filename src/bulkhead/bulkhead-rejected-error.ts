/**
 * The error of a call the bulkhead refused to run.
 *
 * @module
 */
import { hasErrorCode, ResilienceError } from '../core/errors.js';

/**
 * Why a bulkhead refused a call:
 * - `'full'`: every permit was taken and the wait queue was full (or has no room: capacity 0);
 * - `'evicted'`: the call was the oldest waiting one, evicted to make room for a newer caller
 *   (`overflow: 'drop-oldest'`);
 * - `'max-wait'`: the call waited `maxWaitMs` without getting a permit (at once with `maxWaitMs: 0`);
 * - `'draining'`: the bulkhead was drained (`drain()`, lame-duck mode) and takes no new work.
 *
 * @example
 * ```ts
 * import { isBulkheadRejectedError, type BulkheadRejectReason } from 'crackstop';
 *
 * function reasonOf(error: unknown): BulkheadRejectReason | undefined {
 *   return isBulkheadRejectedError(error) ? error.reason : undefined;
 * }
 * ```
 */
export type BulkheadRejectReason = 'full' | 'evicted' | 'max-wait' | 'draining';

/**
 * A bulkhead refused to run a call (code `ERR_BULKHEAD_FULL`); the function was never called. It
 * is a rejection (`isRejection()` is true): retry does not retry it by default and a circuit
 * breaker does not count it as a failure. The bulkhead builds it without a stack trace, so that
 * refusing under overload stays cheap.
 *
 * @example
 * ```ts
 * import { bulkhead, isBulkheadRejectedError } from 'crackstop';
 *
 * const policy = bulkhead({ limit: 10 });
 * try {
 *   await policy.execute(() => fetch('http://127.0.0.1:8080/'));
 * } catch (error) {
 *   if (isBulkheadRejectedError(error)) console.log(`refused (${error.reason}): answer 503`);
 * }
 * ```
 */
export class BulkheadRejectedError extends ResilienceError {
  /** Why the call was refused. */
  readonly reason: BulkheadRejectReason;
  /** The bulkhead's limit of concurrent executions. */
  readonly limit: number;
  /** The capacity of its wait queue. */
  readonly queueCapacity: number;

  constructor(reason: BulkheadRejectReason, limit: number, queueCapacity: number, options?: { readonly cause?: unknown; readonly message?: string }) {
    super('ERR_BULKHEAD_FULL', options?.message ?? defaultMessage(reason, limit, queueCapacity), options);
    // A literal, not the class name: bundlers rename classes (see ResilienceError).
    if (new.target === BulkheadRejectedError) this.name = 'BulkheadRejectedError';
    this.reason = reason;
    this.limit = limit;
    this.queueCapacity = queueCapacity;
  }

  static override [Symbol.hasInstance](value: unknown): boolean {
    return this === BulkheadRejectedError ? isBulkheadRejectedError(value) : super[Symbol.hasInstance](value);
  }
}

function defaultMessage(reason: BulkheadRejectReason, limit: number, queueCapacity: number): string {
  switch (reason) {
    case 'full':
      return `Bulkhead full: ${limit} running and ${queueCapacity} waiting`;
    case 'evicted':
      return `Bulkhead full: evicted from the wait queue (capacity ${queueCapacity}) by a newer call`;
    case 'draining':
      return 'Bulkhead draining: it takes no new work';
    default:
      return `Bulkhead full: no permit within the maximum wait`;
  }
}

/**
 * Whether `value` is a {@link BulkheadRejectedError} from any copy of crackstop.
 *
 * @example
 * ```ts
 * import { BulkheadRejectedError, isBulkheadRejectedError } from 'crackstop';
 *
 * isBulkheadRejectedError(new BulkheadRejectedError('full', 10, 0)); // true
 * ```
 */
export function isBulkheadRejectedError(value: unknown): value is BulkheadRejectedError {
  return hasErrorCode(value, 'ERR_BULKHEAD_FULL');
}
