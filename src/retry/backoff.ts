/**
 * Backoffs: pure values that give the delay before each retry.
 *
 * @module
 */
import { checkNumber, checkOptions, optionalChoice, optionalNumber } from '../core/validate.js';

/**
 * How randomness spreads the delays of many clients that failed at the same time:
 * - `none`: the computed delay itself (synchronised clients stay synchronised);
 * - `full`: uniform in [0, delay] (AWS "full jitter"; the best spread);
 * - `equal`: uniform in [delay/2, delay];
 * - `decorrelated`: uniform between `initialMs` and `factor` × the previous delay or the
 *   un-jittered exponential delay of this retry, whichever is larger: it depends on the previous
 *   delay, still grows like the exponential delay, and never piles up at `maxMs` (exponential only).
 *
 * @example
 * ```ts
 * import { exponentialBackoff, type Jitter } from 'crackstop';
 *
 * const jitter: Jitter = 'decorrelated';
 * const backoff = exponentialBackoff({ initialMs: 100, maxMs: 10_000, jitter });
 * ```
 */
export type Jitter = 'none' | 'full' | 'equal' | 'decorrelated';

/**
 * The delay before each retry. A backoff is an immutable value and a pure function of the retry
 * number and the previous delay, so one backoff can serve any number of policies and calls: each
 * execution starts its own sequence. Every delay is finite, >= 0 and <= `maxMs`, never NaN, at
 * retry 1 as at retry 10,000.
 *
 * @example
 * ```ts
 * import { exponentialBackoff, type Backoff } from 'crackstop';
 *
 * const backoff: Backoff = exponentialBackoff({ initialMs: 100, maxMs: 5_000 });
 * const first = backoff.delay(1, 0, Math.random); // in [0, 100]
 * ```
 */
export interface Backoff {
  /** The largest delay this backoff returns; it also caps delays from `retryAfterMs`. */
  readonly maxMs: number;
  /**
   * The delay before retry number `retry` (1 for the first retry), in milliseconds.
   *
   * @param retry - 1 for the first retry, 2 for the second, and so on.
   * @param previousMs - the delay before the previous retry (0 before the first).
   * @param random - a source of numbers in [0, 1).
   */
  delay(retry: number, previousMs: number, random: () => number): number;
}

const maxDelay = Number.MAX_SAFE_INTEGER;

/** A random number forced into [0, 1), whatever `random` returns. */
function unit(random: () => number): number {
  const r = random();
  return r >= 0 && r < 1 ? r : r >= 1 ? 1 - Number.EPSILON : 0;
}

/** Applies `none`, `full` or `equal` jitter to `base` and clamps into [0, max]. */
function jittered(jitter: Jitter, base: number, max: number, random: () => number): number {
  const capped = base < max ? base : max;
  switch (jitter) {
    case 'full':
      return unit(random) * capped;
    case 'equal':
      return capped / 2 + (unit(random) * capped) / 2;
    default:
      return capped;
  }
}

class Backoffs implements Backoff {
  readonly maxMs: number;
  readonly compute: (retry: number, previousMs: number, random: () => number) => number;

  constructor(maxMs: number, compute: (retry: number, previousMs: number, random: () => number) => number) {
    this.maxMs = maxMs;
    this.compute = compute;
  }

  delay(retry: number, previousMs: number, random: () => number): number {
    // Defence in depth: whatever the arithmetic did, the contract holds.
    return clampDelay(this.compute(retry, previousMs, random), this.maxMs);
  }
}

/**
 * `delay` forced into [0, maxMs]: negative gives 0, NaN gives `maxMs` (never a hot loop).
 *
 * @internal
 */
export function clampDelay(delay: number, maxMs: number): number {
  return delay >= 0 ? (delay <= maxMs ? delay : maxMs) : delay < 0 ? 0 : maxMs;
}

/**
 * Options of {@link constantBackoff}.
 *
 * @example
 * ```ts
 * import { constantBackoff, type ConstantBackoffOptions } from 'crackstop';
 *
 * const options: ConstantBackoffOptions = { jitter: 'equal' };
 * const backoff = constantBackoff(500, options);
 * ```
 */
export interface ConstantBackoffOptions {
  /** @defaultValue 'none' */
  readonly jitter?: 'none' | 'full' | 'equal';
}

/**
 * The same delay before every retry.
 *
 * @param ms - the delay, >= 0.
 * @throws TypeError or RangeError when an option is invalid.
 *
 * @example
 * ```ts
 * import { constantBackoff, retry } from 'crackstop';
 *
 * const policy = retry({ maxAttempts: 5, backoff: constantBackoff(250) });
 * ```
 */
export function constantBackoff(ms: number, options?: ConstantBackoffOptions): Backoff {
  const where = 'constantBackoff()';
  const delay = checkNumber(where, 'ms', ms, { min: 0, max: maxDelay });
  const opts = checkOptions(where, options, ['jitter']);
  const jitter = optionalChoice(where, 'jitter', opts['jitter'], ['none', 'full', 'equal'], 'none');
  return new Backoffs(delay, (_retry, _previous, random) => jittered(jitter, delay, delay, random));
}

/**
 * Options of {@link linearBackoff}.
 *
 * @example
 * ```ts
 * import { linearBackoff, type LinearBackoffOptions } from 'crackstop';
 *
 * const options: LinearBackoffOptions = { initialMs: 100, stepMs: 100, maxMs: 1_000 };
 * const backoff = linearBackoff(options);
 * ```
 */
export interface LinearBackoffOptions {
  /** The delay before the first retry. @defaultValue 100 */
  readonly initialMs?: number;
  /** Added for each further retry. @defaultValue `initialMs` */
  readonly stepMs?: number;
  /** The largest delay. @defaultValue 30000 */
  readonly maxMs?: number;
  /** @defaultValue 'none' */
  readonly jitter?: 'none' | 'full' | 'equal';
}

/**
 * A delay that grows by `stepMs` for each retry: `initialMs + stepMs × (retry - 1)`, capped at
 * `maxMs`, then jittered.
 *
 * @throws TypeError or RangeError when an option is invalid.
 *
 * @example
 * ```ts
 * import { linearBackoff, retry } from 'crackstop';
 *
 * const policy = retry({ maxAttempts: 4, backoff: linearBackoff({ initialMs: 200, stepMs: 200 }) });
 * ```
 */
export function linearBackoff(options?: LinearBackoffOptions): Backoff {
  const where = 'linearBackoff()';
  const opts = checkOptions(where, options, ['initialMs', 'stepMs', 'maxMs', 'jitter']);
  const initialMs = optionalNumber(where, 'initialMs', opts['initialMs'], { min: 0, max: maxDelay }, 100);
  const stepMs = optionalNumber(where, 'stepMs', opts['stepMs'], { min: 0, max: maxDelay }, initialMs);
  const maxMs = optionalNumber(where, 'maxMs', opts['maxMs'], { min: initialMs, max: maxDelay }, Math.max(30_000, initialMs));
  const jitter = optionalChoice(where, 'jitter', opts['jitter'], ['none', 'full', 'equal'], 'none');
  return new Backoffs(maxMs, (retry, _previous, random) => jittered(jitter, initialMs + stepMs * (retry - 1), maxMs, random));
}

/**
 * Options of {@link exponentialBackoff}.
 *
 * @example
 * ```ts
 * import { exponentialBackoff, type ExponentialBackoffOptions } from 'crackstop';
 *
 * const options: ExponentialBackoffOptions = { initialMs: 50, factor: 3, maxMs: 2_000, jitter: 'decorrelated' };
 * const backoff = exponentialBackoff(options);
 * ```
 */
export interface ExponentialBackoffOptions {
  /** The base delay of the first retry. @defaultValue 100 */
  readonly initialMs?: number;
  /** The growth per retry, >= 1. @defaultValue 2 */
  readonly factor?: number;
  /** The largest delay. @defaultValue 30000 */
  readonly maxMs?: number;
  /** @defaultValue 'full' */
  readonly jitter?: Jitter;
}

/**
 * A delay that grows by `factor` for each retry: `initialMs × factor^(retry - 1)`, capped at
 * `maxMs`, then jittered (full jitter by default, so that many clients that failed together do
 * not retry together). Never overflows: past the cap every delay is the (jittered) cap.
 *
 * @throws TypeError or RangeError when an option is invalid.
 *
 * @example
 * ```ts
 * import { exponentialBackoff, retry } from 'crackstop';
 *
 * const policy = retry({ maxAttempts: 6, backoff: exponentialBackoff({ initialMs: 100, maxMs: 10_000 }) });
 * ```
 */
export function exponentialBackoff(options?: ExponentialBackoffOptions): Backoff {
  const where = 'exponentialBackoff()';
  const opts = checkOptions(where, options, ['initialMs', 'factor', 'maxMs', 'jitter']);
  const initialMs = optionalNumber(where, 'initialMs', opts['initialMs'], { min: 0, max: maxDelay }, 100);
  const factor = optionalNumber(where, 'factor', opts['factor'], { min: 1, max: 1_000 }, 2);
  const maxMs = optionalNumber(where, 'maxMs', opts['maxMs'], { min: initialMs, max: maxDelay }, Math.max(30_000, initialMs));
  const jitter = optionalChoice(where, 'jitter', opts['jitter'], ['none', 'full', 'equal', 'decorrelated'], 'full');
  if (jitter === 'decorrelated') {
    return new Backoffs(maxMs, (retry, previousMs, random) => {
      const previous = previousMs > initialMs ? previousMs : initialMs;
      // Bounded by `factor` × the previous delay alone (as in AWS's formula), a factor below e makes
      // the delays drift back to `initialMs` and bunch up there instead of backing off; the
      // exponential delay of this retry keeps the upper bound growing.
      const base = initialMs === 0 ? 0 : initialMs * factor ** (retry - 1);
      const upper = Math.min(maxMs, Math.max(previous * factor, base));
      return initialMs + unit(random) * (upper - initialMs);
    });
  }
  return new Backoffs(maxMs, (retry, _previous, random) => {
    // initialMs × factor^(retry-1) overflows to Infinity for large retries, which the cap absorbs;
    // 0 × Infinity would be NaN, hence the guard.
    const base = initialMs === 0 ? 0 : initialMs * factor ** (retry - 1);
    return jittered(jitter, base, maxMs, random);
  });
}
