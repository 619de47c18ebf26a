/**
 * The load shedder: admission control from in-flight count, queue delay, latency and an external
 * pressure signal, with priority classes.
 *
 * @module
 */
import type { Policy, Task } from '../core/policy.js';
import { PolicyCore } from '../core/policy-core.js';
import { Scope } from '../core/scope.js';
import { describeValue } from '../core/validate.js';
import { parseShedOptions, type LoadShedderOptions } from './options.js';
import { Permit, settleCall, type PermitOwner, type ShedPermit } from './permit.js';
import { levelOf, priorities, type ShedPriority, type ShedReason } from './priority.js';
import { admitCall, PriorityView, type Admitter } from './priority-view.js';
import { LoadShedError, shedRejection } from './shed-error.js';
import { drainingReason, inFlightReason, reasons, ShedSignals } from './signals.js';
import type { LoadShedder, ShedExecuteOptions, ShedSnapshot } from './types.js';

class Shedder extends PolicyCore implements LoadShedder, PermitOwner, Admitter {
  readonly maxInFlight: number | undefined;
  readonly retryAfterMs: number;
  readonly defaultPriority: ShedPriority;
  readonly #defaultLevel: number;
  /** In-flight count at which each level (critical, normal, sheddable) is refused. */
  readonly #caps: readonly number[];
  readonly #normal: number;
  readonly #sheddable: number;
  readonly #ramp: number;
  readonly #signals: ShedSignals;
  readonly #random: () => number;
  readonly #views: readonly PriorityView[];
  #inFlight = 0;
  #admitted = 0;
  #shed = 0;
  #draining = false;
  /** Set by #refuses: the decision's load, reason index and whether a random draw refused. */
  #load = 0;
  #reason = 0;
  #drawn = false;

  constructor(options: LoadShedderOptions | undefined) {
    const { raw, config } = parseShedOptions(options);
    super('loadShedder()', 'load-shedder', raw);
    const max = config.maxInFlight;
    this.maxInFlight = max;
    this.retryAfterMs = config.retryAfterMs;
    this.defaultPriority = config.defaultPriority;
    this.#defaultLevel = levelOf(config.defaultPriority);
    this.#normal = config.normal;
    this.#sheddable = config.sheddable;
    this.#ramp = config.ramp;
    // A class is refused once inFlight / max >= its threshold (the epsilon absorbs 0.7 * 10 = 7.000000000000001).
    const cap = (threshold: number): number => (max === undefined ? Infinity : Math.max(1, Math.ceil(threshold * max - 1e-9)));
    this.#caps = [max ?? Infinity, cap(config.normal), cap(config.sheddable)];
    this.#signals = new ShedSignals(config, this.clock, (error) => this.#pressureFailed(error));
    this.#random = config.random;
    this.#views = [new PriorityView(this, 0), new PriorityView(this, 1), new PriorityView(this, 2)];
  }

  get inFlight(): number {
    return this.#inFlight;
  }

  get draining(): boolean {
    return this.#draining;
  }

  drain(): void {
    this.#draining = true;
  }

  override execute<T>(fn: Task<T>, options?: ShedExecuteOptions): Promise<T> {
    // A non-function gets the TypeError of every policy, and null options count as none.
    if (typeof fn !== 'function') return super.execute(fn, options);
    if (options === undefined || options === null) return this[admitCall](fn, undefined, this.#defaultLevel);
    const priority = options.priority;
    const level = priority === undefined ? this.#defaultLevel : levelOf(priority);
    if (level < 0) return Promise.reject(invalidPriority('execute', priority));
    // Without a caller's signal there is nothing to link: admit directly (what the view would do).
    if (options.signal === undefined) return this[admitCall](fn, undefined, level);
    return (this.#views[level] as PriorityView).execute(fn, options);
  }

  runScoped<T>(fn: Task<T>, parent: Scope | undefined): Promise<T> {
    return this[admitCall](fn, parent, this.#defaultLevel);
  }

  for(priority: ShedPriority): Policy {
    const view = this.#views[levelOf(priority)];
    if (view === undefined) throw invalidPriority('for', priority);
    return view;
  }

  [admitCall]<T>(fn: Task<T>, parent: Scope | undefined, level: number): Promise<T> {
    if (parent !== undefined && parent.aborted) return Promise.reject(parent.reason);
    let admittedAt: number;
    try {
      // The user's `random` and `clock` run here: if one throws, the call rejects (never throws)
      // and nothing was admitted.
      if (this.#refuses(level)) return Promise.reject(this.#refuse(level, true));
      admittedAt = this.#signals.timesCalls ? this.clock.now() : 0;
    } catch (error) {
      return Promise.reject(error);
    }
    this.#inFlight++;
    this.#admitted++;
    return this.#run(fn, parent ?? new Scope(1), admittedAt);
  }

  async #run<T>(fn: Task<T>, scope: Scope, admittedAt: number): Promise<T> {
    try {
      return await fn(scope);
    } finally {
      this[settleCall](admittedAt, !scope.aborted);
    }
  }

  tryAdmit(priority?: ShedPriority): ShedPermit | undefined {
    const level = priority === undefined ? this.#defaultLevel : levelOf(priority);
    if (level < 0) throw invalidPriority('tryAdmit', priority);
    if (this.#refuses(level)) {
      this.#refuse(level, false);
      return undefined;
    }
    const now = this.clock.now();
    this.#inFlight++;
    this.#admitted++;
    return new Permit(this, priorities[level] as ShedPriority, now);
  }

  /** Ends an admitted call (once: the run's `finally` or the permit's first `release()`). */
  [settleCall](admittedAt: number, complete: boolean): void {
    this.#inFlight--;
    this.#signals.settled(admittedAt, complete);
  }

  recordQueueDelay(delayMs: number): void {
    if (typeof delayMs !== 'number' || !(delayMs >= 0 && delayMs !== Infinity)) {
      const message = `loadShedder().recordQueueDelay(): \`delayMs\` must be a finite number >= 0, got ${describeValue(delayMs)}`;
      throw typeof delayMs === 'number' ? new RangeError(message) : new TypeError(message);
    }
    this.#signals.recordQueueDelay(delayMs);
  }

  pressure(): number {
    const load = this.#signals.measure(this.#inFlight);
    return load < 1 ? load : 1;
  }

  isOverloaded(): boolean {
    return this.#inFlight >= (this.#caps[1] as number) || this.#signals.measure(this.#inFlight) >= this.#normal;
  }

  snapshot(): ShedSnapshot {
    const inFlight = this.#inFlight;
    const loads = this.#signals.loads(inFlight);
    let load = 0;
    for (const value of Object.values(loads)) if (value > load) load = value;
    const overloaded = inFlight >= (this.#caps[1] as number) || load >= this.#normal;
    return { inFlight, pressure: load < 1 ? load : 1, overloaded, draining: this.#draining, admitted: this.#admitted, shed: this.#shed, loads };
  }

  /** Whether a call of `level` is refused now; sets #load, #reason and #drawn. */
  #refuses(level: number): boolean {
    this.#drawn = false;
    if (this.#draining) {
      this.#reason = drainingReason;
      this.#load = 1;
      return true;
    }
    const inFlight = this.#inFlight;
    if (inFlight >= (this.#caps[level] as number)) {
      this.#reason = inFlightReason;
      this.#load = inFlight / (this.maxInFlight as number);
      return true;
    }
    if (level === 0) return false;
    const signals = this.#signals;
    const load = signals.measure(inFlight);
    this.#load = load;
    this.#reason = signals.reason;
    const threshold = level === 1 ? this.#normal : this.#sheddable;
    if (load >= threshold) return true;
    const ramp = this.#ramp;
    if (ramp > 0) {
      const start = threshold - ramp;
      if (load > start && this.#random() * ramp < load - start) {
        this.#drawn = true;
        return true;
      }
    }
    return false;
  }

  #pressureFailed(error: unknown): void {
    const events = this.events;
    if (events.hasListeners('shed.pressure-error')) {
      events.emit({ type: 'shed.pressure-error', kind: 'load-shedder', name: this.name, time: this.clock.now(), error });
    }
  }

  /** Counts and reports a refusal decided by #refuses; builds the caller's error when asked. */
  #refuse(level: number, withError: true): LoadShedError;
  #refuse(level: number, withError: false): undefined;
  #refuse(level: number, withError: boolean): LoadShedError | undefined {
    this.#shed++;
    const priority = priorities[level] as ShedPriority;
    const reason = reasons[this.#reason] as ShedReason;
    const events = this.events;
    if (events.hasListeners('shed')) {
      events.emit({
        type: 'shed',
        kind: 'load-shedder',
        name: this.name,
        time: this.clock.now(),
        priority,
        reason,
        load: this.#load,
        inFlight: this.#inFlight,
        retryAfterMs: this.retryAfterMs,
        random: this.#drawn,
      });
    }
    return withError ? shedRejection({ retryAfterMs: this.retryAfterMs, priority, reason }) : undefined;
  }
}

function invalidPriority(method: string, priority: unknown): TypeError {
  return new TypeError(`loadShedder().${method}(): \`priority\` must be one of "critical", "normal", "sheddable", got ${describeValue(priority)}`);
}

/**
 * Creates a load shedder: admission control that keeps a service inside its capacity ("Shed
 * Load" in *Release It!*, the SRE book's criticality classes). Each call is admitted or refused
 * at once, never queued. Signals, each optional, combined (the most loaded one decides):
 * - `maxInFlight`: the hard limit of calls in flight;
 * - `targetQueueDelayMs`: CoDel-style, shed when work waited longer than this before starting,
 *   for a whole interval (report waits with `recordQueueDelay()` or `permit.started()`);
 * - `latency: { targetMs, percentile, windowMs }`: shed when the window's percentile is over target;
 * - `pressure: () => number`: an external signal in [0, 1] (`eventLoopPressure()` in `crackstop/node`).
 *
 * Each signal's load is a fraction of its limit or target. `sheddable` calls are refused from
 * `thresholds.sheddable` (0.75), `normal` ones from `thresholds.normal` (0.9), `critical` ones
 * only at `maxInFlight` itself. With `ramp`, refusals rise smoothly below each threshold
 * (probabilistic shedding). A refusal rejects with {@link LoadShedError} (code `ERR_LOAD_SHED`,
 * with a `retryAfterMs` hint) and emits a `shed` event. After `drain()` (lame-duck mode) every new
 * call is refused, whatever its class, while admitted calls run to their end. Memory is fixed; no
 * timer is ever set; every time is read from the clock.
 *
 * @throws TypeError or RangeError when an option is invalid, or when no signal is given.
 *
 * @example
 * ```ts
 * import { isLoadShedError, loadShedder } from 'crackstop';
 *
 * const shedder = loadShedder({ maxInFlight: 100, latency: { targetMs: 250 } });
 * try {
 *   await shedder.execute(() => fetch('http://127.0.0.1:8080/search'), { priority: 'sheddable' });
 * } catch (error) {
 *   if (isLoadShedError(error)) console.log(`busy, retry in ${error.retryAfterMs} ms`);
 * }
 * ```
 */
export function loadShedder(options: LoadShedderOptions): LoadShedder {
  return new Shedder(options);
}
