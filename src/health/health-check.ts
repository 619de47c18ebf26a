/**
 * The health check builder.
 *
 * @module
 */
import type { Clock } from '../clock/clock.js';
import { systemClock } from '../clock/system-clock.js';
import { wallClockNow } from '../clock/wall-clock.js';
import { describeValue } from '../core/validate.js';
import { createEventHub, type EventHub } from '../events/event-hub.js';
import { defaultErrorOutput } from './check-result.js';
import { CheckRunner, type CheckSpec, type RunnerHost } from './check-runner.js';
import {
  breakerCheck,
  bulkheadCheck,
  checkComponent,
  drainOf,
  pressureSpec,
  shedderCheck,
  type BreakerLike,
  type BulkheadLike,
  type ShedderLike,
} from './components.js';
import { Drainer, type DrainHost, type DrainOptions, type DrainSummary } from './drain.js';
import type { Health, LifecycleState } from './health.js';
import { buildReport, failedReport, lifecycleEntry, type Life, type Metadata, type View } from './report.js';
import {
  checkName,
  resolveCheckOptions,
  resolveHealthOptions,
  warnAtOption,
  warnOrFail,
  type AddCheckOptions,
  type BreakerCheckOptions,
  type BulkheadCheckOptions,
  type HealthCheckOptions,
  type ShedderCheckOptions,
} from './options.js';
import { StatusEvents } from './status-events.js';
import { isThenable } from '../core/thenable.js';
import type { CheckContext, HealthCheckFunction, HealthReport, HealthStatus } from './types.js';

const where = 'healthCheck()';

class HealthBuilder implements Health, RunnerHost, DrainHost {
  readonly name: string;
  readonly clock: Clock;
  readonly events: EventHub;
  readonly metadata: Metadata;
  readonly #timeoutMs: number;
  readonly #cacheMs: number;
  readonly #startupMode: 'manual' | 'checks';
  readonly #errorOutput: (error: unknown) => string;
  readonly #wallClock: () => number;
  readonly #runners: CheckRunner[] = [];
  readonly #names: Set<string> = new Set();
  readonly #pressure: CheckRunner | undefined;
  readonly #drainer: Drainer;
  readonly #status: StatusEvents;
  #started = false;

  constructor(options: HealthCheckOptions | undefined) {
    const resolved = resolveHealthOptions(where, options);
    this.name = resolved.name;
    this.clock = resolved.clock ?? systemClock;
    this.events = resolved.events ?? createEventHub();
    this.metadata = resolved.metadata;
    this.#timeoutMs = resolved.timeoutMs;
    this.#cacheMs = resolved.cacheMs;
    this.#startupMode = resolved.startup;
    this.#errorOutput = resolved.errorOutput ?? defaultErrorOutput;
    this.#wallClock = resolved.wallClock ?? wallClockNow;
    const { pressure, pressureFailAt } = resolved;
    this.#pressure = pressure === undefined ? undefined : new CheckRunner(pressureSpec(pressure, pressureFailAt, this.#timeoutMs, (e) => this.describeError(e)), this);
    this.#drainer = new Drainer(this);
    this.#status = new StatusEvents(this.name, this.clock, this.events);
  }

  // --- registration -------------------------------------------------------------------------

  add(name: string, check: HealthCheckFunction, options?: AddCheckOptions): Health {
    const at = `${where}.add()`;
    if (typeof check !== 'function') throw new TypeError(`${at}: \`check\` must be a function, got ${describeValue(check)}`);
    this.#register(at, name, options, [], 'responseTime', () => check);
    return this;
  }

  addBreaker(name: string, breaker: BreakerLike, options?: BreakerCheckOptions): Health {
    const at = `${where}.addBreaker()`;
    checkComponent(at, 'breaker', breaker, ['state'], []);
    this.#register(at, name, options, ['whenOpen'], 'state', (o) => breakerCheck(breaker, warnOrFail(at, 'whenOpen', o['whenOpen'])));
    return this;
  }

  addBulkhead(name: string, bulkhead: BulkheadLike, options?: BulkheadCheckOptions): Health {
    const at = `${where}.addBulkhead()`;
    checkComponent(at, 'bulkhead', bulkhead, ['active', 'queued', 'limit'], []);
    const drain = drainOf(at, bulkhead);
    this.#register(at, name, options, ['warnAt'], 'saturation', (o) => bulkheadCheck(bulkhead, warnAtOption(at, o['warnAt'])));
    this.#drainer.addSource(name, () => bulkhead.active + bulkhead.queued, drain);
    return this;
  }

  addShedder(name: string, shedder: ShedderLike, options?: ShedderCheckOptions): Health {
    const at = `${where}.addShedder()`;
    checkComponent(at, 'shedder', shedder, [], ['pressure', 'isOverloaded']);
    const drain = drainOf(at, shedder);
    this.#register(at, name, options, ['whenOverloaded'], 'pressure', (o) => shedderCheck(shedder, warnOrFail(at, 'whenOverloaded', o['whenOverloaded'])));
    this.#drainer.addSource(name, () => (typeof shedder.inFlight === 'number' ? shedder.inFlight : 0), drain);
    return this;
  }

  /** Validates and registers a check; `extra` lists the registration's own option keys (none for `add`). */
  #register(
    at: string,
    name: unknown,
    options: unknown,
    extra: readonly string[],
    measurement: string,
    makeCheck: (raw: Readonly<Record<string, unknown>>) => (context: CheckContext) => unknown,
  ): void {
    const checked = checkName(at, name, this.#names);
    // Components are read, not probed: no timeout or cache of their own unless asked for.
    const defaults = { timeoutMs: this.#timeoutMs, cacheMs: extra.length === 0 ? this.#cacheMs : 0, measurement };
    const { resolved, raw } = resolveCheckOptions(at, options, extra, defaults);
    const spec: CheckSpec = {
      name: checked,
      key: `${checked}:${resolved.measurement}`,
      measurement: resolved.measurement,
      fn: makeCheck(raw),
      critical: resolved.critical,
      timeoutMs: resolved.timeoutMs,
      cacheMs: resolved.cacheMs,
      componentType: resolved.componentType,
      componentId: resolved.componentId,
    };
    this.#names.add(checked);
    this.#runners.push(new CheckRunner(spec, this));
  }

  // --- views ----------------------------------------------------------------------------------

  report(): Promise<HealthReport> {
    const runners = this.#pressure === undefined ? this.#runners : [...this.#runners, this.#pressure];
    return this.#view('report', runners);
  }

  liveness(): Promise<HealthReport> {
    return this.#view('liveness', this.#pressure === undefined ? [] : [this.#pressure]);
  }

  readiness(): Promise<HealthReport> {
    return this.#view('readiness', this.#runners.filter((r) => r.spec.critical));
  }

  startup(): Promise<HealthReport> {
    const probe = this.#startupMode === 'checks' && !this.started;
    return this.#view('startup', probe ? this.#runners.filter((r) => r.spec.critical) : []);
  }

  async #view(view: View, runners: readonly CheckRunner[]): Promise<HealthReport> {
    try {
      const observations = await Promise.all(runners.map((runner) => runner.observe()));
      const life = lifecycleEntry(view, this.#life(), this.wallTime());
      const report = buildReport(this.metadata, runners, observations, life);
      this.#updateOverall(); // once every result of the view is in, never half-way
      return report;
    } catch (error) {
      return failedReport(error); // still answer, never throw
    }
  }

  /** What the lifecycle entry needs to know. */
  #life(): Life {
    const drainer = this.#drainer;
    const waitingFor = this.#startupMode === 'manual' ? undefined : this.#runners.filter((r) => r.spec.critical && !r.passedOnce).map((r) => r.spec.name);
    return { state: this.state, drainElapsedMs: this.clock.now() - drainer.startedAt, deadlineMs: drainer.deadlineMs, waitingFor };
  }

  // --- lifecycle ------------------------------------------------------------------------------

  get started(): boolean {
    if (!this.#started && this.#startupMode === 'checks' && this.#runners.every((r) => !r.spec.critical || r.passedOnce)) this.#started = true;
    return this.#started;
  }

  markStarted(): void {
    if (this.#started) return;
    this.#started = true;
    this.#updateOverall();
  }

  get state(): LifecycleState {
    switch (this.#drainer.phase) {
      case 'open':
        return this.started ? 'running' : 'starting';
      case 'done':
        return 'drained';
      default:
        return 'draining';
    }
  }

  get inFlight(): number {
    return this.#drainer.inFlight;
  }

  track<P extends PromiseLike<unknown>>(work: P): P {
    if (!isThenable(work)) throw new TypeError(`${where}.track(): \`work\` must be a promise, got ${describeValue(work)}`);
    this.#drainer.track(work);
    return work;
  }

  beginWork(): void {
    this.#drainer.begin();
  }

  endWork(): void {
    this.#drainer.end();
  }

  drain(options?: DrainOptions): Promise<DrainSummary> {
    const promise = this.#drainer.drain(options);
    this.#updateOverall();
    return promise;
  }

  // --- hosts of runners and the drainer -------------------------------------------------------

  wallTime(): string {
    try {
      return new Date(this.#wallClock()).toISOString();
    } catch {
      return new Date(wallClockNow()).toISOString();
    }
  }

  describeError(error: unknown): string {
    return this.#errorOutput(error);
  }

  observed(runner: CheckRunner, previous: HealthStatus | undefined): void {
    const last = runner.last;
    if (last !== undefined) this.#status.checkObserved(runner.spec.name, previous, last.status, last.entry.output);
  }

  drainEvent(phase: 'start' | 'refuse' | 'end', inFlight: number, completed: number, timedOut: boolean): void {
    if (phase === 'end') this.#updateOverall();
    this.#status.drain(phase, inFlight, completed, timedOut);
  }

  drainError(label: string, error: unknown): void {
    this.#status.reportError(`drain() of '${label}' failed`, error);
  }

  /** Re-evaluates the overall status (the full report's, from the latest results) and reports a change. */
  #updateOverall(): void {
    this.#status.updateOverall(this.#runners, this.#pressure, lifecycleEntry('report', this.#life(), '').status);
  }
}

/**
 * Creates a health check builder: register dependency checks with `add()` (and circuit breakers,
 * bulkheads and load shedders with `addBreaker()`, `addBulkhead()`, `addShedder()`), then serve
 * `liveness()`, `readiness()`, `startup()` and the full `report()` as `application/health+json`
 * (see `healthHandler` in `crackstop/node`), and `drain()` on shutdown. Nothing runs in the
 * background: checks run when a view is asked for.
 *
 * @throws TypeError or RangeError when an option is invalid.
 *
 * @example
 * ```ts
 * import { healthCheck } from 'crackstop';
 *
 * const health = healthCheck({ serviceId: 'orders', version: '1.4.2', timeoutMs: 300 })
 *   .add('postgres', async ({ signal }) => {
 *     const response = await fetch('http://127.0.0.1:5433/ping', { signal });
 *     return response.ok;
 *   }, { componentType: 'datastore' })
 *   .add('recommendations', () => 'warn', { critical: false });
 * health.markStarted();
 * const report = await health.readiness(); // { status: 'pass' | 'warn' | 'fail', checks: { ... } }
 * ```
 */
export function healthCheck(options?: HealthCheckOptions): Health {
  return new HealthBuilder(options);
}
