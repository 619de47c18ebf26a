/**
 * The options of the bulkhead, and their validation.
 *
 * @module
 */
import type { CommonOptions } from '../core/policy-core.js';
import { checkNumber, checkOptions, describeValue, optionalChoice, optionalNumber } from '../core/validate.js';

/**
 * What a bulkhead does when a call arrives, every permit is taken and its wait queue is full:
 * `'reject-new'` refuses the new call; `'drop-oldest'` refuses the oldest waiting call and queues
 * the new one (fresher work first, for callers whose old requests are likely abandoned).
 *
 * @example
 * ```ts
 * import { bulkhead, type BulkheadOverflow } from 'crackstop';
 *
 * const overflow: BulkheadOverflow = 'drop-oldest';
 * const policy = bulkhead({ limit: 4, queue: { capacity: 16, overflow } });
 * ```
 */
export type BulkheadOverflow = 'reject-new' | 'drop-oldest';

/**
 * The wait queue of a bulkhead.
 *
 * @example
 * ```ts
 * import { bulkhead, type BulkheadQueueOptions } from 'crackstop';
 *
 * const queue: BulkheadQueueOptions = { capacity: 100, maxWaitMs: 2_000, overflow: 'reject-new' };
 * const policy = bulkhead({ limit: 10, queue });
 * ```
 */
export interface BulkheadQueueOptions {
  /** How many calls may wait for a permit, an integer >= 0 (0: refuse at once when full). @defaultValue 0 */
  readonly capacity?: number;
  /**
   * How long a call may wait for a permit before it is refused, in milliseconds, >= 0 (0: never
   * wait; a call that finds every permit taken is refused at once). @defaultValue Infinity
   */
  readonly maxWaitMs?: number;
  /** Who is refused when the wait queue is full. @defaultValue `'reject-new'` */
  readonly overflow?: BulkheadOverflow;
}

/**
 * Options of {@link bulkhead}.
 *
 * @example
 * ```ts
 * import { bulkhead, type BulkheadOptions } from 'crackstop';
 *
 * const options: BulkheadOptions = { limit: 8, queue: { capacity: 32, maxWaitMs: 1_000 }, name: 'pg' };
 * const policy = bulkhead(options);
 * ```
 */
export interface BulkheadOptions extends CommonOptions {
  /** The most executions in flight at once, an integer >= 1. */
  readonly limit: number;
  /** The wait queue. @defaultValue no queue: a call that finds every permit taken is refused */
  readonly queue?: BulkheadQueueOptions;
}

const overflows: readonly BulkheadOverflow[] = ['reject-new', 'drop-oldest'];

/**
 * The bulkhead's own options, checked, with their defaults.
 *
 * @internal
 */
export interface BulkheadSettings {
  readonly limit: number;
  readonly queueCapacity: number;
  readonly maxWaitMs: number;
  readonly overflow: BulkheadOverflow;
}

/**
 * Checks `limit` and `queue` (the common options are checked by the policy's base): TypeError or
 * RangeError naming the option and the value.
 *
 * @internal
 */
export function bulkheadSettings(where: string, opts: Readonly<Record<string, unknown>>): BulkheadSettings {
  const limit = checkNumber(where, 'limit', opts['limit'], { min: 1, max: Number.MAX_SAFE_INTEGER, integer: true });
  const queue = checkOptions(`${where} \`queue\``, opts['queue'], ['capacity', 'maxWaitMs', 'overflow']);
  const queueCapacity = optionalNumber(where, 'queue.capacity', queue['capacity'], { min: 0, max: Number.MAX_SAFE_INTEGER, integer: true }, 0);
  const maxWaitMs = optionalNumber(where, 'queue.maxWaitMs', queue['maxWaitMs'], { min: 0, allowInfinity: true }, Infinity);
  const overflow = optionalChoice(where, 'queue.overflow', queue['overflow'], overflows, 'reject-new');
  if (queueCapacity === 0) {
    // They would be ignored: say so rather than accept them.
    for (const key of ['maxWaitMs', 'overflow'] as const) {
      const value = queue[key];
      if (value !== undefined) throw new TypeError(`${where}: \`queue.${key}\` needs a wait queue, but \`queue.capacity\` is 0, got ${describeValue(value)}`);
    }
  }
  return { limit, queueCapacity, maxWaitMs, overflow };
}
