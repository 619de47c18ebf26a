/**
 * The retry budget: retries allowed only while they stay a fraction of recent calls.
 *
 * @module
 */
import type { Clock } from '../clock/clock.js';
import { systemClock } from '../clock/system-clock.js';
import { checkOptions, optionalClock, optionalNumber } from '../core/validate.js';

/**
 * Options of {@link retryBudget}.
 *
 * @example
 * ```ts
 * import { retryBudget, type RetryBudgetOptions } from 'crackstop';
 *
 * const options: RetryBudgetOptions = { ratio: 0.1, minPerSecond: 5, windowMs: 10_000 };
 * const budget = retryBudget(options);
 * ```
 */
export interface RetryBudgetOptions {
  /** Retries allowed per call in the window (0.2: one retry for every five calls). @defaultValue 0.2 */
  readonly ratio?: number;
  /** A floor of retries per second, so that low traffic can still retry. @defaultValue 10 */
  readonly minPerSecond?: number;
  /** The sliding window, in milliseconds. @defaultValue 10000 */
  readonly windowMs?: number;
  /** @defaultValue `systemClock`; give it the same clock as the policies that share it. */
  readonly clock?: Clock;
}

/**
 * A retry budget shared by any number of retry policies.
 *
 * @example
 * ```ts
 * import { retryBudget } from 'crackstop';
 *
 * const budget = retryBudget();
 * budget.recordCall();
 * if (budget.tryRetry()) console.log('a retry is within budget');
 * ```
 */
export interface RetryBudget {
  readonly ratio: number;
  readonly minPerSecond: number;
  readonly windowMs: number;
  /** Counts one call (a first attempt). Retry policies call this for you. */
  recordCall(): void;
  /** Takes one retry from the budget; false (and nothing taken) when it is spent. */
  tryRetry(): boolean;
  /** Calls and retries in the current window, and how many more retries it allows now. */
  snapshot(): { readonly calls: number; readonly retries: number; readonly available: number };
}

/** The window is kept as this many buckets; memory is fixed whatever the call rate. */
const bucketCount = 10;

class SlidingBudget implements RetryBudget {
  readonly #calls = new Float64Array(bucketCount);
  readonly #retries = new Float64Array(bucketCount);
  #totalCalls = 0;
  #totalRetries = 0;
  /** The index (time / width) of the newest bucket. */
  #head: number;
  readonly #width: number;
  readonly #reserve: number;

  readonly ratio: number;
  readonly minPerSecond: number;
  readonly windowMs: number;
  readonly clock: Clock;

  constructor(ratio: number, minPerSecond: number, windowMs: number, clock: Clock) {
    this.ratio = ratio;
    this.minPerSecond = minPerSecond;
    this.windowMs = windowMs;
    this.clock = clock;
    this.#width = windowMs / bucketCount;
    this.#reserve = (minPerSecond * windowMs) / 1000;
    this.#head = Math.floor(clock.now() / this.#width);
  }

  /** Moves the window to now, clearing the buckets that fell out of it (at most all of them). */
  #slot(): number {
    const index = Math.floor(this.clock.now() / this.#width);
    if (index > this.#head) {
      const stale = Math.min(index - this.#head, bucketCount);
      for (let i = 1; i <= stale; i++) {
        const b = (this.#head + i) % bucketCount;
        this.#totalCalls -= this.#calls[b] ?? 0;
        this.#totalRetries -= this.#retries[b] ?? 0;
        this.#calls[b] = 0;
        this.#retries[b] = 0;
      }
      this.#head = index;
    }
    return this.#head % bucketCount;
  }

  #available(): number {
    return Math.max(0, Math.floor(this.ratio * this.#totalCalls + this.#reserve - this.#totalRetries));
  }

  recordCall(): void {
    const b = this.#slot();
    this.#calls[b] = (this.#calls[b] ?? 0) + 1;
    this.#totalCalls++;
  }

  tryRetry(): boolean {
    const b = this.#slot();
    if (this.#totalRetries + 1 > this.ratio * this.#totalCalls + this.#reserve) return false;
    this.#retries[b] = (this.#retries[b] ?? 0) + 1;
    this.#totalRetries++;
    return true;
  }

  snapshot(): { readonly calls: number; readonly retries: number; readonly available: number } {
    this.#slot();
    return { calls: this.#totalCalls, retries: this.#totalRetries, available: this.#available() };
  }
}

/**
 * Creates a retry budget (as in Finagle and Envoy): a retry is allowed only while the retries in
 * the sliding window stay within `ratio` × the calls in the window, plus `minPerSecond` × the
 * window in seconds. Share one budget between every retry policy that calls the same dependency,
 * so that when it fails the retry traffic stays a bounded fraction of the real traffic instead of
 * multiplying it. State is fixed-size (ten buckets), O(1) in the call rate.
 *
 * @throws TypeError or RangeError when an option is invalid.
 *
 * @example
 * ```ts
 * import { retry, retryBudget } from 'crackstop';
 *
 * const budget = retryBudget({ ratio: 0.2, minPerSecond: 10 });
 * const reads = retry({ maxAttempts: 3, budget });
 * const writes = retry({ maxAttempts: 2, budget });
 * ```
 */
export function retryBudget(options?: RetryBudgetOptions): RetryBudget {
  const where = 'retryBudget()';
  const opts = checkOptions(where, options, ['ratio', 'minPerSecond', 'windowMs', 'clock']);
  const ratio = optionalNumber(where, 'ratio', opts['ratio'], { min: 0, max: 1_000 }, 0.2);
  const minPerSecond = optionalNumber(where, 'minPerSecond', opts['minPerSecond'], { min: 0, max: 1e9 }, 10);
  const windowMs = optionalNumber(where, 'windowMs', opts['windowMs'], { min: 10, max: 86_400_000 }, 10_000);
  const clock = optionalClock(where, opts['clock']) ?? systemClock;
  return new SlidingBudget(ratio, minPerSecond, windowMs, clock);
}
