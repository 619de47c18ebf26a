/**
 * Events of the timeout policy.
 *
 * @module
 */
import type { EventBase } from '../events/types.js';

/**
 * An attempt was given up at its deadline (never emitted for a caller's abort).
 *
 * @example
 * ```ts
 * import { createEventHub } from 'crackstop';
 *
 * createEventHub().on('timeout', (e) => console.warn(`${e.name}: attempt ${e.attempt} timed out after ${e.timeoutMs} ms`));
 * ```
 */
export interface TimeoutEvent extends EventBase {
  readonly type: 'timeout';
  readonly kind: 'timeout';
  /** The deadline that passed. */
  readonly timeoutMs: number;
  /** The attempt number of the enclosing retry (1 without one). */
  readonly attempt: number;
}

/**
 * Work abandoned at its deadline settled later. Exactly one per timed-out attempt whose work
 * eventually settles; its late error (if any) is reported here and never becomes an unhandled
 * rejection.
 *
 * @example
 * ```ts
 * import { createEventHub } from 'crackstop';
 *
 * createEventHub().on('timeout.late', (e) => console.warn(`${e.name}: abandoned work ${e.outcome} ${e.lateByMs} ms after its deadline`));
 * ```
 */
export interface TimeoutLateEvent extends EventBase {
  readonly type: 'timeout.late';
  readonly kind: 'timeout';
  /** How the abandoned work settled. */
  readonly outcome: 'fulfilled' | 'rejected';
  /** Its error, when it was rejected. */
  readonly error: unknown;
  /** How long after the deadline it settled. */
  readonly lateByMs: number;
  /** The deadline that had passed. */
  readonly timeoutMs: number;
}
