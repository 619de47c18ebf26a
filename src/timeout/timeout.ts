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
import { withoutStack } from '../core/stackless.js';
import { adopt, isThenable } from '../core/thenable.js';
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

/** Marks a TimeoutError whose stack is still to be captured where the caller awaits it. */
const unstacked: unique symbol = Symbol('crackstop.unstacked');

/** One call under a timeout: its scope (the attempt context), deadline timer and outcome. */
class TimeoutCall<T> extends Scope {
  phase: Phase = Phase.Running;
  resolve!: (value: T) => void;
  reject!: (reason: unknown) => void;
  timer: TimerHandle = undefined;
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
    this.timer = this.policy.clock.setTimeout(() => this.expire(), this.policy.ms);
    this.parent?.attach(this);
    try {
      const result = fn(this);
      // Observed as `await` observes it (see adopt): `settle` also ignores a second callback.
      if (isThenable(result)) {
        adopt(
          result,
          (value: T) => this.settle(true, value),
          (error: unknown) => this.settle(false, error),
        );
      } else {
        this.settle(true, result);
      }
    } catch (error) {
      this.settle(false, error); // fn or the thenable's `then` threw; ignored if already settled
    }
    return promise;
  }

  /** The work settled (with a value when `ok`, else an error); the first outcome counts. */
  settle(ok: boolean, outcome: unknown): void {
    const phase = this.phase;
    if (phase === Phase.Settled) return;
    this.phase = Phase.Settled;
    if (phase === Phase.TimedOut) {
      this.policy.late(this.expiredAt, ok ? 'fulfilled' : 'rejected', ok ? undefined : outcome);
      return;
    }
    if (phase === Phase.Running) {
      this.policy.clock.clearTimeout(this.timer);
      this.parent?.detach(this);
    }
    if (ok) this.resolve(outcome as T);
    else this.reject(outcome);
  }

  expire(): void {
    if (this.phase !== Phase.Running) return;
    this.phase = Phase.TimedOut;
    this.expiredAt = this.policy.clock.now();
    this.parent?.detach(this);
    const error = timeoutError(this.policy.ms);
    // Settle first; count and report before the abort runs the work's own listeners (so that a
    // synchronous `timeout.late` cannot come first); abort whatever a listener does.
    this.reject(error);
    try {
      this.policy.expired(this.attempt);
    } finally {
      this.abort(error);
    }
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

/**
 * A TimeoutError built without a stack (the timer's frames say nothing): its stack is captured
 * by {@link recaptureStack} where the caller awaits the call, which names the caller's frames.
 */
function timeoutError(ms: number): TimeoutError {
  const error = withoutStack(() => new TimeoutError(ms));
  Object.defineProperty(error, unstacked, { value: true, configurable: true });
  return error;
}

/**
 * Rejection handler of every timeout call: gives a fresh TimeoutError the caller's stack. Where no
 * caller frame can be seen (the call's promise is consumed by an outer timeout, whose settle
 * functions V8 cannot follow), the mark stays, so the next timeout up the chain captures it.
 */
function recaptureStack(error: unknown): never {
  if (typeof error === 'object' && error !== null && (error as Record<symbol, unknown>)[unstacked] === true) {
    const capture = (Error as { captureStackTrace?: (target: object, above?: Function) => void }).captureStackTrace;
    if (capture === undefined) {
      delete (error as Record<symbol, unknown>)[unstacked];
    } else {
      capture(error, recaptureStack);
      const stack = (error as { stack?: unknown }).stack;
      if (typeof stack !== 'string' || stack.includes('\n    at ')) delete (error as Record<symbol, unknown>)[unstacked];
    }
  }
  throw error;
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

  runScoped<T>(fn: Task<T>, parent: Scope | undefined): Promise<T> {
    if (parent !== undefined && parent.aborted) return Promise.reject(parent.reason);
    try {
      // A handler shared by every call (no closure): V8 follows the `.then` chain, so the stack
      // captured there names the caller's async frames.
      return new TimeoutCall<T>(this, parent).start(fn).then(undefined, recaptureStack);
    } catch (error) {
      return Promise.reject(error); // a custom clock threw: reject, never throw
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
