/**
 * The timeout policy.
 *
 * @module
 */
import type { Clock, TimerHandle } from '../clock/clock.js';
import type { EventHub } from '../events/event-hub.js';
import type { Policy, Task } from '../core/policy.js';
import { commonKeys, PolicyCore, type CommonOptions } from '../core/policy-core.js';
import { Scope } from '../core/scope.js';
import { checkNumber, checkOptions } from '../core/validate.js';
import { TimeoutError } from './timeout-error.js';

/**
 * Options of {@link timeout}.
 *
 * @example
 * ```ts
 * import { timeout, type TimeoutOptions } from 'crackstop';
 *
 * const options: TimeoutOptions = { ms: 2_000, name: 'payments' };
 * const policy = timeout(options);
 * ```
 */
export interface TimeoutOptions extends CommonOptions {
  /** The deadline of each call, in milliseconds, > 0 (up to 2^53-1; long delays are split). */
  readonly ms: number;
}

/**
 * A timeout policy.
 *
 * @example
 * ```ts
 * import { timeout, type TimeoutPolicy } from 'crackstop';
 *
 * const policy: TimeoutPolicy = timeout({ ms: 500 });
 * console.log(policy.ms, policy.abandoned);
 * ```
 */
export interface TimeoutPolicy extends Policy {
  /** The deadline of each call, in milliseconds. */
  readonly ms: number;
  /** The policy's name, carried by its events. */
  readonly name: string;
  /** The hub the policy's events go to. */
  readonly events: EventHub;
  /** The clock the deadline is measured on. */
  readonly clock: Clock;
  /** Attempts given up at their deadline whose work has not settled yet. Returns to 0. */
  readonly abandoned: number;
}

/**
 * Where a call is: running; settled; given up at its deadline (its work still running); or
 * cancelled by its parent (the caller or an outer policy gave up; its work still running).
 */
const Phase = { Running: 0, Settled: 1, TimedOut: 2, Cancelled: 3 } as const;
type Phase = (typeof Phase)[keyof typeof Phase];

/** One call under a timeout: its scope (the attempt context), deadline timer and outcome. */
class TimeoutCall<T> extends Scope {
  phase: Phase = Phase.Running;
  resolve!: (value: T) => void;
  reject!: (reason: unknown) => void;
  timer: TimerHandle = undefined;
  error: TimeoutError | undefined = undefined;
  expiredAt = 0;

  readonly policy: Timeout;
  readonly parent: Scope | undefined;

  constructor(policy: Timeout, parent: Scope | undefined) {
    super(parent === undefined ? 1 : parent.attempt);
    this.policy = policy;
    this.parent = parent;
  }

  start(fn: Task<T>): Promise<T> {
    const promise = new Promise<T>((resolve, reject) => {
      this.resolve = resolve;
      this.reject = reject;
    });
    const clock = this.policy.clock;
    this.timer = clock.setTimeout(() => this.expire(), this.policy.ms);
    this.parent?.attach(this);
    let result: T | PromiseLike<T>;
    try {
      result = fn(this);
    } catch (error) {
      this.failed(error);
      return promise;
    }
    if (result !== null && typeof result === 'object' && typeof (result as PromiseLike<T>).then === 'function') {
      (result as PromiseLike<T>).then(
        (value) => this.fulfilled(value),
        (error: unknown) => this.failed(error),
      );
    } else {
      this.fulfilled(result as T);
    }
    return promise;
  }

  #end(): void {
    this.policy.clock.clearTimeout(this.timer);
    this.parent?.detach(this);
  }

  fulfilled(value: T): void {
    if (this.phase === Phase.Running) {
      this.phase = Phase.Settled;
      this.#end();
      this.resolve(value);
    } else if (this.phase === Phase.Cancelled) {
      this.phase = Phase.Settled;
      this.resolve(value);
    } else if (this.phase === Phase.TimedOut) {
      this.phase = Phase.Settled;
      this.policy.late(this.expiredAt, 'fulfilled', undefined);
    }
  }

  failed(error: unknown): void {
    if (this.phase === Phase.Running) {
      this.phase = Phase.Settled;
      this.#end();
      this.reject(error);
    } else if (this.phase === Phase.Cancelled) {
      this.phase = Phase.Settled;
      this.reject(error);
    } else if (this.phase === Phase.TimedOut) {
      this.phase = Phase.Settled;
      this.policy.late(this.expiredAt, 'rejected', error);
    }
  }

  expire(): void {
    if (this.phase !== Phase.Running) return;
    this.phase = Phase.TimedOut;
    this.expiredAt = this.policy.clock.now();
    this.parent?.detach(this);
    const error = (this.error = new TimeoutError(this.policy.ms));
    // Settle first, report last: nothing an event listener (or a custom hub) does can keep the
    // call from settling or its signal from aborting.
    this.reject(error);
    this.abort(error);
    this.policy.expired(this.attempt);
  }

  override parentAborted(reason: unknown): void {
    // The caller (or an outer policy) gave up: not a timeout, and no event. Whoever aborted the
    // parent has already settled its own caller (the caller's signal link, an outer timeout), so
    // this call settles only when its work does, with the work's own outcome: an outer timeout
    // then reports the real late outcome and time, and counts the work as abandoned until then.
    if (this.phase !== Phase.Running) return;
    this.phase = Phase.Cancelled;
    this.policy.clock.clearTimeout(this.timer);
    this.abort(reason);
  }
}

class Timeout extends PolicyCore implements TimeoutPolicy {
  readonly ms: number;
  abandoned = 0;

  constructor(options: TimeoutOptions) {
    const where = 'timeout()';
    const opts = checkOptions(where, options, [...commonKeys, 'ms']);
    super(where, 'timeout', opts);
    this.ms = checkNumber(where, 'ms', opts['ms'], { min: 0, minExclusive: true, max: Number.MAX_SAFE_INTEGER });
  }

  async runScoped<T>(fn: Task<T>, parent: Scope | undefined): Promise<T> {
    if (parent !== undefined && parent.aborted) throw parent.reason;
    const call = new TimeoutCall<T>(this, parent);
    try {
      return await call.start(fn);
    } catch (error) {
      // Captured here, after the await, the stack names the caller's async frames instead of
      // only the timer's.
      if (call.error !== undefined && error === call.error) captureStack(call.error);
      throw error;
    }
  }

  expired(attempt: number): void {
    this.abandoned++;
    const events = this.events;
    if (events.hasListeners('timeout')) {
      events.emit({ type: 'timeout', kind: 'timeout', name: this.name, time: this.clock.now(), timeoutMs: this.ms, attempt });
    }
  }

  late(expiredAt: number, outcome: 'fulfilled' | 'rejected', error: unknown): void {
    this.abandoned--;
    const events = this.events;
    if (events.hasListeners('timeout.late')) {
      const time = this.clock.now();
      const lateByMs = time - expiredAt;
      events.emit({ type: 'timeout.late', kind: 'timeout', name: this.name, time, outcome, error, lateByMs, timeoutMs: this.ms });
    }
  }
}

function captureStack(error: object): void {
  const capture = (Error as { captureStackTrace?: (target: object) => void }).captureStackTrace;
  capture?.(error);
}

/**
 * Creates a timeout policy: each call rejects with {@link TimeoutError} (code `ERR_TIMEOUT`) at
 * its deadline, even when the function ignores its signal; the attempt's signal is aborted with
 * that error as reason. A caller's abort is not a timeout: the call rejects with the caller's
 * `signal.reason` and no `timeout` event is emitted. Work abandoned at its deadline is observed
 * (no unhandled rejection) and reported by one `timeout.late` event when it settles. One timer per
 * call, cleared when the call settles.
 *
 * @throws TypeError or RangeError when an option is invalid.
 *
 * @example
 * ```ts
 * import { timeout } from 'crackstop';
 *
 * const policy = timeout({ ms: 2_000 });
 * const response = await policy.execute(({ signal }) => fetch('http://127.0.0.1:8080/', { signal }));
 * ```
 */
export function timeout(options: TimeoutOptions): TimeoutPolicy {
  return new Timeout(options);
}
