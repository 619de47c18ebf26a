/**
 * Abortable waits on a clock.
 *
 * @module
 */
import type { AbortTarget, Scope } from '../core/scope.js';
import { checkNumber, checkOptions, optionalClock, optionalObjectWith } from '../core/validate.js';
import type { Clock, TimerHandle } from './clock.js';
import { systemClock } from './system-clock.js';

/** A wait attached to a scope: the scope's abort clears the timer and rejects at once. */
class ScopedSleep implements AbortTarget {
  resolve!: () => void;
  reject!: (reason: unknown) => void;
  timer: TimerHandle = undefined;
  readonly clock: Clock;
  readonly scope: Scope;

  constructor(clock: Clock, scope: Scope) {
    this.clock = clock;
    this.scope = scope;
  }

  start(ms: number): Promise<void> {
    const promise = new Promise<void>((resolve, reject) => {
      this.resolve = resolve;
      this.reject = reject;
    });
    this.timer = this.clock.setTimeout(() => {
      this.scope.detach(this);
      this.resolve();
    }, ms);
    this.scope.attach(this);
    return promise;
  }

  parentAborted(reason: unknown): void {
    this.clock.clearTimeout(this.timer);
    this.reject(reason);
  }
}

/**
 * Waits `ms` on `clock`; when `scope` aborts, the timer is cleared and the wait rejects at once
 * with its reason.
 *
 * @internal
 */
export function sleepInScope(clock: Clock, ms: number, scope: Scope | undefined): Promise<void> {
  if (scope === undefined) return new Promise((resolve) => clock.setTimeout(resolve, ms));
  if (scope.aborted) return Promise.reject(scope.reason);
  return new ScopedSleep(clock, scope).start(ms);
}

/**
 * Options of {@link sleep}.
 *
 * @example
 * ```ts
 * import { sleep, systemClock, type SleepOptions } from 'crackstop';
 *
 * const options: SleepOptions = { clock: systemClock, signal: AbortSignal.timeout(1_000) };
 * await sleep(10, options);
 * ```
 */
export interface SleepOptions {
  /** Aborting rejects the wait at once with `signal.reason` and clears its timer. */
  readonly signal?: AbortSignal;
  /** @defaultValue `systemClock` */
  readonly clock?: Clock;
}

/**
 * Waits `ms` milliseconds on a clock. Aborting `signal` rejects at once with `signal.reason` and
 * leaves no timer and no listener behind; an already-aborted signal rejects without a timer.
 *
 * @throws TypeError or RangeError (synchronously) when `ms` is not a number >= 0.
 *
 * @example
 * ```ts
 * import { sleep } from 'crackstop';
 *
 * const controller = new AbortController();
 * const waiting = sleep(60_000, { signal: controller.signal });
 * controller.abort(new Error('shutting down'));
 * await waiting.catch((reason) => console.log((reason as Error).message)); // shutting down
 * ```
 */
export function sleep(ms: number, options?: SleepOptions): Promise<void> {
  checkNumber('sleep()', 'ms', ms, { min: 0, max: Number.MAX_SAFE_INTEGER });
  const opts = checkOptions('sleep()', options, ['signal', 'clock']);
  const clock = optionalClock('sleep()', opts['clock']) ?? systemClock;
  const signal = optionalObjectWith<AbortSignal>('sleep()', 'signal', opts['signal'], ['addEventListener', 'removeEventListener']);
  if (signal === undefined) return new Promise((resolve) => clock.setTimeout(resolve, ms));
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise((resolve, reject) => {
    const onAbort = (): void => {
      clock.clearTimeout(timer);
      reject(signal.reason);
    };
    const timer = clock.setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal.addEventListener('abort', onAbort, { once: true });
  });
}
