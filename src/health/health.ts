/**
 * The public face of a health check builder.
 *
 * @module
 */
import type { Clock } from '../clock/clock.js';
import type { EventHub } from '../events/event-hub.js';
import type { BreakerLike, BulkheadLike, ShedderLike } from './components.js';
import type { DrainOptions, DrainSummary } from './drain.js';
import type { AddCheckOptions, BreakerCheckOptions, BulkheadCheckOptions, ShedderCheckOptions } from './options.js';
import type { HealthCheckFunction, HealthReport } from './types.js';

/**
 * Where the service is in its life: `starting` until started (see the `startup` option; readiness
 * fails meanwhile), `running`, `draining` from `drain()` until in-flight work reaches zero or the
 * deadline, then `drained`.
 *
 * @example
 * ```ts
 * import { healthCheck, type LifecycleState } from 'crackstop';
 *
 * const state: LifecycleState = healthCheck().state; // 'starting'
 * ```
 */
export type LifecycleState = 'starting' | 'running' | 'draining' | 'drained';

/**
 * A service's health: its dependency checks, the liveness / readiness / startup views of them,
 * and drain (lame-duck mode). Made by {@link healthCheck}; every view returns an
 * `application/health+json` document, answers within the longest check timeout, and never rejects.
 *
 * @example
 * ```ts
 * import { healthCheck, type Health } from 'crackstop';
 *
 * const health: Health = healthCheck({ serviceId: 'orders' })
 *   .add('upstream', async ({ signal }) => (await fetch('http://127.0.0.1:8080/ping', { signal })).ok);
 * health.markStarted();
 * const readiness = await health.readiness();
 * console.log(readiness.status); // 'pass' or 'fail'
 * ```
 */
export interface Health {
  /** The name carried by this health check's events. */
  readonly name: string;
  /** The clock timeouts, caching and drain deadlines are measured on. */
  readonly clock: Clock;
  /** Where `health.changed` and `health.drain` events go. */
  readonly events: EventHub;

  /**
   * Registers a dependency check (see `CheckReturn` for what it may return). Checks run in
   * parallel, each bounded by its timeout, with its result reused for `cacheMs`; a check is never
   * run twice at once, not even when an earlier run was abandoned at its timeout and is still
   * running (it is then reported `fail` without being started again), until that run has been
   * stuck for `max(30 s, 10 × timeoutMs)`: it is then written off and the check started anew.
   *
   * @throws TypeError or RangeError when the name is taken or invalid, or an option is invalid.
   */
  add(name: string, check: HealthCheckFunction, options?: AddCheckOptions): Health;
  /**
   * Registers a circuit breaker (crackstop's `circuitBreaker()`, or anything with its `state`):
   * closed passes, half-open warns, open and isolated give `whenOpen`.
   */
  addBreaker(name: string, breaker: BreakerLike, options?: BreakerCheckOptions): Health;
  /**
   * Registers a bulkhead (crackstop's `bulkhead()`, or anything with `active`, `queued`, `limit`):
   * the share of its limit in use is the observed value (`name:saturation`, in percent); its
   * `active + queued` count as in-flight work for `drain()`, which calls its `drain()` (if it has
   * one) so that it refuses new work.
   */
  addBulkhead(name: string, bulkhead: BulkheadLike, options?: BulkheadCheckOptions): Health;
  /**
   * Registers a load shedder (crackstop's `loadShedder()`, or anything with `pressure()` and
   * `isOverloaded()`): its pressure is the observed value (`name:pressure`, in percent),
   * `whenOverloaded` while it sheds; its `inFlight` (if it has one) counts as in-flight work for
   * `drain()`, which calls its `drain()` (if it has one) so that it refuses new work.
   */
  addShedder(name: string, shedder: ShedderLike, options?: ShedderCheckOptions): Health;

  /** The full report: every check, the process pressure and the lifecycle state. */
  report(): Promise<HealthReport>;
  /**
   * Whether the process itself is alive: never runs a dependency check. Fails only when the
   * `pressure` probe reaches `pressureFailAt`, or when a drain has outlasted its deadline.
   */
  liveness(): Promise<HealthReport>;
  /**
   * Whether to send traffic here: the critical checks, and `fail` until started (see the
   * `startup` option) and as soon as a drain starts.
   */
  readiness(): Promise<HealthReport>;
  /** Whether the service has started: see the `startup` option. Once passed, it stays passed. */
  startup(): Promise<HealthReport>;

  /** Marks the service started (whatever the `startup` mode): startup and readiness stop failing for it. */
  markStarted(): void;
  /** Whether the service has started. */
  readonly started: boolean;
  /** Where the service is in its life. */
  readonly state: LifecycleState;
  /**
   * Work in flight: tracked promises, `beginWork()`s not yet ended, and the in-flight counts of
   * registered components (a request that holds a bulkhead permit counts in both).
   */
  readonly inFlight: number;

  /**
   * Counts `work` as in flight until it settles, and returns it unchanged (its rejection still
   * reaches whoever awaits it; the tracking itself never causes an unhandled rejection).
   *
   * @throws TypeError when `work` is not a promise (or thenable).
   */
  track<P extends PromiseLike<unknown>>(work: P): P;
  /**
   * Counts one piece of work as in flight until its `endWork()`: `track()` without a promise, for
   * hot paths that should not allocate (`gracefulShutdown()` counts HTTP requests this way). Call
   * `endWork()` exactly once for each `beginWork()`, however the work ends.
   */
  beginWork(): void;
  /**
   * Ends one piece of work counted by `beginWork()`. With nothing in flight it does nothing (the
   * count never goes below zero).
   */
  endWork(): void;
  /**
   * Starts lame-duck mode: readiness fails at once; after `graceMs`, registered bulkheads and
   * shedders are told to refuse new work (their `drain()`); resolves when in-flight work reaches
   * zero, or at `deadlineMs` with what is still running. Idempotent: later calls return the first
   * drain's promise.
   *
   * @throws TypeError or RangeError (synchronously) when an option is invalid.
   */
  drain(options?: DrainOptions): Promise<DrainSummary>;
}
