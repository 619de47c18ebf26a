/**
 * Drain (lame-duck mode): in-flight accounting and the drain sequence. Readiness fails as soon as
 * a drain starts; after the grace period, registered components refuse new work; the drain ends
 * when in-flight work reaches zero or at the deadline.
 *
 * @internal
 * @module
 */
import type { Clock, TimerHandle } from '../clock/clock.js';
import { checkOptions, optionalNumber } from '../core/validate.js';
import { isThenable } from '../core/thenable.js';

/**
 * Options of `drain()`.
 *
 * @example
 * ```ts
 * import { healthCheck, type DrainOptions } from 'crackstop';
 *
 * const options: DrainOptions = { graceMs: 5_000, deadlineMs: 25_000 };
 * const summary = await healthCheck().drain(options);
 * ```
 */
export interface DrainOptions {
  /**
   * How long after `drain()` the drain gives up waiting, in milliseconds: the promise resolves
   * then with what is still running. Keep it below the orchestrator's grace period (Kubernetes'
   * `terminationGracePeriodSeconds`, 30 s by default). `>= graceMs`.
   *
   * @defaultValue 20000
   */
  readonly deadlineMs?: number;
  /**
   * How long readiness fails before registered components are told to refuse new work, so that
   * load balancers stop sending traffic first (Kubernetes: about `periodSeconds × failureThreshold`
   * of the readiness probe). In-flight work reaching zero during this time does not end the drain.
   *
   * @defaultValue 0
   */
  readonly graceMs?: number;
  /**
   * How often the in-flight counts of registered bulkheads and shedders are read while waiting
   * (tracked promises are noticed at once).
   *
   * @defaultValue 100
   */
  readonly pollMs?: number;
}

/**
 * How a drain ended.
 *
 * @example
 * ```ts
 * import { healthCheck, type DrainSummary } from 'crackstop';
 *
 * const summary: DrainSummary = await healthCheck().drain({ deadlineMs: 10_000 });
 * if (summary.timedOut) console.warn(`${summary.stillRunning} requests cut off`);
 * ```
 */
export interface DrainSummary {
  /**
   * Work that finished during the drain: tracked promises settled since `drain()`, plus the net
   * decrease of registered components' in-flight counts (which are read, not followed one by one).
   */
  readonly completed: number;
  /** Work still in flight when the drain ended (0 unless `timedOut`). */
  readonly stillRunning: number;
  /** Whether the deadline passed with work still in flight. */
  readonly timedOut: boolean;
  /** How long the drain took, in milliseconds. */
  readonly durationMs: number;
}

/** Where a drain is. */
export type DrainPhase = 'open' | 'grace' | 'refusing' | 'done';

/** A registered component's part in the drain. */
interface Source {
  readonly label: string;
  readonly count: () => number;
  readonly drain: (() => unknown) | undefined;
}

/** What the drainer reports to the health check it belongs to. */
export interface DrainHost {
  readonly clock: Clock;
  drainEvent(phase: 'start' | 'refuse' | 'end', inFlight: number, completed: number, timedOut: boolean): void;
  /** A component's `drain()` threw or rejected. */
  drainError(label: string, error: unknown): void;
}

const where = 'drain()';

export class Drainer {
  readonly host: DrainHost;
  phase: DrainPhase = 'open';
  /** Clock time `drain()` was called. */
  startedAt = 0;
  deadlineMs = 0;
  /** Tracked promises not settled yet. */
  tracked = 0;
  readonly #sources: Source[] = [];
  #promise: Promise<DrainSummary> | undefined = undefined;
  #resolve: ((summary: DrainSummary) => void) | undefined = undefined;
  #settledDuring = 0;
  #sourcesAtStart = 0;
  #pollMs = 0;
  #timers: TimerHandle[] = [];

  constructor(host: DrainHost) {
    this.host = host;
  }

  /** In-flight work now: tracked promises plus what registered components report. */
  get inFlight(): number {
    return this.tracked + this.#sourceCount();
  }

  #sourceCount(): number {
    let n = 0;
    for (const source of this.#sources) {
      let count: number;
      try {
        count = source.count();
      } catch {
        count = 0;
      }
      if (Number.isFinite(count) && count > 0) n += count;
    }
    return n;
  }

  addSource(label: string, count: () => number, drain: (() => unknown) | undefined): void {
    const source: Source = { label, count, drain };
    this.#sources.push(source);
    if (this.phase === 'refusing' || this.phase === 'done') this.#tell(source);
  }

  /** One more piece of work in flight. */
  begin(): void {
    this.tracked++;
  }

  /** One piece of work finished (ignored when nothing is in flight, so the count never goes negative). */
  end(): void {
    if (this.tracked === 0) return;
    this.tracked--;
    if (this.phase === 'grace' || this.phase === 'refusing') {
      this.#settledDuring++;
      this.#check();
    }
  }

  /**
   * Counts `work` until it settles. A thenable that calls back twice ends once; one whose `then()`
   * throws is not counted (unless it called back first), and the error goes to the caller.
   */
  track(work: PromiseLike<unknown>): void {
    let ended = false;
    const done = (): void => {
      if (ended) return;
      ended = true;
      this.end();
    };
    this.begin();
    try {
      work.then(done, done);
    } catch (error) {
      if (!ended) {
        ended = true;
        this.tracked--; // never counted: not "completed" either
      }
      throw error;
    }
  }

  /** Starts the drain (idempotent: later calls get the first drain's promise). */
  drain(options: DrainOptions | undefined): Promise<DrainSummary> {
    const opts = checkOptions(where, options, ['deadlineMs', 'graceMs', 'pollMs']);
    const deadlineMs = optionalNumber(where, 'deadlineMs', opts['deadlineMs'], { min: 0, max: Number.MAX_SAFE_INTEGER }, 20_000);
    const graceMs = optionalNumber(where, 'graceMs', opts['graceMs'], { min: 0, max: Number.MAX_SAFE_INTEGER }, 0);
    const pollMs = optionalNumber(where, 'pollMs', opts['pollMs'], { min: 1, max: 2_147_483_647 }, 100);
    if (graceMs > deadlineMs) {
      throw new RangeError(`${where}: \`graceMs\` (${graceMs}) must be <= \`deadlineMs\` (${deadlineMs})`);
    }
    if (this.#promise !== undefined) return this.#promise;
    const clock = this.host.clock;
    this.phase = 'grace';
    this.startedAt = clock.now();
    this.deadlineMs = deadlineMs;
    this.#pollMs = pollMs;
    this.#sourcesAtStart = this.#sourceCount();
    const promise = (this.#promise = new Promise<DrainSummary>((resolve) => {
      this.#resolve = resolve;
    }));
    this.host.drainEvent('start', this.tracked + this.#sourcesAtStart, 0, false);
    // The grace timer is set first: with graceMs === deadlineMs, the refusal (and a last count)
    // comes before the deadline.
    if (graceMs > 0) this.#timers.push(clock.setTimeout(() => this.#refuse(), graceMs));
    this.#timers.push(clock.setTimeout(() => this.#finish(), deadlineMs));
    if (graceMs === 0) this.#refuse();
    return promise;
  }

  #refuse(): void {
    if (this.phase !== 'grace') return;
    this.phase = 'refusing';
    for (const source of this.#sources) this.#tell(source);
    this.host.drainEvent('refuse', this.inFlight, 0, false);
    this.#check();
    if (this.phase === 'refusing' && this.#sources.length > 0) this.#poll();
  }

  #tell(source: Source): void {
    if (source.drain === undefined) return;
    try {
      const result = source.drain();
      if (isThenable(result)) result.then(undefined, (error: unknown) => this.host.drainError(source.label, error));
    } catch (error) {
      this.host.drainError(source.label, error);
    }
  }

  #poll(): void {
    const clock = this.host.clock;
    const timer = clock.setTimeout(() => {
      this.#timers = this.#timers.filter((t) => t !== timer);
      this.#check();
      if (this.phase === 'refusing') this.#poll();
    }, this.#pollMs);
    this.#timers.push(timer);
  }

  #check(): void {
    if (this.phase === 'refusing' && this.inFlight === 0) this.#finish();
  }

  #finish(): void {
    if (this.phase === 'done' || this.phase === 'open') return;
    this.phase = 'done';
    const clock = this.host.clock;
    for (const timer of this.#timers) clock.clearTimeout(timer);
    this.#timers = [];
    const sourcesNow = this.#sourceCount();
    const stillRunning = this.tracked + sourcesNow;
    const completed = this.#settledDuring + Math.max(0, this.#sourcesAtStart - sourcesNow);
    const timedOut = stillRunning > 0;
    this.host.drainEvent('end', stillRunning, completed, timedOut);
    this.#resolve?.({ completed, stillRunning, timedOut, durationMs: clock.now() - this.startedAt });
  }
}
