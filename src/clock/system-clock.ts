/**
 * The default clock: `performance.now()` and the runtime's timers.
 *
 * @module
 */
import type { Clock, TimerHandle } from './clock.js';
import { checkOptions, optionalBoolean } from '../core/validate.js';

/** The longest delay the runtime's `setTimeout` accepts without clamping (2^31-1 ms). */
const maxNativeDelay = 2_147_483_647;

interface NativeTimer {
  unref?: () => unknown;
}

/** A timer longer than the native maximum, made of consecutive native timers. */
class LongTimer {
  handle: ReturnType<typeof setTimeout> | undefined = undefined;
  readonly callback: () => void;
  remaining: number;
  readonly unref: boolean;

  constructor(callback: () => void, remaining: number, unref: boolean) {
    this.callback = callback;
    this.remaining = remaining;
    this.unref = unref;
  }
}

/**
 * Options of {@link createSystemClock}.
 *
 * @example
 * ```ts
 * import { createSystemClock, type SystemClockOptions } from 'crackstop';
 *
 * // For a background sampler that must never keep the process alive.
 * const options: SystemClockOptions = { unref: true };
 * const clock = createSystemClock(options);
 * ```
 */
export interface SystemClockOptions {
  /**
   * Whether timers are `unref`'d (where the runtime has `unref`), so that a pending timer never
   * keeps a process alive by itself. Only for timers that are not part of a pending call (a
   * background sampler): an `unref`'d backoff wait or deadline lets a script exit in the middle of
   * the call it was waiting for.
   *
   * @defaultValue false
   */
  readonly unref?: boolean;
}

function arm(timer: LongTimer): void {
  const step = Math.min(timer.remaining, maxNativeDelay);
  timer.remaining -= step;
  timer.handle = setTimeout(() => {
    if (timer.remaining > 0) arm(timer);
    else timer.callback();
  }, step);
  if (timer.unref) (timer.handle as NativeTimer).unref?.();
}

/**
 * Creates a clock on `performance.now()` (monotonic: unaffected by wall-clock jumps) and the
 * runtime's timers. Delays longer than 2^31-1 ms are split into consecutive timers rather than
 * clamped (the runtime would fire them after 1 ms). Negative or NaN delays count as 0.
 *
 * @example
 * ```ts
 * import { createSystemClock, loadShedder } from 'crackstop';
 *
 * // Timers that never keep the process alive (for periodic work of your own, not for calls).
 * const background = createSystemClock({ unref: true });
 * const shedder = loadShedder({ maxInFlight: 100, clock: createSystemClock() });
 * ```
 */
export function createSystemClock(options?: SystemClockOptions): Clock {
  const opts = checkOptions('createSystemClock()', options, ['unref']);
  const unref = optionalBoolean('createSystemClock()', 'unref', opts['unref'], false);
  return {
    now: () => performance.now(),
    setTimeout(callback: () => void, ms: number): TimerHandle {
      const delay = ms > 0 ? ms : 0;
      if (delay > maxNativeDelay) {
        const timer = new LongTimer(callback, delay, unref);
        arm(timer);
        return timer;
      }
      const handle = setTimeout(callback, delay);
      if (unref) (handle as NativeTimer).unref?.();
      return handle;
    },
    clearTimeout(handle: TimerHandle): void {
      if (handle instanceof LongTimer) {
        clearTimeout(handle.handle);
        handle.remaining = 0;
        return;
      }
      clearTimeout(handle as ReturnType<typeof setTimeout>);
    },
  };
}

/**
 * The default clock of every policy: monotonic `performance.now()` and the runtime's timers. A
 * timer keeps the process alive while the call that set it is pending (a backoff wait is pending
 * work, like the socket of a request), and every timer is cleared when its call settles, so a
 * process whose work has settled exits at once. Background samplers (the event-loop probe of
 * `crackstop/node`) use their own `unref`'d timers.
 *
 * @example
 * ```ts
 * import { systemClock } from 'crackstop';
 *
 * const started = systemClock.now();
 * const handle = systemClock.setTimeout(() => console.log(systemClock.now() - started), 10);
 * systemClock.clearTimeout(handle);
 * ```
 */
export const systemClock: Clock = createSystemClock();
