/**
 * The error of a push refused because the queue is full.
 *
 * @module
 */
import { hasErrorCode, ResilienceError } from '../core/errors.js';

/**
 * A push was refused because the queue was full (code `ERR_QUEUE_FULL`): at once with
 * `overflow: 'reject'`, or after waiting `maxWaitMs` for room with `overflow: 'block'`. The item
 * was not added; the producer still owns it. It is a rejection (`isRejection()` is true): retry
 * does not retry it by default and a breaker does not count it.
 *
 * @example
 * ```ts
 * import { boundedQueue, isQueueFullError } from 'crackstop';
 *
 * const queue = boundedQueue<string>({ capacity: 1 });
 * await queue.push('a');
 * try {
 *   await queue.push('b');
 * } catch (error) {
 *   if (isQueueFullError(error)) console.log(`full at ${error.capacity} items`);
 * }
 * ```
 */
export class QueueFullError extends ResilienceError {
  /** The capacity of the queue that refused the item. */
  readonly capacity: number;

  constructor(capacity: number, options?: { readonly cause?: unknown; readonly message?: string }) {
    super('ERR_QUEUE_FULL', options?.message ?? `Queue full (capacity ${capacity})`, options);
    // A literal, not the class name: bundlers rename classes (see ResilienceError).
    if (new.target === QueueFullError) this.name = 'QueueFullError';
    this.capacity = capacity;
  }

  static override [Symbol.hasInstance](value: unknown): boolean {
    return this === QueueFullError ? isQueueFullError(value) : super[Symbol.hasInstance](value);
  }
}

/**
 * Whether `value` is a {@link QueueFullError} from any copy of crackstop.
 *
 * @example
 * ```ts
 * import { isQueueFullError, QueueFullError } from 'crackstop';
 *
 * isQueueFullError(new QueueFullError(10)); // true
 * ```
 */
export function isQueueFullError(value: unknown): value is QueueFullError {
  return hasErrorCode(value, 'ERR_QUEUE_FULL');
}
