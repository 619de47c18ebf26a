/**
 * Events of the bulkhead.
 *
 * @module
 */
import type { EventBase } from '../events/types.js';
import type { BulkheadRejectReason } from './bulkhead-rejected-error.js';

/**
 * A bulkhead refused a call: its caller got a `BulkheadRejectedError` with the same `reason`. One
 * per refused call; none for a caller's own abort.
 *
 * @example
 * ```ts
 * import { createEventHub } from 'crackstop';
 *
 * createEventHub().on('bulkhead.rejected', (e) => console.warn(`${e.name}: refused (${e.reason}), ${e.active}/${e.limit} running, ${e.queued} waiting`));
 * ```
 */
export interface BulkheadRejectedEvent extends EventBase {
  readonly type: 'bulkhead.rejected';
  readonly kind: 'bulkhead';
  readonly reason: BulkheadRejectReason;
  /** Executions in flight when it happened. */
  readonly active: number;
  /** Calls waiting when it happened: after the refused call left (and, for `'evicted'`, the newer call took its place). */
  readonly queued: number;
  /** The bulkhead's limit. */
  readonly limit: number;
}
