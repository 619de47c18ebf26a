/**
 * Options of the circuit breaker: plain data (JSON-serialisable apart from `clock`, `events`,
 * `isFailure`, `random` and a backoff `openMs`), so a window and its thresholds can come from a
 * config file.
 *
 * @module
 */
import type { CommonOptions } from '../core/policy-core.js';
import type { Backoff } from '../retry/backoff.js';
import type { CircuitSnapshot } from './snapshot.js';

/**
 * The states of a circuit:
 * - `closed`: calls run, and their outcomes are recorded in the window;
 * - `open`: calls are rejected at once with `CircuitOpenError` until `openMs` has passed;
 * - `half-open`: at most `halfOpen.maxProbes` trial calls run at a time, every other call is
 *   rejected; enough successful probes close the circuit, a failed one opens it again;
 * - `isolated`: forced open by `isolate()` until every handle is released (or `reset()`); calls
 *   are rejected with `IsolatedCircuitError`.
 *
 * @example
 * ```ts
 * import { circuitBreaker, type CircuitState } from 'crackstop';
 *
 * const breaker = circuitBreaker();
 * const state: CircuitState = breaker.state; // 'closed'
 * ```
 */
export type CircuitState = 'closed' | 'open' | 'half-open' | 'isolated';

/**
 * Opens after `failures` failures in a row; any success ends the run. With `slowCallMs`, a call
 * slower than that counts like a failure in the run.
 *
 * @example
 * ```ts
 * import { circuitBreaker, type ConsecutiveWindowOptions } from 'crackstop';
 *
 * const window: ConsecutiveWindowOptions = { kind: 'consecutive', failures: 3 };
 * const breaker = circuitBreaker({ window });
 * ```
 */
export interface ConsecutiveWindowOptions {
  readonly kind: 'consecutive';
  /** Failures in a row that open the circuit, an integer >= 1. @defaultValue 5 */
  readonly failures?: number;
  /** A call that takes longer than this (in ms) counts like a failure. @defaultValue none */
  readonly slowCallMs?: number;
}

/** Options the count and time windows share. */
interface RateWindowOptions {
  /** The failure rate in (0, 1] at or above which the circuit opens. @defaultValue 0.5 */
  readonly failureRate?: number;
  /** Calls the window must hold before either rate can open the circuit, an integer >= 1. */
  readonly minimumCalls?: number;
  /** A call that takes longer than this (in ms) is slow. @defaultValue none (no call is slow) */
  readonly slowCallMs?: number;
  /** The slow-call rate in (0, 1] at or above which the circuit opens (needs `slowCallMs`). @defaultValue 1 */
  readonly slowCallRate?: number;
}

/**
 * Opens when, among the last `size` calls (and at least `minimumCalls` of them), the failure
 * rate reaches `failureRate` or the slow-call rate reaches `slowCallRate`.
 *
 * @example
 * ```ts
 * import { circuitBreaker, type CountWindowOptions } from 'crackstop';
 *
 * const window: CountWindowOptions = { kind: 'count', size: 50, failureRate: 0.5, minimumCalls: 10 };
 * const breaker = circuitBreaker({ window });
 * ```
 */
export interface CountWindowOptions extends RateWindowOptions {
  readonly kind: 'count';
  /** How many of the latest calls the window holds, an integer in [1, 1000000]. @defaultValue 100 */
  readonly size?: number;
  /** @defaultValue `size` */
  readonly minimumCalls?: number;
}

/**
 * Opens when, among the calls of the last `durationMs` (and at least `minimumCalls` of them),
 * the failure rate reaches `failureRate` or the slow-call rate reaches `slowCallRate`. The window
 * is `buckets` buckets of `durationMs / buckets` ms each: it holds the current bucket and the
 * `buckets - 1` before it, and expires by the clock (after an idle gap no stale call counts).
 *
 * @example
 * ```ts
 * import { circuitBreaker, type TimeWindowOptions } from 'crackstop';
 *
 * const window: TimeWindowOptions = { kind: 'time', durationMs: 10_000, buckets: 10, failureRate: 0.5, minimumCalls: 20 };
 * const breaker = circuitBreaker({ window });
 * ```
 */
export interface TimeWindowOptions extends RateWindowOptions {
  readonly kind: 'time';
  /** The length of the window in ms. @defaultValue 30000 */
  readonly durationMs?: number;
  /** How many buckets the window is made of, an integer in [1, 10000] and <= `durationMs`. @defaultValue 10 */
  readonly buckets?: number;
  /** @defaultValue 10 */
  readonly minimumCalls?: number;
}

/**
 * The window of recent calls that decides when a closed circuit opens.
 *
 * @example
 * ```ts
 * import type { WindowOptions } from 'crackstop';
 *
 * const fromConfig: WindowOptions = JSON.parse('{"kind":"count","size":20,"failureRate":0.5}');
 * ```
 */
export type WindowOptions = ConsecutiveWindowOptions | CountWindowOptions | TimeWindowOptions;

/**
 * How a half-open circuit tries the dependency again.
 *
 * @example
 * ```ts
 * import { circuitBreaker, type HalfOpenOptions } from 'crackstop';
 *
 * const halfOpen: HalfOpenOptions = { maxProbes: 2, successesToClose: 4, probeTimeoutMs: 5_000 };
 * const breaker = circuitBreaker({ halfOpen });
 * ```
 */
export interface HalfOpenOptions {
  /** Trial calls allowed at the same time, an integer >= 1. @defaultValue 1 */
  readonly maxProbes?: number;
  /** Successful probes that close the circuit, an integer >= 1. @defaultValue `maxProbes` */
  readonly successesToClose?: number;
  /** A probe still running after this many ms is given up (rejected with `TimeoutError`) and counts as a failure. @defaultValue 10000 */
  readonly probeTimeoutMs?: number;
}

/**
 * What a call gave, as seen by `isFailure`: a value (`ok: true`) or an error (`ok: false`).
 *
 * @example
 * ```ts
 * import type { CircuitOutcome } from 'crackstop';
 *
 * const serverError = (o: CircuitOutcome<unknown>) => (o.ok ? o.value instanceof Response && o.value.status >= 500 : true);
 * ```
 */
export type CircuitOutcome<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: unknown };

/**
 * Options of {@link circuitBreaker}.
 *
 * @example
 * ```ts
 * import { circuitBreaker, exponentialBackoff, type CircuitBreakerOptions } from 'crackstop';
 *
 * const options: CircuitBreakerOptions = {
 *   name: 'payments',
 *   window: { kind: 'time', durationMs: 30_000, buckets: 10, failureRate: 0.5, minimumCalls: 20, slowCallMs: 2_000, slowCallRate: 0.8 },
 *   openMs: exponentialBackoff({ initialMs: 5_000, maxMs: 60_000, jitter: 'none' }),
 *   halfOpen: { maxProbes: 2, probeTimeoutMs: 5_000 },
 * };
 * const breaker = circuitBreaker(options);
 * ```
 */
export interface CircuitBreakerOptions extends CommonOptions {
  /** @defaultValue `{ kind: 'consecutive', failures: 5 }` */
  readonly window?: WindowOptions;
  /**
   * How long the circuit stays open before a probe is allowed, in ms: a number, or a backoff
   * (`backoff.delay(n)` for the n-th opening in a row, so repeated openings wait longer; the
   * sequence starts again when the circuit closes).
   *
   * @defaultValue 10000
   */
  readonly openMs?: number | Backoff;
  /** @defaultValue `{ maxProbes: 1, successesToClose: 1, probeTimeoutMs: 10000 }` */
  readonly halfOpen?: HalfOpenOptions;
  /**
   * Whether an outcome counts as a failure. It sees errors and results alike, so a result (an
   * HTTP 503 response) can count as a failure. A result it declines is a success; an error it
   * declines counts as nothing (neither success nor failure). Calls whose caller aborted (whatever
   * they settle with) and rejections by other policies (`isRejection`) never reach it and never
   * count.
   *
   * @defaultValue every error is a failure, every result a success
   */
  readonly isFailure?: (outcome: CircuitOutcome<unknown>) => boolean;
  /** State saved by `snapshot()` (for example before a restart) to start from. */
  readonly initialState?: CircuitSnapshot;
  /** A source of numbers in [0, 1) for a jittered backoff `openMs`. @defaultValue `systemRandom` */
  readonly random?: () => number;
}
