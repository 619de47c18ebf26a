/**
 * Events of the retry policy.
 *
 * @module
 */
import type { EventBase } from '../events/types.js';
import type { RetryOutcome } from './outcome.js';

/**
 * An attempt failed (or returned a result `shouldRetry` rejected) and another will start after
 * `delayMs`. One per retry.
 *
 * @example
 * ```ts
 * import { createEventHub } from 'crackstop';
 *
 * createEventHub().on('retry', (e) => console.log(`attempt ${e.attempt} failed; next in ${Math.round(e.delayMs)} ms`));
 * ```
 */
export interface RetryEvent extends EventBase {
  readonly type: 'retry';
  readonly kind: 'retry';
  /** The attempt that failed (1 for the first). */
  readonly attempt: number;
  /** The wait before the next attempt. */
  readonly delayMs: number;
  /** What the failed attempt gave: its error, or the result that `shouldRetry` rejected. */
  readonly outcome: RetryOutcome<unknown>;
}

/**
 * Why a retry policy stopped on a failure:
 * - `not-retryable`: `shouldRetry` declined the outcome (or it is a rejection by another policy);
 * - `max-attempts`: the last allowed attempt failed;
 * - `max-elapsed`: the next attempt would have started after `maxElapsedMs`;
 * - `budget`: the shared retry budget was spent.
 *
 * @example
 * ```ts
 * import { createEventHub, type RetryGiveUpReason } from 'crackstop';
 *
 * const alarming: ReadonlySet<RetryGiveUpReason> = new Set(['budget', 'max-elapsed']);
 * createEventHub().on('retry.giveup', (e) => {
 *   if (alarming.has(e.reason)) console.warn(`${e.name} gave up: ${e.reason}`);
 * });
 * ```
 */
export type RetryGiveUpReason = 'not-retryable' | 'max-attempts' | 'max-elapsed' | 'budget';

/**
 * A call under retry failed for good: the caller gets the last error (or the last result that
 * `shouldRetry` rejected). One per failed call; none for a success or a caller's abort.
 *
 * @example
 * ```ts
 * import { createEventHub } from 'crackstop';
 *
 * createEventHub().on('retry.giveup', (e) => console.warn(`${e.name}: gave up after ${e.attempts} attempts (${e.reason})`));
 * ```
 */
export interface RetryGiveUpEvent extends EventBase {
  readonly type: 'retry.giveup';
  readonly kind: 'retry';
  /** How many attempts ran. */
  readonly attempts: number;
  readonly reason: RetryGiveUpReason;
  /** The last attempt's outcome, which the caller receives. */
  readonly outcome: RetryOutcome<unknown>;
}
