/**
 * The error of an operation on a closed queue.
 *
 * @module
 */
import { hasErrorCode, ResilienceError } from '../core/errors.js';

/**
 * The queue was closed (code `ERR_QUEUE_CLOSED`): a push after `close()`, a producer that was
 * still waiting for room when the queue closed (its item was not added), or a `take()` on a
 * closed queue with nothing left in it (including a consumer that was waiting when it closed). It
 * is a rejection (`isRejection()` is true).
 *
 * @example
 * ```ts
 * import { boundedQueue, isQueueClosedError } from 'crackstop';
 *
 * const queue = boundedQueue<string>({ capacity: 10 });
 * const next = queue.take();
 * queue.close();
 * await next.catch((error) => console.log(isQueueClosedError(error))); // true
 * ```
 */
export class QueueClosedError extends ResilienceError {
  constructor(options?: { readonly cause?: unknown; readonly message?: string }) {
    super('ERR_QUEUE_CLOSED', options?.message ?? 'Queue closed', options);
    // A literal, not the class name: bundlers rename classes (see ResilienceError).
    if (new.target === QueueClosedError) this.name = 'QueueClosedError';
  }

  static override [Symbol.hasInstance](value: unknown): boolean {
    return this === QueueClosedError ? isQueueClosedError(value) : super[Symbol.hasInstance](value);
  }
}

/**
 * Whether `value` is a {@link QueueClosedError} from any copy of crackstop.
 *
 * @example
 * ```ts
 * import { isQueueClosedError, QueueClosedError } from 'crackstop';
 *
 * isQueueClosedError(new QueueClosedError()); // true
 * ```
 */
export function isQueueClosedError(value: unknown): value is QueueClosedError {
  return hasErrorCode(value, 'ERR_QUEUE_CLOSED');
}
