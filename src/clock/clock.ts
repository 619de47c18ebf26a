/**
 * The one source of time and timers for every policy.
 *
 * @module
 */

/**
 * An opaque handle returned by {@link Clock.setTimeout}; pass it back to `clearTimeout`.
 *
 * @example
 * ```ts
 * import { systemClock, type TimerHandle } from 'crackstop';
 *
 * const handle: TimerHandle = systemClock.setTimeout(() => console.log('never'), 1_000);
 * systemClock.clearTimeout(handle);
 * ```
 */
export type TimerHandle = unknown;

/**
 * The one source of time and timers for every crackstop policy. Pass the same clock to a whole
 * set of policies; in tests pass a `ManualClock` from `crackstop/testing` and move time by hand.
 *
 * `now()` must be monotonic (never go backwards, unaffected by wall-clock changes) and in
 * milliseconds. `setTimeout` must accept any delay >= 0, including delays longer than 2^31-1 ms.
 *
 * @example
 * ```ts
 * import { retry, systemClock, type Clock } from 'crackstop';
 *
 * const clock: Clock = systemClock;
 * const policy = retry({ maxAttempts: 3, clock });
 * ```
 */
export interface Clock {
  /** Monotonic time in milliseconds (the origin is arbitrary). */
  now(): number;
  /** Calls `callback` once, `ms` milliseconds from now. */
  setTimeout(callback: () => void, ms: number): TimerHandle;
  /** Cancels a timer; a handle that already fired or was cleared is ignored. */
  clearTimeout(handle: TimerHandle): void;
}
