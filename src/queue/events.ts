/**
 * Events of the bounded queue.
 *
 * @module
 */
import type { EventBase } from '../events/types.js';

/**
 * Why a queue dropped an item: `'drop-newest'` (the queue was full and the pushed item was
 * discarded) or `'drop-oldest'` (the queue was full and its oldest item was evicted to make room).
 *
 * @example
 * ```ts
 * import { boundedQueue, type QueueDropReason } from 'crackstop';
 *
 * const lost: Record<QueueDropReason, number> = { 'drop-newest': 0, 'drop-oldest': 0 };
 * const queue = boundedQueue<string>({ capacity: 10, overflow: 'drop-oldest', onDrop: (_, reason) => lost[reason]++ });
 * ```
 */
export type QueueDropReason = 'drop-newest' | 'drop-oldest';

/**
 * Why a queue refused a push: `'full'` (no room with `overflow: 'reject'`), `'max-wait'` (a
 * blocked producer waited `maxWaitMs` without getting room) or `'closed'` (the queue was closed).
 *
 * @example
 * ```ts
 * import { createEventHub, type QueueRejectReason } from 'crackstop';
 *
 * const refused = new Map<QueueRejectReason, number>();
 * createEventHub().on('queue.rejected', (e) => refused.set(e.reason, (refused.get(e.reason) ?? 0) + 1));
 * ```
 */
export type QueueRejectReason = 'full' | 'max-wait' | 'closed';

/**
 * An item was dropped by the overflow policy (one event per item, after `onDrop` ran).
 *
 * @example
 * ```ts
 * import { createEventHub } from 'crackstop';
 *
 * createEventHub().on('queue.dropped', (e) => console.warn(`${e.name}: dropped an item (${e.reason}), size ${e.size}`));
 * ```
 */
export interface QueueDroppedEvent extends EventBase {
  readonly type: 'queue.dropped';
  readonly kind: 'queue';
  readonly reason: QueueDropReason;
  /** The dropped item itself. */
  readonly item: unknown;
  /** The queue's size after the drop (and after the new item was added, for `'drop-oldest'`). */
  readonly size: number;
}

/**
 * A push was refused: its producer got a `QueueFullError` or `QueueClosedError` and still owns
 * the item. Not emitted for a producer's own abort.
 *
 * @example
 * ```ts
 * import { createEventHub } from 'crackstop';
 *
 * createEventHub().on('queue.rejected', (e) => console.warn(`${e.name}: push refused (${e.reason})`));
 * ```
 */
export interface QueueRejectedEvent extends EventBase {
  readonly type: 'queue.rejected';
  readonly kind: 'queue';
  readonly reason: QueueRejectReason;
  /** The queue's size when the push was refused. */
  readonly size: number;
}
