/**
 * The retry policy.
 *
 * @module
 */
import type { Clock } from '../clock/clock.js';
import { systemRandom } from '../clock/random.js';
import { sleepInScope } from '../clock/sleep.js';
import { isRejection } from '../core/errors.js';
import type { Policy, Task } from '../core/policy.js';
import { commonKeys, PolicyCore, type CommonOptions } from '../core/policy-core.js';
import { Scope } from '../core/scope.js';
import { adopt } from '../core/thenable.js';
import { checkNumber, checkOptions, optionalFunction, optionalNumber, optionalObjectWith } from '../core/validate.js';
import type { EventHub } from '../events/event-hub.js';
import { clampDelay, exponentialBackoff, type Backoff } from './backoff.js';
import type { RetryBudget } from './budget.js';
import type { RetryGiveUpReason } from './events.js';
import type { RetryOutcome } from './outcome.js';

/**
 * Options of {@link retry}.
 *
 * @example
 * ```ts
 * import { exponentialBackoff, retry, type RetryOptions } from 'crackstop';
 *
 * const options: RetryOptions = {
 *   maxAttempts: 4,
 *   backoff: exponentialBackoff({ initialMs: 200, maxMs: 5_000 }),
 *   shouldRetry: (o) => (o.ok ? o.value instanceof Response && o.value.status >= 500 : true),
 * };
 * const policy = retry(options);
 * ```
 */
export interface RetryOptions extends CommonOptions {
  /** All attempts, the first included, an integer >= 1 (or Infinity: stop by abort or `maxElapsedMs`). @defaultValue 3 */
  readonly maxAttempts?: number;
  /** The delay before each retry. @defaultValue `exponentialBackoff()` (100 ms × 2^n, full jitter, max 30 s) */
  readonly backoff?: Backoff;
  /**
   * Whether an outcome is retried. Receives errors and results alike (`ok` tells which), so a
   * result such as an HTTP 503 response can be retried. A caller's abort is never retried.
   *
   * @defaultValue retry every error except rejections by other policies (`isRejection`), never a result
   */
  readonly shouldRetry?: (outcome: RetryOutcome<unknown>) => boolean;
  /**
   * A delay taken from the failure itself (such as an HTTP `Retry-After`), in milliseconds, used
   * instead of the backoff's; `undefined` (or NaN) falls back to the backoff. Capped by the
   * backoff's `maxMs`; negative counts as 0 (retry at once).
   */
  readonly retryAfterMs?: (outcome: RetryOutcome<unknown>) => number | undefined;
  /** No attempt starts later than this after the call began. @defaultValue Infinity */
  readonly maxElapsedMs?: number;
  /** A budget shared by several policies that caps retries to a fraction of calls. */
  readonly budget?: RetryBudget;
  /** A source of numbers in [0, 1) for jitter. @defaultValue `systemRandom` (Math.random) */
  readonly random?: () => number;
}

/**
 * A retry policy.
 *
 * @example
 * ```ts
 * import { retry, type RetryPolicy } from 'crackstop';
 *
 * const policy: RetryPolicy = retry({ maxAttempts: 5 });
 * console.log(policy.maxAttempts); // 5
 * ```
 */
export interface RetryPolicy extends Policy {
  readonly maxAttempts: number;
  readonly backoff: Backoff;
  readonly maxElapsedMs: number;
  /** The policy's name, carried by its events. */
  readonly name: string;
  /** The hub the policy's events go to. */
  readonly events: EventHub;
  /** The clock backoff waits are measured on. */
  readonly clock: Clock;
}

const identity = <V>(value: V): V => value;

/** Zero-delay retries that may run back to back, without a timer, before each retry waits for one. */
const retriesWithoutYield = 10;

const defaultShouldRetry = (outcome: RetryOutcome<unknown>): boolean => !outcome.ok && !isRejection(outcome.error);

class Retry extends PolicyCore implements RetryPolicy {
  readonly maxAttempts: number;
  readonly backoff: Backoff;
  readonly maxElapsedMs: number;
  readonly #shouldRetry: (outcome: RetryOutcome<unknown>) => boolean;
  /** Results are looked at only when the user gave `shouldRetry`; otherwise a value returns at once. */
  readonly #checksResults: boolean;
  readonly #retryAfterMs: ((outcome: RetryOutcome<unknown>) => number | undefined) | undefined;
  readonly #budget: RetryBudget | undefined;
  readonly #random: () => number;

  constructor(options: RetryOptions | undefined) {
    const where = 'retry()';
    const keys = [...commonKeys, 'maxAttempts', 'backoff', 'shouldRetry', 'retryAfterMs', 'maxElapsedMs', 'budget', 'random'];
    const opts = checkOptions(where, options, keys);
    super(where, 'retry', opts);
    this.maxAttempts = optionalNumber(where, 'maxAttempts', opts['maxAttempts'], { min: 1, integer: true, allowInfinity: true }, 3);
    this.backoff = optionalObjectWith<Backoff>(where, 'backoff', opts['backoff'], ['delay']) ?? exponentialBackoff();
    // A custom backoff must say its cap: it also caps delays from `retryAfterMs`.
    checkNumber(where, 'backoff.maxMs', this.backoff.maxMs, { min: 0, max: Number.MAX_SAFE_INTEGER });
    const shouldRetry = optionalFunction<(o: RetryOutcome<unknown>) => boolean>(where, 'shouldRetry', opts['shouldRetry']);
    this.#shouldRetry = shouldRetry ?? defaultShouldRetry;
    this.#checksResults = shouldRetry !== undefined;
    this.#retryAfterMs = optionalFunction(where, 'retryAfterMs', opts['retryAfterMs']);
    this.maxElapsedMs = optionalNumber(where, 'maxElapsedMs', opts['maxElapsedMs'], { min: 0, allowInfinity: true }, Infinity);
    this.#budget = optionalObjectWith<RetryBudget>(where, 'budget', opts['budget'], ['recordCall', 'tryRetry']);
    this.#random = optionalFunction<() => number>(where, 'random', opts['random']) ?? systemRandom;
  }

  runScoped<T>(fn: Task<T>, parent: Scope | undefined): Promise<T> {
    this.#budget?.recordCall();
    if (parent !== undefined || this.#checksResults || this.maxElapsedMs !== Infinity) {
      return this.#attempts(fn, parent, this.maxElapsedMs === Infinity ? 0 : this.clock.now(), false, undefined);
    }
    // The common case (no caller signal, errors-only retries, no elapsed limit): the first
    // attempt runs outside the async loop, so a call that succeeds pays for no async frame.
    let first: T | PromiseLike<T>;
    try {
      first = fn(new Scope(1));
    } catch (error) {
      return this.#attempts(fn, undefined, 0, true, error);
    }
    try {
      // The intrinsic `then` (see adopt): a patched `then` calling back twice starts one loop.
      return adopt(first, identity, (error: unknown) => this.#attempts<T>(fn, undefined, 0, true, error));
    } catch (error) {
      return this.#attempts(fn, undefined, 0, true, error); // a throwing `then` or `constructor` getter
    }
  }

  /** The attempt loop; `failedFirst` says that attempt 1 already ran and threw `firstError`. */
  async #attempts<T>(fn: Task<T>, parent: Scope | undefined, startedAt: number, failedFirst: boolean, firstError: unknown): Promise<T> {
    let previousDelay = 0;
    for (let attempt = 1; ; attempt++) {
      let outcome: RetryOutcome<T>;
      if (attempt === 1 && failedFirst) {
        outcome = { ok: false, error: firstError, attempt };
      } else {
        if (parent !== undefined && parent.aborted) throw parent.reason;
        const context = new Scope(attempt);
        parent?.attach(context);
        let failed = false;
        let value: T | undefined;
        let error: unknown;
        try {
          value = await fn(context);
        } catch (thrown) {
          failed = true;
          error = thrown;
        }
        parent?.detach(context);
        // The caller (or an outer policy) gave up and has been answered already: never a retry,
        // an event, a budget withdrawal or a failure; the work's own outcome goes nowhere.
        if (parent !== undefined && parent.aborted) {
          if (failed) throw parent.reason;
          return value as T;
        }
        if (!failed) {
          if (!this.#checksResults) return value as T;
          // Outside any try: a `shouldRetry` that throws on a result fails the call, not the attempt.
          outcome = { ok: true, value: value as T, attempt };
          if (!this.#shouldRetry(outcome)) return value as T;
        } else {
          outcome = { ok: false, error, attempt };
        }
      }
      if (!outcome.ok && !this.#shouldRetry(outcome)) this.#giveUp(outcome, 'not-retryable');
      const delay = this.#nextDelay(outcome, attempt, previousDelay, startedAt);
      if (typeof delay === 'string') {
        this.#giveUp(outcome, delay);
        if (outcome.ok) return outcome.value;
      }
      previousDelay = delay as number;
      const events = this.events;
      if (events.hasListeners('retry')) {
        events.emit({ type: 'retry', kind: 'retry', name: this.name, time: this.clock.now(), attempt, delayMs: previousDelay, outcome });
      }
      // A zero delay retries at once, but only for the first few attempts: past them every retry
      // waits for a timer (even of 0 ms), so that attempts failing at once cannot starve the event
      // loop, and a caller's abort always gets its turn.
      if (previousDelay > 0 || attempt >= retriesWithoutYield) await sleepInScope(this.clock, previousDelay, parent);
    }
  }

  /** The wait before the next attempt, or why there is none. */
  #nextDelay(outcome: RetryOutcome<unknown>, attempt: number, previousDelay: number, startedAt: number): number | RetryGiveUpReason {
    if (attempt >= this.maxAttempts) return 'max-attempts';
    const backoff = this.backoff;
    let delay: number | undefined = this.#retryAfterMs?.(outcome);
    if (typeof delay !== 'number' || Number.isNaN(delay)) delay = backoff.delay(attempt, previousDelay, this.#random);
    // Whoever gave it (a hook, a custom backoff), the delay is in [0, maxMs] and never NaN.
    delay = clampDelay(delay, backoff.maxMs);
    if (this.maxElapsedMs !== Infinity && this.clock.now() - startedAt + delay > this.maxElapsedMs) return 'max-elapsed';
    if (this.#budget !== undefined && !this.#budget.tryRetry()) return 'budget';
    return delay;
  }

  /** Reports the end of a failed call; throws the error itself when the outcome is one. */
  #giveUp(outcome: RetryOutcome<unknown>, reason: RetryGiveUpReason): void {
    const events = this.events;
    if (events.hasListeners('retry.giveup')) {
      events.emit({ type: 'retry.giveup', kind: 'retry', name: this.name, time: this.clock.now(), attempts: outcome.attempt, reason, outcome });
    }
    if (!outcome.ok) throw outcome.error;
  }
}

/**
 * Creates a retry policy: runs the function up to `maxAttempts` times (the first attempt
 * included), waiting a backoff between attempts. A non-retryable outcome stops at once. After the
 * last attempt the call rejects with the last error itself (the original object, so `instanceof`
 * and its fields survive), or resolves with the last result when results are retried. A caller's
 * abort during an attempt or a backoff wait rejects at once with `signal.reason`: no further
 * attempt starts and no timer is left.
 *
 * @throws TypeError or RangeError when an option is invalid.
 *
 * @example
 * ```ts
 * import { retry } from 'crackstop';
 *
 * const policy = retry({ maxAttempts: 3 });
 * const response = await policy.execute(({ signal }) => fetch('http://127.0.0.1:8080/', { signal }));
 * ```
 */
export function retry(options?: RetryOptions): RetryPolicy {
  return new Retry(options);
}
