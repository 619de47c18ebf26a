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
import { ClosedCall, type ClosedHost } from './closed-call.js';
import { breakerConfig, where } from './config.js';
import type { CircuitIgnoredReason } from './events.js';
import type { CircuitMetrics } from './metrics.js';
import type { CircuitBreakerOptions, CircuitOutcome, CircuitState } from './options.js';
import { ProbeCall, type ProbeHost } from './probe-call.js';
import { adopt, isThenable } from '../core/thenable.js';
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
   * Whether a call made now would be admitted: synchronous, for callers that want to fail fast
   * without a promise. It allocates nothing itself (an open circuit reads the clock, whose
   * reading on the system clock is a boxed number). It reserves nothing: in half-open, the free probe slot
   * it saw may be taken by another call before yours; `execute` stays the authority.
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

class CircuitBreaker extends CircuitStateMachine implements CircuitBreakerPolicy, ProbeHost, ClosedHost {
  readonly probeTimeoutMs: number;
  /** -1 when no call is slow. */
  readonly #slowMs: number;
  readonly #isFailure: ((outcome: CircuitOutcome<unknown>) => boolean) | undefined;
  readonly #needsTime: boolean;
  /** The handlers shared by the untimed closed calls without a parent of the current generation. */
  #untimed: ClosedCall;

  constructor(options: CircuitBreakerOptions | undefined) {
    const { common, config } = breakerConfig(options);
    super(where, common, config);
    this.probeTimeoutMs = config.probeTimeoutMs;
    this.#slowMs = config.window.slowCallMs;
    this.#isFailure = config.isFailure;
    this.#needsTime = this.window.needsTime;
    this.#untimed = new ClosedCall(this, this.generation, NaN, undefined);
  }

  runScoped<T>(fn: Task<T>, parent: Scope | undefined): Promise<T> {
    if (parent !== undefined && parent.aborted) return Promise.reject(parent.reason);
    if (this.code === Closed) return this.#runClosed(fn, parent);
    const now = this.clock.now();
    const code = this.currentCode(now);
    // A state listener may have aborted the caller while the circuit moved to half-open.
    if (parent !== undefined && parent.aborted) return Promise.reject(parent.reason);
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
      this.emitEvent(retryAfterMs === undefined ? base : { ...base, retryAfterMs });
    }
    return Promise.reject(rejectionError(this.name, retryAfterMs));
  }

  /**
   * The closed path, paid by every call in normal operation: no clock read unless the window or a
   * listener needs one, no closure per call unless the call is timed or has a parent, and a plain
   * `then` on the function's promise (an async function would cost a second promise and an extra
   * turn).
   */
  #runClosed<T>(fn: Task<T>, parent: Scope | undefined): Promise<T> {
    const call = this.#closedCall(parent);
    const fulfilled = call.fulfilled as (value: T) => T;
    let result: T | PromiseLike<T>;
    try {
      result = fn(parent ?? new Scope(1));
      // Inside the try: a `then` (or its getter) that throws fails the call like a throw.
      // The intrinsic `then` (see adopt): a promise whose own `then` calls back twice counts once.
      if (isThenable(result)) return adopt(result as PromiseLike<T>, fulfilled, call.rejected);
    } catch (error) {
      this.closedFailed(call, error);
      return Promise.reject(error);
    }
    this.closedFulfilled(call, result);
    return Promise.resolve(result as T);
  }

  #closedCall(parent: Scope | undefined): ClosedCall {
    const timed = this.#slowMs >= 0 || this.#listening();
    if (timed || parent !== undefined) return new ClosedCall(this, this.generation, timed ? this.clock.now() : NaN, parent);
    const shared = this.#untimed;
    return shared.generation === this.generation ? shared : (this.#untimed = new ClosedCall(this, this.generation, NaN, undefined));
  }

  closedFulfilled(call: ClosedCall, value: unknown): void {
    const reason = call.parent?.aborted === true ? 'aborted' : call.generation !== this.generation ? 'stale' : undefined;
    if (reason !== undefined) return this.#ignored(reason, call.startedAt, false);
    const failure = this.#isFailure !== undefined && this.#declares({ ok: true, value });
    this.#record(failure, call.startedAt, failure ? { ok: true, value } : undefined);
  }

  closedFailed(call: ClosedCall, error: unknown): void {
    const reason = this.#whyNotCounted(call.generation, call.parent, error);
    if (reason !== undefined) return this.#ignored(reason, call.startedAt, false);
    this.#record(true, call.startedAt, { ok: false, error });
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

  /**
   * Records a closed-state call in the window, reports it, and opens when the window crossed. The
   * clock is read only for a time window or a timed call (`startedAt` not NaN).
   */
  #record(failure: boolean, startedAt: number, outcome: CircuitOutcome<unknown> | undefined): void {
    const generation = this.generation;
    const now = this.#needsTime || startedAt === startedAt ? this.clock.now() : NaN;
    const slow = this.#slowMs >= 0 && now - startedAt > this.#slowMs;
    const crossed = this.window.record(failure, slow, now);
    this.#reported(failure, slow, now, startedAt, false, outcome);
    // A listener may have reset or isolated the circuit meanwhile: then its decision stands.
    if (crossed && generation === this.generation) this.open('failure-threshold', now === now ? now : this.clock.now());
  }

  #listening(): boolean {
    const events = this.events;
    return events.hasListeners('circuit.success') || events.hasListeners('circuit.failure') || events.hasListeners('circuit.ignored');
  }

  /**
   * Reports a recorded call. A call that started while nobody listened (and no window needed its
   * duration) was not timed (`startedAt` NaN) and is not reported: the untimed path costs nothing.
   * A timed call had the clock read at its end (`now`).
   */
  #reported(failure: boolean, slow: boolean, now: number, startedAt: number, probe: boolean, outcome: CircuitOutcome<unknown> | undefined): void {
    if (startedAt !== startedAt) return;
    const events = this.events;
    if (failure) {
      if (events.hasListeners('circuit.failure')) {
        const o = outcome ?? { ok: false, error: undefined };
        this.emitEvent({ type: 'circuit.failure', kind: 'circuit-breaker', name: this.name, time: now, durationMs: now - startedAt, probe, slow, outcome: o });
      }
    } else if (events.hasListeners('circuit.success')) {
      this.emitEvent({ type: 'circuit.success', kind: 'circuit-breaker', name: this.name, time: now, durationMs: now - startedAt, probe, slow });
    }
  }

  #ignored(reason: CircuitIgnoredReason, startedAt: number, probe: boolean): void {
    if (startedAt !== startedAt) return; // untimed: see #reported
    const events = this.events;
    if (events.hasListeners('circuit.ignored')) {
      const time = this.clock.now();
      this.emitEvent({ type: 'circuit.ignored', kind: 'circuit-breaker', name: this.name, time, durationMs: time - startedAt, probe, reason });
    }
  }

  // A probe holds its half-open slot until it ends, whatever the circuit did meanwhile: each of
  // the four ends below frees it first. Only probes of the current generation decide anything.

  probeFulfilled(probe: ProbeCall<unknown>, value: unknown): void {
    this.probes--;
    if (probe.generation !== this.generation) return this.#ignored('stale', probe.startedAt, true);
    const now = this.clock.now();
    const failure = this.#isFailure !== undefined && this.#declares({ ok: true, value });
    const slow = this.#slowMs >= 0 && now - probe.startedAt > this.#slowMs;
    this.#probeDecided(failure, slow, now, probe.startedAt, failure ? { ok: true, value } : undefined, 'probe-failed');
  }

  probeRejected(probe: ProbeCall<unknown>, error: unknown): void {
    this.probes--;
    const reason = this.#whyNotCounted(probe.generation, undefined, error);
    if (reason !== undefined) return this.#ignored(reason, probe.startedAt, true);
    const now = this.clock.now();
    this.#probeDecided(true, this.#slowMs >= 0 && now - probe.startedAt > this.#slowMs, now, probe.startedAt, { ok: false, error }, 'probe-failed');
  }

  probeTimedOut(probe: ProbeCall<unknown>, error: TimeoutError): void {
    this.probes--;
    if (probe.generation !== this.generation) return this.#ignored('stale', probe.startedAt, true);
    this.#probeDecided(true, this.#slowMs >= 0 && this.probeTimeoutMs > this.#slowMs, this.clock.now(), probe.startedAt, { ok: false, error }, 'probe-timeout');
  }

  probeAborted(probe: ProbeCall<unknown>): void {
    this.probes--;
    this.#ignored('aborted', probe.startedAt, true);
  }

  /** A probe of the current generation decided: a failed or slow probe re-opens, enough good ones close. */
  #probeDecided(failure: boolean, slow: boolean, now: number, startedAt: number, outcome: CircuitOutcome<unknown> | undefined, reason: 'probe-failed' | 'probe-timeout'): void {
    const generation = this.generation;
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
 * A caller's abort, rejections by other policies and errors `isFailure` declines never count (a
 * call whose caller aborted is not recorded, whatever it settles with later). Outcomes of calls
 * admitted in an earlier state are ignored; a probe holds its slot until it ends all the same. No timer drives the states (open
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
