/**
 * The circuit breaker policy.
 *
 * @module
 */
import type { Clock } from '../clock/clock.js';
import { isRejection } from '../core/errors.js';
import type { Policy, Task } from '../core/policy.js';
import { Scope } from '../core/scope.js';
import type { EventHub } from '../events/event-hub.js';
import type { TimeoutError } from '../timeout/timeout-error.js';
import { rejectionError } from './circuit-open-error.js';
import { breakerConfig, where } from './config.js';
import type { CircuitIgnoredReason } from './events.js';
import type { CircuitMetrics } from './metrics.js';
import type { CircuitBreakerOptions, CircuitOutcome, CircuitState } from './options.js';
import { ProbeCall, type ProbeHost } from './probe-call.js';
import type { CircuitSnapshot } from './snapshot.js';
import { CircuitStateMachine, Closed, HalfOpen, Isolated, Open, type CircuitIsolation, type StateCode } from './state-machine.js';

/**
 * A circuit breaker: a {@link Policy} that stops calling a dependency that keeps failing, and
 * tries it again carefully.
 *
 * @example
 * ```ts
 * import { circuitBreaker, type CircuitBreakerPolicy } from 'crackstop';
 *
 * const breaker: CircuitBreakerPolicy = circuitBreaker({ window: { kind: 'consecutive', failures: 3 } });
 * if (breaker.isCallPermitted()) await breaker.execute(({ signal }) => fetch('http://127.0.0.1:8080/', { signal }));
 * console.log(breaker.state, breaker.metrics());
 * ```
 */
export interface CircuitBreakerPolicy extends Policy {
  /** The policy's name, carried by its events and errors. */
  readonly name: string;
  /** The hub the policy's events go to. */
  readonly events: EventHub;
  /** The clock `openMs`, durations and windows are measured on. */
  readonly clock: Clock;
  /**
   * The state now. Reading it is enough to move an open circuit whose `openMs` has passed to
   * `half-open` (no timer does it), so it is right at any time.
   */
  readonly state: CircuitState;
  /**
   * Whether a call made now would be admitted: synchronous and allocation-free, for callers that
   * want to fail fast without a promise. It reserves nothing: in half-open, the free probe slot it
   * saw may be taken by another call before yours; `execute` stays the authority.
   */
  isCallPermitted(): boolean;
  /**
   * Forces the circuit open (calls are rejected with `IsolatedCircuitError`) until the returned
   * handle is released. Several holds may be taken; the last release closes the circuit.
   */
  isolate(): CircuitIsolation;
  /** Closes the circuit whatever its state, empties the window, and voids every isolation handle. */
  reset(): void;
  /** The state as plain JSON, to restore with `initialState` (for example after a restart). */
  snapshot(): CircuitSnapshot;
  /** The state and the content of the window now. */
  metrics(): CircuitMetrics;
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return value !== null && (typeof value === 'object' || typeof value === 'function') && typeof (value as PromiseLike<unknown>).then === 'function';
}

class CircuitBreaker extends CircuitStateMachine implements CircuitBreakerPolicy, ProbeHost {
  readonly probeTimeoutMs: number;
  /** -1 when no call is slow. */
  readonly #slowMs: number;
  readonly #isFailure: ((outcome: CircuitOutcome<unknown>) => boolean) | undefined;
  readonly #needsTime: boolean;

  constructor(options: CircuitBreakerOptions | undefined) {
    const { common, config } = breakerConfig(options);
    super(where, common, config);
    this.probeTimeoutMs = config.probeTimeoutMs;
    this.#slowMs = config.window.slowCallMs;
    this.#isFailure = config.isFailure;
    this.#needsTime = this.window.needsTime;
  }

  runScoped<T>(fn: Task<T>, parent: Scope | undefined): Promise<T> {
    if (parent !== undefined && parent.aborted) return Promise.reject(parent.reason);
    if (this.code === Closed) return this.#runClosed(fn, parent);
    const now = this.clock.now();
    const code = this.currentCode(now);
    if (code === Closed) return this.#runClosed(fn, parent);
    if (code === HalfOpen && this.probes < this.config.maxProbes) {
      this.probes++;
      this.probeDeadline = now + this.probeTimeoutMs;
      return new ProbeCall<T>(this, parent, this.generation, now).start(fn);
    }
    return this.#reject(code, now);
  }

  #reject<T>(code: StateCode, now: number): Promise<T> {
    const retryAfterMs = code === Isolated ? undefined : this.retryAfter(code, now);
    const events = this.events;
    if (events.hasListeners('circuit.rejected')) {
      const state = code === Open ? 'open' : code === HalfOpen ? 'half-open' : 'isolated';
      const base = { type: 'circuit.rejected', kind: 'circuit-breaker', name: this.name, time: now, state } as const;
      events.emit(retryAfterMs === undefined ? base : { ...base, retryAfterMs });
    }
    return Promise.reject(rejectionError(this.name, retryAfterMs));
  }

  /**
   * The closed path, paid by every call in normal operation: no clock read unless the window or a
   * listener needs one, and a plain `then` on the function's promise (an async function would cost
   * a second promise and an extra turn).
   */
  #runClosed<T>(fn: Task<T>, parent: Scope | undefined): Promise<T> {
    const generation = this.generation;
    const startedAt = this.#slowMs >= 0 || this.#listening() ? this.clock.now() : NaN;
    let result: T | PromiseLike<T>;
    try {
      result = fn(parent ?? new Scope(1));
    } catch (error) {
      this.#closedFailed(generation, startedAt, parent, error);
      return Promise.reject(error);
    }
    const promise = result instanceof Promise ? (result as Promise<T>) : isThenable(result) ? Promise.resolve(result) : undefined;
    if (promise === undefined) {
      this.#closedFulfilled(generation, startedAt, result as T);
      return Promise.resolve(result as T);
    }
    return promise.then(
      (value) => {
        this.#closedFulfilled(generation, startedAt, value);
        return value;
      },
      (error: unknown) => {
        this.#closedFailed(generation, startedAt, parent, error);
        throw error;
      },
    );
  }

  #closedFulfilled(generation: number, startedAt: number, value: unknown): void {
    if (generation !== this.generation) return this.#ignored('stale', startedAt, false);
    const now = this.#needsTime || startedAt === startedAt ? this.clock.now() : 0;
    const failure = this.#isFailure !== undefined && this.#declares({ ok: true, value });
    this.#record(failure, now - startedAt > this.#slowMs && this.#slowMs >= 0, now, startedAt, failure ? { ok: true, value } : undefined);
  }

  #closedFailed(generation: number, startedAt: number, parent: Scope | undefined, error: unknown): void {
    const reason = this.#whyNotCounted(generation, parent, error);
    if (reason !== undefined) return this.#ignored(reason, startedAt, false);
    const now = this.#needsTime || startedAt === startedAt ? this.clock.now() : 0;
    this.#record(true, now - startedAt > this.#slowMs && this.#slowMs >= 0, now, startedAt, { ok: false, error });
  }

  /** Why an error does not count (or undefined when it is a failure). */
  #whyNotCounted(generation: number, parent: Scope | undefined, error: unknown): CircuitIgnoredReason | undefined {
    if (parent !== undefined && parent.aborted) return 'aborted';
    if (isRejection(error)) return 'rejection';
    if (generation !== this.generation) return 'stale';
    if (this.#isFailure !== undefined && !this.#declares({ ok: false, error })) return 'not-failure';
    return undefined;
  }

  /** `isFailure(outcome)`; an `isFailure` that throws declares a failure. */
  #declares(outcome: CircuitOutcome<unknown>): boolean {
    try {
      return (this.#isFailure as (outcome: CircuitOutcome<unknown>) => boolean)(outcome) === true;
    } catch {
      return true;
    }
  }

  /** Records a closed-state call in the window, reports it, and opens when the window crossed. */
  #record(failure: boolean, slow: boolean, now: number, startedAt: number, outcome: CircuitOutcome<unknown> | undefined): void {
    const generation = this.generation;
    const crossed = this.window.record(failure, slow, now);
    this.#reported(failure, slow, now, startedAt, false, outcome);
    // A listener may have reset or isolated the circuit meanwhile: then its decision stands.
    if (crossed && generation === this.generation) this.open('failure-threshold', this.#needsTime || now !== 0 ? now : this.clock.now());
  }

  #listening(): boolean {
    const events = this.events;
    return events.hasListeners('circuit.success') || events.hasListeners('circuit.failure') || events.hasListeners('circuit.ignored');
  }

  /**
   * Reports a recorded call. A call that started while nobody listened (and no window needed its
   * duration) was not timed (`startedAt` NaN) and is not reported: the untimed path costs nothing.
   */
  #reported(failure: boolean, slow: boolean, now: number, startedAt: number, probe: boolean, outcome: CircuitOutcome<unknown> | undefined): void {
    if (startedAt !== startedAt) return;
    const events = this.events;
    if (failure) {
      if (events.hasListeners('circuit.failure')) {
        const time = now === 0 ? this.clock.now() : now;
        const o = outcome ?? { ok: false, error: undefined };
        events.emit({ type: 'circuit.failure', kind: 'circuit-breaker', name: this.name, time, durationMs: time - startedAt, probe, slow, outcome: o });
      }
    } else if (events.hasListeners('circuit.success')) {
      const time = now === 0 ? this.clock.now() : now;
      events.emit({ type: 'circuit.success', kind: 'circuit-breaker', name: this.name, time, durationMs: time - startedAt, probe, slow });
    }
  }

  #ignored(reason: CircuitIgnoredReason, startedAt: number, probe: boolean): void {
    if (startedAt !== startedAt) return; // untimed: see #reported
    const events = this.events;
    if (events.hasListeners('circuit.ignored')) {
      const time = this.clock.now();
      events.emit({ type: 'circuit.ignored', kind: 'circuit-breaker', name: this.name, time, durationMs: time - startedAt, probe, reason });
    }
  }

  probeFulfilled(probe: ProbeCall<unknown>, value: unknown): void {
    if (probe.generation !== this.generation) return this.#ignored('stale', probe.startedAt, true);
    const now = this.clock.now();
    const failure = this.#isFailure !== undefined && this.#declares({ ok: true, value });
    const slow = this.#slowMs >= 0 && now - probe.startedAt > this.#slowMs;
    this.#probeDecided(failure, slow, now, probe.startedAt, failure ? { ok: true, value } : undefined, 'probe-failed');
  }

  probeRejected(probe: ProbeCall<unknown>, error: unknown): void {
    const reason = this.#whyNotCounted(probe.generation, undefined, error);
    if (reason !== undefined) return this.#probeIgnored(probe, reason);
    const now = this.clock.now();
    this.#probeDecided(true, this.#slowMs >= 0 && now - probe.startedAt > this.#slowMs, now, probe.startedAt, { ok: false, error }, 'probe-failed');
  }

  probeTimedOut(probe: ProbeCall<unknown>, error: TimeoutError): void {
    if (probe.generation !== this.generation) return this.#ignored('stale', probe.startedAt, true);
    this.#probeDecided(true, this.#slowMs >= 0 && this.probeTimeoutMs > this.#slowMs, this.clock.now(), probe.startedAt, { ok: false, error }, 'probe-timeout');
  }

  probeAborted(probe: ProbeCall<unknown>): void {
    this.#probeIgnored(probe, 'aborted');
  }

  #probeIgnored(probe: ProbeCall<unknown>, reason: CircuitIgnoredReason): void {
    // A probe that says nothing about the dependency frees its slot for the next caller.
    if (probe.generation === this.generation) this.probes--;
    this.#ignored(probe.generation === this.generation ? reason : 'stale', probe.startedAt, true);
  }

  /** A probe of the current generation decided: a failed or slow probe re-opens, enough good ones close. */
  #probeDecided(failure: boolean, slow: boolean, now: number, startedAt: number, outcome: CircuitOutcome<unknown> | undefined, reason: 'probe-failed' | 'probe-timeout'): void {
    const generation = this.generation;
    this.probes--;
    const good = !failure && !slow;
    if (good) this.probeSuccesses++;
    this.#reported(failure, slow, now, startedAt, true, outcome);
    if (generation !== this.generation) return; // a listener moved the circuit: its decision stands
    if (!good) this.open(reason, now);
    else if (this.probeSuccesses >= this.config.successesToClose) this.transition(Closed, 'probes-succeeded');
  }
}

/**
 * Creates a circuit breaker. While `closed`, calls run and their outcomes fill a window
 * (`consecutive`, `count` or `time`); when the window crosses its threshold the circuit opens and
 * every call is rejected at once with `CircuitOpenError` (carrying `retryAfterMs`) for `openMs`.
 * Then the first call becomes a probe (`half-open`, at most `halfOpen.maxProbes` at a time, every
 * other call rejected at once): `successesToClose` good probes close the circuit; a failed, slow
 * or hung probe (given up after `probeTimeoutMs`) opens it again with a fresh `openMs`.
 *
 * A caller's abort, rejections by other policies and errors `isFailure` declines never count.
 * Outcomes of calls admitted in an earlier state are ignored. No timer drives the states (open
 * becomes half-open on the first call or read after `openMs`); the only timer is each probe's
 * deadline. State is fixed-size and each call is O(1).
 *
 * @throws TypeError or RangeError when an option is invalid.
 *
 * @example
 * ```ts
 * import { circuitBreaker, isCircuitOpenError, pipeline, retry, timeout } from 'crackstop';
 *
 * const breaker = circuitBreaker({ window: { kind: 'count', size: 20, failureRate: 0.5, minimumCalls: 10 }, openMs: 5_000 });
 * const policy = pipeline(retry({ maxAttempts: 3 }), breaker, timeout({ ms: 1_000 }));
 * try {
 *   await policy.execute(({ signal }) => fetch('http://127.0.0.1:8080/', { signal }));
 * } catch (error) {
 *   if (isCircuitOpenError(error)) console.log(`failing fast; retry in ${error.retryAfterMs} ms`);
 * }
 * ```
 */
export function circuitBreaker(options?: CircuitBreakerOptions): CircuitBreakerPolicy {
  return new CircuitBreaker(options);
}
