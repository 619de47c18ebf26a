/**
 * One registered check: runs its function bounded by a timeout, caches the result, and never runs
 * it twice at once (single flight, including a run abandoned at its timeout that has not settled,
 * until it is written off after `stuckLimitMs`).
 *
 * @internal
 * @module
 */
import type { Clock } from '../clock/clock.js';
import { Scope } from '../core/scope.js';
import { TimeoutError } from '../timeout/timeout-error.js';
import { interpret, thrown, type Finding } from './check-result.js';
import { isThenable } from '../core/thenable.js';
import type { CheckContext, HealthCheckEntry, HealthStatus } from './types.js';

/** Everything fixed about a check once it is registered. */
export interface CheckSpec {
  readonly name: string;
  /** `name:measurement`, the key of its entry in a report. */
  readonly key: string;
  readonly measurement: string;
  readonly fn: (context: CheckContext) => unknown;
  readonly critical: boolean;
  readonly timeoutMs: number;
  readonly cacheMs: number;
  readonly componentType: string;
  readonly componentId: string | undefined;
}

/** A check's latest result. */
export interface Observation {
  readonly status: HealthStatus;
  readonly entry: HealthCheckEntry;
  /** The clock time it was made at (for caching). */
  readonly at: number;
}

/** What a runner needs from the health check it belongs to. */
export interface RunnerHost {
  readonly clock: Clock;
  /** The wall time as ISO 8601, for entries. */
  wallTime(): string;
  describeError(error: unknown): string;
  /** Told after each new observation, with the status before it. */
  observed(runner: CheckRunner, previous: HealthStatus | undefined): void;
}

type MutableEntry = { -readonly [K in keyof HealthCheckEntry]: HealthCheckEntry[K] };

/**
 * How long a run abandoned at its timeout may stay unsettled before it is written off and the
 * check is started again: a run that never settles (a client that ignores its signal, such as
 * node-postgres) must not fail the check for ever. At most one run per this bound piles up.
 */
export function stuckLimitMs(timeoutMs: number): number {
  return Math.max(30_000, 10 * timeoutMs);
}

export class CheckRunner {
  readonly spec: CheckSpec;
  readonly host: RunnerHost;
  /** The latest observation, if the check ever ran. */
  last: Observation | undefined = undefined;
  /** Whether the check ever passed (for startup in `checks` mode). */
  passedOnce = false;
  /** Invocations of the check function that have not settled: 0 or 1, more only once stuck runs were written off. */
  running = 0;
  /** The round in progress, shared by every caller until it ends. */
  #round: Promise<Observation> | undefined = undefined;
  /** When the latest invocation started. */
  #startedAt = 0;
  /** Set when the latest invocation was abandoned at its timeout and has not settled since. */
  #abandoned = false;
  /** Counts invocations, so that an earlier one settling late does not clear the latest one's state. */
  #generation = 0;

  constructor(spec: CheckSpec, host: RunnerHost) {
    this.spec = spec;
    this.host = host;
  }

  /** The check's current result: cached, shared with a round in progress, or from a new run. Never rejects. */
  observe(): Promise<Observation> {
    const round = this.#round;
    if (round !== undefined) return round;
    const now = this.host.clock.now();
    const last = this.last;
    if (last !== undefined && now - last.at < this.spec.cacheMs) return Promise.resolve(last);
    const stuck = now - this.#startedAt;
    if (this.#abandoned && stuck < stuckLimitMs(this.spec.timeoutMs)) {
      // Starting again would pile probes up on a dependency that already does not answer.
      const output = `not started again: its previous run is still running after ${round2(stuck)} ms (timeout ${this.spec.timeoutMs} ms)`;
      return Promise.resolve(this.#record({ status: 'fail', output }, this.#startedAt));
    }
    return this.#run(now);
  }

  #run(start: number): Promise<Observation> {
    const scope = new Scope(1);
    let value: unknown;
    try {
      value = this.spec.fn(scope);
      if (!isThenable(value)) return Promise.resolve(this.#record(interpret(value), start));
    } catch (error) {
      // The check threw, or its value's `then` getter did.
      return Promise.resolve(this.#record(this.#thrown(error), start));
    }
    const clock = this.host.clock;
    const timeoutMs = this.spec.timeoutMs;
    const generation = ++this.#generation;
    this.running++;
    this.#startedAt = start;
    this.#abandoned = false;
    let open = true; // the round has not ended (by the check's outcome or its timeout)
    let finished = false; // the invocation has settled (a misbehaving thenable may call back twice)
    let timer: unknown = undefined;
    const thenable = value;
    const round = new Promise<Observation>((resolve) => {
      const settle = (finding: Finding): void => {
        if (finished) return;
        finished = true;
        this.running--;
        if (generation === this.#generation) this.#abandoned = false;
        if (!open) return; // abandoned at the timeout, which was already reported
        open = false;
        clock.clearTimeout(timer);
        this.#round = undefined;
        resolve(this.#record(finding, start));
      };
      timer = clock.setTimeout(() => {
        if (!open) return;
        open = false;
        this.#round = undefined;
        this.#abandoned = true;
        resolve(this.#record({ status: 'fail', output: `timed out after ${timeoutMs} ms` }, start));
        scope.abort(new TimeoutError(timeoutMs, { message: `Health check '${this.spec.name}' timed out after ${timeoutMs} ms` }));
      }, timeoutMs - (clock.now() - start));
      try {
        thenable.then(
          (result) => settle(interpret(result)),
          (error: unknown) => settle(this.#thrown(error)),
        );
      } catch (error) {
        settle(this.#thrown(error));
      }
    });
    if (open) this.#round = round;
    return round;
  }

  #thrown(error: unknown): Finding {
    return thrown(error, (e) => this.host.describeError(e));
  }

  /** Makes the observation, remembers it and tells the host. Never throws: the round it ends must resolve. */
  #record(finding: Finding, start: number): Observation {
    const spec = this.spec;
    const host = this.host;
    const at = host.clock.now();
    let observedValue = finding.observedValue;
    let observedUnit = finding.observedUnit;
    if (observedValue === undefined && spec.measurement === 'responseTime') {
      observedValue = round2(at - start);
      observedUnit = 'ms';
    }
    // Built field by field, in the draft's order, so that the JSON reads naturally.
    const entry: MutableEntry = {} as MutableEntry;
    if (spec.componentId !== undefined) entry.componentId = spec.componentId;
    entry.componentType = spec.componentType;
    if (observedValue !== undefined) entry.observedValue = observedValue;
    if (observedUnit !== undefined) entry.observedUnit = observedUnit;
    entry.status = finding.status;
    entry.time = host.wallTime();
    if (finding.status !== 'pass' && finding.output !== undefined) entry.output = finding.output;
    const observation: Observation = { status: finding.status, entry, at };
    const previous = this.last?.status;
    this.last = observation;
    if (finding.status === 'pass') this.passedOnce = true;
    try {
      host.observed(this, previous);
    } catch (error) {
      console.error(`crackstop: health check '${spec.name}': reporting its result failed:`, error);
    }
    return observation;
  }
}

/** Rounds a duration to 0.01 ms. */
function round2(ms: number): number {
  return Math.round(ms * 100) / 100;
}
