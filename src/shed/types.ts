/**
 * The public shape of a load shedder.
 *
 * @module
 */
import type { Clock } from '../clock/clock.js';
import type { ExecuteOptions, Policy, Task } from '../core/policy.js';
import type { EventHub } from '../events/event-hub.js';
import type { ShedPermit } from './permit.js';
import type { ShedPriority } from './priority.js';

/**
 * Options of a load shedder's `execute`: the caller's signal, and the call's priority class.
 *
 * @example
 * ```ts
 * import { loadShedder, type ShedExecuteOptions } from 'crackstop';
 *
 * const shedder = loadShedder({ maxInFlight: 100 });
 * const options: ShedExecuteOptions = { priority: 'critical', signal: AbortSignal.timeout(2_000) };
 * await shedder.execute(() => fetch('http://127.0.0.1:8080/checkout'), options);
 * ```
 */
export interface ShedExecuteOptions extends ExecuteOptions {
  /** The call's priority class. @defaultValue the shedder's `defaultPriority` (`'normal'`) */
  readonly priority?: ShedPriority | undefined;
}

/**
 * What a load shedder sees now, for health checks and dashboards.
 *
 * @example
 * ```ts
 * import { loadShedder, type ShedSnapshot } from 'crackstop';
 *
 * const shedder = loadShedder({ maxInFlight: 10 });
 * const s: ShedSnapshot = shedder.snapshot();
 * console.log(s.inFlight, s.pressure, s.overloaded, s.loads.inFlight);
 * ```
 */
export interface ShedSnapshot {
  /** Calls admitted and not yet settled (permits not yet released). */
  readonly inFlight: number;
  /** Same as `pressure()`. */
  readonly pressure: number;
  /** Same as `isOverloaded()`. */
  readonly overloaded: boolean;
  /** Same as `draining`: `drain()` was called and every new call is refused. */
  readonly draining: boolean;
  /** Calls admitted since the shedder was created. */
  readonly admitted: number;
  /** Calls refused since the shedder was created. */
  readonly shed: number;
  /** The load of each configured signal, as a fraction of its limit or target (absent when not configured). */
  readonly loads: {
    readonly inFlight?: number;
    readonly queueDelay?: number;
    readonly latency?: number;
    readonly pressure?: number;
  };
}

/**
 * A load shedder: a {@link Policy} that refuses calls with {@link LoadShedError} when the service
 * is over capacity, lower priority classes first.
 *
 * @example
 * ```ts
 * import { loadShedder, type LoadShedder } from 'crackstop';
 *
 * const shedder: LoadShedder = loadShedder({ maxInFlight: 100, latency: { targetMs: 200 } });
 * const health = () => ({ overloaded: shedder.isOverloaded(), pressure: shedder.pressure() });
 * ```
 */
export interface LoadShedder extends Policy {
  /**
   * Runs `fn` if the call is admitted in its priority class (`options.priority`, default
   * `defaultPriority`); otherwise rejects at once with {@link LoadShedError} without running it.
   * An admitted call counts as in flight until `fn` really settles, even if the caller aborted
   * earlier (the work may still be running).
   */
  execute<T>(fn: Task<T>, options?: ShedExecuteOptions): Promise<T>;
  /**
   * A view of this shedder that admits every call in `priority`: a {@link Policy} to put in a
   * `pipeline()`. Views share the shedder's state; the same view is returned for each class.
   *
   * @throws TypeError when `priority` is not a priority class.
   */
  for(priority: ShedPriority): Policy;
  /**
   * The synchronous path: admits a call in `priority` (default `defaultPriority`) and returns its
   * permit, or returns `undefined` (and emits a `shed` event) when it is refused. Release the
   * permit exactly once when the work is done.
   *
   * @throws TypeError when `priority` is not a priority class.
   */
  tryAdmit(priority?: ShedPriority): ShedPermit | undefined;
  /**
   * Reports how long one piece of work waited in a queue behind the shedder before it started,
   * in milliseconds (the `targetQueueDelayMs` signal). Does nothing when that signal is not
   * configured.
   *
   * @throws RangeError when `delayMs` is negative, NaN or infinite.
   */
  recordQueueDelay(delayMs: number): void;
  /** How loaded the service is, in [0, 1]: the most loaded signal as a fraction of its limit or target (1 = at or past it). */
  pressure(): number;
  /**
   * Whether `normal` calls are refused now whatever the random draw: the service is over capacity.
   * A drain does not change it (see `draining`).
   */
  isOverloaded(): boolean;
  /** Everything the shedder sees now. */
  snapshot(): ShedSnapshot;
  /**
   * Lame-duck mode, for a graceful shutdown: from now on every new call is refused, whatever its
   * class (`critical` too), with {@link LoadShedError} of reason `'draining'` (and a `shed` event),
   * through `execute`, the priority views and `tryAdmit`; calls admitted before go on to their
   * end, and `inFlight` counts them until they settle. Idempotent; there is no way back. A health
   * check's drain (`healthCheck().addShedder()`) calls it when its grace period is over.
   */
  drain(): void;
  /** Whether `drain()` was called. */
  readonly draining: boolean;
  /**
   * Calls admitted and not yet settled: an `execute` whose function has not settled yet (even if
   * its caller gave up on it), or a permit not yet released. A health check's drain waits for it
   * to reach 0.
   */
  readonly inFlight: number;
  /** The hard limit of calls in flight (`undefined` when not configured). */
  readonly maxInFlight: number | undefined;
  /** The retry-after hint given with every refusal, in milliseconds. */
  readonly retryAfterMs: number;
  /** The priority of calls that give none. */
  readonly defaultPriority: ShedPriority;
  /** The policy's name, carried by its events. */
  readonly name: string;
  /** The hub the policy's events go to. */
  readonly events: EventHub;
  /** The clock every signal is measured on. */
  readonly clock: Clock;
}
