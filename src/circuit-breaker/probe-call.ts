/**
 * One half-open probe: a trial call with its own scope and a deadline, so that a probe that
 * hangs is given up and never holds its slot for ever.
 *
 * @internal
 * @module
 */
import type { Clock, TimerHandle } from '../clock/clock.js';
import type { Task } from '../core/policy.js';
import { Scope } from '../core/scope.js';
import { TimeoutError } from '../timeout/timeout-error.js';
import { adopt, isThenable } from '../core/thenable.js';

/** What a probe reports its fate to (the breaker). */
export interface ProbeHost {
  readonly clock: Clock;
  readonly probeTimeoutMs: number;
  probeFulfilled(probe: ProbeCall<unknown>, value: unknown): void;
  probeRejected(probe: ProbeCall<unknown>, error: unknown): void;
  probeTimedOut(probe: ProbeCall<unknown>, error: TimeoutError): void;
  probeAborted(probe: ProbeCall<unknown>): void;
}

/**
 * A probe is the attempt context of its function and settles exactly once: with the function's
 * outcome, with a `TimeoutError` at `probeTimeoutMs` (its scope is then aborted with that error),
 * or with the caller's reason when the caller aborts. The host is told first, so the circuit's
 * state has changed by the time the caller sees the outcome. Work that settles after the probe
 * was given up is observed and ignored (it was already counted as the timeout).
 */
export class ProbeCall<T> extends Scope {
  done = false;
  resolve!: (value: T) => void;
  reject!: (reason: unknown) => void;
  timer: TimerHandle = undefined;
  readonly host: ProbeHost;
  readonly parent: Scope | undefined;
  readonly generation: number;
  readonly startedAt: number;

  constructor(host: ProbeHost, parent: Scope | undefined, generation: number, startedAt: number) {
    super(parent === undefined ? 1 : parent.attempt);
    this.host = host;
    this.parent = parent;
    this.generation = generation;
    this.startedAt = startedAt;
  }

  start(fn: Task<T>): Promise<T> {
    const promise = new Promise<T>((resolve, reject) => {
      this.resolve = resolve;
      this.reject = reject;
    });
    this.timer = this.host.clock.setTimeout(() => this.expire(), this.host.probeTimeoutMs);
    this.parent?.attach(this);
    if (this.done) return promise; // the parent had aborted: settled with its reason, fn never runs
    let result: T | PromiseLike<T>;
    try {
      result = fn(this);
      // Inside the try: a thenable whose `then` (or its getter) throws fails the probe like a throw.
      if (isThenable(result)) {
        adopt(
          result,
          (value) => this.fulfilled(value as T),
          (error: unknown) => this.failed(error),
        );
        return promise;
      }
    } catch (error) {
      this.failed(error);
      return promise;
    }
    this.fulfilled(result as T);
    return promise;
  }

  #end(): void {
    this.done = true;
    this.host.clock.clearTimeout(this.timer);
    this.parent?.detach(this);
  }

  fulfilled(value: T): void {
    if (this.done) return;
    this.#end();
    this.host.probeFulfilled(this as ProbeCall<unknown>, value);
    this.resolve(value);
  }

  failed(error: unknown): void {
    if (this.done) return;
    this.#end();
    this.host.probeRejected(this as ProbeCall<unknown>, error);
    this.reject(error);
  }

  expire(): void {
    if (this.done) return;
    this.done = true;
    this.parent?.detach(this);
    const ms = this.host.probeTimeoutMs;
    const error = new TimeoutError(ms, { message: `Circuit probe gave up after ${ms} ms` });
    this.host.probeTimedOut(this as ProbeCall<unknown>, error);
    this.reject(error);
    this.abort(error);
  }

  override parentAborted(reason: unknown): void {
    if (this.done) return;
    this.done = true;
    this.host.clock.clearTimeout(this.timer);
    this.host.probeAborted(this as ProbeCall<unknown>);
    this.reject(reason);
    this.abort(reason);
  }
}
